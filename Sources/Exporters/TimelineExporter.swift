import FeatureCore
import Gazetteer
import Projection
import TextOutput

/// Snapshot layers for tools without a time slider: one layer per step of a `Timeline`, holding
/// the sites open on the step's first day, in WGS 84. A format that holds several layers (the
/// GeoPackage) gets one file with a layer per step; any other format gets a file per step.
public enum TimelineExporter {
    /// The layer (GeoPackage table) of a step.
    public static func layerName(_ date: CalendarDate) -> String {
        "open_\(date.description.replacingDashes())"
    }

    /// Writes the snapshots and returns the paths written. `text` is the whole layer's text; each
    /// step's title says the day.
    public static func write(_ timeline: Timeline, schema: GazetteerSchema, profile: ValidationProfile,
                             format: ExportFormat, directory: String, baseName: String,
                             text: SiteLayer.Text) throws(ExportError) -> [String] {
        guard let first = timeline.entries.first else { return [] }
        try format.check(SiteLayer.layerSchema(schema), crs: .wgs84,
                         baseName: format.holdsSeveralLayers ? layerName(first.date) : baseName)
        let files = try ExportFiles(directory: directory)
        var options = FormatOptions()
        options.language = text.language
        // One snapshot layer per step, without a circle layer for each.
        options.uncertaintyCircles = false
        func layer(_ entry: Timeline.Entry, name: String) -> SiteLayer {
            var step = text
            step.name = name
            let base = SiteLayer(schema: schema, profile: profile, text: text).metadata.title
            let day = entry.date.longDescription(text.language)
            if text.language == .fr {
                step.title = profile == .minusma && text.title == nil
                    ? "Sites de la MINUSMA ouverts le \(day)" : "\(base)\(Punctuation.colon(.fr))ouverts le \(day)"
                step.sourceDescription = text.sourceDescription + " Sites ouverts le \(day) (fermés après cette date)."
            } else {
                step.title = profile == .minusma && text.title == nil
                    ? "MINUSMA sites open on \(day)" : "\(base): open on \(day)"
                step.sourceDescription = text.sourceDescription + " Sites open on \(entry.date) (closure date after it)."
            }
            return SiteLayer(schema: schema, profile: profile, text: step)
        }
        if format.holdsSeveralLayers {
            let context = WriterContext(files: files, baseName: baseName, options: options, layerName: layerName(first.date))
            let writer = try format.writer(context)
            for (i, entry) in timeline.entries.enumerated() {
                if i > 0 {
                    guard let several = writer as? MultiLayerWriter else {
                        throw .output(.cannotWrite(path: files.path(baseName), reason: "\(format.name) declares several layers but its writer cannot start one"))
                    }
                    try several.startLayer(named: layerName(entry.date))
                }
                try write(entry, layer: layer(entry, name: layerName(entry.date)), to: writer)
            }
        } else {
            for entry in timeline.entries {
                let name = "\(baseName)-\(entry.date)"
                let writer = try format.writer(WriterContext(files: files, baseName: name, options: options))
                try write(entry, layer: layer(entry, name: name), to: writer)
                try files.closeTextFiles()
            }
        }
        try files.commit()
        return files.names.map(files.path)
    }

    private static func write(_ entry: Timeline.Entry, layer: SiteLayer, to writer: any FeatureWriter) throws(ExportError) {
        try writer.begin(LayerInfo(metadata: layer.metadata, schema: layer.layerSchema, crs: .wgs84))
        var box = BoxAccumulator()
        try entry.open.withUnsafeBufferPointer { (sites) throws(ExportError) in
            guard let base = sites.baseAddress else { return }
            for i in sites.indices {
                let point = sites[i].position.map { XY(x: $0.longitude, y: $0.latitude) }
                if let point { box.add(x: point.x, y: point.y) }
                try layer.withFeature(base + i) { (f) throws(ExportError) in try writer.write(f, point: point) }
            }
        }
        try writer.finish(LayerSummary(featureCount: entry.open.count, extent: box.extent, geographicExtent: box.extent))
    }
}

extension String {
    func replacingDashes() -> String {
        String(map { $0 == "-" ? "_" : $0 })
    }
}
