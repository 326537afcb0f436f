#if canImport(Glibc)
import Glibc
#endif

/// The steps of a file set's commit on the folder, and the journal that lets the next run finish
/// or undo a commit a crash interrupted (the protocol is described on `FileSet`).
///
/// The journal is text: a header line, one line per output (`old` or `new` for whether a file
/// was replaced, the staged name, the final name with `%XX` for control bytes and `%`), and
/// `end`. Backup names are the staged names with `-old-` for `-new-`.
enum FileSetJournal {
    static let fileName = ".minusma.journal"
    static let header = "minusma file set journal 1"

    struct Entry: Equatable {
        /// The final name in the folder.
        let name: String
        /// The staged file's name (`.minusma-new-<6 random characters>`).
        let staged: String
        /// An old file existed under `name` and has a backup.
        let hadOld: Bool

        var backup: String { OutputNames.backupPrefix + staged.dropFirst(OutputNames.stagedPrefix.count) }
    }

    // MARK: The commit's steps

    /// Step 2: the journal, complete or absent.
    static func write(_ entries: [Entry], in folder: String) throws(OutputError) {
        let path = FilePath.join(folder, fileName)
        var text = header + "\n"
        for e in entries { text += "\(e.hadOld ? "old" : "new")\t\(e.staged)\t\(escaped(e.name))\n" }
        text += "end\n"
        guard let (fd, temporary) = TemporaryFile.make(in: folder, prefix: OutputNames.stagedPrefix) else {
            throw .cannotWrite(path: path, reason: systemError())
        }
        var failure: OutputError? = Array(text.utf8).withUnsafeBytes { bytes in
            do throws(OutputError) { try writeFully(fd, bytes, path: path) } catch { return error }
            return fsync(fd) == 0 ? nil : .cannotWrite(path: path, reason: systemError())
        }
        close(fd)
        if failure == nil, rename(temporary, path) != 0 { failure = .cannotWrite(path: path, reason: systemError()) }
        if let failure {
            unlink(temporary)
            throw failure
        }
        syncFolder(folder)
    }

    /// Steps 3 and 4: backups, then the new files. Returns false when `stopAfter` renames were
    /// done (a simulated crash: the folder is left as it is).
    static func replace(_ entries: [Entry], in folder: String, stopAfter: Int? = nil) throws(OutputError) -> Bool {
        for e in entries where e.hadOld {
            let final = FilePath.join(folder, e.name), backup = FilePath.join(folder, e.backup)
            var info = stat()
            if lstat(final, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                throw .cannotReplace(path: final, reason: "a folder has that name")
            }
            if link(final, backup) != 0 {
                // File systems without hard links: the old file moves aside for the moment.
                let code = errno
                guard code == EPERM || code == EOPNOTSUPP, rename(final, backup) == 0 else {
                    throw .cannotReplace(path: final, reason: "cannot keep a backup of it (\(systemError(code)))")
                }
            }
        }
        syncFolder(folder)
        if stopAfter == 0 { return false }
        for (done, e) in entries.enumerated() {
            let final = FilePath.join(folder, e.name)
            if rename(FilePath.join(folder, e.staged), final) != 0 {
                throw .cannotReplace(path: final, reason: systemError())
            }
            if done + 1 == stopAfter { return false }
        }
        syncFolder(folder)
        return true
    }

    /// Puts every old file back and drops the new ones. Returns false when an old file could
    /// not be put back: its backup and the staged files then stay, for the next run to retry.
    static func rollBack(_ entries: [Entry], in folder: String) -> Bool {
        var complete = true
        for e in entries {
            let final = FilePath.join(folder, e.name), backup = FilePath.join(folder, e.backup)
            if exists(backup) {
                // Renaming a link over the same file does nothing: the backup is then removed.
                if rename(backup, final) == 0 { unlink(backup) } else { complete = false }
            } else if !e.hadOld && !exists(FilePath.join(folder, e.staged)) {
                unlink(final)
            }
        }
        guard complete else { return false }
        for e in entries { unlink(FilePath.join(folder, e.staged)) }
        syncFolder(folder)
        return true
    }

    /// Step 5 (before the journal goes): the backups are dropped.
    static func rollForward(_ entries: [Entry], in folder: String) -> Bool {
        var complete = true
        for e in entries where unlink(FilePath.join(folder, e.backup)) != 0 && errno != ENOENT { complete = false }
        return complete
    }

    static func remove(in folder: String) {
        unlink(FilePath.join(folder, fileName))
        syncFolder(folder)
    }

    // MARK: The next run

    /// Finishes (every staged file was renamed in) or undoes (some were not) the commit a
    /// journal describes, then removes the journal.
    static func recover(in folder: String) throws(OutputError) {
        guard let entries = try read(in: folder) else { return }
        let path = FilePath.join(folder, fileName)
        let renamedAll = entries.allSatisfy { !exists(FilePath.join(folder, $0.staged)) }
        guard renamedAll ? rollForward(entries, in: folder) : rollBack(entries, in: folder) else {
            throw .cannotReplace(path: path, reason: "cannot finish undoing the interrupted commit it lists (\(systemError())); "
                                 + "the previous files are kept under \(OutputNames.backupPrefix)* names")
        }
        remove(in: folder)
    }

    /// Removes staged and backup files of dead runs (call after `recover`, holding the lock).
    static func removeLeftovers(in folder: String) {
        guard let dir = opendir(folder) else { return }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if isTemporaryName(name, prefix: OutputNames.stagedPrefix) || isTemporaryName(name, prefix: OutputNames.backupPrefix) {
                names.append(name)
            }
        }
        closedir(dir)
        for name in names { unlink(FilePath.join(folder, name)) }
    }

    static func isTemporaryName(_ name: String, prefix: String) -> Bool {
        name.hasPrefix(prefix) && name.utf8.count == OutputNames.temporaryNameLength && !name.contains("/")
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
