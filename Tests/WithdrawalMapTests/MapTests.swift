import Foundation
import Testing
@testable import WithdrawalMap
import Gazetteer
import TestSupport

@Suite struct MapTests {
    static func builtIn() throws -> [Site] { try Gazetteer.builtIn().sitesInClosureOrder }

    /// A small fixture: three sites, one of them with accents, quotes and `<&>` in its name.
    static let fixture: [Site] = {
        func site(_ id: String, _ name: String, _ lon: Double, _ lat: Double, _ closed: String, _ order: Int, _ phase: Phase) -> Site {
            var s = Site(id: id, name: name)
            s.position = GeoPosition(longitude: lon, latitude: lat)
            s.closureDate = CalendarDate(closed)
            s.handoverDate = CalendarDate(closed)
            s.closureOrder = order
            s.phase = phase
            return s
        }
        return [
            site("a", "Ménaka \"est\" <&>", 2.4022, 15.9182, "2023-08-25", 1, .one),
            site("b", "Gao", -0.0194, 16.2472, "2024-07-22", 2, .liquidation),
            site("c", "Kidal", 1.41351, 18.42801, "2023-10-31", 3, .two),
        ]
    }()

    @Test func goldenFixture() throws {
        // The fixture is three of MINUSMA's sites, drawn with MINUSMA's words.
        let renderer = try WithdrawalMapRenderer(sites: Self.fixture, source: "test fixture",
                                                 options: MapOptions(wording: .minusma(source: "test fixture")))
        let svg = renderer.svg()
        if let difference = try TestSupport.compareGolden(Data(svg.utf8), "Tests/WithdrawalMapTests/Golden/fixture-map.svg") {
            Issue.record(Comment(rawValue: difference))
        }
        #expect(svg.contains("Ménaka &quot;est&quot; &lt;&amp;&gt;"))
    }

    @Test func deterministic() throws {
        let options = MapOptions(wording: .minusma(source: "Data/minusma-sites.csv"))
        let a = try WithdrawalMapRenderer(sites: Self.builtIn(), source: "Data/minusma-sites.csv", options: options).svg()
        let b = try WithdrawalMapRenderer(sites: Self.builtIn(), source: "Data/minusma-sites.csv", options: options).svg()
        #expect(a == b)
    }

    @Test func everySiteIsLabelledAndLabelsDoNotOverlap() throws {
        let renderer = try WithdrawalMapRenderer(sites: Self.builtIn(), source: "x", options: MapOptions())
        let svg = renderer.svg()
        for site in try Self.builtIn() {
            #expect(svg.contains(">\(WithdrawalMapRenderer.label(site).name)</text>"), "\(site.id) has a label")
        }
        // Every site symbol is inside the frame and inside Mali's bounding box on the page.
        let f = renderer.frame
        for site in try Self.builtIn() {
            let p = try #require(try ProjectedBase(definition: MapOptions.defaultCRS).project([site.position!]).first)
            #expect(f.contains(f.pixel(x: p.0, y: p.1), margin: 10), "\(site.id) inside the frame")
        }
    }

    @Test func asOfShowsTheSitesStillOpen() throws {
        let renderer = try WithdrawalMapRenderer(sites: Self.builtIn(), source: "x", options: MapOptions())
        let svg = renderer.svg(asOf: CalendarDate(year: 2023, month: 11, day: 1))
        #expect(svg.contains("5 of 13 sites still open on 1 November 2023; 8 closed"))
        let sitesGroup = try #require(svg.components(separatedBy: "<g id=\"sites\">").last?.components(separatedBy: "<g id=\"legend\"").first)
        let filled = sitesGroup.components(separatedBy: "stroke=\"#1f1f1f\" stroke-width=\"1.2\"").count - 1
        let rings = sitesGroup.components(separatedBy: "stroke=\"#9a9a9a\"").count - 1
        #expect(filled == 5 && rings == 8, "\(filled) open, \(rings) closed")
    }
}
