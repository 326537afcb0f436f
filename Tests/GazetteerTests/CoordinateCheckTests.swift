import Foundation
import Testing
@testable import Gazetteer
import MinusmaData

/// Data/coords-check.csv: the second point of each site, its distance as PROJ's `geod` measures
/// it on the WGS 84 ellipsoid, and whether the site's uncertainty covers it.
@Suite struct CoordinateCheckTests {
    struct Check {
        let site: String
        let lon, lat: Double
        let distance: Int
        let siteUncertainty: Int
        let covered: Bool
        let assessment: String
    }

    static func checks() throws -> [Check] {
        var report = ValidationReport(file: BundledData.coordsCheckPath)
        let table = FactTable(text: BundledData.coordsCheckCSV, file: BundledData.coordsCheckPath, report: &report)
        let names = ["site_id", "second_longitude", "second_latitude", "distance_m", "site_uncertainty_m", "covered", "assessment"]
        let columns = try #require(table.columns(names, report: &report))
        #expect(!report.isRejected)
        return try table.rows.map { row in
            let f = FactRow(file: table.file, row: row, columns: columns)
            return Check(site: try #require(f.text("site_id")),
                         lon: try #require(f.text("second_longitude").flatMap(Double.init)),
                         lat: try #require(f.text("second_latitude").flatMap(Double.init)),
                         distance: try #require(f.text("distance_m").flatMap { Int($0) }),
                         siteUncertainty: try #require(f.text("site_uncertainty_m").flatMap { Int($0) }),
                         covered: f.text("covered") == "yes", assessment: f.text("assessment") ?? "")
        }
    }

    /// Metres between two lat/lon points, by PROJ's `geod -I` (a reader we did not write).
    static func geodDistances(_ pairs: [(Double, Double, Double, Double)]) throws -> [Double] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["geod", "+ellps=WGS84", "-I", "+units=m", "-f", "%.3f"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let text = pairs.map { "\($0.0) \($0.1) \($0.2) \($0.3)\n" }.joined()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            line.split(whereSeparator: { $0 == " " || $0 == "\t" }).last.flatMap { Double($0) }
        }
    }

    @Test func everySiteHasASecondPointAtTheRecordedDistance() throws {
        let gazetteer = try Gazetteer.builtIn()
        let checks = try Self.checks()
        #expect(Set(checks.map(\.site)) == Set(gazetteer.sites.map(\.id)))
        let sites = Dictionary(gazetteer.sites.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let pairs = try checks.map { c -> (Double, Double, Double, Double) in
            let p = try #require(sites[c.site]?.position)
            return (p.latitude, p.longitude, c.lat, c.lon)
        }
        let measured = try Self.geodDistances(pairs)
        #expect(measured.count == checks.count)
        for (c, d) in zip(checks, measured) {
            #expect(abs(Double(c.distance) - d) <= 0.5, "\(c.site): recorded \(c.distance) m, geod \(d) m")
            #expect(c.siteUncertainty == sites[c.site]?.coordUncertaintyM.map { Int($0) }, "\(c.site)")
            #expect(c.covered == (Double(c.siteUncertainty) >= d), "\(c.site)")
            // A point the uncertainty does not cover is either widened or explained.
            if !c.covered { #expect(c.assessment.count > 40, "\(c.site) needs a reason") }
        }
        // Spot values of the research file coords-second-sources.csv.
        let tessalit = try #require(checks.first { $0.site == "tessalit" })
        #expect(tessalit.lat == 20.26278 && tessalit.lon == 0.97528 && tessalit.distance == 1747)
        #expect(try #require(checks.first { $0.site == "mopti-sevare" }).distance == 1240)
    }
}
