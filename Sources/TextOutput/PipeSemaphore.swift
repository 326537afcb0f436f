#if canImport(Glibc)
import Glibc
#endif

/// A counting semaphore on a pipe: `signal` writes a byte, `wait` blocks in the kernel until it
/// can read one. It carries no data; the data a thread hands over is guarded by a `Mutex`. A pipe
/// also orders the two threads for ThreadSanitizer, which does not see `Mutex`'s futex.
package final class PipeSemaphore: Sendable {
    private let readEnd: Int32
    private let writeEnd: Int32

    package init?() {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return nil }
        readEnd = ends[0]
        writeEnd = ends[1]
        // Close-on-exec: a spawned program (rsvg-convert) must not inherit them.
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    package func signal() {
        var byte: UInt8 = 1
        while write(writeEnd, &byte, 1) < 0 && errno == EINTR {}
    }

    package func wait() {
        var byte: UInt8 = 0
        while read(readEnd, &byte, 1) < 0 && errno == EINTR {}
    }
}
