import Testing
@testable import WithdrawalMap
import Gazetteer

/// What followed each closure on the built-in map: a takeover mark by each site someone took,
/// placed clear of every site and label, and the attacks on the timeline strip.
@Suite struct AftermathMapTests {
    static func render(language: Language = .en) throws -> (WithdrawalMapRenderer, String, [SiteEvent]) {
        let g = try Gazetteer.builtIn()
        let events = try FactReader.builtInEvents()
        let options = MapOptions(wording: .minusma(source: g.source, language: language), events: events)
        let renderer = try WithdrawalMapRenderer(sites: g.sitesInClosureOrder, source: g.source, options: options)
        return (renderer, renderer.svg(), events)
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func aMarkBySiteTakenAfterItsClosure() throws {
        let (_, svg, events) = try Self.render()
        let taken = Set(events.filter { $0.kind == .takeover || $0.kind == .seizure }.map(\.siteID))
        #expect(taken.count >= 5)
        #expect(Self.count("class=\"takeover-mark\"", in: svg) == taken.count)
        for id in taken { #expect(svg.contains("id=\"takeover-\(id)\"")) }
        // Kidal: the CSP-PSD on 31 October 2023, then the army and Wagner on 14 November.
        let kidal = try #require(svg.components(separatedBy: "id=\"takeover-kidal\">").last?.components(separatedBy: "</g>").first)
        let armed = try #require(kidal.range(of: "takeover-armed-group"))
        let army = try #require(kidal.range(of: "takeover-army-wagner"))
        #expect(armed.lowerBound < army.lowerBound, "the armed group first, in date order")
        // The legend explains each symbol.
        #expect(svg.contains("Who took the camp after closure"))
        #expect(svg.contains("the Malian army with Wagner") && svg.contains("an armed group"))
    }

    /// In the animated map each takeover symbol appears on its day: one opacity animation per
    /// symbol, Kidal's second (14 November 2023) later than its first (31 October).
    @Test func animatedMarksAppearOnTheirDays() throws {
        let (renderer, _, _) = try Self.render()
        let svg = renderer.svg(animated: true)
        let symbols = renderer.aftermath.takeovers.values.reduce(0) { $0 + $1.count }
        #expect(Self.count("<animate attributeName=\"opacity\"", in: svg) == symbols)
        let kidal = try #require(svg.components(separatedBy: "id=\"takeover-kidal\">").last?.components(separatedBy: "</g></g>").first)
        let times = kidal.components(separatedBy: "keyTimes=\"0;").dropFirst().compactMap { Double($0.prefix { $0 != "\"" }) }
        #expect(times.count == 2 && times[0] < times[1], "\(times)")
    }

    @Test func marksCoverNoSiteAndNoLabel() throws {
        let (renderer, _, _) = try Self.render(language: .fr)
        let r = WithdrawalMapRenderer.symbolRadius, size = TakeoverSymbol.size
        for (id, row) in renderer.takeoverRows {
            let count = renderer.aftermath.takeovers[id]?.count ?? 0
            let box = LabelPlacer.Box(x: row.x, y: row.y - size / 2, w: TakeoverSymbol.rowWidth(count), h: size)
            for (site, p, placement) in renderer.siteLabels {
                if site.id != id {
                    #expect(!LabelPlacer.Box(x: p.0 - r, y: p.1 - r, w: 2 * r, h: 2 * r).overlaps(box, padding: 0), "\(id)'s mark covers \(site.id)")
                }
                if let placement { #expect(!placement.box.overlaps(box, padding: 0), "\(id)'s mark covers \(site.id)'s label") }
            }
        }
    }

    @Test func attacksAreTicksOnTheStrip() throws {
        let (_, svg, events) = try Self.render()
        let attacks = events.filter { $0.kind == .attackOnConvoy || $0.kind == .attackOnCamp }
        #expect(attacks.count > 10)
        #expect(Self.count("class=\"attack\"", in: svg) == attacks.count)
        #expect(svg.contains("attack on a convoy or camp"))
    }

    /// The French legend, longer than the English, stays beside the map and inside the page.
    @Test(arguments: [MapOptions.ColorBy.date, .phase])
    func frenchLegendFitsThePage(colorBy: MapOptions.ColorBy) throws {
        let g = try Gazetteer.builtIn()
        let options = MapOptions(colorBy: colorBy, wording: .minusma(source: g.source, language: .fr), events: try FactReader.builtInEvents())
        let renderer = try WithdrawalMapRenderer(sites: g.sitesInClosureOrder, source: g.source, options: options)
        let legend = try SVGGeometry(renderer.svg(), group: "legend")
        #expect(legend.minX >= renderer.frame.left + renderer.frame.width, "legend x \(legend.minX)")
        #expect(legend.maxX <= WithdrawalMapRenderer.pageWidth - 4, "legend right edge \(legend.maxX)")
        #expect(legend.maxY <= renderer.bodyBottom, "legend bottom \(legend.maxY)")
    }

    /// A map given no events (a user's data) draws neither marks nor ticks nor their keys.
    @Test func noEventsNoMarks() throws {
        let g = try Gazetteer.builtIn()
        let renderer = try WithdrawalMapRenderer(sites: g.sitesInClosureOrder, source: g.source,
                                                 options: MapOptions(wording: .minusma(source: g.source)))
        let svg = renderer.svg()
        for word in ["takeover", "class=\"attack\"", "Who took", "attack on"] { #expect(!svg.contains(word)) }
    }
}
