import ArgumentParser
import Gazetteer
import Projection

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the sites in closure order: order, id, name, region, closure date, phase.",
        discussion: """
        The file is read as a stream. Up to \(ClosureOrderListing.sortLimit) matching sites are listed in closure \
        order; past that, in the order of the file, as they are read (a note on stderr says so), with the columns \
        sized by the first \(ClosureOrderListing.sortLimit) rows. --from reads the file twice (standard input is kept \
        in a temporary file for the second pass).

        Examples:
          minusma list
          minusma list --phase 2
          minusma list --as-of 2023-11-01            # the sites still open that day
          minusma list --from gao                    # with each site's distance from Gao
          minusma list --data my-sites.csv
        """
    )

    @OptionGroup var data: DataOptions
    @OptionGroup var selection: FilterOptions
    @OptionGroup var lang: LanguageOption

    @Option(name: .long, help: ArgumentHelp("Add each site's distance (km) and direction from this site (id or name).", valueName: "site"))
    var from: String?

    func run() throws {
        let filter = try selection.filter()
        var origin: Site? = nil
        if let from {
            let site = try SiteLookup.find([from], in: data).sites[0]
            guard site.position != nil else {
                throw CommandFailure(.usage, "\(site.id) has no known position, so distances from it cannot be measured")
            }
            origin = site
        }
        let fr = lang.language == .fr
        var columns: [(String, TextTable.Alignment)] = fr
            ? [("ordre", .right), ("id", .left), ("nom", .left), ("région", .left), ("fermeture", .left), ("phase", .left)]
            : [("order", .right), ("id", .left), ("name", .left), ("region", .left), ("closure", .left), ("phase", .left)]
        if let origin { columns += fr ? [("depuis \(origin.name)", .right), ("cap", .right)] : [("from \(origin.name)", .right), ("bearing", .right)] }
        let printer = TablePrinter(TextTable(columns))
        let language = lang.language
        let listing = ClosureOrderListing { batch in try printer.print(batch.map { Self.row($0, origin: origin, language: language) }) }
        var matched = 0
        let scan = try data.scan { site in
            guard filter.matches(site) else { return }
            matched += 1
            try listing.add(site)
        }
        if listing.streamed {
            Console.error("minusma: note: more than \(ClosureOrderListing.sortLimit) sites match: listed in the order of the file")
        } else {
            try printer.print(listing.sorted(scan).map { Self.row($0, origin: origin, language: language) })
        }
        let what = filter.isEmpty ? "" : " (\(filter.description(lang.language)))"
        try printer.finish(footer: fr
            ? "\(matched) site\(matched == 1 ? "" : "s") sur \(scan.siteCount)\(what)\(Punctuation.semicolon(.fr))source\(Punctuation.colon(.fr))\(scan.source)\n"
            : "\(matched) of \(scan.siteCount) sites\(what); source: \(scan.source)\n")
        for line in scan.report.lines { Console.error(line) }
    }

    static func row(_ site: Site, origin: Site?, language: Language = .en) -> [String] {
        var row = [site.closureOrder.map(String.init) ?? "", site.id, site.name, site.region ?? "",
                   site.closureDate?.description ?? "", site.phase?.code ?? ""]
        if let origin, let a = origin.position {
            if let b = site.position {
                let line = Geodesic.inverse(fromLongitude: a.longitude, latitude: a.latitude, toLongitude: b.longitude, latitude: b.latitude)
                row += [Units.kilometres(line.distanceMetres), site.id == origin.id ? "" : Units.degrees(line.initialAzimuth, decimals: 0)]
            } else {
                row += [language == .fr ? "inconnue" : "unknown", ""]
            }
        }
        return row
    }
}

/// Prints a table as its rows come: the first batch sets the column widths; output goes out in
/// chunks, and a failed write stops the command.
final class TablePrinter {
    private let table: TextTable
    private var widths: [Int]?
    private var pending = ""

    init(_ table: TextTable) { self.table = table }

    func print(_ rows: [[String]]) throws {
        if widths == nil {
            var sizing = table
            for row in rows { sizing.add(row) }
            let widths = sizing.columnWidths()
            self.widths = widths
            pending += table.header(widths)
        }
        guard let widths else { return }
        for row in rows {
            pending += table.line(row, widths)
            if pending.utf8.count >= 1 << 16 { try flush() }
        }
    }

    func finish(footer: String) throws {
        if widths == nil { try print([]) }
        pending += footer
        try flush()
    }

    private func flush() throws {
        try Console.emit(pending)
        pending = ""
    }
}

/// Sites in closure order in bounded memory: up to `sortLimit` are held and sorted at the end;
/// past that, all are handed on in file order as they come (`streamed`).
final class ClosureOrderListing {
    static let sortLimit = 100_000

    private let limit: Int
    private let emit: ([Site]) throws -> Void
    private var held: [Site] = []
    private(set) var streamed = false

    init(limit: Int = ClosureOrderListing.sortLimit, emit: @escaping ([Site]) throws -> Void) {
        self.limit = limit
        self.emit = emit
    }

    func add(_ site: Site) throws {
        if streamed { return try emit([site]) }
        held.append(site)
        if held.count > limit {
            streamed = true
            let batch = held
            held = []
            try emit(batch)
        }
    }

    /// The held sites in closure order (empty once streamed).
    func sorted(_ scan: DataOptions.Scan) -> [Site] {
        Gazetteer(source: scan.source, schema: scan.schema, sites: held, report: scan.report).sitesInClosureOrder
    }
}

/// Finds a site by id or name while the sites stream past, as `Gazetteer.site(named:)` does: the
/// site with that id, else the first with that name or alternative name (ignoring case and
/// accents), else the only one whose id or name starts with it.
struct SiteMatcher {
    let query: String
    private let key: String
    private var exact: Site?
    private var named: Site?
    private var prefixed: Site?
    private var prefixCount = 0

    init(_ query: String) {
        self.query = query
        key = TextFolding.key(query)
    }

    mutating func consider(_ site: Site) {
        guard exact == nil else { return }
        if site.id == query { exact = site; return }
        guard !key.isEmpty, named == nil else { return }
        let id = TextFolding.key(site.id), name = TextFolding.key(site.name)
        if id == key || name == key || site.nameEn.map({ TextFolding.key($0) == key }) == true
            || site.altNames.contains(where: { TextFolding.key($0) == key }) {
            named = site
        } else if id.hasPrefix(key) || name.hasPrefix(key) {
            prefixCount += 1
            if prefixed == nil { prefixed = site }
        }
    }

    var match: Site? { exact ?? named ?? (prefixCount == 1 ? prefixed : nil) }
}

enum SiteLookup {
    static func unknown(_ query: String, in gazetteer: Gazetteer) -> CommandFailure {
        unknown(query, source: gazetteer.source, ids: gazetteer.sites.prefix(20).map(\.id), more: gazetteer.sites.count > 20)
    }

    static func unknown(_ query: String, source: String, ids: [String], more: Bool) -> CommandFailure {
        CommandFailure(.usage, "no site '\(query)' in \(source); known ids: \(ids.joined(separator: ", "))\(more ? ", ..." : "")")
    }

    static func find(_ query: String, in gazetteer: Gazetteer) throws -> Site {
        guard let site = gazetteer.site(named: query) else { throw unknown(query, in: gazetteer) }
        return site
    }

    /// The sites named by `queries`, in one pass over the data that keeps no other site;
    /// `body` sees every site too.
    static func find(_ queries: [String], in data: DataOptions,
                     also body: (Site) throws -> Void = { _ in }) throws -> (sites: [Site], scan: DataOptions.Scan) {
        var matchers = queries.map(SiteMatcher.init)
        var ids: [String] = []
        let scan = try data.scan { site in
            for i in matchers.indices { matchers[i].consider(site) }
            if ids.count <= 20 { ids.append(site.id) }
            try body(site)
        }
        var found: [Site] = []
        for matcher in matchers {
            guard let site = matcher.match else {
                throw unknown(matcher.query, source: scan.source, ids: Array(ids.prefix(20)), more: scan.siteCount > 20)
            }
            found.append(site)
        }
        return (found, scan)
    }
}
