import Foundation
import Testing
import TestSupport

/// `minusma export`: selections, exit statuses, and what is (not) written when things go wrong.
@Suite struct ExportCommandTests {
    func count(_ dir: String) throws -> Int {
        let data = try TestSupport.bytes(dir + "/minusma-sites.geojson")
        let root = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return (root?["features"] as? [Any])?.count ?? -1
    }

    @Test(arguments: [("2023-08-01", 13), ("2023-11-01", 5), ("2024-07-22", 1)])
    func asOf(_ date: String, _ expected: Int) throws {
        let dir = try TestSupport.temporaryFolder()
        let r = try TestSupport.minusma(["export", "--format", "geojson,kml", "--as-of", date, "--out", dir])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try count(dir) == expected)
        let kml = try TestSupport.read(dir + "/minusma-sites.kml")
        #expect(kml.components(separatedBy: "<Placemark ").count - 1 == expected)
    }

    /// An empty result must not replace good files with empty layers unasked: a selection of
    /// nothing, a header-only file, or --skip-invalid with every row invalid.
    @Test func anEmptyResultWritesNothingAndKeepsThePreviousFiles() throws {
        let dir = try TestSupport.temporaryFolder()
        #expect(try TestSupport.minusma(["export", "--out", dir, "--quiet"]).status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        let before = try names.map { try TestSupport.bytes(dir + "/" + $0) }
        func unchanged() throws -> Bool {
            try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == names
                && names.map { try TestSupport.bytes(dir + "/" + $0) } == before
        }
        let r = try TestSupport.minusma(["export", "--as-of", "2024-12-01", "--out", dir])
        #expect(r.status == 3)
        #expect(r.stderr.contains("no site to write (open on 2024-12-01); nothing was written and the previous files are kept"))
        #expect(try unchanged())
        let headerOnly = dir + "/../header-only-\(UUID().uuidString).csv"
        try "id,name,lat,lon\n".write(toFile: headerOnly, atomically: true, encoding: .utf8)
        let allInvalid = dir + "/../all-invalid-\(UUID().uuidString).csv"
        try "id,name,lat,lon\na,A,95,1\nb,B,96,1\n".write(toFile: allInvalid, atomically: true, encoding: .utf8)
        for arguments in [["--data", headerOnly], ["--data", allInvalid, "--skip-invalid"]] {
            let empty = try TestSupport.minusma(["export", "--out", dir, "--name", "minusma-sites", "--quiet"] + arguments)
            #expect(empty.status == 3, "\(arguments): \(empty.stderr)")
            #expect(try unchanged(), "\(arguments) kept the previous files")
        }
        let allowed = try TestSupport.minusma(["export", "--as-of", "2024-12-01", "--out", dir, "--allow-empty"])
        #expect(allowed.status == 0)
        #expect(try count(dir) == 0)
        if TestSupport.requireTool("ogrinfo") == nil {
            #expect(try TestSupport.run("ogrinfo", ["-so", "-al", dir + "/minusma-sites.csv"]).stdout.contains("Feature Count: 0"))
            #expect(try TestSupport.run("ogrinfo", ["-so", dir + "/minusma-sites.gpkg", "minusma_sites"]).stdout.contains("Feature Count: 0"))
        }
    }

    /// Column names a format cannot hold, and a --name that a GeoPackage reserves, are refused
    /// before anything is written, naming the column (or name) and the rule.
    @Test func nameClashesAreRefusedWithTheRule() throws {
        let dir = try TestSupport.temporaryFolder()
        func csv(_ header: String) throws -> String {
            let path = dir + "/../clash-\(UUID().uuidString).csv"
            try "\(header)\na,A,12,-8,v,w\n".write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let cases: [([String], Int32, String)] = [
            (["--data", try csv("id,name,lat,lon,Foo,foo")], 65, "'Foo' and 'foo' would be one column"),
            (["--data", try csv("id,name,lat,lon,geom,x1")], 65, "column 'geom' cannot be written as GeoPackage: the format adds a column of that name"),
            (["--data", try csv("id,name,lat,lon,FID,x1")], 65, "column 'FID' cannot be written as GeoPackage"),
            (["--data", try csv("id,name,lat,lon,wkt,x1"), "--crs", "EPSG:32630", "--format", "csv"], 65, "column 'wkt' cannot be written as CSV"),
            (["--name", "mali_admin0"], 64, "the table 'mali_admin0' is a base map layer"),
            (["--name", "gpkg_contents"], 64, "one of the GeoPackage's own tables"),
        ]
        for (arguments, status, message) in cases {
            let r = try TestSupport.minusma(["export", "--out", dir, "--quiet"] + arguments)
            #expect(r.status == status && r.stderr.contains(message), "\(arguments): \(r.status) \(r.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty, "nothing written")
    }

    @Test func filtersCombine() throws {
        let dir = try TestSupport.temporaryFolder()
        #expect(try TestSupport.minusma(["export", "--format", "geojson", "--phase", "liquidation", "--region", "gao,BAMAKO", "--out", dir]).status == 0)
        #expect(try count(dir) == 2)
        #expect(try TestSupport.minusma(["export", "--format", "geojson", "--closed-between", "2023-10-21", "2023-10-31", "--out", dir]).status == 0)
        #expect(try count(dir) == 4, "Douentza, Tessalit, Aguelhok, Kidal")
        #expect(try TestSupport.minusma(["export", "--format", "geojson", "--region", "menaka", "--out", dir]).status == 0)
        #expect(try count(dir) == 1)
    }

    @Test func usageErrors() throws {
        let dir = try TestSupport.temporaryFolder()
        let format = try TestSupport.minusma(["export", "--format", "dwg", "--out", dir])
        #expect(format.status == 64 && format.stderr.contains("'dwg'") && ["geojson", "kml", "kmz", "csv", "gpkg", "shp", "xlsx", "all"].allSatisfy { format.stderr.contains("  - \($0)\n") },
                "the error lists the registered formats")
        let crs = try TestSupport.minusma(["export", "--crs", "EPSG:99999", "--out", dir])
        #expect(crs.status == 64 && crs.stderr.contains("EPSG:99999"))
        let date = try TestSupport.minusma(["export", "--as-of", "2023-02-30", "--out", dir])
        #expect(date.status == 64 && date.stderr.contains("expected a date that exists"))
        let entries = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(entries.isEmpty, "nothing written: \(entries)")
    }

    @Test func unwritableFolder() throws {
        let missing = try TestSupport.minusma(["export", "--out", "/nonexistent/folder"])
        #expect(missing.status == 73)
        #expect(missing.stderr.contains("/nonexistent/folder"))
        let dir = try TestSupport.temporaryFolder()
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir) }
        if getuid() != 0 {  // root writes anywhere
            let readOnly = try TestSupport.minusma(["export", "--out", dir])
            #expect(readOnly.status == 73)
        }
    }

    @Test func rejectedInputWritesNothingAndKeepsThePreviousFiles() throws {
        let dir = try TestSupport.temporaryFolder()
        #expect(try TestSupport.minusma(["export", "--format", "geojson", "--out", dir]).status == 0)
        let before = try TestSupport.bytes(dir + "/minusma-sites.geojson")
        let bad = dir + "/bad.csv"
        try "id,name,lat,lon,closed_on\na,A,15,-1,2023-01-01\nb,B,95,-1,2023-02-30\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let r = try TestSupport.minusma(["export", "--format", "geojson", "--data", bad, "--out", dir])
        #expect(r.status == 65)
        #expect(r.stderr.contains("bad.csv:3: error: field 'lat': found \"95\", expected a latitude in [-90, 90] degrees"))
        #expect(r.stderr.contains("bad.csv:3: error: field 'closed_on': found \"2023-02-30\""))
        #expect(r.stderr.contains("rejected: 2 errors; nothing was written"))
        #expect(try TestSupport.bytes(dir + "/minusma-sites.geojson") == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        let missing = try TestSupport.minusma(["export", "--data", dir + "/nope.csv", "--out", dir])
        #expect(missing.status == 66 && missing.stderr.contains("nope.csv"))
    }

    @Test func neverOverwritesTheInput() throws {
        let dir = try TestSupport.temporaryFolder()
        let input = dir + "/minusma-sites.csv"
        try "id,name,lat,lon\na,A,15,-1\n".write(toFile: input, atomically: true, encoding: .utf8)
        let r = try TestSupport.minusma(["export", "--data", input, "--out", dir])
        #expect(r.status == 64 && r.stderr.contains("it is the input file"))
        #expect(try TestSupport.read(input) == "id,name,lat,lon\na,A,15,-1\n")
    }

    @Test func kmlIgnoresCRSAndSaysSo() throws {
        let dir = try TestSupport.temporaryFolder()
        let r = try TestSupport.minusma(["export", "--format", "kml", "--crs", "EPSG:32630", "--out", dir])
        #expect(r.status == 0 && r.stderr.contains("KML is always WGS 84"))
        #expect(try TestSupport.read(dir + "/minusma-sites.kml").contains("<coordinates>-0.0194,16.2472</coordinates>"))
    }

    /// Output/ holds the default export; a fresh one is byte-identical.
    @Test func committedOutputIsReproducible() throws {
        let dir = try TestSupport.temporaryFolder()
        #expect(try TestSupport.minusma(["export", "--out", dir, "--quiet"]).status == 0)
        for name in FileSetCommandTests.outputs {
            let fresh = try TestSupport.bytes(dir + "/" + name)
            let committed = try? TestSupport.bytes(TestSupport.path("Output/" + name))
            #expect(fresh == committed, "Output/\(name) differs from a fresh export: run `make export` and commit Output/")
        }
        #expect(try TestSupport.minusma(["qgis-project", "--out", dir]).status == 0)
        #expect(try TestSupport.bytes(dir + "/minusma.qgs") == (try? TestSupport.bytes(TestSupport.path("Output/minusma.qgs"))),
                "Output/minusma.qgs differs from a fresh one: run `make export`")
    }
}
