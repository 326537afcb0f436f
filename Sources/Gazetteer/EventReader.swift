// Loads and validates the fact files beside the sites: every date exists, every site id is one
// of the gazetteer's, every precision and confidence is a known word, every fact has a source,
// and a contested event carries both versions. Problems use the sites' file:line:field format.

import MinusmaData

public enum FactReader {
    static let eventColumns = ["event_id", "site_id", "date", "date_precision", "kind", "actor", "summary_en",
                               "summary_fr", "casualties", "confidence", "contested", "version_a", "version_b", "sources"]
    static let contingentColumns = ["site_id", "dataset", "year", "country", "troops_estimate", "estimate_basis",
                                    "confidence", "sources"]

    /// The built-in events, checked against the built-in sites.
    public static func builtInEvents() throws(GazetteerError) -> [SiteEvent] {
        try events(csv: BundledData.eventsCSV, file: BundledData.eventsPath, siteIDs: try builtInSiteIDs())
    }

    /// The built-in contingents, checked against the built-in sites.
    public static func builtInContingents() throws(GazetteerError) -> [Contingent] {
        try contingents(csv: BundledData.contingentsCSV, file: BundledData.contingentsPath, siteIDs: try builtInSiteIDs())
    }

    /// Both fact files, checked against the built-in sites read once.
    public static func builtInFacts() throws(GazetteerError) -> (events: [SiteEvent], contingents: [Contingent]) {
        let ids = try builtInSiteIDs()
        return (try events(csv: BundledData.eventsCSV, file: BundledData.eventsPath, siteIDs: ids),
                try contingents(csv: BundledData.contingentsCSV, file: BundledData.contingentsPath, siteIDs: ids))
    }

    static func builtInSiteIDs() throws(GazetteerError) -> Set<String> {
        Set(try Gazetteer.builtIn().sites.map(\.id))
    }

    /// Reads an events file; throws `.rejected` with every problem when any row is wrong.
    public static func events(csv: String, file: String, siteIDs: Set<String>) throws(GazetteerError) -> [SiteEvent] {
        var report = ValidationReport(file: file)
        let table = FactTable(text: csv, file: file, report: &report)
        var events: [SiteEvent] = []
        if let columns = table.columns(eventColumns, report: &report) {
            var seen = Set<String>()
            for row in table.rows {
                let fields = FactRow(file: file, row: row, columns: columns)
                guard let event = event(fields, siteIDs: siteIDs, &report) else { continue }
                if !seen.insert(event.id).inserted {
                    fields.fail("event_id", found: event.id, expected: "an id no other event has", &report)
                }
                events.append(event)
            }
        }
        if report.isRejected { throw .rejected(report) }
        return events
    }

    static func event(_ row: FactRow, siteIDs: Set<String>, _ report: inout ValidationReport) -> SiteEvent? {
        let id = row.required("event_id", &report)
        let site = row.siteID("site_id", known: siteIDs, &report)
        let date = row.date("date", &report)
        let precision = row.choice("date_precision", DatePrecision.self, &report)
        let kind = row.choice("kind", EventKind.self, &report)
        let actor = row.required("actor", &report)
        let summaryEN = row.required("summary_en", &report)
        let summaryFR = row.required("summary_fr", &report)
        let confidence = row.choice("confidence", FactConfidence.self, &report)
        let versions = contestedVersions(row, &report)
        let sources = row.sources("sources", &report)
        guard let id, let site, let date, let precision, let kind, let actor, let summaryEN, let summaryFR,
              let confidence, let versions, let sources else { return nil }
        if precision == .month, date.day != 1 {
            // A month-precise date names its month by its 1st, so sorting and filters never imply a day.
            row.fail("date", found: row.text("date"), expected: "the 1st of the month for date_precision month", &report)
            return nil
        }
        return SiteEvent(id: id, siteID: site, date: date, datePrecision: precision, kind: kind, actor: actor,
                         summaryEN: summaryEN, summaryFR: summaryFR, casualties: row.text("casualties"),
                         confidence: confidence, versions: versions, sources: sources)
    }

    /// `contested` is yes or no; yes needs both versions, no allows neither. The outer nil is a problem.
    static func contestedVersions(_ row: FactRow, _ report: inout ValidationReport)
        -> ((first: String, second: String)?)? {
        guard let flag = row.required("contested", &report) else { return nil }
        let a = row.text("version_a"), b = row.text("version_b")
        switch flag {
        case "yes":
            guard let a, let b else {
                row.fail(a == nil ? "version_a" : "version_b", found: nil,
                         expected: "both versions of the contested fact, each with who says it", &report)
                return nil
            }
            return .some((a, b))
        case "no":
            if a != nil || b != nil {
                row.fail(a != nil ? "version_a" : "version_b", found: a ?? b,
                         expected: "no versions for a fact that is not contested (contested=yes)", &report)
                return nil
            }
            return .some(nil)
        default:
            row.fail("contested", found: flag, expected: "yes or no", &report)
            return nil
        }
    }

    /// Reads a contingents file; throws `.rejected` with every problem when any row is wrong.
    public static func contingents(csv: String, file: String, siteIDs: Set<String>) throws(GazetteerError) -> [Contingent] {
        var report = ValidationReport(file: file)
        let table = FactTable(text: csv, file: file, report: &report)
        var list: [Contingent] = []
        if let columns = table.columns(contingentColumns, report: &report) {
            for row in table.rows {
                if let c = contingent(FactRow(file: file, row: row, columns: columns), siteIDs: siteIDs, &report) {
                    list.append(c)
                }
            }
        }
        if report.isRejected { throw .rejected(report) }
        return list
    }

    static func contingent(_ row: FactRow, siteIDs: Set<String>, _ report: inout ValidationReport) -> Contingent? {
        let site = row.siteID("site_id", known: siteIDs, &report)
        let dataset = row.choice("dataset", ContingentDataset.self, &report)
        let year = row.count("year", optional: false, &report).flatMap { year -> Int? in
            guard let year, (2013...2024).contains(year) else {
                row.fail("year", found: row.text("year"), expected: "a year of the mission, 2013 to 2024", &report)
                return nil
            }
            return year
        }
        let country = row.required("country", &report)
        let troops = row.count("troops_estimate", optional: true, &report)
        let basis = row.required("estimate_basis", &report)
        let confidence = row.choice("confidence", FactConfidence.self, &report)
        let sources = row.sources("sources", &report)
        guard let site, let dataset, let year, let country, let troops, let basis, let confidence, let sources
        else { return nil }
        return Contingent(siteID: site, dataset: dataset, year: year, country: country, troopsEstimate: troops,
                          estimateBasis: basis, confidence: confidence, sources: sources)
    }
}
