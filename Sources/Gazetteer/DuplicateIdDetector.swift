#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds repeated ids in bounded memory, so that a file of ten million rows is checked as
/// exactly as one of thirteen. Ids are kept in memory, ordered by hash, up to `runCapacity`;
/// beyond that, ordered runs are spilled to an unlinked temporary file and merged at the end (an
/// external sort). Only entries whose hashes are equal have their bytes compared, so a hash
/// collision is never reported as a duplicate, and the bytes of a spilled run are read back only
/// for those. Repeats are reported ordered by hash, then id, then input order, whatever the run
/// capacity.
final class DuplicateIdDetector {
    private struct Entry {
        var hash: UInt64
        var line: Int
        /// Where the id's bytes are in its run's arena.
        var offset: UInt32
        var length: UInt32
    }

    /// A spilled run: its entries, then its id bytes, in the temporary file.
    private struct Run {
        var entriesOffset: Int
        var count: Int
        var arenaOffset: Int
    }

    private let runCapacity: Int
    private let arenaCapacity: Int
    @exclusivity(unchecked)
    private var entries: [Entry] = []
    @exclusivity(unchecked)
    private var scratch: [Entry] = []
    @exclusivity(unchecked)
    private var arena: [UInt8] = []
    @exclusivity(unchecked)
    private var runs: [Run] = []
    @exclusivity(unchecked)
    private var spill: Int32 = -1
    @exclusivity(unchecked)
    private var spillSize = 0
    /// A failure to spill, reported when the duplicates are asked for.
    @exclusivity(unchecked)
    private var spillError: GazetteerError?

    /// 64 Ki ids (1.5 MiB of entries, at most 512 KiB of id bytes) per run: ten million rows
    /// make about 150 runs, merged with a 16 KiB buffer each.
    init(runCapacity: Int = 1 << 16, arenaCapacity: Int = 1 << 19) {
        self.runCapacity = max(1, runCapacity)
        self.arenaCapacity = arenaCapacity
    }

    deinit {
        if spill >= 0 { close(spill) }
    }

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    func add(_ id: UnsafeBufferPointer<UInt8>, line: Int) {
        guard spillError == nil else { return }
        if entries.count == runCapacity || arena.count + id.count > arenaCapacity {
            do { try spillRun() } catch { spillError = error; return }
        }
        if entries.isEmpty {
            entries.reserveCapacity(min(runCapacity, 4096))
        }
        entries.append(Entry(hash: Self.hash(id), line: line, offset: UInt32(arena.count), length: UInt32(id.count)))
        arena.append(contentsOf: id)
    }

    /// Orders `entries` by hash, keeping input order among equal hashes: a least-significant-digit
    /// radix sort, 16 bits at a time (four passes over the run, no comparisons).
    private func sortEntries() {
        let n = entries.count
        guard n > 1 else { return }
        if n < 4096 {
            // A small run (the built-in 13 sites): four passes over 64 Ki counters would cost more
            // than comparing. The arena offset grows with the input, so ties keep input order.
            entries.sort { ($0.hash, $0.offset) < ($1.hash, $1.offset) }
            return
        }
        if scratch.count < n { scratch = entries }
        var counts = [Int](repeating: 0, count: 1 << 16)
        entries.withUnsafeMutableBufferPointer { a in
            scratch.withUnsafeMutableBufferPointer { b in
                var from = a, to = b
                for pass in 0..<4 {
                    let shift = UInt64(pass * 16)
                    counts.withUnsafeMutableBufferPointer { c in
                        for i in 0..<c.count { c[i] = 0 }
                        for i in 0..<n { c[Int((from[i].hash >> shift) & 0xFFFF)] += 1 }
                        var total = 0
                        for k in 0..<c.count { let v = c[k]; c[k] = total; total += v }
                        for i in 0..<n {
                            let k = Int((from[i].hash >> shift) & 0xFFFF)
                            to[c[k]] = from[i]
                            c[k] += 1
                        }
                    }
                    swap(&from, &to)
                }
                // Four passes: the ordered entries are back in `a`.
            }
        }
    }

    private func spillRun() throws(GazetteerError) {
        guard !entries.isEmpty else { return }
        if spill < 0 { spill = try temporaryFile(prefix: "minusma-ids") }
        sortEntries()
        let entryBytes = entries.count * MemoryLayout<Entry>.stride
        let at = spillSize
        try check(entries.withUnsafeBytes { writeFully(spill, $0, at: at) })
        try check(arena.withUnsafeBytes { writeFully(spill, $0, at: at + entryBytes) })
        runs.append(Run(entriesOffset: spillSize, count: entries.count, arenaOffset: spillSize + entryBytes))
        spillSize += entryBytes + arena.count
        entries.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
    }

    /// Throws for what `writeFully` or `readFully` returned, unless 0.
    private func check(_ failure: Int32) throws(GazetteerError) {
        guard failure != 0 else { return }
        throw .cannotRead(path: "temporary file for the id check", reason: failure < 0 ? "truncated" : errnoDescription(failure))
    }

    /// Calls `report(id, firstLine, line)` for every occurrence of an id after its first.
    func findDuplicates(_ report: (String, Int, Int) -> Void) throws(GazetteerError) {
        if let spillError { throw spillError }
        if runs.isEmpty {
            sortEntries()
            var i = 0
            while i < entries.count {
                var j = i + 1
                while j < entries.count, entries[j].hash == entries[i].hash { j += 1 }
                if j - i > 1 {
                    let group = entries[i..<j].map { e in (bytes: Array(arena[Int(e.offset)..<Int(e.offset + e.length)]), line: e.line) }
                    Self.reportRepeats(group, report)
                }
                i = j
            }
            return
        }
        try spillRun()
        try mergeRuns(report)
    }

    /// Among entries of one hash, in input order: the repeats of each id, ids in byte order.
    private static func reportRepeats(_ group: [(bytes: [UInt8], line: Int)], _ report: (String, Int, Int) -> Void) {
        // Stable: the input order stays within each id.
        let ordered = group.enumerated().sorted { x, y in
            x.element.bytes != y.element.bytes ? x.element.bytes.lexicographicallyPrecedes(y.element.bytes) : x.offset < y.offset
        }.map(\.element)
        var k = 0
        while k < ordered.count {
            var m = k + 1
            while m < ordered.count, ordered[m].bytes == ordered[k].bytes { m += 1 }
            if m - k > 1 {
                let id = String(decoding: ordered[k].bytes, as: UTF8.self)
                for r in (k + 1)..<m { report(id, ordered[k].line, ordered[r].line) }
            }
            k = m
        }
    }

    /// A sequential reader over the entries of one spilled run, 16 KiB at a time.
    private struct RunCursor {
        var run: Run
        var next = 0
        var buffer: [Entry] = []
        var position = 0
        var current: Entry { buffer[position] }
    }

    private func advance(_ c: inout RunCursor) throws(GazetteerError) -> Bool {
        c.position += 1
        if c.position < c.buffer.count { return true }
        guard c.next < c.run.count else { return false }
        let n = min(c.run.count - c.next, (1 << 14) / MemoryLayout<Entry>.stride)
        if c.buffer.count != n { c.buffer = Array(repeating: Entry(hash: 0, line: 0, offset: 0, length: 0), count: n) }
        let at = c.run.entriesOffset + c.next * MemoryLayout<Entry>.stride
        try check(c.buffer.withUnsafeMutableBytes { readFully(spill, $0, at: at) })
        c.next += n
        c.position = 0
        return true
    }

    private func bytes(of e: Entry, in run: Run) throws(GazetteerError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(e.length))
        if e.length > 0 {
            let at = run.arenaOffset + Int(e.offset)
            try check(out.withUnsafeMutableBytes { readFully(spill, $0, at: at) })
        }
        return out
    }

    /// Merges the runs by hash (runs in input order, so input order holds among equal hashes);
    /// only a hash seen more than once has its entries' bytes read back.
    private func mergeRuns(_ report: (String, Int, Int) -> Void) throws(GazetteerError) {
        var cursors: [RunCursor] = []
        for run in runs {
            var c = RunCursor(run: run, position: -1)
            if try advance(&c) { cursors.append(c) }
        }
        // A binary min-heap of cursor indices, by (hash, run).
        var heap = Array(cursors.indices)
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { Self.siftDown(&heap, from: i, cursors) }
        var group: [(entry: Entry, run: Run)] = []
        func flush() throws(GazetteerError) {
            if group.count > 1 {
                var members: [(bytes: [UInt8], line: Int)] = []
                for g in group { members.append((try bytes(of: g.entry, in: g.run), g.entry.line)) }
                Self.reportRepeats(members, report)
            }
            group.removeAll(keepingCapacity: true)
        }
        while let top = heap.first {
            let e = cursors[top].current
            if let last = group.last, last.entry.hash != e.hash { try flush() }
            group.append((e, cursors[top].run))
            if try advance(&cursors[top]) {
                Self.siftDown(&heap, from: 0, cursors)
            } else {
                heap.swapAt(0, heap.count - 1)
                heap.removeLast()
                Self.siftDown(&heap, from: 0, cursors)
            }
        }
        try flush()
    }

    /// Restores the heap order below `start`. A static function of its arguments: as a nested
    /// function over the merge's variables, every access to them was checked at run time.
    private static func siftDown(_ heap: inout [Int], from start: Int, _ cursors: [RunCursor]) {
        func less(_ a: Int, _ b: Int) -> Bool {
            let x = cursors[a].current.hash, y = cursors[b].current.hash
            return x != y ? x < y : a < b
        }
        var i = start
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count && less(heap[l], heap[m]) { m = l }
            if r < heap.count && less(heap[r], heap[m]) { m = r }
            if m == i { return }
            heap.swapAt(i, m)
            i = m
        }
    }
}
