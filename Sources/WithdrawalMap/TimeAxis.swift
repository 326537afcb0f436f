import Gazetteer

/// The timeline strip's time range and ticks, from the data's own closure dates: months for spans
/// up to three years, years (every 1, 2, 5, 10... years) for longer ones. Every step is computed
/// from integers or checked, so 9999-12-31 neither traps nor loops.
struct TimeAxis: Equatable {
    struct Tick: Equatable {
        let date: CalendarDate
        /// The label, if this tick has one.
        let label: String?
        /// Where the label's year (or month) ends: labels of single years sit between two ticks.
        let labelEnd: CalendarDate?
    }

    let start: CalendarDate
    let end: CalendarDate
    let ticks: [Tick]

    static let monthlyUpTo = 36

    /// nil when no site has a closure date (there is nothing to draw). `fixedStart` is where a
    /// known story begins (MINUSMA's withdrawal, 1 July 2023); otherwise the first closure's month.
    init?(closures: [CalendarDate], fixedStart: CalendarDate?, width: Double, language: Language = .en) {
        guard let first = closures.min(), let last = closures.max() else { return nil }
        let from = fixedStart.map { min($0, first) } ?? CalendarDate(year: first.year, month: first.month, day: 1) ?? first
        let months = (last.year - from.year) * 12 + last.month - from.month
        if months <= Self.monthlyUpTo {
            start = from
            end = last.adding(months: 1)
            ticks = Self.monthTicks(start: start, end: end, width: width, language: language)
        } else {
            start = CalendarDate(year: from.year, month: 1, day: 1) ?? from
            end = CalendarDate(year: last.year + 1, month: 1, day: 1) ?? .latest
            ticks = Self.yearTicks(start: start, end: end, width: width)
        }
    }

    /// Days from the start to the end, at least one (so positions are never a division by zero).
    var days: Int { max(1, start.days(to: end)) }

    /// A tick on each month; labels every 1, 2, 3 or 6 months, whatever leaves them room.
    private static func monthTicks(start: CalendarDate, end: CalendarDate, width: Double, language: Language) -> [Tick] {
        let count = (end.year - start.year) * 12 + end.month - start.month + 1
        let perMonth = width / Double(max(count, 1))
        let every = [1, 2, 3, 6].first { Double($0) * perMonth >= 48 } ?? 12
        var ticks: [Tick] = []
        var month: CalendarDate? = start
        var index = 0, lastLabelledYear: Int? = nil
        while let m = month, m <= end {
            var label: String? = nil
            if index % every == 0 {
                let month = DateWording.monthAbbreviation(m.month, language)
                label = lastLabelledYear == m.year ? month : "\(month) \(m.year)"
                lastLabelledYear = m.year
            }
            ticks.append(Tick(date: m, label: label, labelEnd: nil))
            month = m.advanced(byMonths: 1)
            index += 1
        }
        return ticks
    }

    /// A tick every 1, 2, 5, 10, 20, 50... years, at most a dozen; single years are labelled
    /// between their ticks, longer steps at them. The first year is always labelled.
    private static func yearTicks(start: CalendarDate, end: CalendarDate, width: Double) -> [Tick] {
        let years = max(1, end.year - start.year)
        let step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000].first { years / $0 <= 12 } ?? 10000
        let perYear = width / Double(years)
        var ticks: [Tick] = []
        for year in start.year...end.year where year % step == 0 || year == start.year {
            guard let date = CalendarDate(year: year, month: 1, day: 1), date <= end else { continue }
            let nextLabelled = year == start.year && year % step != 0 ? (year / step + 1) * step : year + step
            // The first year's own label only when the next tick leaves it room.
            let roomy = Double(nextLabelled - year) * perYear >= 40 || year % step == 0
            let labelEnd = step == 1 ? CalendarDate(year: year + 1, month: 1, day: 1).flatMap { $0 <= end ? $0 : nil } : nil
            let label = roomy && (step > 1 || labelEnd != nil) ? String(year) : nil
            ticks.append(Tick(date: date, label: label, labelEnd: labelEnd))
        }
        return ticks
    }
}
