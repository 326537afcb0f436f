import Foundation
import Testing
import TestSupport

/// User files through the command line: standard input, rejected and skipped rows, capped
/// error lists, and a 100,000-row round trip.
@Suite struct UserDataCommandTests {
    /// Deterministic rows in Mali: `id,name,lon,lat,closed_on,population:integer`, with commas and
    /// quotes in some names.
    static func rows(_ n: Int) -> (csv: String, rows: [(id: String, name: String, lon: String, lat: String, date: String, population: Int)]) {
        var state: UInt64 = 42
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        /// `micro` millionths of a degree as a 6-decimal string.
        func degrees(_ micro: Int) -> String {
            let sign = micro < 0 ? "-" : "", m = abs(micro)
            let fraction = String(m % 1_000_000)
            return "\(sign)\(m / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
        }
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var csv = "site_id,nom,lon,lat,closed_on,population:integer\n"
        var out: [(String, String, String, String, String, Int)] = []
        out.reserveCapacity(n)
        for i in 1...n {
            let lon = degrees(-12_000_000 + Int(next() % 16_000_000))
            let lat = degrees(10_500_000 + Int(next() % 14_000_000))
            let name = i % 17 == 0 ? "École \"Espoir\", n°\(i)" : "Puits de Ségou n°\(i)"
            let date = "2023-\(two(Int(next() % 12) + 1))-\(two(Int(next() % 28) + 1))"
            let population = Int(next() % 100_000)
            let quoted = name.contains(",") || name.contains("\"") ? "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : name
            csv += "p\(i),\(quoted),\(lon),\(lat),\(date),\(population)\n"
            out.append(("p\(i)", name, lon, lat, date, population))
        }
        return (csv, out)
    }

    @Test func standardInput() throws {
        let dir = try TestSupport.temporaryFolder()
        let r = try TestSupport.minusma(["export", "--data", "-", "--format", "geojson", "--out", dir, "--quiet"],
                                        stdin: Data(Self.rows(50).csv.utf8))
        #expect(r.status == 0, "\(r.stderr)")
        let root = try JSONSerialization.jsonObject(with: TestSupport.bytes(dir + "/sites.geojson")) as? [String: Any]
        let features = try #require(root?["features"] as? [[String: Any]])
        #expect(features.count == 50)
        let p = try #require(features[16]["properties"] as? [String: Any])
        #expect(p["name"] as? String == "École \"Espoir\", n°17")
        #expect(p["population"] as? Int != nil, "the :integer hint makes a number")
    }

    @Test func errorsAreCappedAndSkippable() throws {
        var csv = "id,name,lat,lon\n"
        for i in 0..<100 { csv += "s\(i),S,\(i % 2 == 0 ? "15" : "99"),-1\n" }
        let dir = try TestSupport.temporaryFolder()
        let rejected = try TestSupport.minusma(["export", "--data", "-", "--out", dir, "--format", "csv"], stdin: Data(csv.utf8))
        #expect(rejected.status == 65)
        let errors = rejected.stderr.split(separator: "\n").filter { $0.contains(": error: field") }
        #expect(errors.count == 20, "the first 20 are shown")
        #expect(rejected.stderr.contains("... and 30 more errors"))
        #expect(rejected.stderr.contains("rejected: 50 errors (the first 20 shown); nothing was written"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/sites.csv"))

        let skipped = try TestSupport.minusma(["export", "--data", "-", "--out", dir, "--format", "csv", "--skip-invalid"], stdin: Data(csv.utf8))
        #expect(skipped.status == 0)
        #expect(skipped.stderr.contains("skipped 50 invalid rows"))
        let lines = try TestSupport.read(dir + "/sites.csv").split(separator: "\n")
        #expect(lines.count == 51, "header and the 50 good rows")
    }

    @Test func duplicateIdsRejectEvenWithSkipInvalid() throws {
        let csv = "id,name,lat,lon\na,A,15,-1\nb,B,15,-1\na,C,15,-1\n"
        let r = try TestSupport.minusma(["export", "--data", "-", "--out", try TestSupport.temporaryFolder(), "--skip-invalid"], stdin: Data(csv.utf8))
        #expect(r.status == 65)
        #expect(r.stderr.contains("<stdin>:4: error: field 'id': found \"a\" again (first on line 2), expected a unique id"))
    }

    /// A position PROJ cannot put in the output CRS (an orthographic view centred far south)
    /// stops the export with the file, the line, the site and PROJ's reason; nothing is written.
    /// Batches are transformed on the writing thread: the first bad site of the first batch
    /// is the one named, whatever the batch size.
    @Test(arguments: [1, 4096])
    func aPositionOutsideTheProjectionIsNamed(batchSize: Int) throws {
        let dir = try TestSupport.temporaryFolder()
        let input = dir + "/far.csv"
        try "id,name,lon,lat\na,Alpha,100.0,-60.0\nb,Beta,1.0,15.0\nc,Gamma,2.0,16.0\n".write(toFile: input, atomically: true, encoding: .utf8)
        let out = dir + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let r = try TestSupport.minusma(["export", "--data", input, "--crs", "+proj=ortho +lat_0=-60 +lon_0=100", "--format", "csv,gpkg",
                                         "--out", out, "--quiet", "--batch-size", String(batchSize)])
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains("far.csv:3: site 'b' at 1.0, 15.0 (lon, lat): cannot transform point"), "\(r.stderr)")
        #expect(r.stderr.contains("outside the area where the projection is defined"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty)
    }

    /// A CRS that PROJ cannot reach from WGS 84 (Mars) fails the export before any record is
    /// read, whether the data has positions or not, and whichever thread projects.
    @Test(arguments: ["csv", "gpkg"])
    func anUnreachableCRSFailsWhateverTheData(format: String) throws {
        let dir = try TestSupport.temporaryFolder()
        let out = dir + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for (name, rows) in [("none", "a,Alpha,,\n"), ("bad", "a,Alpha,999,999\nb,Beta,1.0,15.0\n")] {
            let input = dir + "/\(name).csv"
            try ("id,name,lon,lat\n" + rows).write(toFile: input, atomically: true, encoding: .utf8)
            let r = try TestSupport.minusma(["export", "--data", input, "--crs", "IAU_2015:49910", "--format", format, "--out", out, "--quiet"])
            #expect(r.status == 64, "\(name), \(format): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("IAU_2015:49910") || r.stderr.contains("transformation"), "\(r.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty)
    }

    /// 100,000 rows in, every value out again: ids, names, coordinates (7 decimals), dates and the
    /// typed extra column, in the CSV; the same count in the GeoJSON.
    @Test func hundredThousandRowRoundTrip() throws {
        let (csv, rows) = Self.rows(100_000)
        let dir = try TestSupport.temporaryFolder()
        let input = dir + "/in.csv"
        try csv.write(toFile: input, atomically: true, encoding: .utf8)
        let r = try TestSupport.minusma(["export", "--data", input, "--format", "csv,geojson", "--out", dir, "--name", "out", "--quiet", "--batch-size", "1000"])
        #expect(r.status == 0, "\(r.stderr.prefix(500))")
        let text = try TestSupport.read(dir + "/out.csv")
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.removeFirst() == "id,name,longitude,latitude,closure_date,population")
        if lines.last == "" { lines.removeLast() }
        #expect(lines.count == rows.count)
        var mismatches = 0
        for (line, row) in zip(lines, rows) {
            let name = row.name.contains(",") || row.name.contains("\"") ? "\"" + row.name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : row.name
            let lon = String(Double(row.lon)!), lat = String(Double(row.lat)!)
            if line != "\(row.id),\(name),\(lon),\(lat),\(row.date),\(row.population)" {
                mismatches += 1
                if mismatches < 3 { Issue.record("\(line) vs \(row)") }
            }
        }
        #expect(mismatches == 0)
        let root = try JSONSerialization.jsonObject(with: TestSupport.bytes(dir + "/out.geojson")) as? [String: Any]
        #expect((root?["features"] as? [Any])?.count == 100_000)
    }
}
