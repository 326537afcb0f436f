import Foundation
import Testing
import TestSupport

/// `minusma map`: a well-formed, reproducible SVG whose sites rsvg-convert draws where cs2cs
/// puts them.
@Suite struct MapCommandTests {
    @Test func wellFormedReproducibleAndCommitted() throws {
        let dir = try TestSupport.temporaryFolder()
        #expect(try TestSupport.minusma(["map", "--out", dir]).status == 0)
        let svg = dir + "/minusma-withdrawal.svg"
        if TestSupport.requireTool("xmllint") == nil {
            #expect(try TestSupport.run("xmllint", ["--noout", svg]).status == 0)
        }
        let first = try TestSupport.bytes(svg)
        #expect(try TestSupport.minusma(["map", "--out", dir]).status == 0)
        #expect(try TestSupport.bytes(svg) == first, "byte-identical on rerun")
        #expect(first == (try? TestSupport.bytes(TestSupport.path("Output/minusma-withdrawal.svg"))),
                "Output/minusma-withdrawal.svg is the committed map: run `make export`")
    }

    @Test func asOfFramesAndAnimation() throws {
        let dir = try TestSupport.temporaryFolder()
        let r = try TestSupport.minusma(["map", "--out", dir, "--as-of", "2023-11-01", "--animated", "--frames", dir, "--step", "month"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("5 of 13 sites open on 2023-11-01"))
        let asOf = try TestSupport.read(dir + "/minusma-withdrawal-2023-11-01.svg")
        #expect(asOf.contains("5 of 13 sites still open on 1 November 2023"))
        let animated = try TestSupport.read(dir + "/minusma-withdrawal-animated.svg")
        #expect(animated.components(separatedBy: "<animate attributeName=\"fill-opacity\"").count - 1 == 13)
        let frames = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("frame-") }
        #expect(frames.count == 17)
        if TestSupport.requireTool("xmllint") == nil {
            for f in ["minusma-withdrawal-animated.svg", "frame-2024-07-01.svg"] {
                #expect(try TestSupport.run("xmllint", ["--noout", dir + "/" + f]).status == 0)
            }
        }
    }

    @Test func missingRsvgConvertIsANoteNotAFailure() throws {
        let dir = try TestSupport.temporaryFolder()
        let r = try TestSupport.minusma(["map", "--out", dir, "--png"], environment: ["PATH": "/nonexistent"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("rsvg-convert is not installed"))
        #expect(FileManager.default.fileExists(atPath: dir + "/minusma-withdrawal.svg"))
    }

    /// rsvg-convert renders the PNG; three sites' symbols (found by their fill colour) sit within
    /// 2 px of where cs2cs and the SVG's own transform put them.
    @Test func sitesAreDrawnWhereCs2csPutsThem() throws {
        if let missing = TestSupport.requireTool("rsvg-convert") ?? TestSupport.requireTool("cs2cs") {
            Issue.record(Comment(rawValue: missing))
            return
        }
        let dir = try TestSupport.temporaryFolder()
        #expect(try TestSupport.minusma(["map", "--out", dir, "--png"]).status == 0)
        let svg = try TestSupport.read(dir + "/minusma-withdrawal.svg")
        // The transform the SVG declares.
        let json = try #require(svg.components(separatedBy: "<metadata id=\"map-transform\">").last?.components(separatedBy: "</metadata>").first)
        let t = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let crs = try #require(t["crs"] as? String)
        let (left, top, minX, maxY, scale) = (t["left"] as! Double, t["top"] as! Double, t["minX"] as! Double, t["maxY"] as! Double, t["scale"] as! Double)
        // Gao, Kidal and the Bamako HQ (Data/minusma-sites.csv), each with a colour of its own.
        let sites = [("gao", -0.0194, 16.2472), ("kidal", 1.41351, 18.42801), ("bamako-hq", -7.9499, 12.5335)]
        let input = sites.map { "\($0.2) \($0.1)" }.joined(separator: "\n") + "\n"
        let cs2cs = try TestSupport.run("cs2cs", ["-f", "%.4f", "EPSG:4326", "+to"] + crs.split(separator: " ").map(String.init), stdin: Data(input.utf8))
        let projected = cs2cs.stdout.split(separator: "\n").map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Double($0) } }
        #expect(projected.count == 3, "cs2cs: \(cs2cs.stdout) \(cs2cs.stderr)")
        var colours: [String] = []
        for (id, _, _) in sites {
            let group = try #require(svg.components(separatedBy: "<g id=\"site-\(id)\">").last)
            let fill = try #require(group.components(separatedBy: "fill=\"#").dropFirst().first?.prefix(6))
            colours.append(String(fill))
        }
        // Only inside the map frame: the legend and the timeline use the same colours.
        let (width, height) = (t["width"] as! Double, t["height"] as! Double)
        let found = try TestSupport.run("python3", [TestSupport.path("Tests/map/png_markers.py"), dir + "/minusma-withdrawal.png",
                                                    String(left), String(top), String(width), String(height)] + colours)
        let rows = found.stdout.split(separator: "\n").map { $0.split(separator: " ") }
        #expect(rows.count == 3, "\(found.stdout)\(found.stderr)")
        for (i, row) in rows.enumerated() where row.count == 4 {
            let expectedX = left + (projected[i][0] - minX) * scale
            let expectedY = top + (maxY - projected[i][1]) * scale
            let (x, y) = (Double(row[1]) ?? .nan, Double(row[2]) ?? .nan)
            #expect(abs(x - expectedX) <= 2 && abs(y - expectedY) <= 2,
                    "\(sites[i].0): drawn at \(x), \(y); expected \(expectedX), \(expectedY)")
        }
    }
}

/// `minusma map --data FILE`: a map of the user's data in the user's words, and no trap on odd
/// files or options.
@Suite struct UserDataMapCommandTests {
    static let healthCentres = TestSupport.path("Tests/Fixtures/health-centres.csv")

    /// A small gazetteer file of `rows` (name, longitude, latitude, closed_on; empty cells stay empty).
    static func file(_ rows: [(String, String, String, String)], in dir: String, name: String = "sites.csv") throws -> String {
        var text = "id,name,longitude,latitude,closed_on\n"
        for (i, r) in rows.enumerated() { text += "s\(i),\(r.0),\(r.1),\(r.2),\(r.3)\n" }
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func healthCentresMapInTheirOwnWords() throws {
        let dir = try TestSupport.temporaryFolder()
        let r = try TestSupport.minusma(["map", "--data", Self.healthCentres, "--out", dir, "--png"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("health-centres-map.svg"), "named after the data, not the withdrawal")
        let svg = try TestSupport.read(dir + "/health-centres-map.svg")
        for word in ["MINUSMA", "withdrawal", "Malian authorities", "UN statements"] {
            #expect(!svg.contains(word), "\(word) on a map of health centres")
        }
        #expect(svg.contains("<title>health-centres</title>") && svg.contains("Data: health-centres.csv. Base map: Natural Earth"))
        if TestSupport.requireTool("xmllint") == nil {
            #expect(try TestSupport.run("xmllint", ["--noout", dir + "/health-centres-map.svg"]).status == 0)
        }
        // rsvg-convert read the SVG and drew a PNG of the size it declares.
        if TestSupport.requireTool("rsvg-convert") == nil {
            let png = try TestSupport.bytes(dir + "/health-centres-map.png")
            let size = png.count > 24 ? (png[16..<20].reduce(0) { $0 << 8 | Int($1) }, png[20..<24].reduce(0) { $0 << 8 | Int($1) }) : (0, 0)
            #expect(svg.contains("width=\"\(size.0)\" height=\"\(size.1)\""), "PNG \(size)")
        }
    }

    @Test func titleAndAttributionFlags() throws {
        let dir = try TestSupport.temporaryFolder()
        let r = try TestSupport.minusma(["map", "--out", dir, "--title", "Camps closed", "--attribution", "Compiled by a reader"])
        #expect(r.status == 0, "\(r.stderr)")
        let svg = try TestSupport.read(dir + "/minusma-withdrawal.svg")
        #expect(svg.contains("<title>Camps closed</title>"))
        #expect(svg.contains("Compiled by a reader. Base map: Natural Earth") && !svg.contains("UN statements"))
    }

    @Test func choiceOptionsListTheirChoices() throws {
        let colour = try TestSupport.minusma(["map", "--color-by", "purple"])
        #expect(colour.status == 64 && colour.stderr.contains("'date'") && colour.stderr.contains("'phase'"), "\(colour.stderr)")
        let step = try TestSupport.minusma(["map", "--step", "fortnight"])
        #expect(step.status == 64 && step.stderr.contains("'week'") && step.stderr.contains("'month'"), "\(step.stderr)")
        let dir = try TestSupport.temporaryFolder()
        #expect(try TestSupport.minusma(["map", "--out", dir, "--color-by", "Phase"]).status == 0, "case ignored, as before")
    }

    /// Each of these used to trap (SIGILL) or could loop; now each works or exits with a message.
    @Test func oddFilesAndOptionsNeverTrap() throws {
        let dir = try TestSupport.temporaryFolder()
        let far = try Self.file([("Near", "-8", "12.6", "2020-05-01"), ("Far", "-4", "14", "9999-12-31")], in: dir, name: "far.csv")
        let noPositions = try Self.file([("A", "", "", "2020-01-01"), ("B", "", "", "")], in: dir, name: "nopos.csv")
        let one = try Self.file([("Only", "-8", "12.6", "2021-02-03")], in: dir, name: "one.csv")
        let samePoint = try Self.file((1...5).map { ("P\($0)", "-8", "12.6", "2021-0\($0)-01") }, in: dir, name: "same.csv")
        let undated = try Self.file([("A", "-8", "12.6", ""), ("B", "-4", "14", "")], in: dir, name: "undated.csv")
        let working: [[String]] = [
            ["--data", far], ["--data", far, "--animated"], ["--as-of", "9999-12-31"], ["--data", far, "--as-of", "9999-12-31"],
            ["--data", noPositions], ["--data", one, "--frames", dir], ["--data", samePoint, "--animated"], ["--data", undated, "--animated"],
        ]
        for arguments in working {
            let r = try TestSupport.minusma(["map", "--out", dir] + arguments)
            #expect(r.status == 0, "\(arguments): \(r.status) \(r.stderr)")
        }
        let tooMany = try TestSupport.minusma(["map", "--out", dir, "--data", far, "--frames", dir])
        #expect(tooMany.status == 64 && tooMany.stderr.contains("frames (at most 2000)"), "\(tooMany.stderr)")
        let nothing = try TestSupport.minusma(["map", "--out", dir, "--data", undated, "--frames", dir])
        #expect(nothing.status == 64 && nothing.stderr.contains("has no closure dates"), "\(nothing.stderr)")
        let undatedMap = try TestSupport.read(dir + "/undated-map.svg")
        #expect(undatedMap.contains("No timeline: no site has a closure date"))
    }
}
