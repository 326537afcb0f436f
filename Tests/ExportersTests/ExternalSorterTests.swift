import Foundation
import Testing
@testable import Exporters

/// The GeoPackage R-tree's sorter: whatever the run size (one run in memory, or many spilled
/// and merged), the same values come back in the same total order, and the sorter is empty after.
@Suite struct ExternalSorterTests {
    struct Pair: BitwiseCopyable, Comparable {
        var key: Double
        var id: Int64

        static func < (a: Pair, b: Pair) -> Bool { (a.key, a.id) < (b.key, b.id) }
    }

    func folder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sort-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    func sorted(_ values: [Pair], runCapacity: Int, in dir: String) throws -> [Pair] {
        let sorter = ExternalSorter<Pair>(directory: dir, runCapacity: runCapacity)
        for v in values { try sorter.append(v) }
        #expect(sorter.count == values.count)
        var out: [Pair] = []
        try sorter.drain { out.append($0) }
        #expect(sorter.count == 0)
        return out
    }

    @Test func sameOrderForEveryRunSize() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var seed: UInt64 = 42
        var values: [Pair] = []
        for i in 0..<20_000 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            // Few distinct keys, so that ties are many and the ids must order them.
            values.append(Pair(key: Double(seed >> 54) - 512, id: Int64(i)))
        }
        let expected = values.sorted()
        for capacity in [2, 3, 1000, 4096, 19_999, 20_000, 1 << 18] {
            #expect(try sorted(values, runCapacity: capacity, in: dir) == expected, "run capacity \(capacity)")
        }
        #expect(try sorted([], runCapacity: 2, in: dir).isEmpty)
        // The spilled runs' file was unlinked as soon as it was made: nothing is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test func aFolderThatCannotHoldTheRunsIsAnError() throws {
        let sorter = ExternalSorter<Pair>(directory: "/nonexistent/folder", runCapacity: 2)
        try sorter.append(Pair(key: 0, id: 1))
        #expect(throws: (any Error).self) { try sorter.append(Pair(key: 0, id: 2)) }
    }
}
