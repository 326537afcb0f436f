import Testing
@testable import Gazetteer
import MinusmaData
#if canImport(Glibc)
import Glibc
#endif

/// The 13 built-in sites load with the values of Data/minusma-sites.csv.
@Suite struct BuiltInDataTests {
    @Test func thirteenSitesInClosureOrder() throws {
        let g = try Gazetteer.builtIn()
        #expect(g.sites.count == 13)
        #expect(g.sites.map(\.closureOrder) == Array(1...13).map { Optional($0) })
        #expect(g.sitesInClosureOrder.first?.id == "ogossagou-tob")
        #expect(g.sitesInClosureOrder.first?.closureDate == CalendarDate(year: 2023, month: 8, day: 3))
        #expect(g.sitesInClosureOrder.last?.id == "bamako-hq")
        #expect(g.sitesInClosureOrder.last?.closureDate == CalendarDate(year: 2024, month: 11, day: 15))
        #expect(g.report.errorCount == 0 && g.report.warningCount == 0)
        #expect(g.latestDate == CalendarDate(year: 2024, month: 11, day: 15))
    }

    struct Expected: Sendable {
        let id: String
        let lon, lat: Double
        let uncertainty: Double
        let handover: String?
        let departure: String?
        let closure: String
        let phase: Phase
    }

    // Values as written in Data/minusma-sites.csv.
    static let expected: [Expected] = [
        Expected(id: "ogossagou-tob", lon: -3.5706, lat: 13.9583, uncertainty: 2000, handover: "2023-08-03", departure: "2023-08-04", closure: "2023-08-03", phase: .one),
        Expected(id: "tessalit", lon: 0.98889, lat: 20.25361, uncertainty: 1800, handover: nil, departure: "2023-10-21", closure: "2023-10-21", phase: .two),
        Expected(id: "kidal", lon: 1.41351, lat: 18.42801, uncertainty: 1000, handover: nil, departure: "2023-10-31", closure: "2023-10-31", phase: .two),
        Expected(id: "douentza", lon: -2.95296, lat: 15.00687, uncertainty: 4000, handover: "2023-10-21", departure: nil, closure: "2023-10-21", phase: .two),
        Expected(id: "mopti-sevare", lon: -4.0902, lat: 14.51702, uncertainty: 300, handover: "2023-12-08", departure: "2023-12-08", closure: "2023-12-08", phase: .two),
        Expected(id: "gao", lon: -0.0194, lat: 16.2472, uncertainty: 1000, handover: "2024-07-22", departure: nil, closure: "2024-07-22", phase: .liquidation),
        Expected(id: "bamako-hq", lon: -7.9499, lat: 12.5335, uncertainty: 3000, handover: "2024-11-15", departure: nil, closure: "2024-11-15", phase: .liquidation),
    ]

    @Test(arguments: expected)
    func siteMatchesTheDataFile(_ e: Expected) throws {
        let site = try #require(try Gazetteer.builtIn().sites.first { $0.id == e.id })
        #expect(site.position == GeoPosition(longitude: e.lon, latitude: e.lat))
        #expect(site.coordUncertaintyM == e.uncertainty)
        #expect(site.handoverDate?.description == e.handover)
        #expect(site.lastDepartureDate?.description == e.departure)
        #expect(site.closureDate?.description == e.closure)
        #expect(site.phase == e.phase)
        #expect(!site.dateSources.isEmpty && !site.coordSources.isEmpty)
    }

    @Test func namesKeepTheirAccents() throws {
        let g = try Gazetteer.builtIn()
        #expect(g.site(named: "menaka")?.name == "Ménaka")
        #expect(g.site(named: "Mopti-Sévaré")?.id == "mopti-sevare")
        #expect(g.site(named: "timbuktu")?.id == "tombouctou")
        #expect(g.site(named: "bamako")?.id == "bamako-hq")
        #expect(g.site(named: "nowhere") == nil)
    }

    /// Aguelhok, Kidal and Tessalit had no formal handover: the field is empty, and the map
    /// closure date falls back to the departure.
    @Test func sitesWithoutHandover() throws {
        let none = try Gazetteer.builtIn().sites.filter { $0.handoverDate == nil }.map(\.id)
        #expect(none == ["tessalit", "aguelhok", "kidal"])
    }

    @Test func asOfSelectsTheSitesStillOpen() throws {
        let g = try Gazetteer.builtIn()
        func open(_ d: String) -> Int { g.sites.filter(SiteFilter(openOn: CalendarDate(d)!).matches).count }
        #expect(open("2023-08-01") == 13)
        #expect(open("2023-08-03") == 12, "a site is closed on its closure day")
        #expect(open("2023-11-01") == 5)
        #expect(open("2024-11-14") == 1)
        #expect(open("2024-12-01") == 0)
    }

    /// The binary embeds exactly the bytes of Data/minusma-sites.csv.
    @Test func embeddedCopyEqualsTheDataFile() throws {
        let path = String(#filePath.split(separator: "/").dropLast(3).joined(separator: "/"))
        guard let f = fopen("/" + path + "/Data/minusma-sites.csv", "rb") else {
            Issue.record("cannot open Data/minusma-sites.csv from \(path)")
            return
        }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var c = fgetc(f)
        while c != EOF { bytes.append(UInt8(c)); c = fgetc(f) }
        #expect(bytes == Array(BundledData.sitesCSV.utf8))
    }
}
