#if canImport(Glibc)
import Glibc
#endif
import TextOutput

/// Programs minusma starts (rsvg-convert, ffmpeg), found on PATH, with the standard streams it
/// gives them. Each is registered with `Interruption` from its start until it has been waited
/// for, so that SIGINT or SIGTERM ends it before the temporary files are removed.
enum ChildProcess {
    /// Where a child's standard streams go; nil inherits minusma's.
    struct Streams {
        var input: Int32?
        var output: Int32?
        var error: Int32?
        /// Standard output to /dev/null (when `output` is nil).
        var discardOutput = false
    }

    /// Starts `program`; nil when it cannot be started (not on PATH, not executable).
    static func start(_ program: String, _ arguments: [String], streams: Streams = Streams()) -> pid_t? {
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // The child starts with SIGINT and SIGTERM unblocked and at their default action: this
        // process blocks them for its signal watcher, and a child would inherit that mask and
        // keep running after an interrupt.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = Interruption.childSignalMask()
        var defaults = Interruption.handledSignals()
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let input = streams.input { posix_spawn_file_actions_adddup2(&actions, input, 0) }
        if let output = streams.output {
            posix_spawn_file_actions_adddup2(&actions, output, 1)
        } else if streams.discardOutput {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        if let error = streams.error { posix_spawn_file_actions_adddup2(&actions, error, 2) }
        return Interruption.startChild {
            var pid: pid_t = 0
            let spawned = argv.withUnsafeBufferPointer { buffer in
                buffer.baseAddress.map { posix_spawnp(&pid, program, &actions, &attributes, UnsafeMutablePointer(mutating: $0), environ) } ?? EINVAL
            }
            return spawned == 0 ? pid : nil
        }
    }

    /// Waits for `pid` to end and returns how: its exit code, or 128 + the signal that ended it.
    /// It stays registered until it has ended (a zombie, whose pid cannot be reused), so that an
    /// interrupt during the wait still ends it.
    static func wait(_ pid: pid_t) -> Int32 {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
        Interruption.childEnded(pid)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return code(status)
    }

    /// The child's status if it ends within `milliseconds` (a child that has just closed its
    /// standard input may need a moment more to end).
    static func poll(_ pid: pid_t, milliseconds: Int = 0) -> Int32? {
        var status: Int32 = 0
        for attempt in 0...max(0, milliseconds / 10) {
            if attempt > 0 { usleep(10_000) }
            if waitpid(pid, &status, WNOHANG) == pid {
                Interruption.childEnded(pid)
                return code(status)
            }
        }
        return nil
    }

    /// WIFEXITED / WEXITSTATUS, which Swift does not import as macros: the exit code, or 128 +
    /// the signal that ended the child.
    private static func code(_ status: Int32) -> Int32 {
        status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// Ends a child that is no longer wanted and waits for it.
    static func end(_ pid: pid_t) {
        kill(pid, SIGKILL)
        _ = wait(pid)
    }

    /// Whether `program` is an executable file in a folder of PATH.
    static func isInstalled(_ program: String) -> Bool {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        return path.split(separator: ":", omittingEmptySubsequences: false).contains { folder in
            access(FilePath.join(folder.isEmpty ? "." : String(folder), program), X_OK) == 0
        }
    }
}
