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
