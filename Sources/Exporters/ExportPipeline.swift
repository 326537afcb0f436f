#if canImport(Glibc)
import Glibc
#endif
import Cartography
import Gazetteer
import Projection
import SQLiteDB
import TextOutput

/// One run of `minusma export`.
public struct ExportRequest {
    public var formats: [ExportFormat]
    /// The folder the files go to; it must exist.
    public var directory: String
    /// File names are `<baseName>.<extension>`.
    public var baseName: String
    public var filter: SiteFilter
    /// The CRS of GeoJSON, CSV (x, y) and GeoPackage coordinates, as PROJ reads it (`EPSG:32630`,
    /// a PROJ string, WKT); nil for WGS 84. KML is always WGS 84.
    public var targetCRS: String?
    public var title: String
    public var sourceDescription: String
    /// Sites read and transformed together (any size gives the same files).
    public var batchSize: Int
    /// Also write `<baseName>-excel.csv` (BOM, `;`, CRLF) with the CSV.
    public var excelCSV: Bool
    /// The input file's (device, inode), so that no output overwrites it.
    public var inputIdentity: (device: UInt64, inode: UInt64)?
    /// Called after each batch with the number of records read so far.
    public var progress: ((Int) -> Void)?
    /// Read and project on a second thread while writing (for large inputs; a few sites are
    /// faster without the thread).
    public var readOnSecondThread = true

    public init(formats: [ExportFormat], directory: String, baseName: String = "minusma-sites",
                filter: SiteFilter = SiteFilter(), targetCRS: String? = nil,
                title: String = "MINUSMA sites: the withdrawal from Mali, 2023-2024",
                sourceDescription: String = "", batchSize: Int = 4096, excelCSV: Bool = false,
                inputIdentity: (device: UInt64, inode: UInt64)? = nil, progress: ((Int) -> Void)? = nil) {
        self.formats = formats
        self.directory = directory
        self.baseName = baseName
        self.filter = filter
        self.targetCRS = targetCRS
        self.title = title
        self.sourceDescription = sourceDescription
        self.batchSize = max(1, batchSize)
        self.excelCSV = excelCSV
        self.inputIdentity = inputIdentity
        self.progress = progress
    }
}

public struct ExportOutcome: Sendable {
    /// Every file written, in the order of the formats.
    public let files: [String]
    public let summary: CollectionSummary
    /// The input's warnings and skipped rows.
    public let report: ValidationReport
    public let crs: OutputCRS
}

/// Streams a gazetteer through the filter, the projection and every writer in one pass, in
/// batches: memory does not grow with the input. Each output is written to a temporary file in
/// the destination folder; only when the input has passed validation and every writer has
/// finished are the files renamed into place.
public enum Exporter {
    public static func run(reader: GazetteerReader, request: ExportRequest) throws(ExportError) -> ExportOutcome {
        let formats = ExportFormat.allCases.filter { request.formats.contains($0) }
        let dir = request.directory.isEmpty ? "." : request.directory
        func path(_ name: String) -> String { FilePath.join(dir, name) }
        // Every output is staged in the locked folder and replaced all together by the commit.
        let files: FileSet
        do { files = try FileSet(directory: dir) } catch { throw .output(error) }
        defer { files.abandon() }

        let wantsCSV = formats.contains(.csv)
        // The GeoPackage's own tables and its base map need nothing from PROJ: they are written on
        // a second thread while this one sets PROJ up (opening its database takes milliseconds).
        // PROJ stays on this thread, whose memory arena grows cheaply; the two threads' SQLite
        // connections must not share the statistics mutex.
        var geoPackageJob: BackgroundJob<Result<GeoPackageWriter, ExportError>>? = nil
        if formats.contains(.gpkg) {
            SQLiteDatabase.disableMemoryStatistics()
            let gpkgPath = path("\(request.baseName).gpkg"), layerName = request.baseName
            let staged: String
            do { staged = try files.temporaryPath(for: "\(request.baseName).gpkg") } catch { throw .output(error) }
            geoPackageJob = BackgroundJob {
                Result { () throws(ExportError) -> GeoPackageWriter in
                    let layers: [BasemapLayer]
                    do { layers = try Basemap.layers() } catch {
                        throw .geoPackage(path: gpkgPath, message: "cannot read the embedded base map: \(error)")
                    }
                    return try GeoPackageWriter(path: gpkgPath, layerName: layerName, basemap: layers, temporaryPath: staged)
                }
            }
        }
        // Whatever happens next, the GeoPackage job is joined (its temporary file dropped on failure).
        func geoPackageWriter() throws(ExportError) -> GeoPackageWriter? {
            guard let job = geoPackageJob else { return nil }
            geoPackageJob = nil
            return try job.join().get()
        }
        var transformer: Transformer? = nil
        var crs = OutputCRS.wgs84
        if let definition = request.targetCRS {
            do {
                let context = ProjContext()
                let target = try CRS(definition, context: context)
                crs = OutputCRS(target, withESRIWKT: wantsCSV)
                if !crs.isWGS84LongitudeLatitude {
                    transformer = try Transformer(from: CRS.wgs84(context: context), to: target)
                }
            } catch {
                _ = try? geoPackageWriter()
                throw .projection(error, site: nil)
            }
        }

        // Files, all temporary until the end.
        var names = formats.flatMap { $0.fileNames(base: request.baseName) }
        if request.excelCSV && formats.contains(.csv) { names.append("\(request.baseName)-excel.csv") }
        if let identity = request.inputIdentity {
            for name in names {
                var st = stat()
                if stat(path(name), &st) == 0, UInt64(st.st_dev) == identity.device, UInt64(st.st_ino) == identity.inode {
                    _ = try? geoPackageWriter()
                    throw .wouldOverwriteInput(path: path(name))
                }
            }
        }
        let geoPackage = try geoPackageWriter()
        let info = CollectionInfo(layerName: request.baseName, title: request.title,
                                  sourceDescription: request.sourceDescription, schema: reader.schema, crs: crs)
        if wantsCSV, CSVWriter.addsProjectedColumns(crs) {
            for name in CSVWriter.projectedColumns where info.schema.propertyNames.contains(name) {
                throw .columnClash(name: name, format: "CSV")
            }
        }

        func open(_ name: String) throws(ExportError) -> OutputBuffer {
            do { return OutputBuffer(sink: try files.textFile(named: name)) } catch { throw .output(error) }
        }
        var writers: [FeatureWriter] = []
        for format in formats {
            switch format {
            case .geojson:
                writers.append(GeoJSONWriter(output: try open("\(request.baseName).geojson")))
            case .kml:
                writers.append(KMLWriter(output: try open("\(request.baseName).kml"), spoolDirectory: dir))
            case .csv:
                writers.append(CSVWriter(output: try open("\(request.baseName).csv")))
                if request.excelCSV {
                    writers.append(CSVWriter(output: try open("\(request.baseName)-excel.csv"), profile: .excel))
                }
            case .gpkg:
                writers.append(geoPackage!)
            }
        }

        for w in writers { try w.begin(info) }

        // The stream: read and projected on a second thread, written here.
        var extent = BoxAccumulator(), geographic = BoxAccumulator()
        var count = 0
        let stream = SiteStream(reader: reader, filter: request.filter, transformer: transformer,
                                batchSize: request.batchSize, concurrent: request.readOnSecondThread)
        do {
            while let batch = try stream.next() {
                request.progress?(batch.recordsSeen)
                // Sites are read in place (no copy, no reference counting per site).
                try batch.sites.withUnsafeBufferPointer { (sites) throws(ExportError) in
                    for i in sites.indices {
                        var point: XY? = nil
                        let k = batch.slot[i]
                        if k >= 0 {
                            let p = XY(x: batch.xs[k], y: batch.ys[k])
                            point = p
                            extent.add(x: p.x, y: p.y)
                            let position = sites[i].position!
                            geographic.add(x: position.longitude, y: position.latitude)
                        }
                        for w in writers { try w.write(sites[i], point: point) }
                    }
                }
                count += batch.sites.count
                stream.recycle(batch)
            }
        } catch {
            stream.finish()
            throw error
        }
        let report = try stream.finish().get()

        let summary = CollectionSummary(
            featureCount: count,
            extent: extent.isEmpty ? nil : (extent.minX, extent.minY, extent.maxX, extent.maxY),
            geographicExtent: geographic.isEmpty ? nil
                : GeoBox(west: geographic.minX, south: geographic.minY, east: geographic.maxX, north: geographic.maxY))
        for w in writers { try w.finish(summary) }

        // Sidecars, small and known only now.
        func writeText(_ name: String, _ text: String) throws(ExportError) {
            let buffer = try open(name)
            buffer.append(string: text)
            try buffer.flushForExport()
        }
        if formats.contains(.csv) {
            try writeText("\(request.baseName).csvt", CSVWriter.csvtSidecar(info))
            try writeText("\(request.baseName).prj", CSVWriter.prjSidecar(info))
        }
        if formats.contains(.geojson) {
            try writeText("\(request.baseName).qml", QGISStyle.sitesQML(for: info.schema))
        }
        // Everything is complete: move it into place.
        try geoPackage?.commit()
        do { try files.commit() } catch { throw .output(error) }
        return ExportOutcome(files: names.map(path), summary: summary, report: report, crs: crs)
    }

    /// Transforms the first `n` points of the arrays in place.
    static func transform(_ t: Transformer, _ xs: inout [Double], _ ys: inout [Double], count n: Int) throws(ProjectionError) {
        var failure: ProjectionError? = nil
        xs.withUnsafeMutableBufferPointer { x in
            ys.withUnsafeMutableBufferPointer { y in
                do throws(ProjectionError) {
                    try t.transform(x: UnsafeMutableBufferPointer(rebasing: x[0..<n]), y: UnsafeMutableBufferPointer(rebasing: y[0..<n]))
                } catch { failure = error }
            }
        }
        if let failure { throw failure }
    }
}

