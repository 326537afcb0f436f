/// A day in the proleptic Gregorian calendar, as written in the sources: year, month and day
/// integers with no time and no time zone (a Foundation `Date` is an instant, and converting it to
/// a day can shift it by one depending on the zone).
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// year << 9 | month << 5 | day: four bytes, ordered like the dates (sites carry four dates,
    /// and millions of sites go through an export).
    private let packed: UInt32

    public var year: Int { Int(packed >> 9) }
    public var month: Int { Int((packed >> 5) & 15) }
    public var day: Int { Int(packed & 31) }

    /// Returns nil when the day does not exist (2023-02-30, month 13, ...). Years 1...9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CalendarDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        packed = UInt32(year) << 9 | UInt32(month) << 5 | UInt32(day)
    }

    /// Parses exactly `YYYY-MM-DD`; nil for any other shape or for a day that does not exist.
    public init?(_ text: some StringProtocol) {
        var bytes = [UInt8](text.utf8)
        guard let date = bytes.withUnsafeMutableBufferPointer({ CalendarDate(utf8: UnsafeBufferPointer($0)) })
        else { return nil }
        self = date
    }

    /// Parses exactly ten bytes `YYYY-MM-DD`.
    public init?(utf8 b: UnsafeBufferPointer<UInt8>) {
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
        func digits(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let d = Int(b[i]) - 48
                guard d >= 0, d <= 9 else { return nil }
                value = value * 10 + d
            }
            return value
        }
        guard let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (negative before). Exact integer arithmetic (Howard Hinnant's
    /// days-from-civil algorithm).
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The first and last days a `CalendarDate` holds.
    public static let earliest = CalendarDate(unchecked: 1, 1, 1)
    public static let latest = CalendarDate(unchecked: 9999, 12, 31)

    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        packed = UInt32(year) << 9 | UInt32(month) << 5 | UInt32(day)
    }

    /// The inverse of `daysSinceEpoch`; nil outside the years 1...9999.
    public init?(daysSinceEpoch z0: Int) {
        guard z0 >= CalendarDate.earliest.daysSinceEpoch, z0 <= CalendarDate.latest.daysSinceEpoch else { return nil }
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        packed = UInt32(yoe + era * 400 + (m <= 2 ? 1 : 0)) << 9 | UInt32(m) << 5 | UInt32(d)
    }

    /// `days` days later (earlier when negative); nil past the years 1...9999.
    public func advanced(byDays days: Int) -> CalendarDate? {
        let (sum, overflow) = daysSinceEpoch.addingReportingOverflow(days)
        return overflow ? nil : CalendarDate(daysSinceEpoch: sum)
    }

    /// The same day `months` months later, clamped to the month's last day (Jan 31 + 1 month =
    /// Feb 28/29); nil past the years 1...9999.
    public func advanced(byMonths months: Int) -> CalendarDate? {
        let (index, overflow) = (year * 12 + (month - 1)).addingReportingOverflow(months)
        guard !overflow, index >= 12 else { return nil }
        let y = index / 12, m = index % 12 + 1
        return CalendarDate(year: y, month: m, day: min(day, CalendarDate.daysIn(month: m, year: y)))
    }

    /// `days` days later, kept within the years 1...9999 (for display ranges; loops use
    /// `advanced(byDays:)`, which says when the calendar ends).
    public func adding(days: Int) -> CalendarDate {
        advanced(byDays: days) ?? (days < 0 ? .earliest : .latest)
    }

    /// `months` months later, kept within the years 1...9999.
    public func adding(months: Int) -> CalendarDate {
        advanced(byMonths: months) ?? (months < 0 ? .earliest : .latest)
    }

    /// Days from `self` to `other` (positive when `other` is later).
    public func days(to other: CalendarDate) -> Int { other.daysSinceEpoch - daysSinceEpoch }

    /// 1 = Monday ... 7 = Sunday (ISO 8601).
    public var isoWeekday: Int {
        let w = (daysSinceEpoch % 7 + 7 + 3) % 7  // 1970-01-01 was a Thursday
        return w + 1
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        a.packed < b.packed
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    static var monthNames: [String] { DateWording.englishMonths }

    /// "3 August 2023": for text meant to be read.
    public var longDescription: String { "\(day) \(monthName) \(year)" }

    /// "August".
    public var monthName: String { CalendarDate.monthNames[month - 1] }
    /// "Aug 2023".
    public var monthAbbreviation: String { String(CalendarDate.monthNames[month - 1].prefix(3)) }
}
