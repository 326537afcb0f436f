import FeatureCore
import Gazetteer
import Projection

/// The built-in data's events and contingents, written by `minusma export` beside the sites and
/// in the same all-or-nothing file set: a format of one layer per file gets the events in their
/// own files (`minusma-events.geojson`), a format that holds several layers gets them as a
/// second layer (`minusma_events` in the GeoPackage), with the contingents as a table related
/// to the sites. Only the events of the sites written are written.
public struct StoryRequest: Sendable {
    public var events: [SiteEvent]
    public var contingents: [Contingent]
    public var language: Language
    /// The events' base name in formats of one layer per file; the table's name in a format
    /// that holds several layers is made from it (`minusma-events`, `minusma_events`).
    public var eventsBaseName: String
    /// The contingents' table in formats that hold several layers.
    public var contingentsName: String

    public init(events: [SiteEvent], contingents: [Contingent] = [], language: Language = .en,
                eventsBaseName: String = "minusma-events", contingentsName: String = "minusma-contingents") {
        self.events = events
        self.contingents = contingents
        self.language = language
        self.eventsBaseName = eventsBaseName
        self.contingentsName = contingentsName
    }

    /// The sites whose position the events need.
    var siteIDs: Set<String> { Set(events.map(\.siteID) + contingents.map(\.siteID)) }

    /// The events' own files, for the formats of one layer per file.
    func fileNames(_ formats: [ExportFormat], options: FormatOptions) -> [String] {
        formats.filter { !$0.holdsSeveralLayers }.flatMap { $0.fileNames(base: eventsBaseName, options: options) }
    }

    /// Refuses, before anything is written, what `format` cannot hold.
    func check(_ format: ExportFormat, crs: OutputCRS, options: FormatOptions) throws(ExportError) {
        try format.check(EventLayer.schema, crs: crs, baseName: eventsBaseName, options: options)
        if format.holdsSeveralLayers && !contingents.isEmpty {
            try format.check(ContingentLayer.schema, crs: crs, baseName: contingentsName, options: options)
        }
    }

    /// The events of the sites written, in date order (file order within a day).
    func chosenEvents(_ sites: StorySites) -> [SiteEvent] {
        events.enumerated().filter { sites.found[$0.element.siteID] != nil }
            .sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
    }

    /// Writes the events (and contingents) after the sites: into the same writer for formats
    /// that hold several layers, into writers of their own for the others. Returns the number
    /// of events written.
    func write(sites: StorySites, formats: [ExportFormat], writers: [(writer: any FeatureWriter, wgs84: Bool)],
               files: ExportFiles, options: FormatOptions, crs: OutputCRS, sitesLayer: String) throws(ExportError) -> Int {
        let layer = EventLayer(name: eventsBaseName, language: language)
        let chosen = chosenEvents(sites)
        for (format, (siteWriter, wgs84)) in zip(formats, writers) {
            let writer: any FeatureWriter
            if format.holdsSeveralLayers {
                guard let several = siteWriter as? MultiLayerWriter else {
                    throw .output(.cannotWrite(path: files.path(eventsBaseName),
                                               reason: "\(format.name) declares several layers but its writer cannot start one"))
                }
                try several.startLayer(named: eventsBaseName)
                writer = several
            } else {
                writer = try format.writer(WriterContext(files: files, baseName: eventsBaseName, options: options))
            }
            let layerCRS = wgs84 ? OutputCRS.wgs84 : crs
            try writer.begin(LayerInfo(metadata: layer.metadata, schema: layer.layerSchema, crs: layerCRS))
            var extent = BoxAccumulator(), geographic = BoxAccumulator()
            for event in chosen {
                guard let site = sites.found[event.siteID] else { continue }
                let point = wgs84 ? site.position.map { XY(x: $0.longitude, y: $0.latitude) } : site.point
                if let point { extent.add(x: point.x, y: point.y) }
                if let p = site.position { geographic.add(x: p.longitude, y: p.latitude) }
                try writer.write(layer.feature(event, siteName: site.name, position: site.position), point: point)
            }
            try writer.finish(LayerSummary(featureCount: chosen.count, extent: extent.extent, geographicExtent: geographic.extent))
            if format.holdsSeveralLayers, let several = writer as? MultiLayerWriter, !contingents.isEmpty {
                try writeContingents(to: several, sites: sites, crs: layerCRS, sitesLayer: sitesLayer)
            }
        }
        return chosen.count
    }

    /// The contingents of the sites written, as a table without geometry related to the sites.
    private func writeContingents(to writer: MultiLayerWriter, sites: StorySites, crs: OutputCRS,
                                  sitesLayer: String) throws(ExportError) {
        let layer = ContingentLayer(name: contingentsName, sitesLayer: sitesLayer)
        let chosen = contingents.filter { sites.found[$0.siteID] != nil }
        try writer.startLayer(named: contingentsName)
        try writer.begin(LayerInfo(metadata: layer.metadata, schema: layer.layerSchema, crs: crs))
        for contingent in chosen { try writer.write(ContingentFeature(contingent: contingent), point: nil) }
        try writer.finish(LayerSummary(featureCount: chosen.count, extent: nil, geographicExtent: nil))
    }
}

/// What the events need of the sites written: each one's name, WGS 84 position and point in
/// the export's CRS. Kept for the sites the story names only.
struct StorySites {
    struct Site {
        let name: String
        let position: GeoPosition?
        let point: XY?
    }

    let wanted: Set<String>
    private(set) var found: [String: Site] = [:]

    init(wanted: Set<String>) { self.wanted = wanted }

    mutating func add(_ batch: SiteBatch) {
        for (i, site) in batch.sites.enumerated() where wanted.contains(site.id) {
            let k = batch.slot[i]
            let point = k >= 0 && site.position != nil ? XY(x: batch.xs[k], y: batch.ys[k]) : nil
            found[site.id] = Site(name: site.name, position: site.position, point: point)
        }
    }
}

/// The gazetteer's site, where `StorySites.Site` would shadow it.
typealias GazetteerSite = Site

extension StorySites {
    /// The sites of a whole gazetteer, in WGS 84 (the events command's exports).
    init(sites: [GazetteerSite]) {
        wanted = Set(sites.map(\.id))
        for site in sites {
            found[site.id] = Site(name: site.name, position: site.position,
                                  point: site.position.map { XY(x: $0.longitude, y: $0.latitude) })
        }
    }
}

/// `minusma events --format F`: the chosen events alone, in WGS 84, in one all-or-nothing file set.
public enum EventExporter {
    /// Writes `events` (in the order given) as the layer `baseName` and returns the paths written.
    public static func write(_ events: [SiteEvent], sites: [Site], format: ExportFormat, directory: String,
                             baseName: String, language: Language = .en) throws(ExportError) -> [String] {
        var options = FormatOptions()
        options.basemap = false
        try format.check(EventLayer.schema, crs: .wgs84, baseName: baseName, options: options)
        let files = try ExportFiles(directory: directory)
        let writer = try format.writer(WriterContext(files: files, baseName: baseName, options: options))
        let layer = EventLayer(name: baseName, language: language)
        let known = StorySites(sites: sites)
        try writer.begin(LayerInfo(metadata: layer.metadata, schema: layer.layerSchema, crs: .wgs84))
        var box = BoxAccumulator()
        for event in events {
            let site = known.found[event.siteID]
            if let p = site?.point { box.add(x: p.x, y: p.y) }
            try writer.write(layer.feature(event, siteName: site?.name ?? event.siteID, position: site?.position), point: site?.point)
        }
        try writer.finish(LayerSummary(featureCount: events.count, extent: box.extent, geographicExtent: box.extent))
        try files.commit()
        return files.names.map(files.path)
    }
}
