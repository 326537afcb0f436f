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
