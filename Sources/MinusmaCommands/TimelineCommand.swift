import ArgumentParser
import Exporters
import Gazetteer

struct TimelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "The withdrawal step by step: a table of sites open and closed, and one snapshot layer per step.",
        discussion: """
        For tools without a time slider. Each step starts on its first day (the 1st of the month, or every 7 days \
        from 1 July 2023) and its layer holds the sites open that day, as 'minusma export --as-of' selects them. \
        The table lists, for each step, the sites open on its first day and those that closed during the step.

        Files (WGS 84):
          --format geojson   <name>-YYYY-MM-DD.geojson, one file per step
          --format gpkg      <name>.gpkg, one layer per step (open_YYYY_MM_DD) with the Natural Earth base map

        Examples:
          minusma timeline
          minusma timeline --step week --format gpkg --out /tmp/steps
          minusma timeline --no-layers              # the table only
        """
    )

    @Option(name: .long, help: ArgumentHelp("month or week.", valueName: "step"))
    var step: String = "month"

    @Option(name: .long, help: ArgumentHelp("geojson or gpkg.", valueName: "format"))
    var format: String = "geojson"

    @Option(name: .long, help: ArgumentHelp("The folder to write into (it must exist).", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Base name of the files.", valueName: "name"))
    var name: String = "minusma-timeline"

    @Option(name: .long, help: ArgumentHelp("First step (default 2023-07-01, the start of the withdrawal).", valueName: "date"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Last day to cover (default the last closure).", valueName: "date"))
    var to: String?

    @Flag(name: .long, help: "Print the table only; write no layers.")
    var noLayers = false

    @OptionGroup var data: DataOptions

    func run() throws {
        guard let stepKind = Timeline.Step(rawValue: step.lowercased()) else {
            throw CommandFailure(.usage, "unknown step '\(step)': expected month or week")
        }
        guard let layerFormat = TimelineExporter.Format(rawValue: format.lowercased()) else {
            throw CommandFailure(.usage, "unknown format '\(format)': expected geojson or gpkg")
        }
        let start = try from.map { try FilterOptions.date($0, option: "--from") } ?? Timeline.withdrawalStart
        let through = try to.map { try FilterOptions.date($0, option: "--to") }
        if let through, through < start {
            throw CommandFailure(.usage, "--to \(through) is before --from \(start)")
        }
        let gazetteer = try data.load()
        let timeline = Timeline(sites: gazetteer.sites, step: stepKind, start: start, through: through)

        var table = TextTable([("step", .left), ("open", .right), ("closed in step", .right), ("closures", .left)])
        for entry in timeline.entries {
            let names = entry.closed.sorted { ($0.closureDate!, $0.line) < ($1.closureDate!, $1.line) }
                .map { "\($0.name) (\($0.closureDate!.day) \($0.closureDate!.monthAbbreviation))" }
            table.add([entry.date.description, String(entry.open.count), String(entry.closed.count), names.joined(separator: ", ")])
        }
        var text = table.render()
        let total = timeline.entries.reduce(0) { $0 + $1.closed.count }
        text += "\(timeline.entries.count) \(stepKind.rawValue)s from \(start), \(total) closure\(total == 1 ? "" : "s"); source: \(gazetteer.source)\n"
        if !noLayers {
            let directory = out ?? OutputFolder.default()
            let files: [String]
            do {
                files = try TimelineExporter.write(timeline, schema: gazetteer.schema, format: layerFormat, directory: directory,
                                                   baseName: name, sourceDescription: ExportCommand.sourceDescription(gazetteer, dataPath: data.data))
            } catch { throw CommandFailure.from(error) }
            if layerFormat == .gpkg {
                text += "Wrote \(OutputFolder.display(files[0])) with \(timeline.entries.count) layers (open_YYYY_MM_DD).\n"
            } else {
                text += "Wrote \(files.count) GeoJSON files, \(OutputFolder.display(files.first ?? "")) ... \(OutputFolder.display(files.last ?? "")).\n"
            }
        }
        Console.output(text)
        for line in gazetteer.report.lines { Console.error(line) }
    }
}
