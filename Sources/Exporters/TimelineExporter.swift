import Cartography
import Gazetteer
import TextOutput
import Projection

/// Snapshot layers for tools without a time slider: one layer per step of a `Timeline`, holding
/// the sites open on the step's first day, in WGS 84.
public enum TimelineExporter {
    public enum Format: String, CaseIterable, Sendable {
        /// One file per step: `<folder>/<base>-YYYY-MM-DD.geojson`.
        case geojson
        /// One GeoPackage `<base>.gpkg` with one layer per step (`open_YYYY_MM_DD`) and the base map.
        case gpkg
    }

    /// The layer (GeoPackage table) of a step.
    public static func layerName(_ date: CalendarDate) -> String {
        "open_\(date.description.replacingDashes())"
    }

    /// Writes the snapshots and returns the paths written.
    public static func write(_ timeline: Timeline, schema: GazetteerSchema, format: Format, directory: String,
                             baseName: String, sourceDescription: String) throws(ExportError) -> [String] {
        func path(_ name: String) -> String { FilePath.join(directory, name) }
        func info(_ entry: Timeline.Entry, layer: String) -> CollectionInfo {
            CollectionInfo(layerName: layer, title: "MINUSMA sites open on \(entry.date.longDescription)",
                           sourceDescription: sourceDescription + " Sites open on \(entry.date) (closure date after it).",
                           schema: schema, crs: .wgs84)
        }
        func summary(_ sites: [Site]) -> CollectionSummary {
            var box = BoxAccumulator()
            for s in sites { if let p = s.position { box.add(x: p.longitude, y: p.latitude) } }
            return CollectionSummary(featureCount: sites.count,
                                     extent: box.isEmpty ? nil : (box.minX, box.minY, box.maxX, box.maxY),
                                     geographicExtent: box.isEmpty ? nil : GeoBox(west: box.minX, south: box.minY, east: box.maxX, north: box.maxY))
        }
        func point(_ site: Site) -> XY? {
            site.position.map { XY(x: $0.longitude, y: $0.latitude) }
        }

        switch format {
        case .geojson:
            // All steps are written before any is renamed into place.
            var files: [AtomicFile] = []
            for entry in timeline.entries {
                let name = "\(baseName)-\(entry.date).geojson"
                do {
                    let file = try AtomicFile(path: path(name))
                    let out = OutputBuffer(sink: file, capacity: 1 << 16)
                    let writer = GeoJSONWriter(output: out)
                    try writer.begin(info(entry, layer: name.dropLastPathExtension()))
                    for site in entry.open { try writer.write(site, point: point(site)) }
                    try writer.finish(summary(entry.open))
                    files.append(file)
                } catch let error as OutputError {
                    throw .output(error)
                } catch let error as ExportError {
                    throw error
                } catch {
                    throw .output(.cannotWrite(path: path(name), reason: "\(error)"))
                }
            }
            do { for file in files { try file.commit() } } catch { throw .output(error) }
            return files.map(\.path)
        case .gpkg:
            let file = path("\(baseName).gpkg")
            guard let first = timeline.entries.first else { return [] }
            let layers: [BasemapLayer]
            do { layers = try Basemap.layers() } catch {
                throw .geoPackage(path: file, message: "cannot read the embedded base map: \(error)")
            }
            let writer = try GeoPackageWriter(path: file, layerName: layerName(first.date), basemap: layers)
            for (i, entry) in timeline.entries.enumerated() {
                if i > 0 { try writer.startLayer(named: layerName(entry.date)) }
                try writer.begin(info(entry, layer: layerName(entry.date)))
                for site in entry.open { try writer.write(site, point: point(site)) }
                try writer.finish(summary(entry.open))
            }
            try writer.commit()
            return [file]
        }
    }
}

extension String {
    func replacingDashes() -> String {
        String(map { $0 == "-" ? "_" : $0 })
    }

    func dropLastPathExtension() -> String {
        guard let dot = lastIndex(of: ".") else { return self }
        return String(self[..<dot])
    }
}
