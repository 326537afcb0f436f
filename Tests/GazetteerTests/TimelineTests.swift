import Testing
@testable import Gazetteer

@Suite struct TimelineTests {
    @Test func monthlyStepsMatchTheGazetteer() throws {
        let g = try Gazetteer.builtIn()
        let t = Timeline(sites: g.sites, step: .month)
        #expect(t.entries.count == 17, "July 2023 to November 2024")
        #expect(t.entries.first?.date.description == "2023-07-01" && t.entries.last?.date.description == "2024-11-01")
        #expect(t.entries.reduce(0) { $0 + $1.closed.count } == 13, "every site closes in exactly one step")
        let closuresByMonth = t.entries.filter { !$0.closed.isEmpty }.map { "\($0.date.year)-\($0.date.month):\($0.closed.count)" }
        #expect(closuresByMonth == ["2023-8:4", "2023-10:4", "2023-11:1", "2023-12:2", "2024-7:1", "2024-11:1"])
        #expect(t.entries.map(\.open.count) == [13, 13, 9, 9, 5, 4, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1])
        // Open on a step's first day = open on the previous first day minus that step's closures.
        for (a, b) in zip(t.entries, t.entries.dropFirst()) {
            #expect(b.open.count == a.open.count - a.closed.count)
        }
    }

    @Test func weeklyStepsCoverTheWithdrawal() throws {
        let t = Timeline(sites: try Gazetteer.builtIn().sites, step: .week)
        #expect(t.entries.first?.date.description == "2023-07-01")
        #expect(t.entries.reduce(0) { $0 + $1.closed.count } == 13)
        let last = try #require(t.entries.last)
        #expect(last.date <= Timeline.withdrawalEnd && Timeline.withdrawalEnd < last.end)
    }
}

/// Day arithmetic at the ends of the calendar: years 1 and 9999 come from files, and stepping past
/// them must neither trap nor loop.
@Suite struct CalendarEdgeTests {
    @Test func steppingPastTheLastDayClampsOrReturnsNil() throws {
        let last = try #require(CalendarDate("9999-12-31"))
        #expect(last == CalendarDate.latest)
        #expect(last.adding(months: 1) == .latest, "clamped, no trap")
        #expect(last.adding(days: 1) == .latest)
        #expect(last.advanced(byMonths: 1) == nil && last.advanced(byDays: 1) == nil)
        #expect(try #require(CalendarDate("9999-12-01")).advanced(byMonths: 1) == nil)
        #expect(CalendarDate("9999-11-30")?.advanced(byMonths: 1)?.description == "9999-12-30")
        #expect(CalendarDate("9999-12-30")?.advanced(byDays: 1) == .latest)
        #expect(CalendarDate.earliest.adding(days: -1) == .earliest && CalendarDate.earliest.adding(months: -1) == .earliest)
        #expect(CalendarDate.earliest.advanced(byMonths: -1) == nil)
        #expect(last.adding(days: Int.max) == .latest && last.adding(months: Int.max) == .latest, "no overflow")
        #expect(CalendarDate.earliest.adding(days: Int.min) == .earliest && CalendarDate.earliest.adding(months: Int.min) == .earliest)
        #expect(CalendarDate(daysSinceEpoch: Int.max) == nil && CalendarDate(daysSinceEpoch: -10_000_000) == nil)
    }

    @Test func aTimelineThroughTheLastDayEnds() throws {
        var s = Site(id: "far", name: "Far")
        s.closureDate = CalendarDate.latest
        let t = Timeline(sites: [s], step: .month, start: try #require(CalendarDate("9998-11-01")))
        #expect(t.entries.count == 14, "9998-11 ... 9999-12")
        #expect(t.entries.last?.date.description == "9999-12-01")
        #expect(t.entries.reduce(0) { $0 + $1.closed.count } == 1, "the closure on 9999-12-31 is in the last step")
        let weeks = Timeline(sites: [s], step: .week, start: try #require(CalendarDate("9999-12-01")))
        #expect(weeks.entries.count == 5 && weeks.entries.last?.end == .latest)
    }
}
