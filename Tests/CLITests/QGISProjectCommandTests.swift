import Foundation
import Testing
import TestSupport

/// `minusma qgis-project` on any gazetteer: layer ids QGIS keeps, the title, layer name and time
/// range of the user's data, dates at the calendar's ends, standard input read once, and labels
/// left to QGIS's collision handling. The files are read back with xmllint.
@Suite struct QGISProjectCommandTests {
    static let fixture = TestSupport.path("Tests/Fixtures/health-centres.csv")

    /// The values an XPath expression selects (`xmllint --xpath`), one per node.
    static func xpath(_ expression: String, _ file: String) throws -> [String] {
        let r = try TestSupport.run("xmllint", ["--nonet", "--xpath", expression, file])
        // xmllint exits with 10 when nothing matches.
        if r.status == 10 { return [] }
        #expect(r.status == 0, "xmllint --xpath \(expression) \(file): \(r.stderr)")
        return r.stdout.split(separator: "\n").map(String.init)
    }

    static func project(_ arguments: [String], stdin: String? = nil) throws -> String {
        let dir = try TestSupport.temporaryFolder()
        let r = try TestSupport.minusma(["qgis-project", "--out", dir] + arguments, stdin: stdin.map { Data($0.utf8) })
        #expect(r.status == 0, "qgis-project \(arguments): \(r.stderr)")
        // minusma.qgs for the built-in data; named like the GeoPackage for a user's data.
        let projects = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".qgs") }
        #expect(projects.count == 1, "one project in \(projects)")
        return dir + "/" + (projects.first ?? "minusma.qgs")
    }

    @Test(arguments: ["hc", "x", "sites", "minusma-sites"])
    func layerIDsAreLongerThanTenCharactersAndUnique(_ name: String) throws {
        if let missing = TestSupport.requireTool("xmllint") { Issue.record(Comment(rawValue: missing)); return }
        let qgs = try Self.project(["--data", Self.fixture, "--name", name])
        let ids = try Self.xpath("//maplayer/id/text()", qgs)
        #expect(ids.count == 4)
        #expect(Set(ids).count == ids.count, "unique ids: \(ids)")
        for id in ids { #expect(id.count > 10, "QGIS replaces an id of 10 characters or fewer: \(id)") }
        // The layer tree and the drawing order name the same layers.
        let tree = try Self.xpath("//layer-tree-layer/@id", qgs).map { $0.split(separator: "\"").dropFirst().first.map(String.init) ?? $0 }
        let order = try Self.xpath("//layerorder/layer/@id", qgs).map { $0.split(separator: "\"").dropFirst().first.map(String.init) ?? $0 }
        #expect(Set(tree) == Set(ids) && Set(order) == Set(ids), "tree \(tree), order \(order), layers \(ids)")
    }

    @Test func titleLayerNameAndRangeComeFromTheData() throws {
        if let missing = TestSupport.requireTool("xmllint") { Issue.record(Comment(rawValue: missing)); return }
        let qgs = try Self.project(["--data", Self.fixture])
        #expect(try Self.xpath("string(/qgis/title)", qgs) == ["health-centres"])
        #expect(try Self.xpath("string(/qgis/@projectname)", qgs) == ["health-centres"])
        #expect(try Self.xpath("//maplayer[@geometry='Point']/layername/text()", qgs) == ["health-centres"])
        // First opening 2005-01-01; last closure 2023-12-14, so the excluded end is the day after.
        #expect(try Self.xpath("string(//ProjectTimeSettings/TemporalRange/start)", qgs) == ["2005-01-01T00:00:00Z"])
        #expect(try Self.xpath("string(//ProjectTimeSettings/TemporalRange/end)", qgs) == ["2023-12-15T00:00:00Z"])
        let text = try TestSupport.read(qgs)
        #expect(!text.contains("MINUSMA") && !text.lowercased().contains("withdrawal"), "nothing of MINUSMA's on a user's data")
        #expect(!text.contains("make_datetime(2013,7,1"), "no MINUSMA start for sites without an opening date")

        let named = try Self.project(["--data", Self.fixture, "--title", "Centres de santé <2005-2023>", "--name", "hc"])
        #expect(try Self.xpath("string(/qgis/title)", named) == ["Centres de santé <2005-2023>"])
        #expect(try Self.xpath("//maplayer[@geometry='Point']/layername/text()", named) == ["hc"])
    }

    @Test func theBuiltInDataKeepsItsTitleNameAndRange() throws {
        if let missing = TestSupport.requireTool("xmllint") { Issue.record(Comment(rawValue: missing)); return }
        let qgs = try Self.project([])
        #expect(try Self.xpath("string(/qgis/title)", qgs) == ["MINUSMA's withdrawal from Mali, 2023-2024"])
        #expect(try Self.xpath("//maplayer[@geometry='Point']/layername/text()", qgs) == ["MINUSMA events", "MINUSMA sites"])
        #expect(try Self.xpath("string(//maplayer[layername='MINUSMA events']/temporal/@limitMode)", qgs) == ["1"],
                "an event's instant is drawn only when the range includes its end")
        #expect(try Self.xpath("string(//ProjectTimeSettings/TemporalRange/start)", qgs) == ["2023-07-01T00:00:00Z"])
        #expect(try Self.xpath("string(//ProjectTimeSettings/TemporalRange/end)", qgs) == ["2024-11-16T00:00:00Z"])
    }

    /// Standard input is read once (the GeoPackage gets every row); dates at the calendar's ends
    /// and data without dates give a project, not a trap.
    @Test func standardInputAndDatesAtTheEndsOfTheCalendar() throws {
        if let missing = TestSupport.requireTool("xmllint") { Issue.record(Comment(rawValue: missing)); return }
        let ends = try Self.project(["--data", "-"], stdin: "id,name,lat,lon,opened_on,closed_on\na,A,15,-1,,9999-12-31\nb,B,14,-2,0001-01-01,\n")
        #expect(try Self.xpath("string(//ProjectTimeSettings/TemporalRange/start)", ends) == ["0001-01-01T00:00:00Z"])
        #expect(try Self.xpath("string(//ProjectTimeSettings/TemporalRange/end)", ends) == ["9999-12-31T00:00:00Z"],
                "9999-12-31 has no day after: the range ends on it")
        #expect(try Self.xpath("//maplayer[@geometry='Point']/layername/text()", ends) == ["Sites"])
        let gpkg = (ends as NSString).deletingLastPathComponent + "/sites.gpkg"
        let rows = try TestSupport.run("sqlite3", [gpkg, "SELECT count(*) FROM sites"])
        #expect(rows.stdout == "2\n", "both rows of standard input reached the GeoPackage")

        let undated = try Self.project(["--data", "-", "--title", "Puits"], stdin: "id,name,lat,lon\na,A,15,-1\n")
        #expect(try Self.xpath("//ProjectTimeSettings/TemporalRange", undated).isEmpty, "no range without dates")
        #expect(try Self.xpath("string(//maplayer/temporal/@enabled)", undated) == ["0"])
        #expect(try Self.xpath("string(/qgis/title)", undated) == ["Puits"])
    }

    /// Labels in the project and in the GeoJSON's .qml: QGIS's collision handling decides which
    /// to draw (no displayAll), at ordered positions around the point, the markers as obstacles.
    @Test func labelsLeaveCollisionsToQGIS() throws {
        if let missing = TestSupport.requireTool("xmllint") { Issue.record(Comment(rawValue: missing)); return }
        let qgs = try Self.project(["--data", Self.fixture])
        let dir = try TestSupport.temporaryFolder()
        let r = try TestSupport.minusma(["export", "--data", Self.fixture, "--format", "geojson", "--out", dir, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        for file in [qgs, dir + "/health-centres.qml"] {
            let settings = "//labeling[@type='simple']/settings"
            #expect(try Self.xpath("string(\(settings)/text-style/@fieldName)", file) == ["name"], "\(file)")
            #expect(try Self.xpath("string(\(settings)/rendering/@displayAll)", file) == ["0"], "\(file)")
            #expect(try Self.xpath("string(\(settings)/rendering/@obstacle)", file) == ["1"], "\(file)")
            #expect(try Self.xpath("string(\(settings)/rendering/@drawLabels)", file) == ["1"], "\(file)")
            #expect(try Self.xpath("string(\(settings)/rendering/@unplacedVisibility)", file) == ["0"], "\(file)")
            // 6: QgsPalLayerSettings::OrderedPositionsAroundPoint.
            #expect(try Self.xpath("string(\(settings)/placement/@placement)", file) == ["6"], "\(file)")
            #expect(try Self.xpath("string(\(settings)/placement/@predefinedPositionOrder)", file) == ["TR,TL,BR,BL,R,L,TSR,BSR"], "\(file)")
        }
    }
}
