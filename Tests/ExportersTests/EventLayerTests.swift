import Foundation
import Testing
@testable import Exporters
@testable import Gazetteer
import TestSupport

/// The events layer on its own: an event whose site has no point, a contested event, an instant.
@Suite struct EventLayerTests {
    static let contested = SiteEvent(
        id: "x-2023-11-14-takeover", siteID: "x", date: CalendarDate(year: 2023, month: 11, day: 14)!, datePrecision: .day,
        kind: .takeover, actor: "A <&> B", summaryEN: "Taken.", summaryFR: "Pris.", casualties: nil, confidence: .medium,
        versions: ("A says so", "B denies it"), sources: ["https://example.org/a", "https://example.org/b"])

    @Test func anEventWithoutAPointHasANullGeometry() throws {
        let dir = try TestSupport.temporaryFolder("minusma-event-layer")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try EventExporter.write([Self.contested], sites: [], format: .geojson, directory: dir, baseName: "e")
        let root = try #require(try JSONSerialization.jsonObject(with: TestSupport.bytes(dir + "/e.geojson")) as? [String: Any])
        let feature = try #require((root["features"] as? [[String: Any]])?.first)
        #expect(feature["geometry"] is NSNull && feature["bbox"] == nil)
        let p = try #require(feature["properties"] as? [String: Any])
        #expect(p["longitude"] is NSNull && p["latitude"] is NSNull && p["casualties"] is NSNull)
        #expect(p["contested"] as? Bool == true, "a JSON boolean")
        #expect(p["version_a"] as? String == "A says so" && p["version_b"] as? String == "B denies it")
        #expect(p["date"] as? String == "2023-11-14" && p["summary"] as? String == "Taken.")
        #expect(p["sources"] as? [String] == Self.contested.sources)
        #expect(root["bbox"] == nil, "no point, no extent")
    }

    @Test func frenchTakesTheFrenchSummaryAndWords() {
        let layer = EventLayer(name: "e", language: .fr)
        let feature = layer.feature(Self.contested, siteName: "X", position: nil)
        #expect(feature.summary == "Pris." && feature.label == "X: prise de contrôle")
        #expect(layer.metadata.folder == "Événements")
        #expect(EventLayer(name: "e").feature(Self.contested, siteName: "X", position: nil).summary == "Taken.")
        #expect(feature.timeSpan.isInstant && feature.timeSpan.begin == Self.contested.date && feature.timeSpan.end == Self.contested.date)
    }

    @Test func kmlWritesAnInstantAndNoPoint() throws {
        let dir = try TestSupport.temporaryFolder("minusma-event-kml")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try EventExporter.write([Self.contested], sites: [], format: .kml, directory: dir, baseName: "e")
        let kml = try TestSupport.read(dir + "/e.kml")
        #expect(kml.contains("<TimeStamp><when>2023-11-14</when></TimeStamp>") && !kml.contains("<TimeSpan>"))
        #expect(!kml.contains("<Point>"))
        #expect(kml.contains("<SimpleData name=\"contested\">1</SimpleData>"))
        #expect(kml.contains("A &lt;&amp;&gt; B"))
    }
}
