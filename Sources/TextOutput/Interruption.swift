#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// SIGINT and SIGTERM, handled so that an interrupted run leaves no temporary file behind.
///
/// `install(programName:)` blocks the two signals in the calling thread, which every thread
/// started afterwards inherits, and starts one watcher thread that waits for them with
/// `sigwait`. No code runs in signal context, so the watcher may take locks and touch Swift
/// state. It takes the registry's mutex, removes every registered path, says so on stderr and
/// exits with 128 + the signal (130, 143). A file set's commit holds the same mutex while it
/// renames, so a signal arriving then waits until the commit has completed or rolled back.
///
/// Without `install` (the library used on its own, tests in-process) the signals keep their
/// default action and the registry is simply bookkeeping.
public enum Interruption {
    /// Paths to remove when a signal ends the process: temporary files, and the lock file of a
    /// folder this process holds.
    struct Registry {
        var paths: Set<String> = []
        /// Child processes to end first (an encoder that would otherwise write on after us).
        var children: Set<pid_t> = []
        var programName = "minusma"
        var installed = false
    }

    private static let registry = Mutex(Registry())
    /// One token, taken around every use of the registry: the `Mutex` guards it, and the pipe
    /// makes the hand-over between threads visible to ThreadSanitizer (which does not see the
    /// futex inside `Mutex`), so that a sanitizer run reports real races only.
    private static let gate: PipeSemaphore? = {
        let gate = PipeSemaphore()
        gate?.signal()
        return gate
    }()

    private static func withRegistry<R, E: Error>(_ body: (inout Registry) throws(E) -> R) throws(E) -> R {
        gate?.wait()
        defer { gate?.signal() }
        return try registry.withLock { (r: inout sending Registry) throws(E) -> R in try body(&r) }
    }

    /// Call first thing in `main`, before any other thread exists (a thread started earlier
    /// would still receive the signals and die without cleaning up). Later calls do nothing.
    public static func install(programName: String) {
        let first = withRegistry { r in
            r.programName = programName
            defer { r.installed = true }
            return !r.installed
        }
        guard first else { return }
        var signals = handledSignals()
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { _ in
            Interruption.watch()
        }, nil)
        if started == 0 { pthread_detach(thread) } else {
            // No watcher: better the default action than signals ignored forever.
            pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        }
    }

    /// The mask a child process should start with: the two signals unblocked again, since a
    /// spawned program inherits the blocked mask (see `posix_spawnattr_setsigmask`).
    public static func childSignalMask() -> sigset_t {
        var mask = sigset_t()
        sigemptyset(&mask)
        return mask
    }

    public static func handledSignals() -> sigset_t {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        return signals
    }

    private static func watch() -> Never {
        var signals = handledSignals()
        while true {
            var signal: Int32 = 0
            guard sigwait(&signals, &signal) == 0 else { continue }
            withRegistry { r in
                for child in r.children {
                    kill(child, SIGKILL)
                    while waitpid(child, nil, 0) < 0 && errno == EINTR {}
                }
                for path in r.paths { unlink(path) }
                let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
                let removed = r.paths.isEmpty ? "" : "; temporary files removed"
                writeToStandardError("\(r.programName): interrupted by \(name)\(removed)\n")
                _exit(128 + signal)
            }
        }
    }

    /// Adds a path to remove if a signal ends the process (a file another program writes).
    public static func register(_ path: String) {
        withRegistry { _ = $0.paths.insert(path) }
    }

    public static func unregister(_ path: String) {
        withRegistry { _ = $0.paths.remove(path) }
    }

    /// Starts a child process with `spawn` (which returns its pid, or nil) and registers it, both
    /// under the registry's lock, so that a signal ends the child whenever it comes.
    public static func startChild(_ spawn: () -> pid_t?) -> pid_t? {
        withRegistry { r in
            let pid = spawn()
            if let pid { r.children.insert(pid) }
            return pid
        }
    }

    /// The child has been waited for: a signal no longer needs to end it.
    public static func childEnded(_ pid: pid_t) {
        withRegistry { _ = $0.children.remove(pid) }
    }

    /// Runs `body` with the signals held off: a signal arriving meanwhile is acted on only
    /// after `body` returns. `body` gets the registered paths to update; it must not call
    /// `register` or `unregister` (the mutex is not recursive).
    static func deferringSignals<E: Error>(_ body: (inout Set<String>) throws(E) -> Void) throws(E) {
        try withRegistry { (r: inout Registry) throws(E) -> Void in try body(&r.paths) }
    }

    private static func writeToStandardError(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count, let base = bytes.baseAddress {
                let n = write(2, base + offset, bytes.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
