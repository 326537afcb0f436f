import Foundation
import Testing
@testable import WithdrawalMap
import Gazetteer
import TestSupport

/// The map of a gazetteer that is not MINUSMA's: its own words, a legend that fits whatever the
/// number of sites, a timeline over its own dates, and no trap on odd input.
@Suite struct UserDataMapTests {
    static func healthCentres() throws -> Gazetteer {
        try Gazetteer.load(path: TestSupport.path("Tests/Fixtures/health-centres.csv"))
    }

    static func render(_ sites: [Site], source: String = "/data/test-sites.csv", options: MapOptions = MapOptions(),
                       asOf: CalendarDate? = nil) throws -> (WithdrawalMapRenderer, String) {
        let renderer = try WithdrawalMapRenderer(sites: sites, source: source, options: options)
        return (renderer, renderer.svg(asOf: asOf))
    }

    /// `count` invented sites across southern Mali, closing over 2019-2023, with long names.
    static func invented(_ count: Int) -> [Site] {
        (0..<count).map { i in
            var s = Site(id: "s\(i)", name: "Centre de santé communautaire numéro \(i + 1)", line: i + 2)
            s.position = GeoPosition(longitude: -11 + Double(i % 20) * 0.6, latitude: 11 + Double(i / 20) * 0.4)
            s.closureDate = CalendarDate(year: 2019, month: 1, day: 1)?.adding(days: i * 1800 / max(count, 1))
            return s
        }
    }

    @Test func userDataSaysNothingOfMINUSMA() throws {
        let g = try Self.healthCentres()
        let (_, svg) = try Self.render(g.sitesInClosureOrder, source: g.source)
        for word in ["MINUSMA", "withdrawal", "Malian authorities", "UN statements", "handover", "camps"] {
            #expect(!svg.localizedCaseInsensitiveContains(word), "\(word) on a map of health centres")
        }
        #expect(svg.contains("<title>health-centres</title>"))
        #expect(svg.contains("Data: health-centres.csv. Base map: Natural Earth"))
        #expect(svg.contains("54 sites: 52 closed between 1 January 2019 and"))
        #expect(svg.contains("1 with no position (listed, not drawn)"))
        let (_, day) = try Self.render(g.sitesInClosureOrder, source: g.source, asOf: CalendarDate("2021-06-01"))
        #expect(day.contains("<title>health-centres, 1 June 2021</title>"))
    }

    @Test func titleAndAttributionFlagsOverrideAnyWording() throws {
        let wording = MapWording.minusma(source: "Data/minusma-sites.csv").overriding(title: "Camps <closed>", attribution: "Compiled by A. Reporter")
        let (_, svg) = try Self.render(try Gazetteer.builtIn().sitesInClosureOrder, options: MapOptions(wording: wording),
                                       asOf: CalendarDate("2023-11-01"))
        #expect(svg.contains("<title>Camps &lt;closed&gt;, 1 November 2023</title>"))
        #expect(svg.contains("Compiled by A. Reporter. Base map: Natural Earth"))
        #expect(!svg.contains("UN statements") && !svg.contains("MINUSMA&apos;s"))
    }

    @Test(arguments: [13, 54, 300])
    func legendStaysInsideThePageAndAboveTheTimeline(count: Int) throws {
        let (renderer, svg) = try Self.render(Self.invented(count))
        let legend = try SVGGeometry(svg, group: "legend")
        let timeline = try SVGGeometry(svg, group: "timeline")
        let page = (width: WithdrawalMapRenderer.pageWidth, height: renderer.pageHeight)
        let left = renderer.frame.left + renderer.frame.width
        #expect(legend.minX >= left && legend.maxX <= page.width - 4, "legend x \(legend.minX)...\(legend.maxX)")
        #expect(legend.minY >= renderer.frame.top && legend.maxY <= renderer.bodyBottom, "legend y \(legend.minY)...\(legend.maxY)")
        #expect(legend.maxY < timeline.minY, "legend bottom \(legend.maxY), timeline top \(timeline.minY)")
        #expect(timeline.maxY < page.height - 40, "timeline above the credits")
        // Every site listed, or the first ones and a count of the rest.
        let listed = (1...count).filter { svg.contains(">\($0). ") }.count
        if let more = svg.range(of: "… and ") {
            let k = Int(svg[more.upperBound...].prefix { $0.isNumber }) ?? -1
            #expect(listed + k == count && count > 54, "\(listed) listed and \(k) more of \(count)")
        } else {
            #expect(listed == count)
        }
    }

    @Test func timelineSpansTheDataInYears() throws {
        let g = try Self.healthCentres()
        let (_, svg) = try Self.render(g.sitesInClosureOrder, source: g.source)
        let strip = try #require(svg.components(separatedBy: "<g id=\"timeline\"").last?.components(separatedBy: "</g>").first)
        let years = (2015...2026).filter { strip.contains(">\($0)</text>") }
        #expect(years == [2019, 2020, 2021, 2022, 2023])
        #expect(strip.contains("Sites still open, January 2019 to December 2023"))
        #expect(!strip.contains("Jul 2023") && !strip.contains("Phase"))
    }

    @Test func shortSpansGetMonths() throws {
        var sites = Self.invented(4)
        for (i, d) in ["2021-03-05", "2021-04-10", "2021-06-01", "2021-09-30"].enumerated() { sites[i].closureDate = CalendarDate(d) }
        let (_, svg) = try Self.render(sites)
        #expect(svg.contains(">Mar 2021</text>") && svg.contains(">Oct</text>") && !svg.contains(">2021</text>"))
    }

    /// Inputs that used to trap or draw nonsense: each renders a well-formed map with finite numbers.
    @Test func oddInputsRenderWithoutATrap() throws {
        let far = CalendarDate.latest
        var farSites = Self.invented(5)
        farSites[4].closureDate = far
        var noDates = Self.invented(3)
        for i in noDates.indices { noDates[i].closureDate = nil }
        var noPositions = Self.invented(3)
        for i in noPositions.indices { noPositions[i].position = nil }
        var onePoint = Self.invented(6)
        for i in onePoint.indices { onePoint[i].position = GeoPosition(longitude: -8, latitude: 12.6) }
        let cases: [(String, [Site], CalendarDate?)] = [
            ("closure on 9999-12-31", farSites, nil), ("as of 9999-12-31", Self.invented(5), far),
            ("only 9999-12-31", [farSites[4]], far), ("no closure dates", noDates, nil), ("no positions", noPositions, nil),
            ("one site", Array(Self.invented(1)), nil), ("all at one point", onePoint, CalendarDate("2020-01-01")), ("no sites", [], nil),
        ]
        for (name, sites, asOf) in cases {
            let (_, svg) = try Self.render(sites, asOf: asOf)
            let animated = try WithdrawalMapRenderer(sites: sites, source: "x.csv", options: MapOptions()).svg(animated: true)
            for text in [svg, animated] {
                #expect(text.hasSuffix("</svg>\n"), "\(name)")
                #expect(!text.contains("nan") && !text.contains("inf"), "\(name): a coordinate is not finite")
            }
        }
        let (_, none) = try Self.render(noDates)
        #expect(none.contains("No timeline: no site has a closure date") && none.contains("3 sites, none with a closure date"))
        let (_, year9999) = try Self.render(farSites)
        #expect(year9999.contains(">9000</text>") && year9999.contains("to December 9999"))
    }
}

/// The extent of a group of the SVG: texts (by their estimated width and font size), circles,
/// rectangles and lines. Enough to check that parts of the page do not overlap.
struct SVGGeometry {
    var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity

    init(_ svg: String, group: String) throws {
        let body = try #require(svg.components(separatedBy: "<g id=\"\(group)\"").last?.components(separatedBy: "</g>").first)
        let size = Self.number("font-size", in: String(body.prefix { $0 != ">" })) ?? 12
        let element = try NSRegularExpression(pattern: "<(text|circle|rect|line)([^>]*)>(?:([^<]*)</text>)?")
        for m in element.matches(in: body, range: NSRange(body.startIndex..., in: body)) {
            guard let kind = Range(m.range(at: 1), in: body).map({ String(body[$0]) }),
                  let attributes = Range(m.range(at: 2), in: body).map({ String(body[$0]) }) else { continue }
            func n(_ name: String) -> Double { Self.number(name, in: attributes) ?? 0 }
            switch kind {
            case "text":
                guard !attributes.contains("rotate(") else { continue }
                let content = Range(m.range(at: 3), in: body).map { String(body[$0]) } ?? ""
                let fontSize = Self.number("font-size", in: attributes) ?? size
                let width = SVG.width(Self.unescaped(content), size: fontSize, bold: attributes.contains("bold"))
                let x = n("x"), y = n("y")
                let x0 = attributes.contains("\"end\"") ? x - width : attributes.contains("\"middle\"") ? x - width / 2 : x
                add(x0, y - fontSize, x0 + width, y + fontSize * 0.25)
            case "circle": add(n("cx") - n("r"), n("cy") - n("r"), n("cx") + n("r"), n("cy") + n("r"))
            case "rect": add(n("x"), n("y"), n("x") + n("width"), n("y") + n("height"))
            default: add(min(n("x1"), n("x2")), min(n("y1"), n("y2")), max(n("x1"), n("x2")), max(n("y1"), n("y2")))
            }
        }
    }

    private mutating func add(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) {
        minX = min(minX, x0); minY = min(minY, y0); maxX = max(maxX, x1); maxY = max(maxY, y1)
    }

    static func number(_ name: String, in attributes: String) -> Double? {
        guard let r = attributes.range(of: " \(name)=\"") else { return nil }
        return Double(attributes[r.upperBound...].prefix { $0 != "\"" })
    }

    static func unescaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
