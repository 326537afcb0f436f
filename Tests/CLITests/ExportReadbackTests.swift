import Foundation
import Testing
import TestSupport

/// `minusma export` of the built-in data, read back by GDAL, xmllint, SQLite and a JSON parser.
@Suite(.serialized) struct ExportReadbackTests {
    static let exported: Result<String, Error> = Result {
        let dir = try TestSupport.temporaryFolder("minusma-export")
        let r = try TestSupport.minusma(["export", "--out", dir, "--quiet"])
        guard r.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: r.stderr]) }
        return dir
    }

    static let projected: Result<String, Error> = Result {
        let dir = try TestSupport.temporaryFolder("minusma-export-utm")
        let r = try TestSupport.minusma(["export", "--out", dir, "--crs", "EPSG:32630", "--quiet"])
        guard r.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: r.stderr]) }
        return dir
    }

    @Test(arguments: ["minusma-sites.geojson", "minusma-sites.csv", "minusma-sites.kml", "minusma-sites.gpkg"])
    func gdalReadsThirteenSitesAtTheirCoordinates(_ file: String) throws {
        if let missing = TestSupport.requireTool("ogrinfo") { Issue.record(Comment(rawValue: missing)); return }
        let dir = try Self.exported.get()
        let features = try OGR.features(dir + "/" + file, layer: file.hasSuffix(".gpkg") ? "minusma_sites" : nil)
        #expect(features.count == 13, "\(file)")
        let rows = try DataFile.rows()
        for row in rows {
            let feature = try #require(features.first { $0.fields["id"] == row.id }, "\(file): \(row.id)")
            let point = try #require(OGR.point(feature.geometry), "\(file): \(row.id) geometry")
            #expect(abs(point.0 - row.lon) <= 1e-7 && abs(point.1 - row.lat) <= 1e-7, "\(file) \(row.id): \(point) vs \(row.lon), \(row.lat)")
            #expect(feature.fields["closure_date"]?.replacingOccurrences(of: "/", with: "-") == row.closure, "\(file) \(row.id)")
        }
    }

    @Test(arguments: ["minusma-sites.geojson", "minusma-sites.csv", "minusma-sites.gpkg"])
    func datesAreTypedDate(_ file: String) throws {
        if let missing = TestSupport.requireTool("ogrinfo") { Issue.record(Comment(rawValue: missing)); return }
        let dir = try Self.exported.get()
        let types = try OGR.fieldTypes(dir + "/" + file, layer: file.hasSuffix(".gpkg") ? "minusma_sites" : nil)
        for field in ["handover_date", "last_departure_date", "closure_date"] {
            #expect(types[field] == "Date", "\(file) \(field): \(types[field] ?? "missing")")
        }
        #expect(types["closure_order"] == "Integer", "\(file)")
        #expect(types["longitude"] == "Real", "\(file)")
    }

    @Test func csvCarriesItsCRSInThePrj() throws {
        if let missing = TestSupport.requireTool("ogrinfo") { Issue.record(Comment(rawValue: missing)); return }
        let summary = try OGR.summary(Self.projected.get() + "/minusma-sites.csv")
        #expect(summary.contains("PROJCRS[\"WGS 84 / UTM zone 30N\""), "\(summary.prefix(600))")
        let geographic = try OGR.summary(Self.exported.get() + "/minusma-sites.csv")
        #expect(geographic.contains("GEOGCRS[\"WGS 84\""))
    }

    /// Projected coordinates agree with PROJ's cs2cs within 1 mm, in the GeoJSON, CSV and GeoPackage.
    @Test func projectedCoordinatesMatchCs2cs() throws {
        if let missing = TestSupport.requireTool("cs2cs") ?? TestSupport.requireTool("ogrinfo") { Issue.record(Comment(rawValue: missing)); return }
        let rows = try DataFile.rows()
        let input = rows.map { "\($0.lat) \($0.lon)" }.joined(separator: "\n") + "\n"
        let cs2cs = try TestSupport.run("cs2cs", ["-f", "%.6f", "EPSG:4326", "EPSG:32630"], stdin: Data(input.utf8))
        let expected = cs2cs.stdout.split(separator: "\n").map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Double($0) } }
        #expect(expected.count == 13)
        let dir = try Self.projected.get()
        for (file, layer) in [("minusma-sites.geojson", nil), ("minusma-sites.csv", nil), ("minusma-sites.gpkg", "minusma_sites")] as [(String, String?)] {
            let features = try OGR.features(dir + "/" + file, layer: layer)
            for (row, xy) in zip(rows, expected) {
                let f = try #require(features.first { $0.fields["id"] == row.id })
                let p = try #require(OGR.point(f.geometry))
                #expect(abs(p.0 - xy[0]) <= 0.001 && abs(p.1 - xy[1]) <= 0.001, "\(file) \(row.id): \(p) vs \(xy)")
            }
        }
    }

    @Test func kmlValidatesAgainstTheOGCSchema() throws {
        guard let schema = ProcessInfo.processInfo.environment["MINUSMA_KML_SCHEMA"], FileManager.default.fileExists(atPath: schema) else {
            Issue.record("MINUSMA_KML_SCHEMA is not set to ogckml22.xsd; run the tests with `make test`, which fetches it")
            return
        }
        for dir in [try Self.exported.get(), try Self.projected.get()] {
            let r = try TestSupport.run("xmllint", ["--noout", "--schema", schema, dir + "/minusma-sites.kml"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.contains("validates"))
        }
        let kml = try TestSupport.read(Self.exported.get() + "/minusma-sites.kml")
        #expect(kml.contains("<Placemark id=\"kidal\">"))
        #expect(kml.contains("<TimeSpan><end>2023-10-31T00:00:00Z</end></TimeSpan>"))
        #expect(!kml.contains("<Folder"), "GDAL reads each Folder as a layer: the placemarks stand in the Document")
        #expect(kml.contains("<styleUrl>#__style-phase-liquidation</styleUrl>"), "each placemark keeps its phase's style")
    }

    /// The KML is one layer to GDAL: `ogr2ogr` to GeoJSON converts all 13 sites, whose `id` is
    /// the data's id (Folders made one layer each, and ogr2ogr stopped after the first).
    @Test func kmlConvertsWithOGR2OGR() throws {
        if let missing = TestSupport.requireTool("ogr2ogr") { Issue.record(Comment(rawValue: missing)); return }
        let dir = try TestSupport.temporaryFolder("minusma-kml-ogr")
        let r = try TestSupport.run("ogr2ogr", ["-f", "GeoJSON", dir + "/out.geojson", Self.exported.get() + "/minusma-sites.kml"])
        #expect(r.status == 0, "\(r.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: TestSupport.bytes(dir + "/out.geojson")) as? [String: Any])
        let features = try #require(root["features"] as? [[String: Any]])
        let ids = features.compactMap { ($0["properties"] as? [String: Any])?["id"] as? String }
        #expect(ids == (try DataFile.rows()).map(\.id))
        #expect(features.allSatisfy { ($0["properties"] as? [String: Any])?["id2"] == nil })
    }

    /// GeoPandas (through pyogrio or Fiona) reads the 13 sites with the site id in `id`.
    @Test func kmlReadsInGeoPandas() throws {
        let script = """
            import sys
            try:
                import geopandas
            except ImportError as e:
                print("missing:", e); sys.exit(3)
            frame = geopandas.read_file(sys.argv[1])
            print(len(frame)); print(",".join(frame["id"]))
            """
        let r = try TestSupport.run("/usr/bin/env", ["python3", "-c", script, Self.exported.get() + "/minusma-sites.kml"])
        if r.status == 3 { Issue.record("geopandas is not installed (pip install geopandas): \(r.stdout)"); return }
        #expect(r.status == 0, "\(r.stderr)")
        let ids = (try DataFile.rows()).map(\.id)
        #expect(r.stdout == "13\n" + ids.joined(separator: ",") + "\n", "\(r.stdout)")
    }

    @Test func geoJSONParsesAsRFC7946() throws {
        let data = try TestSupport.bytes(Self.exported.get() + "/minusma-sites.geojson")
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(root["type"] as? String == "FeatureCollection")
        #expect(root["crs"] == nil)
        let features = try #require(root["features"] as? [[String: Any]])
        #expect(features.count == 13)
        #expect(features.map { $0["id"] as? String } == (try DataFile.rows()).map(\.id))
        let projected = try #require(try JSONSerialization.jsonObject(with: TestSupport.bytes(Self.projected.get() + "/minusma-sites.geojson")) as? [String: Any])
        let crs = projected["crs"] as? [String: Any]
        #expect((crs?["properties"] as? [String: Any])?["name"] as? String == "urn:ogc:def:crs:EPSG::32630")
    }

    @Test func geoPackageIsValid() throws {
        if let missing = TestSupport.requireTool("sqlite3") { Issue.record(Comment(rawValue: missing)); return }
        let gpkg = try Self.exported.get() + "/minusma-sites.gpkg"
        let integrity = try TestSupport.run("sqlite3", [gpkg, "PRAGMA integrity_check"])
        #expect(integrity.stdout == "ok\n")
        let layers = try TestSupport.run("ogrinfo", ["-q", gpkg]).stdout
        for layer in ["minusma_sites (Point)", "mali_admin0 (Multi Polygon)", "mali_admin1 (Multi Polygon)", "neighbours_admin0 (Multi Polygon)"] {
            #expect(layers.contains(layer), "\(layers)")
        }
        let summary = try OGR.summary(gpkg, layer: "minusma_sites")
        #expect(summary.contains("ID[\"EPSG\",4326]"))
        #expect(summary.contains("Feature Count: 13"))
        // GDAL's own GeoPackage validator (from python3-gdal): silent when the file is valid.
        let validator = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py"
        let result = try TestSupport.run("/usr/bin/python3", [validator, gpkg])
        #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty, "\(result.stdout)\(result.stderr)")
        let regions = try OGR.features(gpkg, layer: "mali_admin1")
        #expect(regions.count == 9)
        let styles = try TestSupport.run("sqlite3", [gpkg, "SELECT f_table_name FROM layer_styles WHERE useAsDefault ORDER BY f_table_name"]).stdout
        #expect(styles == "mali_admin0\nmali_admin1\nminusma_events\nminusma_sites\nminusma_sites_uncertainty\nneighbours_admin0\n", "every layer has a default QGIS style")
        #expect(layers.hasPrefix("1: minusma_sites (Point)"), "the sites come first: \(layers)")
    }
}
