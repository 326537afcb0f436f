#if canImport(Glibc)
import Glibc
#endif

/// The files one run writes into one folder, replaced all together or not at all.
///
/// Use: `let files = try FileSet(directory: dir)`, then `files.textFile(named:)` for each text
/// output (a `ByteSink`) and `files.temporaryPath(for:)` for a writer that makes its own file
/// (SQLite), then `files.commit()`; `files.abandon()` (or dropping the set) removes everything
/// it staged and leaves the folder as it was.
///
/// **Lock.** The set holds an exclusive `flock` on `<folder>/.minusma.lock` from creation to
/// commit or abandon, so runs on one folder are serialised: a second run waits for the first.
/// The lock file is removed by its holder when it is done (a waiter that then gets the lock on
/// the removed file notices and locks the new one), so it stays only after a crash, where it
/// is harmless and reused.
///
/// **Staging.** Every output is written to `.minusma-new-<6 random characters>` (19 bytes whatever the final
/// name, so any final name that fits the folder works), registered with `Interruption` so that
/// SIGINT/SIGTERM remove it. On creation the set first replays a journal left by a crash, then
/// removes staged and backup files left by dead runs (none can be alive: the lock is ours).
///
/// **Commit**, with signals deferred throughout steps 2-5:
/// 1. every staged file is given the mode of the file it replaces, flushed (`fsync`) and closed;
/// 2. the journal `.minusma.journal` is written (under a staged name, synced, renamed: it is
///    either absent or complete) listing, for each output, its staged name, its backup name and
///    whether an old file existed; the folder is synced;
/// 3. every old file is hard-linked to its backup name `.minusma-old-<6 random characters>` (so its name never
///    disappears; renamed where the file system has no hard links); the folder is synced;
/// 4. every staged file is renamed over its final name; the folder is synced;
/// 5. the backups and then the journal are removed.
/// A failure in 3 or 4 rolls back at once: backups are renamed over their names, new files that
/// had no predecessor are removed, staged files are removed, then the journal.
///
/// **After a power cut or a kill**, the next set on the folder finds: before 2, no journal and
/// only staged files, which it removes (the old files were never touched); during 2, at most a
/// staged journal, removed likewise; during 3 or 4, the journal and some staged files still
/// present, so it rolls back as above (old files restored, the new ones dropped); during 5 or
/// after the last rename of 4, the journal with no staged file left, so it rolls forward
/// (removes the backups: the new set stays). Roll-back and roll-forward can themselves be
/// interrupted and are simply replayed.
public final class FileSet {
    /// The folder, as given (`.` for an empty string).
    public let directory: String
    private var lock: FolderLock?
    private var staged: [StagedFile] = []
    private var finished = false
    /// A roll-back could not finish: the staged files stay, for the next set's recovery.
    private var journalKeepsStagedFiles = false

    /// Locks the folder (waiting for another run on it; `onWait` is called once before waiting),
    /// recovers from a crashed commit and removes the leftovers of dead runs.
    public init(directory: String, onWait: (() -> Void)? = nil) throws(OutputError) {
        let folder = directory.isEmpty ? "." : directory
        self.directory = folder
        try OutputNames.checkFolder(folder, for: FilePath.join(folder, "."))
        let lock = try FolderLock(folder: folder, onWait: onWait)
        do {
            try FileSetJournal.recover(in: folder)
            FileSetJournal.removeLeftovers(in: folder)
        } catch {
            lock.release()
            throw error
        }
        self.lock = lock
    }

    deinit { abandon() }

    /// A new text file that replaces `<folder>/<name>` on commit.
    public func textFile(named name: String) throws(OutputError) -> ByteSink {
        try stage(name)
    }

    /// A path to an empty file for a writer that opens the file itself (SQLite); the file at
    /// that path replaces `<folder>/<name>` on commit.
    public func temporaryPath(for name: String) throws(OutputError) -> String {
        try stage(name).temporaryPath
    }

    /// The final path of `name`.
    public func path(_ name: String) -> String { FilePath.join(directory, name) }

    private func stage(_ name: String) throws(OutputError) -> StagedFile {
        let final = path(name)
        guard !finished else { throw .cannotCreate(path: final, reason: "the file set was already committed or abandoned") }
        guard !name.isEmpty, !name.contains("/"), name != ".", name != "..",
              name != FolderLock.fileName, name != FileSetJournal.fileName else {
            throw .cannotCreate(path: final, reason: "expected a plain file name, found '\(name)'")
        }
        if staged.contains(where: { $0.name == name }) {
            throw .cannotCreate(path: final, reason: "the same file is written twice")
        }
        try OutputNames.checkLength(of: name, in: directory, for: final)
        var info = stat()
        if stat(final, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw .cannotCreate(path: final, reason: "a folder has that name")
        }
        let file = try StagedFile(name: name, directory: directory)
        staged.append(file)
        return file
    }

    /// Flushes and closes a staged file that is complete, so that a set of many files does not
    /// hold a descriptor for each until the commit (a timeline of hundreds of steps).
    public func closeFile(named name: String) throws(OutputError) {
        for file in staged where file.name == name { try file.prepareForCommit() }
    }

    /// Replaces every final file with its staged one, or none (see the type's description).
    public func commit() throws(OutputError) {
        try commit(stoppingAfterRenames: Self.crashPointForTests, exitOnStop: true)
    }

    /// For tests of crash recovery: `MINUSMA_TEST_CRASH_AFTER_RENAMES=N` makes a commit end
    /// the process with `_exit(99)` after N renames, leaving the folder as a kill would.
    static var crashPointForTests: Int? {
        getenv("MINUSMA_TEST_CRASH_AFTER_RENAMES").flatMap { Int(String(cString: $0)) }
    }

    /// A commit that stops after `renames` renames and leaves the folder (journal, backups,
    /// staged files) as a crash would, for in-process tests of the next run's recovery.
    func commit(simulatingCrashAfterRenames renames: Int) throws(OutputError) {
        try commit(stoppingAfterRenames: renames, exitOnStop: false)
    }

    private func commit(stoppingAfterRenames stop: Int?, exitOnStop: Bool) throws(OutputError) {
        guard !finished else { return }
        let completed: Bool
        do {
            for file in staged { try file.prepareForCommit() }
            completed = try replaceAll(stoppingAfter: stop, exitOnStop: exitOnStop)
        } catch {
            if journalKeepsStagedFiles { leaveForRecovery() } else { abandon() }
            throw error
        }
        if completed {
            for file in staged { file.isCommitted = true }
            finish()
        } else {
            leaveForRecovery()
        }
    }

    private func replaceAll(stoppingAfter stop: Int?, exitOnStop: Bool) throws(OutputError) -> Bool {
        let entries = staged.map { FileSetJournal.Entry(name: $0.name, staged: $0.temporaryName, hadOld: $0.replacesAFile) }
        let folder = directory, paths = staged.map(\.temporaryPath)
        var completed = true
        try Interruption.deferringSignals { (registered: inout Set<String>) throws(OutputError) in
            try FileSetJournal.write(entries, in: folder)
            do throws(OutputError) {
                completed = try FileSetJournal.replace(entries, in: folder, stopAfter: stop)
            } catch {
                guard FileSetJournal.rollBack(entries, in: folder) else {
                    journalKeepsStagedFiles = true
                    // The staged files are now the next run's to replay: a signal from here on
                    // must not remove them.
                    registered.subtract(paths)
                    throw .cannotReplace(path: error.path, reason: error.reason + "; some previous files could not be put back yet: "
                                         + "the next run on this folder restores them")
                }
                FileSetJournal.remove(in: folder)
                throw error
            }
            if !completed {
                if exitOnStop { _exit(99) }
                return
            }
            // The new set is in place: from here a crash rolls forward.
            if FileSetJournal.rollForward(entries, in: folder) { FileSetJournal.remove(in: folder) }
            registered.subtract(paths)
        }
        return completed
    }

    /// Removes every staged file and unlocks the folder; the folder keeps its previous files.
    /// Does nothing after `commit()`.
    public func abandon() {
        guard !finished else { return }
        for file in staged { file.discard() }
        finish()
    }

    /// Leaves the staged files and the journal as they are (a simulated crash, or a roll-back
    /// that could not finish) and unlocks the folder.
    private func leaveForRecovery() {
        for file in staged {
            file.isCommitted = true
            Interruption.unregister(file.temporaryPath)
        }
        finish()
    }

    private func finish() {
        finished = true
        staged = []
        lock?.release()
        lock = nil
    }
}

/// One output of a file set, written under its staged name.
final class StagedFile: ByteSink {
    let name: String
    let path: String
    let temporaryName: String
    let temporaryPath: String
    private var fd: Int32
    /// Set by `prepareForCommit`: an old file exists under the final name.
    private(set) var replacesAFile = false
    var isCommitted = false

    init(name: String, directory: String) throws(OutputError) {
        self.name = name
        self.path = FilePath.join(directory, name)
        guard let (made, temporary) = TemporaryFile.make(in: directory, prefix: OutputNames.stagedPrefix) else {
            throw .cannotCreate(path: FilePath.join(directory, name), reason: "cannot make a file in \(directory) (\(systemError()))")
        }
        Interruption.register(temporary)
        fchmod(made, OutputNames.newFileMode())
        fd = made
        temporaryPath = temporary
        temporaryName = temporary.split(separator: "/").last.map(String.init) ?? temporary
    }

    deinit {
        if !isCommitted { discard() }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: "the file is already closed") }
        try writeFully(fd, bytes, path: path)
    }

    /// Takes the mode of the file it replaces (a re-export keeps the user's permissions), then
    /// flushes to the disk and closes, so that a power cut after the commit keeps the content.
    func prepareForCommit() throws(OutputError) {
        guard fd >= 0 else { return }
        var old = stat()
        replacesAFile = lstat(path, &old) == 0
        if replacesAFile, (old.st_mode & S_IFMT) == S_IFREG, fchmod(fd, old.st_mode & 0o7777) != 0 {
            throw .cannotWrite(path: path, reason: "cannot give the new file the old one's permissions (\(systemError()))")
        }
        let synced = fsync(fd) == 0
        let reason = systemError()
        let closed = close(fd) == 0
        fd = -1
        if !synced || !closed { throw .cannotWrite(path: path, reason: synced ? systemError() : reason) }
    }

    func discard() {
        if fd >= 0 { close(fd); fd = -1 }
        unlink(temporaryPath)
        Interruption.unregister(temporaryPath)
    }
}

/// An exclusive `flock` on `<folder>/.minusma.lock`.
struct FolderLock {
    static let fileName = ".minusma.lock"
    let path: String
    private let fd: Int32

    init(folder: String, onWait: (() -> Void)?) throws(OutputError) {
        path = FilePath.join(folder, Self.fileName)
        var waited = false
        while true {
            let made = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
            guard made >= 0 else { throw .cannotCreate(path: path, reason: systemError()) }
            if flock(made, LOCK_EX | LOCK_NB) != 0 {
                if !waited { onWait?(); waited = true }
                while flock(made, LOCK_EX) != 0 {
                    guard errno == EINTR else {
                        let reason = systemError()
                        close(made)
                        throw .cannotCreate(path: path, reason: "cannot lock it (\(reason))")
                    }
                }
            }
            // The previous holder removes the file when it is done: a lock on a removed file
            // locks nothing, so check that the path still names the locked file.
            var locked = stat(), named = stat()
            if fstat(made, &locked) == 0, stat(path, &named) == 0,
               locked.st_dev == named.st_dev, locked.st_ino == named.st_ino {
                fd = made
                Interruption.register(path)
                return
            }
            close(made)
        }
    }

    /// Removes the lock file while still holding the lock, then unlocks.
    func release() {
        unlink(path)
        Interruption.unregister(path)
        close(fd)
    }
}
