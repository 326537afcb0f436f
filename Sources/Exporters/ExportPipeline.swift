#if canImport(Glibc)
import Glibc
#endif
import FeatureCore
import Gazetteer
import Projection
import TextOutput

/// One run of `minusma export`.
public struct ExportRequest {
    public var formats: [ExportFormat]
    /// The folder the files go to; it must exist.
    public var directory: String
    /// File names are `<baseName>.<extension>`; also the layer's name.
    public var baseName: String
    public var filter: SiteFilter
    /// The CRS of the coordinates of formats that take one, as PROJ reads it (`EPSG:32630`, a
    /// PROJ string, WKT); nil for WGS 84. Formats that are always WGS 84 (KML) get WGS 84.
    public var targetCRS: String?
    /// A title given by the user (`--title`); nil for the data's own.
    public var title: String?
    /// The layer's title when the user gives none and the data is not the built-in gazetteer.
    public var defaultTitle: String
    /// A credit given by the user (`--attribution`).
    public var attribution: String?
    public var sourceDescription: String
    /// Sites read and transformed together (any size gives the same files).
    public var batchSize: Int
    public var options: FormatOptions
    /// The input file's (device, inode), so that no output overwrites it.
    public var inputIdentity: (device: UInt64, inode: UInt64)?
    /// Called after each batch with the number of records read so far.
    public var progress: ((Int) -> Void)?
    /// Write valid empty layers when no site is selected; otherwise nothing is written and the
    /// previous files stay.
    public var allowEmpty = false
    /// The built-in data's events (and contingents), written beside the sites; nil for a
    /// user's gazetteer, which has none.
    public var story: StoryRequest? = nil
    /// The language of the titles, legends and descriptions (field names never change).
    public var language: Language {
        get { options.language }
        set { options.language = newValue }
    }

    public init(formats: [ExportFormat], directory: String, baseName: String = "minusma-sites",
                filter: SiteFilter = SiteFilter(), targetCRS: String? = nil, title: String? = nil,
                defaultTitle: String = "Sites", attribution: String? = nil,
                sourceDescription: String = "", batchSize: Int = 4096, excelCSV: Bool = false,
                inputIdentity: (device: UInt64, inode: UInt64)? = nil, progress: ((Int) -> Void)? = nil) {
        self.formats = formats
        self.directory = directory
        self.baseName = baseName
        self.filter = filter
        self.targetCRS = targetCRS
        self.title = title
        self.defaultTitle = defaultTitle
        self.attribution = attribution
        self.sourceDescription = sourceDescription
        self.batchSize = max(1, batchSize)
        self.options = FormatOptions(excelCSV: excelCSV)
        self.inputIdentity = inputIdentity
        self.progress = progress
    }

    public var excelCSV: Bool {
        get { options.excelCSV }
        set { options.excelCSV = newValue }
    }
}

public struct ExportOutcome: Sendable {
    /// The opening and closure days of the sites written.
    public let dates: SiteDateSpan
    /// Every file written, in the order of the formats; none when nothing was selected and empty
    /// layers were not asked for.
    public var files: [String]
    public let summary: LayerSummary
    /// The input's warnings and skipped rows.
    public let report: ValidationReport
    public let crs: OutputCRS
    /// The writers' notes for the user (`ExportFiles.note`).
    public var notes: [String] = []
    /// The events written beside the sites (`ExportRequest.story`).
    public var eventCount = 0
}

extension LayerSummary {
    /// The geographic extent as a `GeoBox`.
    public var geographicBox: GeoBox? {
        geographicExtent.map { GeoBox(west: $0.minX, south: $0.minY, east: $0.maxX, north: $0.maxY) }
    }
}

/// Streams a gazetteer through the filter, the projection and every writer in one pass, in
/// batches: memory does not grow with the input. Every output is a temporary file of one
/// `ExportFiles` until the input has passed validation and every writer has finished; then the
/// set is committed.
public enum Exporter {
    /// `derivedFiles` makes files from the outcome (their names and texts), written into the
    /// same all-or-nothing set before it is committed.
    public static func run(reader: sending GazetteerReader, request: ExportRequest,
                           derivedFiles: (ExportOutcome) throws(ExportError) -> [(name: String, text: String)] = { _ in [] })
        throws(ExportError) -> ExportOutcome {
        let formats = ExportFormat.all.filter { request.formats.contains($0) }
        let files = try ExportFiles(directory: request.directory)
        let crs = try outputCRS(request.targetCRS, withESRIWKT: formats.contains(.csv) || formats.contains(.shp), forGeoJSON: formats.contains(.geojson))

        // Each name once: the CSV and the Shapefile share their `.prj`.
        var seen = Set<String>()
        let names = (formats.flatMap { $0.fileNames(base: request.baseName, options: request.options) }
            + (request.story?.fileNames(formats, options: request.options) ?? [])).filter { seen.insert($0).inserted }
        if let identity = request.inputIdentity {
            for name in names where FileIdentity.of(files.path(name)).map({ $0 == identity }) ?? false {
                throw .wouldOverwriteInput(path: files.path(name))
            }
        }
        let layer = SiteLayer(schema: reader.schema, profile: reader.options.profile, text: SiteLayer.Text(
            name: request.baseName, title: request.title, defaultTitle: request.defaultTitle,
            sourceDescription: request.sourceDescription, attribution: request.attribution, license: request.options.license,
            language: request.language, contingents: request.story?.contingents ?? []))
        let projectedInfo = LayerInfo(metadata: layer.metadata, schema: layer.layerSchema, crs: crs)
        let wgs84Info = LayerInfo(metadata: layer.metadata, schema: layer.layerSchema, crs: .wgs84)

        // Each writer with whether it takes WGS 84 points.
        var writers: [(writer: any FeatureWriter, wgs84: Bool)] = []
        let context = WriterContext(files: files, baseName: request.baseName, options: request.options)
        for format in formats {
            let wgs84 = format.alwaysWGS84 && !crs.isWGS84LongitudeLatitude
            try format.check(layer.layerSchema, crs: wgs84 ? .wgs84 : crs, baseName: request.baseName, options: request.options)
            try request.story?.check(format, crs: wgs84 ? .wgs84 : crs, options: request.options)
            writers.append((try format.writer(context), wgs84))
        }
        for (w, wgs84) in writers { try w.begin(wgs84 ? wgs84Info : projectedInfo) }

        // Nothing to project when every writer takes WGS 84 (KML and KMZ alone, whatever --crs).
        let projected = !crs.isWGS84LongitudeLatitude && writers.contains { !$0.wgs84 }
        let target = projected ? request.targetCRS : nil
        let projectWhileReading = zip(formats, writers).contains { format, w in format.heavyWriter && !w.wgs84 }
        // A projector on the thread that projects; the other side gets none.
        let inputName = reader.displayName
        let writingProjector = projectWhileReading ? nil : target.map { BatchProjector(targetCRS: $0, inputName: inputName) }
        let readingProjector = projectWhileReading ? target.map { BatchProjector(targetCRS: $0, inputName: inputName) } : nil
        try writingProjector?.prepare()
        let producer = SiteProducer(reader: reader, filter: request.filter, projector: readingProjector, batchSize: request.batchSize)
        let stream = try SiteStream.start(producer)
        var extent = BoxAccumulator(), geographic = BoxAccumulator()
        var dates = SiteDateSpan()
        var count = 0
        var storySites = request.story.map { StorySites(wanted: $0.siteIDs) }
        do {
            while var batch = try stream.next() {
                try writingProjector?.project(&batch)
                request.progress?(batch.recordsSeen)
                try write(batch, layer: layer, writers: writers, extent: &extent, geographic: &geographic, dates: &dates)
                storySites?.add(batch)
                count += batch.sites.count
                stream.recycle(batch)
            }
        } catch {
            stream.stop()
            throw error
        }
        let report = try stream.finish().get()

        // Unprojected positions have no extent in the output CRS (no writer would read it).
        let summary = LayerSummary(featureCount: count, extent: projected || crs.isWGS84LongitudeLatitude ? extent.extent : nil,
                                   geographicExtent: geographic.extent)
        let geographicSummary = LayerSummary(featureCount: count, extent: geographic.extent, geographicExtent: geographic.extent)
        // Nothing to write: an empty layer must not replace a previous good one unasked.
        if count == 0 && !request.allowEmpty {
            files.discard()
            return ExportOutcome(dates: dates, files: [], summary: summary, report: report, crs: crs)
        }
        for (w, wgs84) in writers { try w.finish(wgs84 ? geographicSummary : summary) }
        var outcome = ExportOutcome(dates: dates, files: names.map(files.path), summary: summary, report: report, crs: crs)
        if let story = request.story, let storySites {
            outcome.eventCount = try story.write(sites: storySites, formats: formats, writers: writers, files: files,
                                                 options: request.options, crs: crs, sitesLayer: layer.metadata.name)
        }
        outcome.notes = files.notes
        // Files made from the outcome (a QGIS project over the layer) join the same set.
        for (name, text) in try derivedFiles(outcome) {
            try files.write(name, text: text)
            outcome.files.append(files.path(name))
        }
        try files.commit()
        return outcome
    }

    /// Hands one batch to every writer. Sites are read in place (no copy, no reference counting
    /// per site).
    private static func write(_ batch: SiteBatch, layer: SiteLayer, writers: [(writer: any FeatureWriter, wgs84: Bool)],
                              extent: inout BoxAccumulator, geographic: inout BoxAccumulator,
                              dates: inout SiteDateSpan) throws(ExportError) {
        try batch.sites.withUnsafeBufferPointer { (sites) throws(ExportError) in
            guard let base = sites.baseAddress else { return }
            for i in sites.indices {
                dates.add(opening: sites[i].openingDate, closure: sites[i].closureDate)
                var point: XY? = nil, wgs84Point: XY? = nil
                let k = batch.slot[i]
                if k >= 0, let position = sites[i].position {
                    let p = XY(x: batch.xs[k], y: batch.ys[k])
                    point = p
                    extent.add(x: p.x, y: p.y)
                    wgs84Point = XY(x: position.longitude, y: position.latitude)
                    geographic.add(x: position.longitude, y: position.latitude)
                }
                try layer.withFeature(base + i) { (feature) throws(ExportError) in
                    for (w, wgs84) in writers { try w.write(feature, point: wgs84 ? wgs84Point : point) }
                }
            }
        }
    }

    /// The CRS of the coordinates, described for the writers (PROJ is set up here only to
    /// describe it; `BatchProjector` makes the transformer).
    static func outputCRS(_ definition: String?, withESRIWKT: Bool, forGeoJSON: Bool) throws(ExportError) -> OutputCRS {
        guard let definition else { return .wgs84 }
        do {
            let context = ProjContext()
            return try OutputCRS.resolve(definition, context: context, withESRIWKT: withESRIWKT, forGeoJSON: forGeoJSON).description
        } catch { throw .projection(error, site: nil) }
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
