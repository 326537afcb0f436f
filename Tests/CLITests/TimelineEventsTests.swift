import Foundation
import Testing
import TestSupport

/// `minusma timeline`'s table counts each step's events, as computed here from Data/events.csv.
@Suite struct TimelineEventsTests {
    @Test func eachMonthCountsItsEvents() throws {
        let r = try TestSupport.minusma(["timeline", "--no-layers"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.first)
        #expect(header.contains("events") && header.contains("event kinds"))
        let eventsColumn = try #require(header.range(of: "events")).lowerBound
        let events = try EventsFile.events()
        var counted = 0
        for line in lines.dropFirst(2) where line.first == "2" {
            let month = String(line.prefix(7))   // YYYY-MM: the step is the whole month
            let expected = events.filter { $0.date.hasPrefix(month) }
            let cell = line[eventsColumn...].split(separator: " ").first.map(String.init)
            #expect(cell == String(expected.count), "\(month): \(line)")
            counted += expected.count
            if month == "2023-11" {
                let takeovers = expected.filter { $0.kind == "takeover" }.count
                #expect(line.contains("\(takeovers) takeover"), "the Kidal takeovers of 14 Nov: \(line)")
            }
        }
        #expect(r.stdout.contains("\(counted) of \(events.count) events"), "\(lines.last ?? "")")
    }

    @Test func aUsersTimelineHasNoEvents() throws {
        let r = try TestSupport.minusma(["timeline", "--no-layers", "--data", TestSupport.path("Tests/Fixtures/health-centres.csv")])
        #expect(r.status == 0, "\(r.stderr)")
        // (The fixture's path may itself hold the word, so only the table and its counts are checked.)
        let header = r.stdout.split(separator: "\n").first ?? ""
        #expect(!header.contains("event") && !r.stdout.contains(" events (Data/events.csv)"), "\(header)")
    }
}
