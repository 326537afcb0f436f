#if canImport(Glibc)
import Glibc
#endif
import Gazetteer
import Projection

/// A batch of selected sites with their positions: in WGS 84 as the reading side gathers them,
/// then in the output CRS once `BatchProjector` has transformed them.
struct SiteBatch: Sendable {
    var sites: [Site] = []
    /// Coordinates of the sites that have a position, in order.
    var xs: [Double] = []
    var ys: [Double] = []
    /// For each site, its index in `xs`/`ys`, or -1 when it has no position.
    var slot: [Int] = []
    /// Records read from the input so far (for progress).
    var recordsSeen = 0
}

/// The reading side of an export: reads, validates and filters sites in batches, and gathers
/// their positions for `BatchProjector`. It lives on one thread.
final class SiteProducer {
    enum Item: Sendable {
        case batch(SiteBatch)
        case end(ValidationReport)
        case failure(ExportError)
    }

    private let reader: GazetteerReader
    private let filter: SiteFilter
    /// Projects here, on the reading thread, when the writing thread is the longer one.
    private let projector: BatchProjector?
    private var prepared = false
    private let batchSize: Int
    private var rejected = false
    private var seen = 0

    init(reader: sending GazetteerReader, filter: SiteFilter, projector: sending BatchProjector?, batchSize: Int) {
        self.reader = reader
        self.filter = filter
        self.projector = projector
        self.batchSize = batchSize
    }

    /// Fills `batch` with the next selected sites and their positions; `.end` (after the
    /// whole-file checks) when the input is exhausted.
    func produce(into batch: SiteBatch) -> Item {
        if !prepared {
            prepared = true
            do { try projector?.prepare() } catch { return .failure(error) }
        }
        var batch = batch
        while true {
            batch.sites.removeAll(keepingCapacity: true)
            var atEnd = false
            do {
                while batch.sites.count < batchSize {
                    guard let site = try reader.next() else { atEnd = true; break }
                    seen += 1
                    if filter.matches(site) { batch.sites.append(consume site) }
                }
            } catch {
                return .failure(.input(error))
            }
            batch.recordsSeen = seen
            // Once the input is known to be rejected, keep reading only to report every problem.
            if reader.report.isRejected { rejected = true }
            if !rejected && !batch.sites.isEmpty {
                Self.gatherPositions(&batch)
                if let projector {
                    do { try projector.project(&batch) } catch { return .failure(error) }
                }
                return .batch(batch)
            }
            if atEnd {
                do { return .end(try reader.finish()) } catch { return .failure(.input(error)) }
            }
        }
    }

    private static func gatherPositions(_ batch: inout SiteBatch) {
        batch.slot.removeAll(keepingCapacity: true)
        batch.xs.removeAll(keepingCapacity: true)
        batch.ys.removeAll(keepingCapacity: true)
        for site in batch.sites {
            if let p = site.position {
                batch.slot.append(batch.xs.count)
                batch.xs.append(p.longitude)
                batch.ys.append(p.latitude)
            } else {
                batch.slot.append(-1)
            }
        }
    }

    /// Runs on the reading thread: fills the batches it is given until told to stop or done.
    static func serve(_ producer: SiteProducer, full: Channel<Item>, empty: Channel<SiteBatch?>) {
        while let batch = empty.receive() {
            let item = producer.produce(into: batch)
            full.send(item)
            if case .batch = item { continue }
            return
        }
    }
}

/// Transforms each batch's positions into the output CRS. It runs on the writing thread when
/// the writers are light (GeoJSON, KML, CSV: the checks are then the longest stage, and PROJ's
/// share moved here evens the two), else on the reading thread (`ExportFormat.heavyWriter`).
/// `prepare()` makes the transformer on the thread that uses it, before any record is read, so
/// that a CRS PROJ cannot reach fails the export whatever the data.
final class BatchProjector {
    /// The output CRS as PROJ reads it.
    private let targetCRS: String
    /// The input's name, for messages.
    private let inputName: String
    private var transformer: Transformer?

    init(targetCRS: String, inputName: String) {
        self.targetCRS = targetCRS
        self.inputName = inputName
    }

    func prepare() throws(ExportError) {
        guard transformer == nil else { return }
        do {
            let context = ProjContext()
            // The CRS the pipeline described: the horizontal part of a compound one.
            let target = try CRS(targetCRS, context: context).horizontal2D().crs
            transformer = try Transformer(from: CRS.wgs84(context: context), to: target)
        } catch { throw .projection(error, site: nil) }
    }

    func project(_ batch: inout SiteBatch) throws(ExportError) {
        guard !batch.xs.isEmpty else { return }
        try prepare()
        guard let transformer else { return }
        do throws(ProjectionError) {
            try Exporter.transform(transformer, &batch.xs, &batch.ys, count: batch.xs.count)
        } catch {
            let i = batch.slot.firstIndex(of: error.pointIndex ?? 0) ?? 0
            let site = batch.sites[i]
            let at = site.position.map { " at \($0.longitude), \($0.latitude) (lon, lat)" } ?? ""
            throw .projection(error, site: "\(inputName):\(site.line): site '\(site.id)'\(at)")
        }
    }
}

/// The writing side's view of the stream. The producer runs on a second thread, so that on a
/// two-core machine parsing and writing overlap; batches travel back to it to be reused, so that
/// the sites' strings are allocated and freed by the same thread.
final class SiteStream {
    private let thread: WorkerThread
    private let full: Channel<SiteProducer.Item>
    private let empty: Channel<SiteBatch?>
    private var running = true
    private var outcome: Result<ValidationReport, ExportError>?

    private init(thread: WorkerThread, full: Channel<SiteProducer.Item>, empty: Channel<SiteBatch?>) {
        self.thread = thread
        self.full = full
        self.empty = empty
    }

    /// Starts the producer on its own thread; it belongs to that thread from now on.
    static func start(_ producer: sending SiteProducer) throws(ExportError) -> SiteStream {
        guard let full = Channel<SiteProducer.Item>(), let empty = Channel<SiteBatch?>() else {
            throw .output(.cannotWrite(path: "the export", reason: "cannot make a pipe (\(String(cString: strerror(errno))))"))
        }
        // Two batches in flight: one being filled, one being written.
        empty.send(SiteBatch())
        empty.send(SiteBatch())
        guard let thread = WorkerThread.start({ SiteProducer.serve(producer, full: full, empty: empty) }) else {
            throw .output(.cannotWrite(path: "the export", reason: "the system refused a reading thread (\(String(cString: strerror(errno))))"))
        }
        return SiteStream(thread: thread, full: full, empty: empty)
    }

    /// The next batch, nil at the end; rethrows the reading side's failure.
    func next() throws(ExportError) -> SiteBatch? {
        guard running else { return nil }
        switch full.receive() {
        case .batch(let b): return b
        case .end(let report):
            outcome = .success(report)
            stop()
            return nil
        case .failure(let e):
            outcome = .failure(e)
            stop()
            throw e
        }
    }

    /// Gives a written batch back for reuse.
    func recycle(_ batch: SiteBatch) {
        if running { empty.send(batch) }
    }

    /// Stops the reading side (after a write error, or at the end) and waits for it.
    func stop() {
        guard running else { return }
        running = false
        // A producer still filling a batch sends it, then reads this stop.
        empty.send(nil)
        thread.join()
    }

    /// The whole-file checks' verdict, once the stream has ended.
    func finish() -> Result<ValidationReport, ExportError> {
        stop()
        return outcome ?? .failure(.input(.cannotRead(path: "input", reason: "reading stopped")))
    }
}
