#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A thread that runs one piece of work and is joined. The work's captures are `sending`: they
/// move to the new thread and belong to it until `join()`.
struct WorkerThread {
    private let handle: pthread_t

    /// The work, boxed for the C entry point.
    private final class Start {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Starts `body` on a new thread; nil when the system refuses a thread.
    static func start(_ body: sending @escaping () -> Void) -> WorkerThread? {
        let context = Unmanaged.passRetained(Start(body)).toOpaque()
        var handle = pthread_t()
        let started = pthread_create(&handle, nil, { context in
            guard let context else { return nil }
            Unmanaged<Start>.fromOpaque(context).takeRetainedValue().body()
            return nil
        }, context)
        guard started == 0 else {
            Unmanaged<Start>.fromOpaque(context).release()
            return nil
        }
        return WorkerThread(handle: handle)
    }

    func join() { pthread_join(handle, nil) }
}

/// A counting semaphore on a pipe: `signal` writes a byte, `wait` blocks in the kernel until it
/// can read one. It carries no data; the data a thread hands over is guarded by a `Mutex`.
final class PipeSemaphore: Sendable {
    private let readEnd: Int32
    private let writeEnd: Int32

    init?() {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return nil }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    func signal() {
        var byte: UInt8 = 1
        while write(writeEnd, &byte, 1) < 0 && errno == EINTR {}
    }

    func wait() {
        var byte: UInt8 = 0
        while read(readEnd, &byte, 1) < 0 && errno == EINTR {}
    }
}

/// A blocking first-in first-out queue between two threads: a `Mutex` around the items and a
/// semaphore counting them.
final class Channel<Element: Sendable>: Sendable {
    private struct Queue {
        var items: [Element] = []
        var head = 0
    }

    private let queue = Mutex(Queue())
    private let available: PipeSemaphore

    init?() {
        guard let semaphore = PipeSemaphore() else { return nil }
        available = semaphore
    }

    func send(_ item: Element) {
        queue.withLock { $0.items.append(item) }
        available.signal()
    }

    func receive() -> Element {
        available.wait()
        return queue.withLock { q in
            let item = q.items[q.head]
            q.head += 1
            if q.head == q.items.count {
                q.items.removeAll(keepingCapacity: true)
                q.head = 0
            }
            return item
        }
    }
}
