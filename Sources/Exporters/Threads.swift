#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import TextOutput

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

/// A blocking first-in first-out queue from one thread to one other, of bounded capacity: a ring
/// of slots whose ownership passes through two pipe semaphores (filled slots, free slots). The
/// sender writes a slot only after the receiver freed it, and the receiver reads it only after
/// the sender filled it, so every access to a slot is ordered by a pipe (which ThreadSanitizer
/// sees too) and guarded by the slot's `Mutex`. Each side keeps its own position in the ring.
final class Channel<Element: Sendable>: Sendable {
    private final class Slot: Sendable {
        let item = Mutex<Element?>(nil)
    }

    private let slots: [Slot]
    private let filled: PipeSemaphore
    private let free: PipeSemaphore
    /// The sender's and the receiver's next slot; each is touched by its own side only.
    private let sendPosition = Mutex(0)
    private let receivePosition = Mutex(0)

    /// `capacity` items may wait; a send past them blocks until one is received.
    init?(capacity: Int = 4) {
        guard let filled = PipeSemaphore(), let free = PipeSemaphore() else { return nil }
        slots = (0..<capacity).map { _ in Slot() }
        self.filled = filled
        self.free = free
        for _ in 0..<capacity { free.signal() }
    }

    func send(_ item: Element) {
        free.wait()
        let k = sendPosition.withLock { p in
            let k = p
            p = (p + 1) % slots.count
            return k
        }
        slots[k].item.withLock { $0 = item }
        filled.signal()
    }

    func receive() -> Element {
        while true {
            filled.wait()
            let k = receivePosition.withLock { p in
                let k = p
                p = (p + 1) % slots.count
                return k
            }
            let item = slots[k].item.withLock { slot in
                let item = slot
                slot = nil
                return item
            }
            free.signal()
            // A filled slot always holds an item; the loop only guards the invariant.
            if let item { return item }
        }
    }
}
