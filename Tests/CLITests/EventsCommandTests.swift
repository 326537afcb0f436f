import Foundation
import Testing
import TestSupport

/// `minusma show SITE` with its events and contingents, and `minusma events` with its filters,
/// against counts computed here from Data/events.csv.
@Suite struct EventsCommandTests {
    /// The dates of the event lines of `show`'s events section, in the order printed.
    static func eventDates(_ show: String) -> [String] {
        guard let start = show.range(of: "\nEvents, in date order") else { return [] }
        let section = show[start.upperBound...].components(separatedBy: "\nContingents")[0]
        return section.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("  2"), !line.hasPrefix("   ") else { return nil }
            return String(line.dropFirst(2).prefix(10))
        }
    }

    @Test func showKidalPrintsItsEventsInDateOrderWithSources() throws {
        let r = try TestSupport.minusma(["show", "kidal"])
        #expect(r.status == 0, "\(r.stderr)")
        let events = try EventsFile.events().filter { $0.site == "kidal" }
        let dates = Self.eventDates(r.stdout)
        #expect(dates.count == events.count && events.count == 17, "\(dates)")
        #expect(dates == events.map(\.date).sorted(), "date order: \(dates)")
        // Three known events: the departure and the CSP-PSD's seizure of 31 Oct, the army's retaking of 14 Nov;
        // each printed after its date line with its sources.
        for id in ["kidal-2023-10-31-departure", "kidal-2023-10-31-seizure", "kidal-2023-11-14-takeover"] {
            let event = try #require(events.first { $0.id == id })
            let kind = event.kind
            let heading = try #require(r.stdout.range(of: "  \(event.date)  \(kind),"), "\(id)")
            for source in event.sources {
                let at = try #require(r.stdout.range(of: "      - \(source)\n", range: heading.upperBound..<r.stdout.endIndex), "\(id): \(source)")
                #expect(at.lowerBound > heading.lowerBound)
            }
        }
        let seizure = try #require(r.stdout.range(of: "2023-10-31  seizure, CSP-PSD"))
        let takeover = try #require(r.stdout.range(of: "2023-11-14  takeover, FAMa+Wagner"))
        #expect(seizure.lowerBound < takeover.lowerBound, "the CSP-PSD took the camp before the army retook Kidal")
        #expect(r.stdout.contains("Contingents by year") && r.stdout.contains("Chad"), "contingents listed")
        #expect(r.stdout.contains("Sources of the contingents:\n  - "))
    }

    @Test func showOfAUsersSiteHasNoEvents() throws {
        let r = try TestSupport.minusma(["show", "--data", TestSupport.path("Tests/Fixtures/health-centres.csv"), "hc-001"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("(hc-001)") && !r.stdout.contains("Events,") && !r.stdout.contains("Contingents"))
    }

    /// A user's site shows the rows of its own columns, none of MINUSMA's model that its file lacks.
    @Test func showOfAUsersSiteListsItsOwnColumnsOnly() throws {
        for lang in ["en", "fr"] {
            let r = try TestSupport.minusma(["show", "--data", TestSupport.path("Tests/Fixtures/health-centres.csv"), "hc-001", "--lang", lang])
            #expect(r.status == 0, "\(r.stderr)")
            for label in ["last contingent", "cercle", "closure order", "English name", "handover", "date confidence",
                          "dernier contingent", "ordre de fermeture", "nom anglais", "rétrocession"] {
                #expect(!r.stdout.contains("  \(label) "), "no '\(label)' row for a file without that column (\(lang)): \(r.stdout)")
            }
            #expect(r.stdout.contains("  id ") && r.stdout.contains("  population "), "its own columns are there: \(r.stdout)")
        }
    }

    /// `N of 84 events` from the footer.
    static func listed(_ arguments: [String]) throws -> Int? {
        let r = try TestSupport.minusma(["events"] + arguments)
        #expect(r.status == 0, "\(arguments): \(r.stderr)")
        guard let line = r.stdout.split(separator: "\n").last(where: { $0.contains(" of 84 events") }) else { return nil }
        return Int(line.split(separator: " ")[0])
    }

    @Test func filtersGiveTheCountsOfTheDataFile() throws {
        let events = try EventsFile.events()
        #expect(try Self.listed([]) == events.count)
        #expect(try Self.listed(["--site", "kidal"]) == events.filter { $0.site == "kidal" }.count)
        #expect(try Self.listed(["--site", "Tombouctou"]) == events.filter { $0.site == "tombouctou" }.count)
        #expect(try Self.listed(["--kind", "attack_on_convoy"]) == events.filter { $0.kind == "attack_on_convoy" }.count)
        let november = events.filter { $0.date >= "2023-11-01" && $0.date <= "2023-11-30" }
        #expect(try Self.listed(["--between", "2023-11-01", "2023-11-30"]) == november.count)
        #expect(try Self.listed(["--between", "2023-11-01", "2023-11-30", "--kind", "takeover", "--site", "kidal"])
                == november.filter { $0.kind == "takeover" && $0.site == "kidal" }.count)
        #expect(try Self.listed(["--between", "2023-11-14", "2023-11-14"]) == events.filter { $0.date == "2023-11-14" }.count)
    }

    @Test func theTableIsInDateOrder() throws {
        let r = try TestSupport.minusma(["events", "--site", "gao"])
        let dates = r.stdout.split(separator: "\n").dropFirst(2).compactMap { line -> String? in
            line.first == "2" ? String(line.prefix(10)) : nil
        }
        let gao = try EventsFile.events().filter { $0.site == "gao" }.count
        #expect(dates == dates.sorted() && dates.count == gao, "\(dates)")
    }

    @Test func wrongArgumentsAndEmptyResults() throws {
        let unknown = try TestSupport.minusma(["events", "--site", "timbuktoo"])
        #expect(unknown.status == 64 && unknown.stderr.contains("known ids: ogossagou-tob, ber,"), "\(unknown.stderr)")
        let reversed = try TestSupport.minusma(["events", "--between", "2023-12-01", "2023-11-01"])
        #expect(reversed.status == 64 && reversed.stderr.contains("the first date must not be after the second"))
        let badDate = try TestSupport.minusma(["events", "--between", "2023-02-30", "2023-11-01"])
        #expect(badDate.status == 64 && badDate.stderr.contains("2023-02-30"))
        let oneDate = try TestSupport.minusma(["events", "--between", "2023-02-01"])
        #expect(oneDate.status == 64)
        let kind = try TestSupport.minusma(["events", "--kind", "coup"])
        #expect(kind.status == 64 && kind.stderr.contains("attack_on_convoy"))
        let dir = try TestSupport.temporaryFolder("minusma-events-none")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let none = try TestSupport.minusma(["events", "--site", "gao", "--kind", "seizure", "--format", "geojson", "--out", dir])
        #expect(none.status == 3 && none.stderr.contains("no event matches"), "\(none.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty, "nothing written")
    }

    @Test(arguments: ["geojson", "csv", "kml", "gpkg"])
    func theListedEventsExportInAnyFormat(_ format: String) throws {
        if let missing = TestSupport.requireTool("ogrinfo") { Issue.record(Comment(rawValue: missing)); return }
        let dir = try TestSupport.temporaryFolder("minusma-events-export")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try TestSupport.minusma(["events", "--site", "kidal", "--format", format, "--out", dir, "--name", "kidal-events"])
        #expect(r.status == 0, "\(r.stderr)")
        let expected = try EventsFile.events().filter { $0.site == "kidal" }
        let features = try OGR.features(dir + "/kidal-events.\(format)", layer: format == "gpkg" ? "kidal_events" : nil)
        #expect(features.map { $0.fields["event_id"] ?? "" }.sorted() == expected.map(\.id).sorted())
    }
}
