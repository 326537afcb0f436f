import ArgumentParser
import Gazetteer

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a gazetteer file and list every problem (file, line, field, what was found, what was expected).",
        discussion: """
        Every file must be well-formed CSV with the columns id, name, latitude, longitude; ids unique; dates that \
        exist (YYYY-MM-DD); coordinates in range; departures not before handovers; the closure date equal to the \
        handover (else the departure). Positions outside Mali are warnings. --minusma-rules adds the rules of the \
        built-in data: 13 sites, closure orders 1..13 without gaps in date order, every site in Mali, every fact \
        with its source. The first 20 problems are shown and the rest counted.

        Examples:
          minusma validate                          # the built-in data
          minusma validate --data my-sites.csv
          minusma validate --data corrected.csv --minusma-rules
        """
    )

    @Option(name: .long, help: ArgumentHelp("The file to check ('-' for standard input); the built-in data when omitted.", valueName: "file"))
    var data: String?

    @Flag(name: .long, help: "Apply the MINUSMA rules of the built-in data too.")
    var minusmaRules = false

    func run() throws {
        let gazetteer: Gazetteer
        do {
            if let data {
                gazetteer = try Gazetteer.load(path: data, options: ReadOptions(profile: minusmaRules ? .minusma : .generic))
            } else {
                gazetteer = try Gazetteer.builtIn()
            }
        } catch { throw CommandFailure.from(error) }
        for line in gazetteer.report.lines { Console.error(line) }
        let warnings = gazetteer.report.warningCount
        Console.output("\(gazetteer.source): ok, \(gazetteer.sites.count) sites, \(gazetteer.schema.fields.count + gazetteer.schema.extras.count) columns"
                       + (warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : "") + "\n")
    }
}
