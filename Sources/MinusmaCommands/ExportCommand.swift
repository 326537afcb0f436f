#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Exporters
import Gazetteer
import Projection

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the sites as layers in every registered format ('minusma formats').",
        discussion: """
        Files (stable names: 'minusma-sites' for the built-in data, your file's name for --data; --name changes them):
        \(ExportCommand.formatLines)

        For the built-in data, the events of Data/events.csv are written beside the sites (only those of the sites \
        written): minusma-events.geojson/.kml/.csv (with --name N: N-events), and in the GeoPackage the layer \
        minusma_events and the table minusma_contingents, related to the sites. A --data gazetteer gets none.

        A GeoJSON is NOT RFC 7946 in a projected --crs: it then holds metres and the legacy "crs" member that QGIS \
        and GDAL honour (in WGS 84 it is RFC 7946). KML is always WGS 84. With --crs the CSV and the XLSX gain x, y and wkt.

        Folder: --out, else Output/ of the minusma project when run inside it, else the current folder. Every file is \
        written under a temporary name and renamed when complete, so a failure never leaves half a file or destroys \
        the previous one.

        Selections combine: --as-of D keeps the sites still open on D (closure date after D: a site is shown up to \
        and including the day before it closed); --closed-between keeps closures in a range. An empty selection \
        writes nothing, keeps the previous files, says so and exits with status 3; --allow-empty writes valid empty \
        layers instead and exits 0.

        Examples:
          minusma export
          minusma export --format geojson --crs EPSG:32630 --out /tmp/layers
          minusma export --format kml --as-of 2023-11-01 --name open-on-2023-11-01
          minusma export --phase liquidation --region gao,bamako
          minusma export --data events.csv --skip-invalid --format csv --crs UTM
          gunzip -c big.csv.gz | minusma export --data - --format geojson --out /tmp
        """
    )

    /// One line per registered format, for the help.
    static var formatLines: String {
        ExportFormat.writable.map { f in
            "  \(f.name.padding(to: 8)) \(f.title): \(f.fileNames(base: "minusma-sites").joined(separator: ", "))"
        }.joined(separator: "\n")
    }

    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp(
        "The formats to write (repeat or separate with commas; 'minusma formats' lists them).", valueName: "format"))
    var format: [FormatChoice] = [FormatChoice(argument: "all")!]

    @Option(name: .long, help: ArgumentHelp("The folder to write into (it must exist).", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Base name of the files (default: minusma-sites, or your data file's name).", valueName: "name"))
    var name: String?

    var baseName: String { name ?? data.outputName(builtIn: "minusma-sites", suffix: "") }

    @Option(name: .long, help: ArgumentHelp(
        "CRS of the GeoJSON, CSV and GeoPackage coordinates: EPSG:32630, ESRI:102022, a PROJ string, WKT, UTM or UTM:31N. Default: WGS 84 longitude/latitude.",
        valueName: "crs"))
    var crs: String?

    @OptionGroup var text: LayerTextOptions
    @OptionGroup var data: DataOptions
    @OptionGroup var selection: FilterOptions
    @OptionGroup var lang: LanguageOption

    @Flag(name: .long, help: "Also write <name>-excel.csv for spreadsheets: byte-order mark, ';' separators, CRLF line ends, decimal commas, and text cells starting with = + - @ prefixed with ' so they are not run as formulas.")
    var excel = false

    @Flag(name: .long, help: "Add a second row of HXL hashtags (#loc+name, #geo+lat, #date+closed, ...) to the CSV files and the XLSX sheets, for humanitarian data tools.")
    var hxl = false

    @Flag(name: .long, help: "Also write <name>.datapackage.json, a Frictionless Data Package describing the CSV's columns and types.")
    var datapackage = false

    @Option(name: .long, help: ArgumentHelp("The data's licence (an SPDX name such as CC-BY-4.0), stated in the data package and the XLSX About sheet; without it your data's files state none (the built-in data's is CC-BY-4.0).", valueName: "licence"))
    var license: String?

    @Flag(name: .long, help: "Shapefile: write the set as <name>.shp.zip instead of loose files.")
    var zip = false

    @Flag(name: .long, help: "When no site is selected, write valid empty layers and exit 0 (without it, nothing is written, the previous files stay, and the status is 3).")
    var allowEmpty = false

    @Flag(name: .long, help: "No progress messages.")
    var quiet = false

    @Option(name: .long, help: ArgumentHelp("Sites read and transformed together (the output is the same for any size).", visibility: .hidden))
    var batchSize = 4096

    func validate() throws {
        if let name { try OutputName.validate(name) }
        try OutputName.validateFolder(out)
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        let formats = FormatChoice.formats(format)
        let filter = try selection.filter()
        let directory = out ?? OutputFolder.default()

        // The built-in data is small: read it once more for its date and centre.
        var centre = (longitude: GeoBox.mali.center.longitude, latitude: GeoBox.mali.center.latitude)
        let inputIdentity = data.inputIdentity
        var sourceDescription: String
        if data.usesBuiltIn {
            let gazetteer = try data.load()
            centre = DataCentre.of(gazetteer)
            sourceDescription = Self.sourceDescription(gazetteer, dataPath: nil, language: lang.language)
        } else {
            sourceDescription = Self.sourceDescription(nil, dataPath: data.data, language: lang.language)
        }
        if !filter.isEmpty { sourceDescription += Self.selection(filter, language: lang.language) }

        var target: String? = nil
        if let crs {
            let request: CRSRequest
            do { request = try CRSRequest(parsing: crs) } catch { throw CommandFailure.from(error) }
            if request == .utmOfDataCentre, let path = data.data {
                centre = try Self.centre(ofFile: path, readable: data.isRegularFile)
            }
            target = request.resolved(dataCentre: centre)
            let fixed = formats.filter(\.alwaysWGS84)
            if !fixed.isEmpty && !quiet {
                Console.error("minusma: note: \(fixed.map { $0.name.uppercased() }.joined(separator: ", ")) \(fixed.count > 1 ? "are" : "is") always WGS 84; --crs applies to the other formats")
            }
        }

        let reader = try data.reader()
        let inputFormat = data.usesBuiltIn ? ""
            : "\(lang.language == .fr ? ", d’après" : " from") \(reader.displayName) (\(reader.formatDescription))"
        let progress = Progress(enabled: !quiet && Console.stderrIsTerminal)
        var request = ExportRequest(formats: formats, directory: directory, baseName: baseName, filter: filter, targetCRS: target,
                                    title: text.title, defaultTitle: data.defaultTitle, attribution: text.attribution,
                                    sourceDescription: sourceDescription, batchSize: batchSize, excelCSV: excel,
                                    inputIdentity: inputIdentity, progress: progress.update)
        request.allowEmpty = allowEmpty
        request.language = lang.language
        request.options.hxl = hxl
        request.options.dataPackage = datapackage
        request.options.license = license
        request.options.zip = zip
        if data.usesBuiltIn { request.story = try Self.story(name: name, language: lang.language) }
        let outcome: ExportOutcome
        do {
            outcome = try Exporter.run(reader: reader, request: request)
        } catch {
            progress.clear()
            throw CommandFailure.from(error)
        }
        progress.clear()

        for line in outcome.report.lines { Console.error(line) }
        if !quiet { for note in outcome.notes { Console.error("minusma: note: \(note)") } }
        for warning in outcome.crs.warnings(dataExtent: outcome.summary.geographicExtent) {
            Console.error("minusma: warning: \(warning)")
        }
        if outcome.report.skippedRows > 0 {
            Console.error("minusma: skipped \(outcome.report.skippedRows) invalid row\(outcome.report.skippedRows == 1 ? "" : "s") (--skip-invalid)")
        }
        let count = outcome.summary.featureCount
        if outcome.files.isEmpty {
            Console.error("minusma: notice: no site to write (\(filter.description)); nothing was written and the previous files are kept (--allow-empty writes valid empty layers)")
            throw ExitCode(ExitStatus.emptySelection.rawValue)
        }
        let crsName = "\(outcome.crs.name)\(outcome.crs.authority.map { " (\($0))" } ?? "")"
        var text: String
        if lang.language == .fr {
            let events = request.story == nil ? "" : " et \(outcome.eventCount) événement\(outcome.eventCount == 1 ? "" : "s")"
            text = "Écrit\(count == 1 ? "" : "s")\(Punctuation.colon(.fr))\(count) site\(count == 1 ? "" : "s")\(events) (\(filter.description(.fr))) en \(crsName)\(inputFormat)\(Punctuation.colon(.fr).dropLast())\n"
        } else {
            let events = request.story == nil ? "" : " and \(outcome.eventCount) event\(outcome.eventCount == 1 ? "" : "s")"
            text = "Wrote \(count) site\(count == 1 ? "" : "s")\(events) (\(filter.description)) in \(crsName)\(inputFormat):\n"
        }
        for file in outcome.files {
            var st = stat()
            let size = stat(file, &st) == 0 ? Int(st.st_size) : 0
            text += "  \(OutputFolder.display(file).padding(to: 40)) \(Self.size(size))\n"
        }
        Console.output(text)
        if count == 0 {
            Console.error("minusma: notice: no site to write (\(filter.description)); the files are valid empty layers (--allow-empty)")
        }
    }

    /// The built-in events beside the built-in sites (`minusma-events`, or `<name>-events` with
    /// --name), and their contingents (a GeoPackage table `minusma_contingents` related to the sites).
    static func story(name: String?, language: Language) throws -> StoryRequest {
        do {
            let facts = try FactReader.builtInFacts()
            return StoryRequest(events: facts.events, contingents: facts.contingents, language: language,
                                eventsBaseName: name.map { "\($0)-events" } ?? "minusma-events",
                                contingentsName: name.map { "\($0)-contingents" } ?? "minusma-contingents")
        } catch { throw CommandFailure.from(error) }
    }

    /// Where the data comes from, for file metadata and descriptions.
    static func sourceDescription(_ gazetteer: Gazetteer?, dataPath: String?, language: Language = .en) -> String {
        if language == .fr { return frenchSourceDescription(gazetteer, dataPath: dataPath) }
        if let dataPath {
            // The file's name only: the same data gives the same files whatever the path typed.
            let name = dataPath.split(separator: "/").last.map(String.init) ?? dataPath
            return dataPath == "-" ? "Gazetteer read from standard input." : "Gazetteer file \(name)."
        }
        return "The minusma gazetteer (Data/minusma-sites.csv): MINUSMA's 13 sites in Mali, their handover and departure dates, "
            + "coordinates with their uncertainty, and the sources of every fact; data as of \(gazetteer?.latestDate?.description ?? "unknown")."
    }

    static func frenchSourceDescription(_ gazetteer: Gazetteer?, dataPath: String?) -> String {
        if let dataPath {
            let name = dataPath.split(separator: "/").last.map(String.init) ?? dataPath
            return dataPath == "-" ? "Gazetteer lu sur l’entrée standard." : "Fichier de gazetteer \(name)."
        }
        let asOf = gazetteer?.latestDate.map { "données arrêtées au \($0.longDescription(.fr))" } ?? "date des données inconnue"
        return "Le gazetteer minusma (Data/minusma-sites.csv)\(Punctuation.colon(.fr))les 13 sites de la Mission multidimensionnelle intégrée "
            + "des Nations unies pour la stabilisation au Mali (MINUSMA), leurs dates de rétrocession et de départ, leurs coordonnées "
            + "avec leur incertitude, et les sources de chaque fait\(Punctuation.semicolon(.fr))\(asOf)."
    }

    /// " Selection: phase 2." for the layer's description.
    static func selection(_ filter: SiteFilter, language: Language) -> String {
        language == .fr ? " Sélection\(Punctuation.colon(.fr))\(filter.description(.fr))."
            : " Selection: \(filter.description)."
    }

    /// The centre of a user file's positions, by a light first pass (only for --crs UTM).
    static func centre(ofFile path: String, readable: Bool) throws -> (longitude: Double, latitude: Double) {
        // Standard input and named pipes cannot be read twice.
        guard readable else {
            Console.error("minusma: note: --crs UTM with standard input or a pipe uses the UTM zone of Mali's centre (30N); give the zone (UTM:31N) for other data")
            return (GeoBox.mali.center.longitude, GeoBox.mali.center.latitude)
        }
        var box = BoxAccumulator()
        let reader: GazetteerReader
        do { reader = try InputFormat.open(path: path, options: ReadOptions(skipInvalid: true)) } catch { throw CommandFailure.from(error) }
        do {
            while let site = try reader.next() {
                if let p = site.position { box.add(x: p.longitude, y: p.latitude) }
            }
        } catch { throw CommandFailure.from(error) }
        if box.isEmpty { return (GeoBox.mali.center.longitude, GeoBox.mali.center.latitude) }
        return ((box.minX + box.maxX) / 2, (box.minY + box.maxY) / 2)
    }

    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1 << 20 { return "\((bytes * 10 / 1024) / 10).\((bytes * 10 / 1024) % 10) kB" }
        return "\(((bytes * 10) >> 20) / 10).\(((bytes * 10) >> 20) % 10) MB"
    }
}

/// Progress on stderr for long runs: nothing during the first second, then a line updated in
/// place at most four times a second. Only when stderr is a terminal and --quiet is not given.
final class Progress {
    private let enabled: Bool
    private let start = Progress.now()
    private var last = 0.0
    private var shown = false

    init(enabled: Bool) { self.enabled = enabled }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    func update(_ rows: Int) {
        guard enabled else { return }
        let t = Progress.now()
        guard t - start >= 1, t - last >= 0.25 else { return }
        last = t
        shown = true
        var grouped = ""
        for (i, c) in String(rows).reversed().enumerated() {
            if i > 0 && i % 3 == 0 { grouped.append(",") }
            grouped.append(c)
        }
        let rate = Double(rows) / (t - start)
        Console.errorInline("\rminusma: read \(String(grouped.reversed())) rows (\(Int(rate / 1000))k rows/s)")
    }

    func clear() {
        if shown { Console.errorInline("\r\u{1B}[K") }
        shown = false
    }
}
