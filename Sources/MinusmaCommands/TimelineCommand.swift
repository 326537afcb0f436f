import ArgumentParser
import Exporters
import Gazetteer

struct TimelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "The withdrawal step by step: a table of sites open and closed, and one snapshot layer per step.",
        discussion: """
        For tools without a time slider. Each step starts on its first day (the 1st of the month, or every 7 days \
        from --from: by default 1 July 2023 for the built-in sites, the 1st of the month of the first closure for \
        a file of yours) and its layer holds the sites open that day, as 'minusma export --as-of' selects them. \
        The table lists, for each step, the sites open on its first day and those that closed during the step \
        (and, for the built-in sites, the number and kinds of the events of Data/events.csv in the step).

        Files (WGS 84), for any format of 'minusma formats':
          --format gpkg      <name>.gpkg, one layer per step (open_YYYY_MM_DD) with the Natural Earth base map
          --format geojson   <name>-YYYY-MM-DD.geojson, one file per step (likewise kml, csv)

        Examples:
          minusma timeline
          minusma timeline --step week --format gpkg --out /tmp/steps
          minusma timeline --no-layers              # the table only
        """
    )

    @Option(name: .long, help: ArgumentHelp("The length of a step.", valueName: "step"))
    var step: Timeline.Step = .month

    @Option(name: .long, help: ArgumentHelp("The format of the snapshot layers ('minusma formats' lists them).", valueName: "format"))
    var format: SingleFormat = SingleFormat(argument: "geojson")!

    @Option(name: .long, help: ArgumentHelp("The folder to write into (it must exist).", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Base name of the files (default: minusma-timeline, or your data file's name and -timeline).", valueName: "name"))
    var name: String?

    @Option(name: .long, help: ArgumentHelp("First step (default: 2023-07-01 for the built-in sites, else the month of the first closure).", valueName: "date"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Last day to cover (default the last closure).", valueName: "date"))
    var to: String?

    @Flag(name: .long, help: "Print the table only; write no layers.")
    var noLayers = false

    @OptionGroup var text: LayerTextOptions
    @OptionGroup var data: DataOptions
    @OptionGroup var lang: LanguageOption

    /// More steps than anyone reads: a table of 200 years of weeks.
    static let maximumSteps = 10_000

    func validate() throws {
        if let name { try OutputName.validate(name) }
        try OutputName.validateFolder(out)
    }

    func run() throws {
        let stepKind = step
        let gazetteer = try data.load()
        let firstClosure = gazetteer.sites.compactMap(\.closureDate).min()
        let defaultStart = data.usesBuiltIn ? Timeline.withdrawalStart
            : firstClosure.flatMap { CalendarDate(year: $0.year, month: $0.month, day: 1) } ?? Timeline.withdrawalStart
        let start = try from.map { try FilterOptions.date($0, option: "--from") } ?? defaultStart
        let through = try to.map { try FilterOptions.date($0, option: "--to") }
        if let through, through < start {
            throw CommandFailure(.usage, "--to \(through) is before --from \(start)")
        }
        let last = through ?? gazetteer.sites.compactMap(\.closureDate).max() ?? start
        let days = start.days(to: last)
        let steps = stepKind == .week ? days / 7 + 1 : (last.year - start.year) * 12 + last.month - start.month + 1
        if steps > Self.maximumSteps {
            throw CommandFailure(.usage, "\(start) to \(last) in \(stepKind.rawValue)s is \(steps) steps; at most \(Self.maximumSteps) are written (give --from and --to, or --step month)")
        }
        let timeline = Timeline(sites: gazetteer.sites, step: stepKind, start: start, through: last)

        let language = lang.language
        let fr = language == .fr
        // The built-in data's events of each step; a user's gazetteer has none.
        let events = data.usesBuiltIn ? try TimelineEvents.builtIn() : nil
        var columns: [(String, TextTable.Alignment)] = fr
            ? [("étape", .left), ("ouverts", .right), ("fermés dans l’étape", .right), ("fermetures", .left)]
            : [("step", .left), ("open", .right), ("closed in step", .right), ("closures", .left)]
        if events != nil { columns += fr ? [("événements", .right), ("types d’événements", .left)] : [("events", .right), ("event kinds", .left)] }
        var table = TextTable(columns)
        for entry in timeline.entries {
            let closures = entry.closed.compactMap { site in site.closureDate.map { (date: $0, site: site) } }
            let names = closures.sorted { ($0.date, $0.site.line) < ($1.date, $1.site.line) }
                .map { "\($0.site.name) (\(DateWording.dayAndMonth($0.date, language)))" }
            var row = [entry.date.description, String(entry.open.count), String(entry.closed.count), names.joined(separator: ", ")]
            if let step = events?.inStep(entry) { row += [String(step.count), TimelineEvents.kinds(step)] }
            table.add(row)
        }
        var text = table.render()
        let total = timeline.entries.reduce(0) { $0 + $1.closed.count }
        let eventTotal = events.map { e in timeline.entries.reduce(0) { $0 + e.inStep($1).count } }
        if fr {
            let steps = stepKind == .week ? "semaine" : "mois"
            let plural = timeline.entries.count == 1 || stepKind == .month ? "" : "s"
            let eventText = eventTotal.map { ", \($0) des \(events?.events.count ?? 0) événements (Data/events.csv)" } ?? ""
            text += "\(timeline.entries.count) \(steps)\(plural) depuis le \(start.longDescription(language)), \(total) fermeture\(total == 1 ? "" : "s")\(eventText)"
                + "\(Punctuation.semicolon(language))source\(Punctuation.colon(language))\(gazetteer.source)\n"
        } else {
            let eventText = eventTotal.map { ", \($0) of \(events?.events.count ?? 0) events (Data/events.csv)" } ?? ""
            text += "\(timeline.entries.count) \(stepKind.rawValue)s from \(start), \(total) closure\(total == 1 ? "" : "s")\(eventText); source: \(gazetteer.source)\n"
        }
        if !noLayers {
            let directory = out ?? OutputFolder.default()
            let files: [String]
            let name = self.name ?? data.outputName(builtIn: "minusma-timeline", suffix: "-timeline")
            let layerText = SiteLayer.Text(name: name, title: self.text.title, defaultTitle: data.defaultTitle,
                                           sourceDescription: ExportCommand.sourceDescription(gazetteer, dataPath: data.data, language: language),
                                           attribution: self.text.attribution, language: language)
            do {
                files = try TimelineExporter.write(timeline, schema: gazetteer.schema, profile: data.profile, format: format.format,
                                                   directory: directory, baseName: name, text: layerText)
            } catch { throw CommandFailure.from(error) }
            if format.format.holdsSeveralLayers {
                text += "Wrote \(OutputFolder.display(files.first ?? "")) with \(timeline.entries.count) layers (open_YYYY_MM_DD).\n"
            } else {
                let main = files.filter { $0.hasSuffix("." + (format.format.extensions.first ?? "")) }
                text += "Wrote \(timeline.entries.count) \(format.format.name) layers, \(OutputFolder.display(main.first ?? "")) ... \(OutputFolder.display(main.last ?? "")).\n"
            }
        }
        Console.output(text)
        for line in gazetteer.report.lines { Console.error(line) }
    }
}
