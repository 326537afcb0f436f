import Gazetteer

/// The events of each timeline step, for the built-in data's table: how many fell in the step
/// (its first day included, the next step's first day excluded) and of which kinds.
struct TimelineEvents {
    let events: [SiteEvent]

    static func builtIn() throws -> TimelineEvents {
        do { return TimelineEvents(events: try FactReader.builtInEvents()) } catch { throw CommandFailure.from(error) }
    }

    func inStep(_ entry: Timeline.Entry) -> [SiteEvent] {
        events.filter { $0.date >= entry.date && ($0.date < entry.end || entry.end == .latest) }
    }

    /// "2 takeover, 1 seizure": the kinds by count (most first, then by name).
    static func kinds(_ events: [SiteEvent]) -> String {
        var counts: [String: Int] = [:]
        for e in events { counts[e.kind.rawValue, default: 0] += 1 }
        return counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    }
}
