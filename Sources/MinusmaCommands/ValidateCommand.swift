import ArgumentParser
import Exporters
import Gazetteer

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a gazetteer file and list every problem (file, line, field, what was found, what was expected).",
        discussion: """
        The file may be CSV (',', ';' or tab), GeoJSON or a GeoPackage point layer (see 'minusma formats'). \
        Every file must be well-formed, with the columns id, name, latitude, longitude; ids unique; dates that \
        exist (YYYY-MM-DD); coordinates in range; departures not before handovers; the closure date equal to the \
        handover (else the departure). Positions outside Mali are warnings. --minusma-rules adds the rules of the \
        built-in data: 13 sites, closure orders 1..13 without gaps in date order, every site in Mali, every fact \
        with its source. The first 20 problems are shown and the rest counted.

        No value may hold NUL, U+FFFE, U+FFFF or a control character other than tab and line breaks (XML, \
        and so KML, SVG and QGIS files, cannot carry them; SQLite text would stop at NUL); DEL and the C1 \
        controls are allowed, and shown escaped on a terminal. A header may have at most 10,000 columns and \
        1 MiB; a record at most 64 MiB: past that its end is unknown and the file is rejected, even with \
        --skip-invalid. The file is read as a stream, in bounded memory.

        Examples:
          minusma validate                          # the built-in data
          minusma validate --data my-sites.csv
          minusma validate --data centres.gpkg --layer centres
          minusma validate --data corrected.csv --minusma-rules
        """
    )

    @Option(name: .long, help: ArgumentHelp("The file to check ('-' for standard input); the built-in data when omitted.", valueName: "file"))
    var data: String?

    @Option(name: .long, help: ArgumentHelp("The layer to check in a GeoPackage that holds several point layers.", valueName: "name"))
    var layer: String?

    @Option(name: .customLong("data-crs"), help: ArgumentHelp("The CRS of the file's x and y columns when it does not say it.", valueName: "crs"))
    var dataCRS: String?

    @Flag(name: .long, help: "Apply the MINUSMA rules of the built-in data too.")
    var minusmaRules = false

    func run() throws {
        // A stream: nothing but the counts and the report is kept, whatever the size of the file.
        let reader: GazetteerReader
        let report: ValidationReport
        if let data {
            let options = ReadOptions(profile: minusmaRules ? .minusma : .generic)
            do { reader = try InputFormat.open(path: data, options: options, layer: layer, dataCRS: dataCRS) } catch {
                throw CommandFailure.from(error)
            }
        } else {
            do { reader = try GazetteerReader(source: Gazetteer.builtInSource(), options: ReadOptions(profile: .minusma)) } catch {
                throw CommandFailure.from(error)
            }
        }
        do {
            while try reader.next() != nil {}
            report = try reader.finish()
        } catch { throw CommandFailure.from(error) }
        for line in report.lines { Console.error(line) }
        let warnings = report.warningCount
        let format = data == nil || reader.formatDescription == "CSV, comma-separated" ? "" : " (\(reader.formatDescription))"
        try Console.emit("\(reader.displayName)\(format): ok, \(reader.siteCount) sites, \(reader.schema.fields.count + reader.schema.extras.count) columns"
                         + (warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : "") + "\n")
    }
}
