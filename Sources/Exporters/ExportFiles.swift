#if canImport(Glibc)
import Glibc
#endif
import TextOutput

/// The files of one export, all temporary until `commit()`, which moves them into place in the
/// order they were opened; dropped when the set is released uncommitted. Writers get their files
/// here, so no writer can put a file in place before the whole set is complete.
public final class ExportFiles {
    public let directory: String
    private var textFiles: [String: AtomicFile] = [:]
    /// Files made by a library under their own temporary path (SQLite): temporary path by name.
    private var ownFiles: [String: String] = [:]
    /// Every name, in the order opened.
    public private(set) var names: [String] = []
    private var committed = false
    /// Work to finish before the renames (a database to close).
    private var closers: [() throws(ExportError) -> Void] = []

    public init(directory: String) {
        self.directory = directory.isEmpty ? "." : directory
    }

    deinit {
        if !committed { discard() }
    }

    public func path(_ name: String) -> String { FilePath.join(directory, name) }

    /// A buffered text file that becomes `name` on commit.
    public func textFile(_ name: String) throws(ExportError) -> OutputBuffer {
        do {
            let file = try AtomicFile(path: path(name))
            textFiles[name] = file
            names.append(name)
            return OutputBuffer(sink: file)
        } catch { throw .output(error) }
    }

    /// A small text file, written whole.
    public func write(_ name: String, text: String) throws(ExportError) {
        let buffer = try textFile(name)
        buffer.append(string: text)
        try buffer.flushForExport()
    }

    /// A fresh path in the folder (no file there yet) for a library that makes its own file; the
    /// file becomes `name` on commit.
    public func temporaryPath(for name: String) throws(ExportError) -> String {
        guard let (fd, temporary) = TemporaryFile.make(in: directory, prefix: ".\(name).tmp-") else {
            throw .output(.cannotCreate(path: path(name), reason: "cannot make a file in \(directory) (\(String(cString: strerror(errno))))"))
        }
        close(fd)
        unlink(temporary)
        ownFiles[name] = temporary
        names.append(name)
        return temporary
    }

    /// Runs `close` before the files are moved into place.
    public func beforeCommit(_ close: @escaping () throws(ExportError) -> Void) {
        closers.append(close)
    }

    /// Moves every file into place.
    public func commit() throws(ExportError) {
        for close in closers { try close() }
        closers = []
        for name in names {
            if let file = textFiles[name] {
                do { try file.commit() } catch { throw .output(error) }
            } else if let temporary = ownFiles[name], rename(temporary, path(name)) != 0 {
                let reason = String(cString: strerror(errno))
                throw .output(.cannotReplace(path: path(name), reason: reason))
            }
        }
        committed = true
    }

    /// Drops every temporary file.
    public func discard() {
        for file in textFiles.values { file.discard() }
        for temporary in ownFiles.values { unlink(temporary) }
        textFiles = [:]
        ownFiles = [:]
    }
}
