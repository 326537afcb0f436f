import ArgumentParser
import Exporters
import Gazetteer

/// `--kind`: the kinds of Data/events.csv, by their words there.
extension EventKind: ExpressibleByArgument {}

struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "List the dated events at the built-in sites (Data/events.csv), and export them in any format.",
        discussion: """
        Events are listed in date order (file order within a day) with their date precision (day, month or \
        approx), site, kind, actor and summary (cut to \(EventsCommand.summaryWidth) characters; 'minusma show SITE' \
        prints them whole, with their sources). Filters combine; --between includes both days.

        With --format, the events listed are also written as a layer (WGS 84) in that format: \
        <name>.geojson and its .qml, .kml, .csv and its sidecars, or .gpkg (table <name> with '-' as '_').

        When no event matches, nothing is written and the status is 3.

        Examples:
          minusma events --site kidal
          minusma events --kind attack_on_convoy
          minusma events --between 2023-10-01 2023-11-30 --kind takeover
          minusma events --site gao --format gpkg --out /tmp/gao
        """
    )

    static let summaryWidth = 80

    @Option(name: .long, help: ArgumentHelp("Only the events of this site (its id or any of its names).", valueName: "site"))
    var site: String?

    @Option(name: .long, help: ArgumentHelp("Only the events of this kind.", valueName: "kind"))
    var kind: EventKind?

    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp(
        "Only the events between two days, both included (YYYY-MM-DD YYYY-MM-DD).", valueName: "from to"))
    var between: [String] = []

    @Option(name: .long, help: ArgumentHelp("Also write the events listed in this format ('minusma formats' lists them).", valueName: "format"))
    var format: SingleFormat?

    @Option(name: .long, help: ArgumentHelp("The folder to write into (it must exist); with --format.", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Base name of the files (default: minusma-events); with --format.", valueName: "name"))
    var name: String?

    @OptionGroup var lang: LanguageOption

    func validate() throws {
        if let name { try OutputName.validate(name) }
        try OutputName.validateFolder(out)
        _ = try range()
    }

    /// The --between days, checked: two dates that exist, the first not after the second.
    func range() throws -> ClosedRange<CalendarDate>? {
        guard !between.isEmpty else { return nil }
        guard between.count == 2 else {
            throw ValidationError("--between takes two dates, FROM and TO (YYYY-MM-DD YYYY-MM-DD); found \(between.count)")
        }
        guard let from = CalendarDate(between[0].trimmingSpaces), let to = CalendarDate(between[1].trimmingSpaces) else {
            let bad = CalendarDate(between[0].trimmingSpaces) == nil ? between[0] : between[1]
            throw ValidationError("--between \(bad): expected a date that exists, as YYYY-MM-DD")
        }
        guard from <= to else { throw ValidationError("--between \(from) \(to): the first date must not be after the second") }
        return from...to
    }

    func run() throws {
        let gazetteer: Gazetteer, events: [SiteEvent]
        do {
            gazetteer = try Gazetteer.builtIn()
            events = try FactReader.builtInEvents()
        } catch { throw CommandFailure.from(error) }
        let siteID = try site.map { try SiteLookup.find($0, in: gazetteer).id }
        let days = try range()
        let chosen = events.enumerated()
            .filter { (_, e) in
                (siteID.map { e.siteID == $0 } ?? true) && (kind.map { e.kind == $0 } ?? true) && (days.map { $0.contains(e.date) } ?? true)
            }
            .sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
        let what = description(siteID: siteID, days: days)
        guard !chosen.isEmpty else {
            Console.error("minusma: notice: no event matches (\(what)); nothing was written")
            throw ExitCode(ExitStatus.emptySelection.rawValue)
        }
        let names = Dictionary(uniqueKeysWithValues: gazetteer.sites.map { ($0.id, $0.name) })
        var table = TextTable([("date", .left), ("precision", .left), ("site", .left), ("kind", .left), ("actor", .left), ("summary", .left)])
        for e in chosen {
            table.add([e.date.description, e.datePrecision.rawValue, names[e.siteID] ?? e.siteID, e.kind.rawValue,
                       Self.cut(e.actor, 40), Self.cut(lang.language == .fr ? e.summaryFR : e.summaryEN, Self.summaryWidth)])
        }
        var text = table.render() + "\(chosen.count) of \(events.count) events (\(what)); source: Data/events.csv\n"
        if let format {
            let files: [String]
            do {
                files = try EventExporter.write(chosen, sites: gazetteer.sites, format: format.format,
                                                directory: out ?? OutputFolder.default(), baseName: name ?? "minusma-events",
                                                language: lang.language)
            } catch { throw CommandFailure.from(error) }
            text += "Wrote \(files.map(OutputFolder.display).joined(separator: ", ")).\n"
        }
        try Console.emit(text)
    }

    func description(siteID: String?, days: ClosedRange<CalendarDate>?) -> String {
        var parts: [String] = []
        if let siteID { parts.append("site \(siteID)") }
        if let kind { parts.append("kind \(kind.rawValue)") }
        if let days { parts.append("between \(days.lowerBound) and \(days.upperBound)") }
        return parts.isEmpty ? "all events" : parts.joined(separator: ", ")
    }

    /// At most `width` characters, with "..." when cut.
    static func cut(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 3)) + "..."
    }
}
