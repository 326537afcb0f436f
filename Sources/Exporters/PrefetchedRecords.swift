#if canImport(Glibc)
import Glibc
#endif
import Gazetteer
import Synchronization

/// Records copied out of a source, many at a time, to cross from the thread that tokenizes them
/// to the thread that checks them: every field's raw bytes in one buffer, and what each record
/// says about itself.
struct RecordBatch: Sendable {
    struct Record: Sendable {
        var step: CSVRecordReader.Step
        /// Its fields: `starts[firstField..<firstField + fieldCount]`.
        var firstField: Int
        var fieldCount: Int
        var line: Int
        var place: RecordPlace
        var byteCount: Int
        var hasUnusualBytes: Bool
        var gaveUp: Bool
        /// Whether any field is in `unescaped` (most records have none: no lookup for them).
        var hasEscapes = false
        /// The coordinates the source held as numbers (`hasPosition`).
        var x = 0.0, y = 0.0, hasPosition = false
    }
    var bytes: [UInt8] = []
    var starts: [Int] = []
    var ends: [Int] = []
    /// Fields whose text differs from their raw bytes (CSV's doubled quotes), by field index: the
    /// source's own reading of them.
    var unescaped: [Int: String?] = [:]
    var records: [Record] = []
    /// What the source threw after the last record, if it did.
    var failure: GazetteerError?
    /// Whether the read-ahead stopped after this batch (the end, a failure, a source that gave up).
    var isLast = false

    mutating func clear() {
        bytes.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        unescaped.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
        failure = nil
        isLast = false
    }

    /// Copies the source's current record (its step just returned).
    mutating func append<Source: RecordSource>(_ step: CSVRecordReader.Step, from source: Source) {
        let first = starts.count
        let n = step == .record ? source.fieldCount : 0
        var escapes = false
        for i in 0..<n {
            let raw = source.rawField(i)
            starts.append(bytes.count)
            bytes.append(contentsOf: raw)
            ends.append(bytes.count)
            if source.hasEscapes(i) {
                unescaped[first + i] = source.string(i)
                escapes = true
            }
        }
        var record = Record(step: step, firstField: first, fieldCount: n, line: source.recordLine,
                            place: source.recordPlace, byteCount: source.recordByteCount,
                            hasUnusualBytes: source.hasUnusualBytes, gaveUp: source.gaveUp, hasEscapes: escapes)
        if step == .record, let p = source.recordPosition {
            record.x = p.x
            record.y = p.y
            record.hasPosition = true
        }
        records.append(record)
    }
}

/// What the checking thread asks of the read-ahead thread: fill this batch, with these limits.
struct FillRequest: Sendable {
    var batch: RecordBatch
    var maxRecords: Int
    var recordByteLimit: Int
    var fieldLimit: Int
}

/// A record source read ahead on a thread of its own, so that tokenizing a file (CSV quoting,
/// JSON, SQLite's rows) and checking its records use two cores. The source moves to that thread
/// when this object is made. The header is fetched alone, with the header's limits; once the
/// reader has read it (`headerRead()`), two batches circulate: one filled while the other is
/// checked. Records arrive in their order, with the source's failures where they happened. The
/// thread is stopped and joined when this object goes.
final class PrefetchedRecords: RecordSource {
    /// Records per batch, and the bytes after which a batch is sent sooner.
    static let batchRecords = 2048
    static let batchBytes = 1 << 20

    private let thread: WorkerThread?
    private let full: Channel<RecordBatch>?
    private let requests: Channel<FillRequest?>?
    @exclusivity(unchecked)
    private var batch = RecordBatch()
    /// The current record's index in `batch.records`.
    @exclusivity(unchecked)
    private var index = -1
    /// The current record's index; past the batch's end (after a failure), the last record
    /// stays current. Its fields are read in place: copying the record would count references.
    private var k: Int { min(index, batch.records.count - 1) }
    @exclusivity(unchecked)
    private var ended = false
    @exclusivity(unchecked)
    private var readingRecords = false
    /// The current batch's bytes, copied where the pointers `rawField` hands out stay valid until
    /// the next batch (an array's storage is not promised to outlive a closure).
    @exclusivity(unchecked)
    private var arena = UnsafeMutableBufferPointer<UInt8>(start: nil, count: 0)

    // What the source says of itself, read before it moves.
    let displayName: String
    let formatDescription: String
    let columnTypes: [ValueType?]?
    let decimalComma: Bool
    let wellFormedRecord: String
    let separatorInValue: String
    let stopExpectation: String?
    /// Sent with each request; the reader sets the header's limits, then the records'. (Read
    /// on every call of `next()`: unchecked, as the other state of this single-thread reader.)
    @exclusivity(unchecked)
    var recordByteLimit = Int.max
    @exclusivity(unchecked)
    var fieldLimit = Int.max

    /// A reader of `source` whose records after the header are read ahead.
    static func reader(_ source: sending any RecordSource, options: ReadOptions, projection: (any InputProjection)?,
                       fallbackTypes: [ValueType?]? = nil) throws(GazetteerError) -> GazetteerReader {
        let records = PrefetchedRecords(source)
        let reader = try GazetteerReader(records: records, options: options, projection: projection, fallbackTypes: fallbackTypes)
        records.headerRead()
        return reader
    }

    init(_ source: sending any RecordSource) {
        let name = source.displayName
        displayName = name
        formatDescription = source.formatDescription
        columnTypes = source.columnTypes
        decimalComma = source.decimalComma
        wellFormedRecord = source.wellFormedRecord
        separatorInValue = source.separatorInValue
        stopExpectation = source.stopExpectation
        guard let full = Channel<RecordBatch>(), let requests = Channel<FillRequest?>(),
              let thread = WorkerThread.start({ PrefetchedRecords.readAhead(source, full: full, requests: requests) }) else {
            batch.failure = .cannotRead(path: name,
                                        reason: "cannot start a reading thread (\(String(cString: strerror(errno))))")
            batch.isLast = true
            thread = nil
            self.full = nil
            self.requests = nil
            return
        }
        self.thread = thread
        self.full = full
        self.requests = requests
    }

    deinit {
        if let thread, let requests {
            // Two batches circulate and each channel holds four, so neither side blocks on a
            // send: the thread finishes the batch it fills, then reads the stop.
            requests.send(nil)
            thread.join()
        }
        if arena.baseAddress != nil { arena.deallocate() }
    }

    /// Called once the reader has read the header: from now on a second batch is filled ahead.
    func headerRead() {
        guard !readingRecords, !batch.isLast else { return }
        readingRecords = true
        requests?.send(request(RecordBatch()))
    }

    private func request(_ batch: RecordBatch) -> FillRequest {
        FillRequest(batch: batch, maxRecords: readingRecords ? Self.batchRecords : 1,
                    recordByteLimit: recordByteLimit, fieldLimit: fieldLimit)
    }

    // MARK: - The current record

    var fieldCount: Int { k >= 0 ? batch.records[k].fieldCount : 0 }
    var recordLine: Int { k >= 0 ? batch.records[k].line : 0 }
    var recordPlace: RecordPlace { k >= 0 ? batch.records[k].place : .none }
    var recordByteCount: Int { k >= 0 ? batch.records[k].byteCount : 0 }
    var hasUnusualBytes: Bool { k >= 0 && batch.records[k].hasUnusualBytes }
    var gaveUp: Bool { k >= 0 && batch.records[k].gaveUp }
    var recordPosition: (x: Double, y: Double)? {
        guard k >= 0, batch.records[k].hasPosition else { return nil }
        return (batch.records[k].x, batch.records[k].y)
    }

    // Fields are those of record `k`: valid even after a failure (the last record's) and never
    // past the batch.
    func rawField(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let f = batch.records[k].firstField + i
        return UnsafeBufferPointer(rebasing: arena[batch.starts[f]..<batch.ends[f]])
    }

    func isEmpty(_ i: Int) -> Bool {
        let f = batch.records[k].firstField + i
        return batch.starts[f] == batch.ends[f]
    }

    func hasEscapes(_ i: Int) -> Bool {
        batch.records[k].hasEscapes && batch.unescaped.index(forKey: batch.records[k].firstField + i) != nil
    }

    func string(_ i: Int) -> String? {
        if batch.records[k].hasEscapes, let text = batch.unescaped[batch.records[k].firstField + i] { return text }
        return UTF8Text.string(rawField(i))
    }

    func next() throws(GazetteerError) -> CSVRecordReader.Step {
        while true {
            if ended { return .end }
            index += 1
            if index < batch.records.count { return batch.records[index].step }
            if let failure = batch.failure {
                ended = true
                throw failure
            }
            guard !batch.isLast, let full, let requests else {
                ended = true
                return .end
            }
            requests.send(request(batch))
            batch = full.receive()
            keep(batch.bytes)
            index = -1
        }
    }

    private func keep(_ bytes: [UInt8]) {
        if arena.count < bytes.count {
            if arena.baseAddress != nil { arena.deallocate() }
            arena = .allocate(capacity: max(bytes.count, arena.count * 2, 1 << 16))
        }
        if !bytes.isEmpty { _ = arena.initialize(from: bytes) }
    }

    /// Runs on the read-ahead thread: fills the batches it is asked to until the source ends,
    /// fails or gives up, or it is told to stop.
    private static func readAhead<Source: RecordSource>(_ source: Source, full: Channel<RecordBatch>, requests: Channel<FillRequest?>) {
        while let request = requests.receive() {
            var batch = request.batch
            batch.clear()
            source.recordByteLimit = request.recordByteLimit
            source.fieldLimit = request.fieldLimit
            while batch.records.count < request.maxRecords && batch.bytes.count < batchBytes {
                do {
                    let step = try source.next()
                    batch.append(step, from: source)
                    // A source that gave up cannot say where its next record starts.
                    if step == .end || (source.gaveUp && step != .record) { batch.isLast = true; break }
                } catch {
                    batch.failure = error
                    batch.isLast = true
                    break
                }
            }
            let last = batch.isLast
            full.send(batch)
            if last { return }
        }
    }
}
