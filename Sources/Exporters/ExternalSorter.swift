#if canImport(Glibc)
import Glibc
#endif
import Gazetteer
import TextOutput

/// Fixed-size values put in order in bounded memory: they are sorted in runs of `runCapacity`,
/// each run spilled to an unlinked temporary file, and the runs merged when read. A set that fits
/// in one run never touches the disk. The GeoPackage's R-tree sorts its points by x with it, and
/// the points' leaves by fid: at 10M points, SQLite's sorter took over half the writer's time.
final class ExternalSorter<Element: BitwiseCopyable & Comparable> {
    /// Where the runs are spilled.
    let directory: String
    private let runCapacity: Int
    private var run: [Element] = []
    private var fd: Int32 = -1
    /// Each spilled run's elements, as positions in the file (in elements, not bytes).
    private var runs: [Range<Int>] = []
    private var spilled = 0

    /// `Element`'s order should be total (ties broken by an id), so that the order read back does
    /// not depend on the run size. (A `Comparable` element, not a closure: the sorts and the merge
    /// are specialized for it, and a closure call per comparison was most of their time.)
    init(directory: String, runCapacity: Int = 1 << 16) {
        self.directory = directory
        self.runCapacity = max(2, runCapacity)
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    var count: Int { spilled + run.count }

    func append(_ element: Element) throws(OutputError) {
        if run.isEmpty { run.reserveCapacity(min(runCapacity, 1 << 12)) }
        run.append(element)
        if run.count == runCapacity { try spillRun() }
    }

    /// Calls `body` with every element, in order, then forgets them all.
    func drain(_ body: (Element) throws(ExportError) -> Void) throws(ExportError) {
        defer { reset() }
        if runs.isEmpty {
            run.sort()
            for element in run { try body(element) }
            return
        }
        do { try spillRun() } catch { throw .output(error) }
        run = []
        try merge(body)
    }

    private func reset() {
        run = []
        runs = []
        spilled = 0
        if fd >= 0 { close(fd); fd = -1 }
    }

    private var elementSize: Int { MemoryLayout<Element>.stride }

    private func spillRun() throws(OutputError) {
        guard !run.isEmpty else { return }
        if fd < 0 {
            guard let (made, path) = TemporaryFile.make(in: directory, prefix: ".minusma-sort-") else {
                throw .cannotCreate(path: "\(directory)/.minusma-sort-*", reason: String(cString: strerror(errno)))
            }
            fd = made
            unlink(path)  // the descriptor keeps it until it is closed
        }
        run.sort()
        let failure = run.withUnsafeBytes { bytes in writeFully(fd, bytes, at: spilled * elementSize) }
        if failure != 0 { throw .cannotWrite(path: "a temporary sort file in \(directory)", reason: String(cString: strerror(failure))) }
        runs.append(spilled..<spilled + run.count)
        spilled += run.count
        run.removeAll(keepingCapacity: true)
    }

    /// One buffered reader per run, and a binary heap of the runs by their next element.
    private func merge(_ body: (Element) throws(ExportError) -> Void) throws(ExportError) {
        // 16 KiB a run: 10M points make 153 runs of 64 Ki, read back through 2.4 MiB.
        let chunk = max(1, (1 << 14) / elementSize)
        var cursors = runs.map { RunCursor(remaining: $0, chunk: chunk) }
        for i in cursors.indices {
            if let failure = cursors[i].refill(fd) { throw readError(failure) }
        }
        var heap = Array(cursors.indices.filter { cursors[$0].head != nil })
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { Self.siftDown(&heap, from: i, cursors) }
        while let top = heap.first {
            try body(cursors[top].head!)
            if let failure = cursors[top].advance(fd) { throw readError(failure) }
            if cursors[top].head == nil {
                heap[0] = heap[heap.count - 1]
                heap.removeLast()
            }
            if !heap.isEmpty { Self.siftDown(&heap, from: 0, cursors) }
        }
    }

    /// Restores the heap of runs (by their next element, then run) below `start`. A static
    /// function of its arguments: nested in the merge, its accesses were checked at run time.
    private static func siftDown(_ heap: inout [Int], from start: Int, _ cursors: [RunCursor]) {
        func less(_ a: Int, _ b: Int) -> Bool {
            let x = cursors[a].head!, y = cursors[b].head!
            return x < y || (!(y < x) && a < b)
        }
        var i = start
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < heap.count, less(heap[l], heap[smallest]) { smallest = l }
            if r < heap.count, less(heap[r], heap[smallest]) { smallest = r }
            if smallest == i { return }
            heap.swapAt(i, smallest)
            i = smallest
        }
    }

    /// A run that cannot be read back (the export cannot be written without it).
    private func readError(_ failure: Int32) -> ExportError {
        let why = failure < 0 ? "the file ended before the run" : String(cString: strerror(failure))
        return .output(.cannotWrite(path: "the export", reason: "reading back a temporary sort file in \(directory) failed (\(why))"))
    }

    /// Reads a run back a chunk at a time.
    private struct RunCursor {
        var remaining: Range<Int>
        let chunk: Int
        var buffer: [Element] = []
        var at = 0

        init(remaining: Range<Int>, chunk: Int) {
            self.remaining = remaining
            self.chunk = chunk
        }

        var head: Element? { at < buffer.count ? buffer[at] : nil }

        /// Moves past the head; nil when fine, else what `refill` returned.
        mutating func advance(_ fd: Int32) -> Int32? {
            at += 1
            return at < buffer.count ? nil : refill(fd)
        }

        /// The next chunk of the run (none at its end); nil when fine, else an errno, or -1 for a
        /// short file.
        mutating func refill(_ fd: Int32) -> Int32? {
            let n = min(chunk, remaining.count)
            at = 0
            guard n > 0 else { buffer.removeAll(); return nil }
            let stride = MemoryLayout<Element>.stride
            let offset = remaining.lowerBound * stride
            if buffer.count != n { buffer = Array(unsafeUninitializedCapacity: n) { _, initialized in initialized = n } }
            let failure = buffer.withUnsafeMutableBytes { readFully(fd, $0, at: offset) }
            remaining = remaining.lowerBound + n..<remaining.upperBound
            return failure == 0 ? nil : failure
        }
    }
}
