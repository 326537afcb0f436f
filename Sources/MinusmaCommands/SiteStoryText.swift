import Gazetteer

/// What `minusma show` prints after a built-in site's fields: its events in date order and its
/// contingents by year, each with its sources.
enum SiteStoryText {
    /// `language` picks the events' summaries (summary_en or summary_fr).
    static func text(siteID: String, language: Language = .en) throws -> String {
        let events: [SiteEvent], contingents: [Contingent]
        do {
            events = try FactReader.builtInEvents()
            contingents = try FactReader.builtInContingents()
        } catch { throw CommandFailure.from(error) }
        return eventsText(events.filter { $0.siteID == siteID }, language: language) + contingentsText(contingents.filter { $0.siteID == siteID })
    }

    /// In date order, file order within a day.
    static func eventsText(_ events: [SiteEvent], language: Language) -> String {
        guard !events.isEmpty else { return "" }
        let ordered = events.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
        var out = "\nEvents, in date order (Data/events.csv):\n"
        for e in ordered {
            let precision = e.datePrecision == .day ? "" : " (\(e.datePrecision.rawValue))"
            out += "\n  \(e.date)\(precision)  \(e.kind.rawValue), \(e.actor); confidence \(e.confidence.rawValue)\n"
            out += ShowCommand.wrap(language == .fr ? e.summaryFR : e.summaryEN, width: 96, indent: "    ")
            if let casualties = e.casualties { out += ShowCommand.wrap("Casualties: " + casualties, width: 96, indent: "    ") }
            if let versions = e.versions {
                out += "    Contested:\n" + ShowCommand.wrap("- " + versions.first, width: 96, indent: "      ")
                    + ShowCommand.wrap("- " + versions.second, width: 96, indent: "      ")
            }
            out += "    Sources:\n" + e.sources.map { "      - \($0)\n" }.joined()
        }
        return out
    }

    /// By year, then dataset and country; the estimates' sources once each.
    static func contingentsText(_ contingents: [Contingent]) -> String {
        guard !contingents.isEmpty else { return "" }
        let ordered = contingents.sorted {
            ($0.year, $0.dataset.rawValue, $0.country) < ($1.year, $1.dataset.rawValue, $1.country)
        }
        var table = TextTable([("year", .left), ("country", .left), ("troops", .right), ("dataset", .left), ("confidence", .left)])
        for c in ordered {
            table.add([String(c.year), c.country, c.troopsEstimate.map { "~\($0)" } ?? "?", c.dataset.rawValue, c.confidence.rawValue])
        }
        var out = "\nContingents by year (Data/contingents.csv; sizes are estimates):\n"
        out += table.render().split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }
            .joined(separator: "\n")
        var seen = Set<String>(), sources: [String] = []
        for c in ordered {
            for s in ["\(c.dataset.rawValue): \(c.estimateBasis)"] + c.sources where seen.insert(s).inserted { sources.append(s) }
        }
        out += "Sources of the contingents:\n" + sources.map { "  - \($0)\n" }.joined()
        return out
    }
}
