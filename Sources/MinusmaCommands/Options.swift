#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Exporters
import Gazetteer

/// Where the sites come from.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A gazetteer of your own instead of the 13 built-in sites: CSV (',', ';' or tab), GeoJSON or GeoPackage ('-' reads standard input).",
        discussion: "The format is chosen by the extension and confirmed by the first bytes (see 'minusma formats'). Required columns: id, name, latitude, longitude (aliases such as lat/lon, nom, identifiant, date_fermeture are accepted); every other column of Data/minusma-sites.csv is optional, and unknown columns pass through as text (or typed with a hint: 'population:integer', 'visited:date').",
        valueName: "file"))
    var data: String?

    @Option(name: .long, help: ArgumentHelp(
        "The layer to read from a --data GeoPackage that holds several point layers.", valueName: "name"))
    var layer: String?

    @Option(name: .customLong("data-crs"), help: ArgumentHelp(
        "The CRS of --data's coordinates when the file does not say it (columns x and y, or easting and northing, e.g. EPSG:32630).",
        valueName: "crs"))
    var dataCRS: String?

    @Flag(name: .long, help: "Leave out rows that break a rule (they are counted and listed as warnings) instead of rejecting the file.")
    var skipInvalid = false

    var usesBuiltIn: Bool { data == nil }

    /// A reader over the chosen input, with the rules that apply to it.
    func reader(profile: ValidationProfile = .generic, skipInvalid: Bool? = nil) throws -> GazetteerReader {
        if let data {
            let options = ReadOptions(profile: profile, skipInvalid: skipInvalid ?? self.skipInvalid)
            do { return try InputFormat.open(path: data, options: options, layer: layer, dataCRS: dataCRS) } catch {
                throw CommandFailure.from(error)
            }
        }
        do { return try GazetteerReader(source: Gazetteer.builtInSource(), options: ReadOptions(profile: .minusma)) } catch {
            throw CommandFailure.from(error)
        }
    }

    /// What one pass over the sites saw.
    struct Scan {
        let source: String
        let schema: GazetteerSchema
        let report: ValidationReport
        let siteCount: Int
    }

    /// Reads the chosen input once, in file order, handing each valid site to `body` and keeping
    /// none: memory stays bounded whatever the size of the file. Throws when the file is rejected
    /// (after `body` has seen its valid sites). Standard input can be scanned more than once.
    func scan(_ body: (Site) throws -> Void) throws -> Scan {
        let reader = try self.reader()
        do {
            while let site = try reader.next() { try body(site) }
            let report = try reader.finish()
            return Scan(source: reader.displayName, schema: reader.schema, report: report, siteCount: reader.siteCount)
        } catch let error as GazetteerError {
            throw CommandFailure.from(error)
        }
    }

    /// The whole gazetteer in memory (for the map and the timeline: small files).
    func load() throws -> Gazetteer {
        guard data != nil else {
            do { return try Gazetteer.builtIn() } catch { throw CommandFailure.from(error) }
        }
        let reader = try self.reader()
        do {
            var sites: [Site] = []
            while let site = try reader.next() { sites.append(site) }
            let report = try reader.finish()
            return Gazetteer(source: reader.displayName, schema: reader.schema, sites: sites, report: report)
        } catch { throw CommandFailure.from(error) }
    }
}

/// Which sites.
struct FilterOptions: ParsableArguments {
    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp(
        "Only sites of these withdrawal phases: 1, 2, liquidation (repeat or separate with commas).", valueName: "phase"))
    var phase: [String] = []

    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp(
        "Only sites in these regions (case and accents ignored: 'menaka' matches Ménaka).", valueName: "region"))
    var region: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "Only the sites still open on this day (YYYY-MM-DD): closure date after it. The layer a map of that day needs.",
        valueName: "date"))
    var asOf: String?

    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp(
        "Only the sites that closed between two days, both included (YYYY-MM-DD YYYY-MM-DD).", valueName: "from to"))
    var closedBetween: [String] = []

    func filter() throws -> SiteFilter {
        var phases: Set<Phase>? = nil
        let phaseWords = phase.flatMap { $0.split(separator: ",").map(String.init) }
        if !phaseWords.isEmpty {
            phases = []
            for word in phaseWords {
                guard let p = Phase(text: word) else {
                    throw CommandFailure(.usage, "unknown phase '\(word)': expected 1, 2 or liquidation")
                }
                phases!.insert(p)
            }
        }
        let regions = region.flatMap { $0.split(separator: ",").map { String($0).trimmingSpaces } }
        var openOn: CalendarDate? = nil
        if let asOf { openOn = try Self.date(asOf, option: "--as-of") }
        var closed: ClosedRange<CalendarDate>? = nil
        if !closedBetween.isEmpty {
            guard closedBetween.count == 2 else {
                throw CommandFailure(.usage, "--closed-between takes two dates, FROM and TO (YYYY-MM-DD YYYY-MM-DD)")
            }
            let from = try Self.date(closedBetween[0], option: "--closed-between")
            let to = try Self.date(closedBetween[1], option: "--closed-between")
            guard from <= to else {
                throw CommandFailure(.usage, "--closed-between \(from) \(to): the first date must not be after the second")
            }
            closed = from...to
        }
        return SiteFilter(phases: phases, regions: regions.isEmpty ? nil : regions, openOn: openOn, closedBetween: closed)
    }

    static func date(_ text: String, option: String) throws -> CalendarDate {
        guard let d = CalendarDate(text.trimmingSpaces) else {
            throw CommandFailure(.usage, "\(option) \(text): expected a date that exists, as YYYY-MM-DD")
        }
        return d
    }
}


/// The base name of output files (`--name`): plain ASCII letters, digits, '-', '_' and '.', not
/// starting with '.', short enough for every derived file name and its temporary name. No '%'
/// (QGIS reads `%XX` in a layer's path as an escape), no '/', no spaces or controls.
enum OutputName {
    /// The shortest suffix a command adds to the name (`.kml`): a longer name can fit no file.
    /// Temporary names are of fixed length, whatever the name; the exact check of each file's
    /// name against the folder's limit is the file set's, when the files are made.
    static let shortestSuffix = ".kml".utf8.count
    /// NAME_MAX on Linux file systems.
    static let maximumLength = 255 - shortestSuffix

    static func validate(_ name: String, option: String = "--name") throws {
        guard !name.isEmpty else { throw ValidationError("\(option) must not be empty") }
        guard name.utf8.count <= maximumLength else {
            throw ValidationError("\(option) is \(name.utf8.count) bytes long: at most \(maximumLength), so that a file name made from it fits in 255 bytes")
        }
        guard !name.hasPrefix(".") else {
            throw ValidationError("\(option) '\(DisplayText.escaped(name, keepingLineBreaks: false))' starts with '.': that would make hidden files")
        }
        for u in name.unicodeScalars {
            if !isAllowed(u) {
                throw ValidationError("\(option) '\(DisplayText.escaped(name, keepingLineBreaks: false))' holds '\(DisplayText.escaped(String(u), keepingLineBreaks: false))': "
                                      + "use only ASCII letters, digits, '-', '_' and '.'")
            }
        }
    }

    /// The characters a name may hold: ASCII letters, digits, `-`, `_` and `.`.
    static func isAllowed(_ u: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(u) || ("A"..."Z").contains(u) || ("0"..."9").contains(u) || u == "-" || u == "_" || u == "."
    }

    /// `--out` (and other folders): absent means the default, but an empty path is a mistake.
    static func validateFolder(_ path: String?, option: String = "--out") throws {
        if let path, path.isEmpty { throw ValidationError("\(option) must not be empty (omit it for the default folder)") }
    }
}

/// The default output folder: `Output/` of the minusma project when run inside it, else the
/// current folder.
enum OutputFolder {
    static func currentDirectory() -> String? {
        guard let pointer = getcwd(nil, 0) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    static func `default`() -> String {
        guard var dir = currentDirectory() else { return "." }
        while true {
            if access(dir + "/Package.swift", F_OK) == 0, access(dir + "/Data/minusma-sites.csv", F_OK) == 0 {
                return dir + "/Output"
            }
            guard let slash = dir.lastIndex(of: "/"), dir != "/" else { return "." }
            dir = slash == dir.startIndex ? "/" : String(dir[..<slash])
        }
    }

    /// A path relative to the current folder when it is inside it, for messages.
    static func display(_ path: String) -> String {
        if path.hasPrefix("./") { return String(path.dropFirst(2)) }
        guard let cwd = currentDirectory() else { return path }
        if path.hasPrefix(cwd + "/") { return String(path.dropFirst(cwd.count + 1)) }
        return path
    }
}
