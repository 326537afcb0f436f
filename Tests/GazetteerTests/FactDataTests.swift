import Foundation
import Testing
@testable import Gazetteer
import MinusmaData

/// The built-in events and contingents load, and hold the values of the research files
/// (/work/shared/research/events.csv and geo-pko-minusma.csv) they were carried over from.
@Suite struct FactDataTests {
    static func day(_ text: String) -> CalendarDate? { CalendarDate(text) }

    @Test func eightyFourEventsAtThirteenSites() throws {
        let events = try FactReader.builtInEvents()
        #expect(events.count == 84)
        #expect(Set(events.map(\.siteID)).count == 13)
        #expect(events.filter { $0.siteID == "kidal" }.count == 17)
        #expect(events.filter { $0.datePrecision == .approx }.count == 17)
        #expect(events.filter { $0.datePrecision == .month }.count == 1)
        #expect(events.filter { $0.confidence == .low }.count == 3)
    }

    @Test func eventSpotValues() throws {
        let events = try FactReader.builtInEvents()
        let byID = Dictionary(events.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // The first handover: Ogossagou, 3 Aug 2023, high.
        let ogossagou = try #require(byID["ogossagou-tob-2023-08-03-handover"])
        #expect(ogossagou.confidence == .high && ogossagou.actor == "MINUSMA" && ogossagou.datePrecision == .day)
        // Ber, 11 Aug: FAMa's toll as they state it.
        let ber = try #require(byID["ber-2023-08-11-attack-on-convoy"])
        #expect(ber.casualties == "FAMa: 1 soldier killed, 4 wounded; 4 assailant bodies left (FAMa claim)")
        #expect(ber.confidence == .medium)
        // Gao: Camp Castor on Tuesday 12 Dec 2023, not FAMa's "12 novembre".
        let castor = try #require(byID["gao-2023-12-12-handover"])
        #expect(castor.summaryEN.contains("Camp Castor") && castor.datePrecision == .day)
        #expect(try #require(byID["gao-2024-07-22-handover"]).actor == "UN liquidation team")
        // Ber and Goundam's transfer documents: approximate, both versions.
        let berTransfer = try #require(byID["ber-2023-08-17-handover"])
        #expect(berTransfer.datePrecision == .approx && berTransfer.versions?.second.contains("OCHA") == true)
        #expect(try #require(byID["goundam-2023-08-16-handover"]).versions != nil)
        // Tessalit: the flag ceremony is FAMa's takeover, contested against "no handover".
        let tessalit = try #require(byID["tessalit-2023-10-21-takeover"])
        #expect(tessalit.actor == "FAMa+Wagner" && tessalit.summaryEN.contains("09:00"))
        #expect(tessalit.versions?.second.contains("flag") == true)
        #expect(events.filter { $0.versions != nil }.count == 3)
        #expect(events.filter { $0.siteID == "tessalit" }.count == 9)
    }

    @Test func contingentSpotValues() throws {
        let list = try FactReader.builtInContingents()
        func find(_ site: String, _ dataset: ContingentDataset, _ year: Int, _ country: String) -> Contingent? {
            list.first { $0.siteID == site && $0.dataset == dataset && $0.year == year && $0.country == country }
        }
        #expect(find("ber", .geoPKO, 2023, "Burkina Faso")?.troopsEstimate == 150)
        #expect(find("ber", .radpko, 2019, "Burkina Faso")?.troopsEstimate == 145)
        #expect(find("tessalit", .geoPKO, 2023, "Chad")?.troopsEstimate == 1100)
        #expect(find("douentza", .geoPKO, 2023, "Togo")?.troopsEstimate == 1135)
        #expect(find("gao", .geoPKO, 2024, "Sri Lanka")?.troopsEstimate == 150)
        #expect(find("gao", .geoPKO, 2023, "Germany")?.troopsEstimate == 1100)
        #expect(find("tombouctou", .radpko, 2019, "Sweden")?.troopsEstimate == 251)
        #expect(find("tombouctou", .radpko, 2019, "Cote d'Ivoire")?.troopsEstimate == 169)
        #expect(find("bamako-hq", .geoPKO, 2023, "Tunisia")?.troopsEstimate == 150)
        // Geo-PKO has no Ogossagou row in any year.
        #expect(!list.contains { $0.siteID == "ogossagou-tob" })
        // Geo-PKO's Ménaka total is 500: its four contingents add up to it.
        let menaka = list.filter { $0.siteID == "menaka" && $0.dataset == .geoPKO }.compactMap(\.troopsEstimate)
        #expect(menaka.reduce(0, +) == 500)
    }
}
