#if canImport(Glibc)
import Glibc
#endif
import Gazetteer
import Projection

/// A batch of selected sites with their positions in the output CRS.
struct SiteBatch {
    var sites: [Site] = []
    /// Output coordinates of the sites that have a position, in order.
    var xs: [Double] = []
    var ys: [Double] = []
    /// For each site, its index in `xs`/`ys`, or -1 when it has no position.
    var slot: [Int] = []
    /// Records read from the input so far (for progress).
    var recordsSeen = 0
}

/// Reads, validates, filters and projects sites on a second thread, in batches, while the caller
/// writes the previous batch: on a two-core machine, parsing and writing overlap. Batches travel
/// back to the reading thread to be reused, so that the sites' strings are allocated and freed
/// by the same thread (glibc's allocator then needs no locks between threads).
///
/// The reader and the transformer belong to the reading thread until `finish()` returns.
final class SiteStream: ThreadBody, @unchecked Sendable {
    enum Item {
        case batch(SiteBatch)
        case end
        case failure(ExportError)
    }

    private let reader: GazetteerReader
    private let filter: SiteFilter
    private let transformer: Transformer?
    private let batchSize: Int
    private let full = Channel<Item>()
    /// Batches to fill; nil tells the reading thread to stop.
    private let empty = Channel<SiteBatch?>()
    private var thread: pthread_t?
    /// Set by the reading thread once the input is known to be rejected (read only after join).
    private var finishResult: Result<ValidationReport, ExportError>?

    /// Reads on the caller's thread, one batch per `next()` (small inputs: a thread costs more
    /// than it saves).
    private let inline: Bool
    private var spare = SiteBatch()
    private var ended = false

    init(reader: GazetteerReader, filter: SiteFilter, transformer: Transformer?, batchSize: Int, concurrent: Bool = true) {
        self.reader = reader
        self.filter = filter
        self.transformer = transformer
        self.batchSize = batchSize
        var started: pthread_t? = nil
        inline = !concurrent
        super.init()
        if concurrent {
            // Two batches in flight: one being filled, one being written.
            empty.send(SiteBatch())
            empty.send(SiteBatch())
            started = startThread(self)
        }
        thread = started
        if concurrent && thread == nil { execute() }
    }

    /// The next batch, nil at the end; rethrows the reading thread's failure.
    func next() throws(ExportError) -> SiteBatch? {
        if inline {
            guard !ended else { return nil }
            let item = produce(into: spare)
            switch item {
            case .batch(let b): return b
            case .end:
                ended = true
                return nil
            case .failure(let e):
                ended = true
                throw e
            }
        }
        switch full.receive() {
        case .batch(let b): return b
        case .end: return nil
        case .failure(let e):
            _ = finish()
            throw e
        }
    }

    /// Gives a written batch back for reuse.
    func recycle(_ batch: SiteBatch) {
        if inline { spare = batch } else { empty.send(batch) }
    }

    /// Waits for the reading thread; the whole-file checks' verdict.
    @discardableResult
    func finish() -> Result<ValidationReport, ExportError> {
        if let thread {
            // Stops a reader the caller gave up on (after a write error); harmless at the end.
            empty.send(nil)
            pthread_join(thread, nil)
            self.thread = nil
        }
        return finishResult ?? .failure(.input(.cannotRead(path: reader.displayName, reason: "reading stopped")))
    }

    override func execute() {
        while true {
            guard let batch = empty.receive() else {
                finishResult = .failure(.input(.cannotRead(path: reader.displayName, reason: "reading stopped")))
                return
            }
            let item = produce(into: batch)
            full.send(item)
            if case .batch = item { continue }
            return
        }
    }

    private var rejected = false
    private var seen = 0

    /// Fills `batch` with the next selected sites and projects them; `.end` (after the whole-file
    /// checks) when the input is exhausted.
    private func produce(into batch: SiteBatch) -> Item {
        var batch = batch
        while true {
            batch.sites.removeAll(keepingCapacity: true)
            var atEnd = false
            do {
                while batch.sites.count < batchSize {
                    guard let site = try reader.next() else { atEnd = true; break }
                    seen += 1
                    if filter.matches(site) { batch.sites.append(site) }
                }
            } catch {
                finishResult = .failure(.input(error))
                return .failure(.input(error))
            }
            batch.recordsSeen = seen
            // Once the input is known to be rejected, keep reading only to report every problem.
            if reader.report.isRejected { rejected = true }
            if !rejected && !batch.sites.isEmpty {
                do { try project(&batch) } catch {
                    finishResult = .failure(error)
                    return .failure(error)
                }
                return .batch(batch)
            }
            if atEnd { return end() }
        }
    }

    private func end() -> Item {
        do {
            finishResult = .success(try reader.finish())
        } catch {
            finishResult = .failure(.input(error))
        }
        return .end
    }

    private func project(_ batch: inout SiteBatch) throws(ExportError) {
        let count = batch.sites.count
        batch.slot.removeAll(keepingCapacity: true)
        batch.xs.removeAll(keepingCapacity: true)
        batch.ys.removeAll(keepingCapacity: true)
        for i in 0..<count {
            if let p = batch.sites[i].position {
                batch.slot.append(batch.xs.count)
                batch.xs.append(p.longitude)
                batch.ys.append(p.latitude)
            } else {
                batch.slot.append(-1)
            }
        }
        guard let transformer, !batch.xs.isEmpty else { return }
        do throws(ProjectionError) {
            try Exporter.transform(transformer, &batch.xs, &batch.ys, count: batch.xs.count)
        } catch {
            let i = batch.slot.firstIndex(of: error.pointIndex ?? 0) ?? 0
            let site = batch.sites[i]
            throw .projection(error, site: "\(reader.displayName):\(site.line): site '\(site.id)' at \(site.position!.longitude), \(site.position!.latitude) (lon, lat)")
        }
    }
}

/// A blocking first-in first-out queue between two threads.
final class Channel<Element>: @unchecked Sendable {
    private var items: [Element] = []
    private var head = 0
    private var mutex = pthread_mutex_t()
    private var ready = pthread_cond_t()

    init() {
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&ready, nil)
    }

    deinit {
        pthread_cond_destroy(&ready)
        pthread_mutex_destroy(&mutex)
    }

    func send(_ item: Element) {
        pthread_mutex_lock(&mutex)
        items.append(item)
        pthread_cond_signal(&ready)
        pthread_mutex_unlock(&mutex)
    }

    func receive() -> Element {
        pthread_mutex_lock(&mutex)
        while head == items.count { pthread_cond_wait(&ready, &mutex) }
        let item = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        }
        pthread_mutex_unlock(&mutex)
        return item
    }
}
