import Foundation
import Testing
import TestSupport

/// The command line end to end: output, exit statuses, messages.
@Suite struct CommandTests {
    @Test func listFromAnyFolderShowsTheThirteenSitesInClosureOrder() throws {
        let r = try TestSupport.minusma(["list"], cwd: "/tmp")
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let rows = lines.filter { $0.range(of: #"^\s+\d+  "#, options: .regularExpression) != nil }
        #expect(rows.count == 13)
        #expect(rows.first?.contains("Ogossagou") == true && rows.first?.contains("2023-08-03") == true)
        #expect(rows.last?.contains("Bamako") == true && rows.last?.contains("2024-11-15") == true)
        #expect(lines.last == "13 of 13 sites; source: Data/minusma-sites.csv")
    }

    @Test func aCopiedBinaryNeedsNoResourceBundle() throws {
        let dir = try TestSupport.temporaryFolder("minusma-copy")
        try FileManager.default.copyItem(atPath: TestSupport.minusma, toPath: dir + "/minusma")
        let r = try TestSupport.run(dir + "/minusma", ["show", "gao"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("2024-07-22"))
    }

    @Test func helpHasExamplesAndExitStatuses() throws {
        let r = try TestSupport.minusma(["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Examples:") && r.stdout.contains("minusma export --format geojson --crs EPSG:32630"))
        #expect(r.stdout.contains("Exit statuses:") && r.stdout.contains("65  the input data was rejected"))
        let export = try TestSupport.minusma(["export", "--help"])
        #expect(export.stdout.contains("NOT RFC 7946"))
        #expect(try TestSupport.minusma(["--version"]).stdout.hasPrefix("minusma 1.0.0 (PROJ 9."))
    }

    @Test func showPrintsEveryFieldAndItsSources() throws {
        let r = try TestSupport.minusma(["show", "kidal"])
        #expect(r.status == 0)
        for needle in ["handover               none (no formal handover)", "last departure         2023-10-31",
                       "Sources of the dates:", "https://allafrica.com/stories/202311010095.html", "Aliou"] {
            #expect(r.stdout.contains(needle), "\(needle)")
        }
        let unknown = try TestSupport.minusma(["show", "atlantis"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("no site 'atlantis'"))
    }

    @Test func distanceMatchesPROJsGeod() throws {
        let r = try TestSupport.minusma(["distance", "gao", "kidal"])
        #expect(r.stdout.contains("285389.936 m"), "\(r.stdout)")
        #expect(r.stdout.contains("initial azimuth 32.043°"))
        let list = try TestSupport.minusma(["list", "--from", "gao"])
        #expect(list.stdout.contains("285.4 km"))
    }

    @Test func projectPrintsTheCRSAndExplains() throws {
        let r = try TestSupport.minusma(["project", "--crs", "UTM", "--explain", "gao"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("CRS: WGS 84 / UTM zone 30N (EPSG:32630), projected, unit: metre"))
        #expect(r.stdout.contains("+proj=utm +zone=30"))
        #expect(r.stdout.contains("818626.089") && r.stdout.contains("1798599.828"))
        let bad = try TestSupport.minusma(["project", "--crs", "EPSG:99999"])
        #expect(bad.status == 64 && bad.stderr.contains("EPSG:99999"))
    }

    @Test func missingPROJDatabaseIsExplained() throws {
        let r = try TestSupport.minusma(["project", "--crs", "EPSG:32630"], environment: ["PROJ_DATA": "/nonexistent", "PROJ_LIB": "/nonexistent"])
        #expect(r.status == 78)
        #expect(r.stderr.contains("proj.db was not found") && r.stderr.contains("proj-data"))
    }

    @Test func userGazetteerThroughData() throws {
        let dir = try TestSupport.temporaryFolder()
        let file = dir + "/mine.csv"
        try "id,name,lat,lon,closed_on,population:integer\nlere,Léré,15.72,-4.91,2023-09-01,12000\nparis,Paris,48.85,2.35,,\ngao,Gao,16.27,-0.04,,\n".write(toFile: file, atomically: true, encoding: .utf8)
        let r = try TestSupport.minusma(["list", "--data", file])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Léré") && r.stdout.contains("2023-09-01"))
        #expect(r.stderr.contains("mine.csv:3: warning: field 'lat': found 2.35, 48.85 (lon, lat), expected a position inside Mali's bounding box"))
        let v = try TestSupport.minusma(["validate", "--data", file])
        #expect(v.status == 0 && v.stdout.contains("ok, 3 sites"))
        let strict = try TestSupport.minusma(["validate", "--data", file, "--minusma-rules"])
        #expect(strict.status == 65)
        #expect(try TestSupport.minusma(["validate"]).stdout == "Data/minusma-sites.csv: ok, 13 sites, 22 columns\n")
    }
}

@Suite struct TimelineCommandTests {
    @Test func tableAndOneLayerPerStep() throws {
        let dir = try TestSupport.temporaryFolder()
        let r = try TestSupport.minusma(["timeline", "--out", dir])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("2023-08-01    13               4  Ogossagou (3 Aug), Ber (13 Aug), Goundam (16 Aug), Ménaka (25 Aug)"))
        #expect(r.stdout.contains("17 months from 2023-07-01, 13 closures"))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".geojson") }
        #expect(files.count == 17)
        let nov = try JSONSerialization.jsonObject(with: TestSupport.bytes(dir + "/minusma-timeline-2023-11-01.geojson")) as? [String: Any]
        #expect((nov?["features"] as? [Any])?.count == 5)

        let gpkg = try TestSupport.minusma(["timeline", "--step", "week", "--format", "gpkg", "--out", dir])
        #expect(gpkg.status == 0)
        if TestSupport.requireTool("ogrinfo") == nil {
            let layers = try TestSupport.run("ogrinfo", ["-q", dir + "/minusma-timeline.gpkg"]).stdout
            #expect(layers.components(separatedBy: "open_").count - 1 == 72)
            #expect(try TestSupport.run("ogrinfo", ["-so", dir + "/minusma-timeline.gpkg", "open_2023_11_04"]).stdout.contains("Feature Count: 5"))
        }
        let bad = try TestSupport.minusma(["timeline", "--step", "day"])
        #expect(bad.status == 64 && bad.stderr.contains("'day'") && bad.stderr.contains("'week' and 'month'"), "the error lists the steps")
    }
}
