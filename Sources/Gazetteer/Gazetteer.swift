import MinusmaData

/// A whole gazetteer in memory: small files such as the 13 built-in sites, for listing, showing
/// and measuring. Exports of large files stream through `GazetteerReader` instead.
public struct Gazetteer: Sendable {
    /// Where the sites came from, for messages and metadata.
    public let source: String
    public let schema: GazetteerSchema
    public let sites: [Site]
    /// Warnings of a file that passed (for example positions outside Mali in user data).
    public let report: ValidationReport

    public init(source: String, schema: GazetteerSchema, sites: [Site], report: ValidationReport) {
        self.source = source
        self.schema = schema
        self.sites = sites
        self.report = report
    }

    /// The 13 MINUSMA sites, from the copy of `Data/minusma-sites.csv` embedded at build time,
    /// checked with the MINUSMA rules.
    public static func builtIn() throws(GazetteerError) -> Gazetteer {
        try read(from: builtInSource(), options: ReadOptions(profile: .minusma))
    }

    /// The embedded `Data/minusma-sites.csv` as a byte source.
    public static func builtInSource() -> MemorySource {
        MemorySource(BundledData.sitesCSV, displayName: BundledData.sitesPath)
    }

    /// A gazetteer file (`-` for standard input), checked with the generic rules unless told otherwise.
    public static func load(path: String, options: ReadOptions = ReadOptions()) throws(GazetteerError) -> Gazetteer {
        try read(from: FileSource(path: path), options: options)
    }

    public static func read(from source: any ByteSource, options: ReadOptions) throws(GazetteerError) -> Gazetteer {
        let reader = try GazetteerReader(source: source, options: options)
        var sites: [Site] = []
        while let site = try reader.next() { sites.append(site) }
        let report = try reader.finish()
        return Gazetteer(source: source.displayName, schema: reader.schema, sites: sites, report: report)
    }

    /// The site with this id, or with this name or alternative name (ignoring case and accents),
    /// or else the only site whose id or name starts with it (`bamako` finds `bamako-hq`).
    public func site(named query: String) -> Site? {
        if let exact = sites.first(where: { $0.id == query }) { return exact }
        let key = TextFolding.key(query)
        guard !key.isEmpty else { return nil }
        func names(_ site: Site) -> [String] {
            ([site.id, site.name] + (site.nameEn.map { [$0] } ?? []) + site.altNames).map { TextFolding.key($0) }
        }
        if let match = sites.first(where: { names($0).contains(key) }) { return match }
        let prefixed = sites.filter { names($0).prefix(2).contains { $0.hasPrefix(key) } }
        return prefixed.count == 1 ? prefixed[0] : nil
    }

    /// Sites in closure order (by closure date, then order, then id; sites without either last).
    public var sitesInClosureOrder: [Site] {
        sites.sorted { a, b in
            switch (a.closureOrder, b.closureOrder) {
            case let (x?, y?) where x != y: return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: break
            }
            switch (a.closureDate, b.closureDate) {
            case let (x?, y?) where x != y: return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a.line < b.line
            }
        }
    }

    /// The latest date any site carries: the "as of" of the data.
    public var latestDate: CalendarDate? {
        sites.flatMap { [$0.openingDate, $0.handoverDate, $0.lastDepartureDate, $0.closureDate].compactMap { $0 } }.max()
    }
}
