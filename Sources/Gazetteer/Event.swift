// A dated event at a site (Data/events.csv): what happened, who did it, how sure it is, and the
// two versions of a contested fact.

/// How precisely an event's date is known.
public enum DatePrecision: String, CaseIterable, Sendable {
    /// The day is stated by a source.
    case day
    /// Only the month is known; the day in the date is a placeholder (the 1st).
    case month
    /// Within a few days: the sources disagree or are indirect.
    case approx
}

/// How far the sources of one fact agree.
public enum FactConfidence: String, CaseIterable, Sendable {
    case high, medium, low
}

/// What kind of thing happened.
public enum EventKind: String, CaseIterable, Sendable {
    case handover, departure, takeover, seizure, other
    case attackOnConvoy = "attack_on_convoy"
    case attackOnCamp = "attack_on_camp"
    case equipmentDestroyed = "equipment_destroyed"
    case liquidationMilestone = "liquidation_milestone"
}

/// One event of Data/events.csv.
public struct SiteEvent: Sendable, Equatable {
    public let id: String
    public let siteID: String
    public let date: CalendarDate
    public let datePrecision: DatePrecision
    public let kind: EventKind
    public let actor: String
    public let summaryEN: String
    public let summaryFR: String
    /// Casualties as the sources state them; nil when none are reported.
    public let casualties: String?
    public let confidence: FactConfidence
    /// The two versions of a contested fact, both sourced in the summary; nil when not contested.
    public let versions: (first: String, second: String)?
    public let sources: [String]

    public static func == (a: SiteEvent, b: SiteEvent) -> Bool {
        a.id == b.id && a.siteID == b.siteID && a.date == b.date && a.datePrecision == b.datePrecision
            && a.kind == b.kind && a.actor == b.actor && a.summaryEN == b.summaryEN && a.summaryFR == b.summaryFR
            && a.casualties == b.casualties && a.confidence == b.confidence && a.sources == b.sources
            && a.versions?.first == b.versions?.first && a.versions?.second == b.versions?.second
    }
}
