import Foundation
import Testing
import TestSupport

/// The GeoPackage's R-tree, packed in bulk: SQLite's own `rtreecheck()` finds it sound, every
/// feature is in it once under its fid, and GDAL's spatial filter (which goes through the index)
/// finds exactly the points inside a box.
@Suite struct GeoPackageIndexTests {
    /// 5,000 points on a grid of 0.001°: 100 columns from lon -4.0, 50 rows from lat 14.0.
    static func gridCSV() -> String {
        var text = "id,name,lat,lon\n"
        for i in 0..<5_000 {
            text += "p\(i),Point \(i),\(String(format: "%.3f", 14.0 + Double(i / 100) * 0.001)),\(String(format: "%.3f", -4.0 + Double(i % 100) * 0.001))\n"
        }
        return text
    }

    @Test func packedIndexIsSoundAndFindsWhatGDALAsks() throws {
        let dir = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/grid.csv"
        try Self.gridCSV().write(toFile: input, atomically: true, encoding: .utf8)
        let r = try TestSupport.minusma(["export", "--data", input, "--format", "gpkg", "--out", dir, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let gpkg = dir + "/grid.gpkg"
        let check = try TestSupport.run("sqlite3", [gpkg,
            "SELECT rtreecheck('rtree_grid_geom'); SELECT count(*) FROM rtree_grid_geom;"
            + " SELECT count(*) FROM rtree_grid_geom r JOIN grid g ON r.id = g.fid"]).stdout
        #expect(check == "ok\n5000\n5000\n", "rtreecheck, the entries, each under its feature's fid: \(check)")
        // Boxes whose edges fall between grid lines: columns 10..29 and rows 5..14 hold 200 points.
        for (box, expected) in [(["-3.9905", "14.0045", "-3.9705", "14.0145"], 200), (["-4.1", "13.9", "-3.8", "14.1"], 5_000),
                                (["-3.0", "15.0", "-2.9", "15.1"], 0)] {
            let info = try TestSupport.run("ogrinfo", ["-ro", "-so", gpkg, "grid", "-spat"] + box).stdout
            #expect(info.contains("Feature Count: \(expected)\n"), "GDAL's spatial filter \(box) finds \(expected): \(info)")
        }
    }

    /// The built-in sites and events, and a timeline of several layers, each with a sound index.
    @Test func builtInAndTimelineIndexesAreSound() throws {
        let dir = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try TestSupport.minusma(["export", "--format", "gpkg", "--out", dir, "--quiet"]).status == 0)
        let built = try TestSupport.run("sqlite3", [dir + "/minusma-sites.gpkg",
            "SELECT rtreecheck('rtree_minusma_sites_geom'), rtreecheck('rtree_minusma_events_geom');"
            + " SELECT count(*) FROM rtree_minusma_sites_geom; SELECT count(*) FROM rtree_minusma_events_geom;"]).stdout
        #expect(built == "ok|ok\n13\n84\n", "\(built)")
        #expect(try TestSupport.minusma(["timeline", "--format", "gpkg", "--out", dir]).status == 0)
        let tables = try TestSupport.run("sqlite3", [dir + "/minusma-timeline.gpkg",
            "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' AND table_name LIKE 'open_%' ORDER BY 1"]).stdout
            .split(separator: "\n")
        #expect(tables.count > 10)
        for table in tables {
            let ok = try TestSupport.run("sqlite3", [dir + "/minusma-timeline.gpkg", "SELECT rtreecheck('rtree_\(table)_geom')"]).stdout
            #expect(ok == "ok\n", "\(table): \(ok)")
        }
    }
}
