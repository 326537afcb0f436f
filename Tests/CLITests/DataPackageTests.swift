import Foundation
import Testing
import TestSupport

/// `--datapackage`: a Frictionless Data Package beside the CSV, checked by `frictionless validate`
/// (every cell against its declared type) and read as JSON for what it must and must not say.
@Suite struct DataPackageTests {
    static let health = TestSupport.path("Tests/Fixtures/health-centres.csv")

    func export(_ flags: [String]) throws -> String {
        let dir = try TestSupport.temporaryFolder("minusma-datapackage")
        let r = try TestSupport.minusma(["export", "--format", "csv", "--datapackage", "--out", dir, "--quiet"] + flags)
        #expect(r.status == 0, "\(r.stderr)")
        return dir
    }

    func descriptor(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: TestSupport.bytes(path)) as? [String: Any])
    }

    /// The built-in sites, user data with a licence, HXL row and a projected CRS (a centre without
    /// a coordinate leaves its x, y and wkt cells empty, and the row keeps every cell).
    @Test(arguments: [[], ["--data", health, "--hxl", "--license", "CC-BY-4.0", "--crs", "EPSG:32630"]])
    func frictionlessValidatesIt(_ flags: [String]) throws {
        if let missing = TestSupport.requireTool("frictionless") {
            Issue.record(Comment(rawValue: missing + " (pip install frictionless)"))
            return
        }
        let dir = try export(flags)
        let file = flags.isEmpty ? "minusma-sites.datapackage.json" : "health-centres.datapackage.json"
        let r = try TestSupport.run("frictionless", ["validate", "--json", file], cwd: dir)
        #expect(r.status == 0, "\(r.stdout.prefix(3000))\(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(report["valid"] as? Bool == true)
    }

    @Test func fieldsAreTypedAndUserDataGetsNoMadeUpLicence() throws {
        let dir = try export(["--data", Self.health])
        let package = try descriptor(dir + "/health-centres.datapackage.json")
        #expect(package["licenses"] == nil, "no licence unless the user names one")
        let text = try TestSupport.read(dir + "/health-centres.datapackage.json")
        #expect(!text.contains("MINUSMA") && !text.contains("withdrawal"), "user data is theirs")
        let resources = try #require(package["resources"] as? [[String: Any]])
        #expect(resources.first?["path"] as? String == "health-centres.csv")
        let fields = try #require((resources.first?["schema"] as? [String: Any])?["fields"] as? [[String: String]])
        let types = Dictionary(uniqueKeysWithValues: fields.compactMap { f in f["name"].map { ($0, f["type"] ?? "") } })
        #expect(types["population"] == "integer")
        #expect(types["latitude"] == "number")
        #expect(types["closure_date"] == "date")
        #expect(types["phone"] == "string")
    }
}
