import Foundation
import Testing
@testable import Exporters
import Gazetteer
import Projection
import TestSupport

/// Every writer on a small fixture with accents, quotes, commas, `<&>`, a line break, a missing
/// date and a missing coordinate, compared byte for byte with the files in Golden/. Re-record
/// with `MINUSMA_RECORD_GOLDEN=1 swift test --filter GoldenFileTests`.
@Suite struct GoldenFileTests {
    static let fixture = TestSupport.path("Tests/ExportersTests/Fixtures/fixture.csv")
    static let textFiles = ["fixture.geojson", "fixture.kml", "fixture.csv", "fixture.csvt", "fixture.prj", "fixture.qml", "fixture-excel.csv"]

    func export(crs: String?, filter: SiteFilter = SiteFilter(), into dir: String) throws -> ExportOutcome {
        let reader = try GazetteerReader(source: FileSource(path: Self.fixture))
        var request = ExportRequest(formats: ExportFormat.all, directory: dir, baseName: "fixture", filter: filter,
                                    targetCRS: crs, title: "Fixture <&> \"sites\"",
                                    sourceDescription: "Test fixture with awkward text.", excelCSV: true)
        request.allowEmpty = true
        return try Exporter.run(reader: reader, request: request)
    }

    @Test(arguments: [("wgs84", nil), ("utm30n", "EPSG:32630")] as [(String, String?)])
    func writersMatchTheGoldenFiles(_ variant: String, _ crs: String?) throws {
        let dir = try TestSupport.temporaryFolder()
        let outcome = try export(crs: crs, into: dir)
        #expect(outcome.summary.featureCount == 3)
        for name in Self.textFiles {
            let actual = try TestSupport.bytes(dir + "/" + name)
            if let difference = try TestSupport.compareGolden(actual, "Tests/ExportersTests/Golden/\(variant)/\(name)") {
                Issue.record(Comment(rawValue: difference))
            }
        }
    }

    /// The KMZ's `doc.kml` (folders, circles, tour), taken out of the archive by Python's zipfile.
    @Test func kmzDocumentMatchesItsGoldenFile() throws {
        let dir = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try export(crs: nil, into: dir)
        let r = try TestSupport.run("/usr/bin/python3", ["-c", "import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read('doc.kml'))", dir + "/fixture.kmz"])
        #expect(r.status == 0, "\(r.stderr)")
        if let difference = try TestSupport.compareGolden(Data(r.stdout.utf8), "Tests/ExportersTests/Golden/wgs84/fixture.kmz-doc.kml") {
            Issue.record(Comment(rawValue: difference))
        }
    }

    @Test func anEmptyCollectionIsAValidDocumentInEveryFormat() throws {
        let dir = try TestSupport.temporaryFolder()
        let nothing = SiteFilter(openOn: CalendarDate(year: 2030, month: 1, day: 1))
        let outcome = try export(crs: nil, filter: nothing, into: dir)
        #expect(outcome.summary.featureCount == 0)
        for name in Self.textFiles {
            let actual = try TestSupport.bytes(dir + "/" + name)
            if let difference = try TestSupport.compareGolden(actual, "Tests/ExportersTests/Golden/empty/\(name)") {
                Issue.record(Comment(rawValue: difference))
            }
        }
        let json = try JSONSerialization.jsonObject(with: TestSupport.bytes(dir + "/fixture.geojson")) as? [String: Any]
        #expect((json?["features"] as? [Any])?.isEmpty == true)
        #expect(json?["bbox"] == nil, "no extent for an empty collection")
    }

    @Test func sameInputSameBytesWhateverTheBatchSize() throws {
        var digests: Set<Data> = []
        for batch in [1, 2, 4096] {
            let dir = try TestSupport.temporaryFolder()
            let reader = try GazetteerReader(source: FileSource(path: Self.fixture))
            let request = ExportRequest(formats: ExportFormat.all, directory: dir, baseName: "fixture",
                                        targetCRS: "EPSG:32630", batchSize: batch)
            _ = try Exporter.run(reader: reader, request: request)
            var all = Data()
            for name in ["fixture.geojson", "fixture.kml", "fixture.kmz", "fixture.csv", "fixture.gpkg"] { all += try TestSupport.bytes(dir + "/" + name) }
            digests.insert(all)
        }
        #expect(digests.count == 1)
    }
}

@Suite struct WriterContentTests {
    func geojson(_ dir: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: TestSupport.bytes(dir + "/fixture.geojson")) as? [String: Any])
    }

    @Test func geoJSONKeepsTypesAndNulls() throws {
        let dir = try TestSupport.temporaryFolder()
        let reader = try GazetteerReader(source: FileSource(path: GoldenFileTests.fixture))
        _ = try Exporter.run(reader: reader, request: ExportRequest(formats: [.geojson], directory: dir, baseName: "fixture"))
        let root = try geojson(dir)
        let features = try #require(root["features"] as? [[String: Any]])
        #expect(features.count == 3)
        let a = try #require(features[0]["properties"] as? [String: Any])
        #expect(a["name"] as? String == "Camp \"Alpha\", Ménaka")
        #expect(a["closure_order"] as? Int == 1)
        #expect(a["alt_names"] as? [String] == ["Alpha", "Al-Fa"])
        #expect(a["handover_date"] as? String == "2023-08-25")
        let b = try #require(features[1]["properties"] as? [String: Any])
        #expect(b["handover_date"] is NSNull, "missing is null, never an empty string")
        #expect(b["closure_date"] as? String == "2023-10-23", "derived from the departure")
        #expect(features[1]["geometry"] is NSNull)
        let geometry = try #require(features[2]["geometry"] as? [String: Any])
        #expect(geometry["coordinates"] as? [Double] == [-4.0902, 14.51702])
        #expect(root["bbox"] as? [Double] == [-4.0902, 14.51702, 2.4022, 15.9182])
        #expect(root["crs"] == nil, "RFC 7946 has no crs member")
        // Key order is stable: the schema's order.
        let text = try TestSupport.read(dir + "/fixture.geojson")
        #expect(text.contains(#""properties":{"id":"camp-a","closure_order":1,"name":"#))
        #expect(!text.contains("\\/"), "no escaping of /")
    }
}
