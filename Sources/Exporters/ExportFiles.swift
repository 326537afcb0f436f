import TextOutput

/// The files of one export: a `FileSet` (all temporary until `commit()`, which replaces every
/// file of the set or none, under the folder's lock), with the buffered text files and the work
/// that must finish before the commit. Writers get their files here, so no writer can put a file
/// in place before the whole set is complete. Released uncommitted, the set is abandoned.
public final class ExportFiles {
    public let directory: String
    private let set: FileSet
    /// Every name, in the order opened.
    public private(set) var names: [String] = []
    /// Text files opened and not yet closed early.
    private var openTextFiles: [String] = []
    /// Work to finish before the renames (a database to close).
    private var closers: [() throws(ExportError) -> Void] = []
    /// What writers want the user told (a name they had to shorten), in order.
    public private(set) var notes: [String] = []
    /// Files two formats share (the `.prj` of a CSV and of a Shapefile), with their text.
    private var shared: [String: String] = [:]

    public init(directory: String) throws(ExportError) {
        self.directory = directory.isEmpty ? "." : directory
        do { set = try FileSet(directory: self.directory) } catch { throw .output(error) }
    }

    deinit { set.abandon() }

    public func path(_ name: String) -> String { set.path(name) }

    /// A buffered text file that becomes `name` on commit.
    public func textFile(_ name: String) throws(ExportError) -> OutputBuffer {
        do {
            let sink = try set.textFile(named: name)
            names.append(name)
            openTextFiles.append(name)
            return OutputBuffer(sink: sink)
        } catch { throw .output(error) }
    }

    /// A small text file, written whole.
    public func write(_ name: String, text: String) throws(ExportError) {
        let buffer = try textFile(name)
        buffer.append(string: text)
        try buffer.flushForExport()
    }

    /// A fresh path for a library that makes its own file (SQLite); it becomes `name` on commit.
    public func temporaryPath(for name: String) throws(ExportError) -> String {
        do {
            let path = try set.temporaryPath(for: name)
            names.append(name)
            return path
        } catch { throw .output(error) }
    }

    /// Closes the text files written so far (their writers have finished): a set of many layers
    /// then holds no descriptor per file until the commit.
    public func closeTextFiles() throws(ExportError) {
        do { for name in openTextFiles { try set.closeFile(named: name) } } catch { throw .output(error) }
        openTextFiles = []
    }

    /// A small text file that several formats of one export write with the same name and text
    /// (the CSV's and the Shapefile's `.prj`): written once, refused if the texts differ.
    public func writeShared(_ name: String, text: String) throws(ExportError) {
        if let earlier = shared[name] {
            guard earlier == text else {
                throw .output(.cannotCreate(path: path(name), reason: "two formats write this file with different contents"))
            }
            return
        }
        shared[name] = text
        try write(name, text: text)
    }

    public func note(_ text: String) { notes.append(text) }

    /// Runs `close` before the files are moved into place.
    public func beforeCommit(_ close: @escaping () throws(ExportError) -> Void) {
        closers.append(close)
    }

    /// Replaces every file of the set, or none.
    public func commit() throws(ExportError) {
        for close in closers { try close() }
        closers = []
        do { try set.commit() } catch { throw .output(error) }
    }

    /// Drops every temporary file; the previous files stay.
    public func discard() { set.abandon() }
}
