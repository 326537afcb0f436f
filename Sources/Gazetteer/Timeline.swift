/// The withdrawal step by step: for each step's first day, the sites open that day and the sites
/// that closed during the step. "Open on D" means what `--as-of D` selects: not yet closed (the
/// closure date is after D) and, when the opening date is known, already open.
public struct Timeline: Sendable {
    public enum Step: String, Sendable, CaseIterable {
        case week
        case month
    }

    public struct Entry: Sendable, Equatable {
        /// The step's first day.
        public let date: CalendarDate
        /// The day after the step's last day.
        public let end: CalendarDate
        /// Sites open on `date`.
        public let open: [Site]
        /// Sites whose closure date falls in [date, end).
        public let closed: [Site]
    }

    /// 1 July 2023: the withdrawal began the day after Resolution 2690 (30 June 2023) ended the mandate.
    public static let withdrawalStart = CalendarDate(year: 2023, month: 7, day: 1)!
    /// 15 November 2024: the Bamako headquarters were handed over, the end of the liquidation.
    public static let withdrawalEnd = CalendarDate(year: 2024, month: 11, day: 15)!
    /// 1 July 2013: MINUSMA took over from AFISMA; the start of every site's time span when its
    /// opening day is unknown.
    public static let missionStart = CalendarDate(year: 2013, month: 7, day: 1)!

    public let entries: [Entry]

    /// Steps from `start` until the step holding `through` (by default the last closure, or the
    /// end of the withdrawal when no site has closed).
    public init(sites: [Site], step: Step, start: CalendarDate = Timeline.withdrawalStart, through: CalendarDate? = nil) {
        let last = through ?? sites.compactMap(\.closureDate).max() ?? Timeline.withdrawalEnd
        var entries: [Entry] = []
        var date = start
        while date <= last {
            // The last step of year 9999 ends on 9999-12-31 (a clamped step would never pass it).
            let following = step == .week ? date.checkedAdding(days: 7) : date.checkedAdding(months: 1)
            let next = following ?? .latest
            let open = sites.filter { $0.isOpen(on: date) }
            // A closure on 9999-12-31 belongs to the last step, whose end cannot be the day after.
            let closed = sites.filter { site in site.closureDate.map { $0 >= date && ($0 < next || next == .latest) } ?? false }
            entries.append(Entry(date: date, end: next, open: open, closed: closed))
            guard let following else { break }
            date = following
        }
        self.entries = entries
    }
}
