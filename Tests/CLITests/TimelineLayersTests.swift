import Foundation
import Testing
import TestSupport

/// `minusma timeline` writes one file set of many layers: it must not hold a descriptor per file
/// until the commit (a weekly timeline of ten years is 522 steps, 1,566 CSV files).
@Suite struct TimelineLayersTests {
    @Test func aLongTimelineFitsInFewDescriptors() throws {
        let dir = try TestSupport.temporaryFolder()
        let data = dir + "/decade.csv"
        try "id,name,lat,lon,closed_on\na,A,14,-4,2000-01-05\nb,B,13,-5,2009-12-31\n".write(toFile: data, atomically: true, encoding: .utf8)
        let out = dir + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: false)
        let r = try TestSupport.run("/bin/sh", ["-c", "ulimit -n 128 && exec \"$0\" timeline --data \"$1\" --step week --format csv --out \"$2\"",
                                                TestSupport.minusma, data, out])
        #expect(r.status == 0, "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(files.filter { $0.hasSuffix(".csv") }.count == 522)
        #expect(files.count == 522 * 3, "each step with its .csvt and .prj, and no temporary file left")
    }
}
