/// The selections `minusma export` offers. Every condition given must hold.
public struct SiteFilter: Sendable, Equatable {
    /// Only these phases (nil: any).
    public var phases: Set<Phase>?
    /// Only these regions, matched ignoring case and accents (nil: any).
    public var regions: [String]?
    /// Only the sites still open on this day: not yet closed (closure date after it) and, when
    /// the opening date is known, already open. The map of that day.
    public var openOn: CalendarDate?
    /// Only the sites whose closure date falls in this range, both ends included.
    public var closedBetween: ClosedRange<CalendarDate>?

    public init(phases: Set<Phase>? = nil, regions: [String]? = nil, openOn: CalendarDate? = nil,
                closedBetween: ClosedRange<CalendarDate>? = nil) {
        self.phases = phases
        self.regions = regions
        self.openOn = openOn
        self.closedBetween = closedBetween
        self.regionKeys = regions.map { Set($0.map { TextFolding.key($0) }) }
    }

    private var regionKeys: Set<String>?

    public var isEmpty: Bool { phases == nil && regions == nil && openOn == nil && closedBetween == nil }

    public func matches(_ site: Site) -> Bool {
        if let phases {
            guard let p = site.phase, phases.contains(p) else { return false }
        }
        if let regionKeys {
            guard let r = site.region, regionKeys.contains(TextFolding.key(r)) else { return false }
        }
        if let openOn, !site.isOpen(on: openOn) { return false }
        if let closedBetween {
            guard let c = site.closureDate, closedBetween.contains(c) else { return false }
        }
        return true
    }

    /// The selection in words, for notices ("open on 2024-12-01, phase 2").
    public var description: String {
        var parts: [String] = []
        if let openOn { parts.append("open on \(openOn)") }
        if let closedBetween { parts.append("closed between \(closedBetween.lowerBound) and \(closedBetween.upperBound)") }
        if let phases { parts.append("phase " + phases.sorted().map(\.code).joined(separator: " or ")) }
        if let regions { parts.append("region " + regions.joined(separator: " or ")) }
        return parts.isEmpty ? "all sites" : parts.joined(separator: ", ")
    }
}
