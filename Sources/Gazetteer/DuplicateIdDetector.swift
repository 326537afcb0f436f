#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds repeated ids in bounded memory, so that a file of ten million rows is checked as
/// exactly as one of thirteen. Ids are kept in memory, sorted by hash, up to `runCapacity`; beyond
/// that, sorted runs are spilled to an unlinked temporary file and merged at the end (an external
/// sort). Comparison is on the id bytes, not only the hash, so a hash collision is never reported
/// as a duplicate.
final class DuplicateIdDetector {
    private struct Entry {
        var hash: UInt64
        var line: Int
        var offset: UInt32
        var length: UInt32
    }

    private let runCapacity: Int
    private let arenaCapacity: Int
    @exclusivity(unchecked)
    private var entries: [Entry] = []
    @exclusivity(unchecked)
    private var arena: [UInt8] = []
    @exclusivity(unchecked)
    private var runs: [(offset: Int, count: Int)] = []
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
        self.runCapacity = runCapacity
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

    private func sortEntries() {
        arena.withUnsafeBufferPointer { a in
            entries.sort { x, y in
                if x.hash != y.hash { return x.hash < y.hash }
                let c = Self.compare(a, x, a, y)
                return c != 0 ? c < 0 : x.line < y.line
            }
        }
    }

    private static func compare(_ a: UnsafeBufferPointer<UInt8>, _ x: Entry, _ b: UnsafeBufferPointer<UInt8>, _ y: Entry) -> Int {
        let n = Int(min(x.length, y.length))
        if n > 0 {
            let c = memcmp(a.baseAddress! + Int(x.offset), b.baseAddress! + Int(y.offset), n)
            if c != 0 { return Int(c) }
        }
        return Int(x.length) - Int(y.length)
    }

    private func spillRun() throws(GazetteerError) {
        guard !entries.isEmpty else { return }
        if spill < 0 { spill = try temporaryFile(prefix: "minusma-ids") }
        sortEntries()
        // Record: hash (8) line (8) length (4) bytes.
        var out: [UInt8] = []
        out.reserveCapacity(entries.count * 20 + arena.count)
        for e in entries {
            withUnsafeBytes(of: e.hash.littleEndian) { out.append(contentsOf: $0) }
            withUnsafeBytes(of: Int64(e.line).littleEndian) { out.append(contentsOf: $0) }
            withUnsafeBytes(of: e.length.littleEndian) { out.append(contentsOf: $0) }
            out.append(contentsOf: arena[Int(e.offset)..<Int(e.offset + e.length)])
        }
        let failure: Int32 = out.withUnsafeBytes { p in
            var written = 0
            while written < p.count {
                let n = pwrite(spill, p.baseAddress! + written, p.count - written, off_t(spillSize + written))
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += n
            }
            return 0
        }
        if failure != 0 {
            throw .cannotRead(path: "temporary file for the id check", reason: errnoDescription(failure))
        }
        runs.append((spillSize, entries.count))
        spillSize += out.count
        entries.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
    }

    /// Calls `report(id, firstLine, line)` for every occurrence of an id after its first.
    func findDuplicates(_ report: (String, Int, Int) -> Void) throws(GazetteerError) {
        if let spillError { throw spillError }
        if runs.isEmpty {
            sortEntries()
            arena.withUnsafeBufferPointer { a in
                var i = 0
                while i < entries.count {
                    var j = i + 1
                    while j < entries.count, entries[j].hash == entries[i].hash,
                          Self.compare(a, entries[i], a, entries[j]) == 0 { j += 1 }
                    if j - i > 1 {
                        let first = entries[i]  // sorted by line within equal ids
                        let id = String(decoding: UnsafeBufferPointer(rebasing: a[Int(first.offset)..<Int(first.offset + first.length)]), as: UTF8.self)
                        for k in (i + 1)..<j { report(id, first.line, entries[k].line) }
                    }
                    i = j
                }
            }
            return
        }
        try spillRun()
        try mergeRuns(report)
    }

    /// A sequential reader over one spilled run.
    private struct RunCursor {
        var offset: Int
        var remaining: Int
        var buffer: [UInt8] = []
        var position = 0
        var hash: UInt64 = 0
        var line = 0
        var id: [UInt8] = []

        mutating func advance(_ fd: Int32) throws(GazetteerError) -> Bool {
            guard remaining > 0 else { return false }
            try need(20, fd)
            hash = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position, as: UInt64.self) }.littleEndian
            line = Int(Int64(littleEndian: buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position + 8, as: Int64.self) }))
            let length = Int(UInt32(littleEndian: buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position + 16, as: UInt32.self) }))
            position += 20
            try need(length, fd)
            id = Array(buffer[position..<(position + length)])
            position += length
            remaining -= 1
            return true
        }

        private mutating func need(_ n: Int, _ fd: Int32) throws(GazetteerError) {
            if buffer.count - position >= n { return }
            var rest = Array(buffer[position...])
            let want = max(n - rest.count, 1 << 14)
            var chunk = [UInt8](repeating: 0, count: want)
            var got = 0
            while got < want {
                let r = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, want - got, off_t(offset)) }
                if r < 0 {
                    if errno == EINTR { continue }
                    throw .cannotRead(path: "temporary file for the id check", reason: errnoDescription(errno))
                }
                if r == 0 { break }
                got += r
                offset += r
            }
            rest.append(contentsOf: chunk[0..<got])
            buffer = rest
            position = 0
            if buffer.count < n { throw .cannotRead(path: "temporary file for the id check", reason: "truncated") }
        }
    }

    private func mergeRuns(_ report: (String, Int, Int) -> Void) throws(GazetteerError) {
        var cursors: [RunCursor] = []
        for run in runs {
            var c = RunCursor(offset: run.offset, remaining: run.count)
            // Each cursor may read past its run into the next one; only `remaining` records count.
            if try c.advance(spill) { cursors.append(c) }
        }
        func less(_ a: RunCursor, _ b: RunCursor) -> Bool {
            if a.hash != b.hash { return a.hash < b.hash }
            if a.id != b.id { return a.id.lexicographicallyPrecedes(b.id) }
            return a.line < b.line
        }
        // A binary min-heap of cursors.
        var heap = cursors
        func siftDown(_ start: Int) {
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
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
        var previousHash: UInt64 = 0, previousId: [UInt8] = [], firstLine = -1
        while !heap.isEmpty {
            let top = heap[0]
            if firstLine >= 0 && top.hash == previousHash && top.id == previousId {
                report(String(decoding: top.id, as: UTF8.self), firstLine, top.line)
            } else {
                previousHash = top.hash
                previousId = top.id
                firstLine = top.line
            }
            if try heap[0].advance(spill) {
                siftDown(0)
            } else {
                heap.swapAt(0, heap.count - 1)
                heap.removeLast()
                siftDown(0)
            }
        }
    }
}
