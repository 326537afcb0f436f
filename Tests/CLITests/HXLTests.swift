import Foundation
import Testing
import TestSupport

/// `--hxl`: a row of HXL hashtags under the CSV header, read back by libhxl (the HXL project's
/// own Python library) in both CSV profiles.
@Suite struct HXLTests {
    static let reader = """
        import json, sys
        try:
            import hxl
        except ImportError as e:
            print("missing:", e); sys.exit(3)
        source = hxl.data(sys.argv[1], hxl.InputOptions(allow_local=True))
        tags = [c.display_tag for c in source.columns]
        rows = [[r.get("#loc+code"), r.get("#loc+name"), r.get("#geo+lat"), r.get("#geo+lon"), r.get("#date+closed")] for r in source]
        print(json.dumps({"tags": tags, "rows": rows}))
        """

    func export(_ flags: [String]) throws -> String {
        let dir = try TestSupport.temporaryFolder("minusma-hxl")
        let data = TestSupport.path("Tests/Fixtures/health-centres.csv")
        let r = try TestSupport.minusma(["export", "--data", data, "--format", "csv", "--out", dir, "--quiet"] + flags)
        #expect(r.status == 0, "\(r.stderr)")
        return dir
    }

    @Test(arguments: ["health-centres.csv", "health-centres-excel.csv"])
    func libhxlReadsTheHashtags(_ file: String) throws {
        let dir = try export(["--hxl", "--excel"])
        let r = try TestSupport.run("python3", ["-c", Self.reader, dir + "/" + file])
        if r.status == 3 { Issue.record("libhxl is not installed (pip install libhxl): \(r.stdout)"); return }
        #expect(r.status == 0, "\(r.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let tags = try #require(root["tags"] as? [String])
        #expect(tags == ["#loc+code", "#loc+name", "#adm1+name", "#geo+lon", "#geo+lat", "#date+opened", "#date+closed",
                         "#description+notes", "#population", "#contact+phone"], "\(tags)")
        let rows = try #require(root["rows"] as? [[Any]])
        #expect(rows.count == 54)
        let first = try #require(rows.first)
        #expect(first[0] as? String == "hc-001")
        #expect(first[1] as? String == "CSCom de Sébénikoro")
        #expect(first[4] as? String == "2019-01-01")
        let latitude = (first[2] as? String).map { $0.replacingOccurrences(of: ",", with: ".") }
        #expect(latitude == "14.9172")
    }

    @Test func withoutTheFlagTheSecondRowIsData() throws {
        let dir = try export([])
        let lines = try TestSupport.read(dir + "/health-centres.csv").split(separator: "\n")
        #expect(lines.count == 55)
        #expect(lines.dropFirst().first?.hasPrefix("hc-001,") == true)
    }
}
