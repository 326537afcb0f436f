import Testing
@testable import Projection
#if canImport(Glibc)
import Glibc
#endif

/// Contexts, CRSs and transformers free what they hold: making and dropping thousands of them
/// leaves the resident memory flat.
@Suite struct LeakTests {
    static func residentMiB() -> Double {
        guard let f = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(f) }
        var size = 0, resident = 0
        withUnsafeMutablePointer(to: &size) { s in
            withUnsafeMutablePointer(to: &resident) { r in
                _ = withVaList([s, r]) { vfscanf(f, "%ld %ld", $0) }
            }
        }
        return Double(resident * Int(sysconf(Int32(_SC_PAGESIZE)))) / 1_048_576
    }

    @Test func thousandsOfTransformersKeepMemoryFlat() throws {
        func cycle(_ n: Int) throws {
            for _ in 0..<n {
                let context = ProjContext()
                let t = try Transformer(from: CRS("EPSG:4326", context: context), to: CRS("EPSG:32630", context: context))
                _ = try t.transform(XY(x: -0.0194, y: 16.2472))
            }
        }
        try cycle(200)  // warm-up: PROJ's caches and the allocator settle
        let before = Self.residentMiB()
        try cycle(2000)
        let after = Self.residentMiB()
        // A leak of even one PJ per cycle (several kB) would add several MiB over 2000 cycles.
        #expect(after - before < 4, "resident memory grew from \(before) MiB to \(after) MiB")
    }
}
