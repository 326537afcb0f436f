import Foundation
import Testing
import TestSupport

/// The events beside the built-in sites in every format, read back by GDAL, xmllint and SQLite.
@Suite(.serialized) struct EventExportTests {
    /// What ogrinfo prints for a missing value: nothing, (null), or an empty CSV cell.
    static func isMissing(_ value: String?) -> Bool { value == nil || value == "(null)" || value == "" }

    /// A fresh export of the built-in data, removed after `body`.
    func withExport(_ body: (String) throws -> Void) throws {
        let dir = try TestSupport.temporaryFolder("minusma-events")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try TestSupport.minusma(["export", "--out", dir, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        try body(dir)
    }

    /// (file, layer) of the events in each format.
    static let layers: [(String, String?)] = [
        ("minusma-events.geojson", nil), ("minusma-events.csv", nil), ("minusma-events.kml", nil),
        ("minusma-sites.gpkg", "minusma_events"),
    ]

    @Test(arguments: layers)
    func gdalReadsEveryEventAtItsSite(_ file: String, _ layer: String?) throws {
        if let missing = TestSupport.requireTool("ogrinfo") { Issue.record(Comment(rawValue: missing)); return }
        try withExport { dir in try checkEvents(dir, file, layer) }
    }

    func checkEvents(_ dir: String, _ file: String, _ layer: String?) throws {
        let expected = try EventsFile.events()
        #expect(expected.count == 84)
        let features = try OGR.features(dir + "/" + file, layer: layer)
        #expect(features.count == expected.count, "\(file)")
        #expect(Set(features.compactMap { $0.fields["event_id"] }) == Set(expected.map(\.id)), "\(file)")
        let sites = Dictionary(uniqueKeysWithValues: try DataFile.rows().map { ($0.id, $0) })
        for event in expected {
            let feature = try #require(features.first { $0.fields["event_id"] == event.id }, "\(file): \(event.id)")
            let site = try #require(sites[event.site])
            let point = try #require(OGR.point(feature.geometry), "\(file): \(event.id) has a point")
            #expect(abs(point.0 - site.lon) <= 1e-7 && abs(point.1 - site.lat) <= 1e-7, "\(file) \(event.id) at \(site.id)")
            #expect(feature.fields["date"]?.replacingOccurrences(of: "/", with: "-") == event.date, "\(file) \(event.id)")
            #expect(feature.fields["kind"] == event.kind, "\(file) \(event.id)")
        }
        let takeover = try #require(features.first { $0.fields["event_id"] == "kidal-2023-11-14-takeover" })
        #expect(takeover.fields["site_name"] == "Kidal" && Self.isMissing(takeover.fields["casualties"]))
    }

    @Test(arguments: [("minusma-events.geojson", nil), ("minusma-events.csv", nil), ("minusma-sites.gpkg", "minusma_events")] as [(String, String?)])
    func datesAndFlagsAreTyped(_ file: String, _ layer: String?) throws {
        if let missing = TestSupport.requireTool("ogrinfo") { Issue.record(Comment(rawValue: missing)); return }
        try withExport { dir in try checkTypes(dir, file, layer) }
    }

    func checkTypes(_ dir: String, _ file: String, _ layer: String?) throws {
        let types = try OGR.fieldTypes(dir + "/" + file, layer: layer)
        #expect(types["date"] == "Date", "\(file): \(types)")
        #expect(try OGR.summary(dir + "/" + file, layer: layer).contains("contested: Integer(Boolean)"), "\(file)")
        #expect(types["date_precision"] == "String" && types["summary"] == "String", "\(file)")
        let features = try OGR.features(dir + "/" + file, layer: layer)
        let contested = Set(try EventsFile.events().filter(\.contested).map(\.id))
        #expect(!contested.isEmpty)
        for feature in features {
            let id = feature.fields["event_id"] ?? ""
            #expect(feature.fields["contested"] == (contested.contains(id) ? "1" : "0"), "\(file) \(id)")
            #expect(Self.isMissing(feature.fields["version_a"]) != contested.contains(id),
                    "\(file) \(id): versions only for a contested fact")
        }
    }

    @Test func geoPackageHasADateColumnAndTheEventsTable() throws {
        if let missing = TestSupport.requireTool("sqlite3") { Issue.record(Comment(rawValue: missing)); return }
        try withExport { dir in try checkGeoPackage(dir + "/minusma-sites.gpkg") }
    }

    func checkGeoPackage(_ gpkg: String) throws {
        let columns = try TestSupport.run("sqlite3", [gpkg, "SELECT name || ' ' || type FROM pragma_table_info('minusma_events')"]).stdout
        #expect(columns.contains("date DATE\n") && columns.contains("contested BOOLEAN\n") && columns.contains("geom POINT\n"), "\(columns)")
        let contents = try TestSupport.run("sqlite3", [gpkg, "SELECT data_type FROM gpkg_contents WHERE table_name = 'minusma_events'"]).stdout
        #expect(contents == "features\n")
        let kidal = try TestSupport.run("sqlite3", [gpkg, "SELECT count(*) FROM minusma_events WHERE site_id = 'kidal' AND date BETWEEN '2023-11-01' AND '2023-11-30'"]).stdout
        let expected = try EventsFile.events().filter { $0.site == "kidal" && $0.date.hasPrefix("2023-11-") }.count
        #expect(kidal == "\(expected)\n")
        let validator = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py"
        let result = try TestSupport.run("/usr/bin/python3", [validator, gpkg])
        #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty, "\(result.stdout)\(result.stderr)")
    }

    /// The contingents: an attributes table (no geometry) related to the sites with the Related
    /// Tables Extension, joined back with sqlite3 and read as a relationship by GDAL.
    @Test func contingentsAreATableRelatedToTheSites() throws {
        if let missing = TestSupport.requireTool("sqlite3") { Issue.record(Comment(rawValue: missing)); return }
        try withExport { dir in try checkContingents(dir + "/minusma-sites.gpkg") }
    }

    func checkContingents(_ gpkg: String) throws {
        func query(_ sql: String) throws -> String { try TestSupport.run("sqlite3", [gpkg, sql]).stdout }
        let rows = try EventsFile.records("Data/contingents.csv")
        #expect(try query("SELECT data_type FROM gpkg_contents WHERE table_name = 'minusma_contingents'") == "attributes\n")
        #expect(try query("SELECT count(*) FROM gpkg_geometry_columns WHERE table_name = 'minusma_contingents'") == "0\n")
        #expect(!(try query("SELECT name FROM pragma_table_info('minusma_contingents')")).contains("geom"))
        #expect(try query("SELECT count(*) FROM minusma_contingents") == "\(rows.count)\n")
        #expect(try query("SELECT base_table_name, related_table_name, relation_name, mapping_table_name FROM gpkgext_relations")
                == "minusma_sites|minusma_contingents|attributes|minusma_sites_minusma_contingents\n")
        #expect(try query("SELECT count(*) FROM gpkg_extensions WHERE extension_name = 'related_tables'") == "2\n")
        // Every row is related to its own site, through the mapping table only.
        let joined = try query("""
            SELECT s.id, c.country, c.year, ifnull(c.troops_estimate, '') FROM minusma_sites s
            JOIN minusma_sites_minusma_contingents m ON m.base_id = s.fid JOIN minusma_contingents c ON c.fid = m.related_id
            ORDER BY s.id, c.year, c.country, c.dataset
            """).split(separator: "\n").map(String.init)
        let expected = rows.map { "\($0["site_id"] ?? "")|\($0["country"] ?? "")|\($0["year"] ?? "")|\($0["troops_estimate"] ?? "")" }
        #expect(joined.sorted() == expected.sorted(), "the join gives back Data/contingents.csv")
        #expect(try query("SELECT count(*) FROM minusma_contingents c JOIN minusma_sites_minusma_contingents m ON m.related_id = c.fid JOIN minusma_sites s ON s.fid = m.base_id WHERE s.id = 'kidal'")
                == "\(rows.filter { $0["site_id"] == "kidal" }.count)\n")
        let script = """
            import sys
            from osgeo import gdal
            ds = gdal.OpenEx(sys.argv[1])
            for name in ds.GetRelationshipNames() or []:
                r = ds.GetRelationship(name)
                print(r.GetLeftTableName(), r.GetRightTableName(), r.GetMappingTableName(), r.GetRelatedTableType())
            """
        let gdal = try TestSupport.run("/usr/bin/python3", ["-c", script, gpkg])
        #expect(gdal.status == 0, "python3-gdal: \(gdal.stderr)")
        #expect(gdal.stdout == "minusma_sites minusma_contingents minusma_sites_minusma_contingents attributes\n", "\(gdal.stdout)")
    }

    @Test func kmlHasTimeStampsInAFolderAndValidates() throws {
        try withExport { dir in try checkKML(dir + "/minusma-events.kml") }
    }

    func checkKML(_ path: String) throws {
        let kml = try TestSupport.read(path)
        #expect(kml.components(separatedBy: "<TimeStamp><when>").count - 1 == 84)
        #expect(kml.contains("<TimeStamp><when>2023-11-14</when></TimeStamp>"))
        #expect(!kml.contains("<TimeSpan>"), "an event is an instant")
        #expect(kml.components(separatedBy: "<Folder>").count - 1 == 1 && kml.contains("<Folder>\n<name>Events</name>"))
        #expect(kml.contains("<SimpleField type=\"bool\" name=\"contested\"/>"))
        guard let schema = ProcessInfo.processInfo.environment["MINUSMA_KML_SCHEMA"], FileManager.default.fileExists(atPath: schema) else {
            Issue.record("MINUSMA_KML_SCHEMA is not set to ogckml22.xsd; run the tests with `make test`, which fetches it")
            return
        }
        if let missing = TestSupport.requireTool("xmllint") { Issue.record(Comment(rawValue: missing)); return }
        let r = try TestSupport.run("xmllint", ["--noout", "--schema", schema, path])
        #expect(r.status == 0 && r.stderr.contains("validates"), "\(r.stderr)")
    }

    /// A selection keeps the events of the sites written only; a user's gazetteer gets none.
    @Test func eventsFollowTheSelectionAndUserDataHasNone() throws {
        let dir = try TestSupport.temporaryFolder("minusma-events-selection")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try TestSupport.minusma(["export", "--format", "geojson", "--region", "kidal", "--out", dir])
        #expect(r.status == 0 && r.stdout.contains("Wrote 3 sites and"), "\(r.stdout)\(r.stderr)")
        let expected = try EventsFile.events().filter { ["kidal", "tessalit", "aguelhok"].contains($0.site) }.count
        let root = try JSONSerialization.jsonObject(with: TestSupport.bytes(dir + "/minusma-events.geojson")) as? [String: Any]
        #expect((root?["features"] as? [Any])?.count == expected)

        let user = try TestSupport.temporaryFolder("minusma-events-user")
        defer { try? FileManager.default.removeItem(atPath: user) }
        let fixture = TestSupport.path("Tests/Fixtures/health-centres.csv")
        let u = try TestSupport.minusma(["export", "--data", fixture, "--out", user, "--quiet"])
        #expect(u.status == 0, "\(u.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: user)
        #expect(!files.contains { $0.contains("events") }, "\(files)")
        if TestSupport.requireTool("sqlite3") == nil {
            let tables = try TestSupport.run("sqlite3", [user + "/health-centres.gpkg", "SELECT table_name FROM gpkg_contents"]).stdout
            #expect(!tables.contains("events") && !tables.contains("contingents"), "\(tables)")
        }
    }
}
