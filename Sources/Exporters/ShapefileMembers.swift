import ShapefileIO
import TextOutput

/// Where the files of a Shapefile go: into the export's file set one by one, or (`--zip`) as
/// entries of `<name>.shp.zip`, itself one file of the set.
final class ShapefileMembers {
    private let files: ExportFiles
    private let archive: ZipArchive?
    private let archiveBuffer: OutputBuffer?
    /// The zipped members kept in memory until they are added, by name.
    private var pending: [String: MemorySink] = [:]
    /// The loose files, opened in the order of `names` (the order the export lists them in).
    private var opened: [String: OutputBuffer] = [:]

    init(files: ExportFiles, base: String, zipped: Bool, names: [String]) throws(ExportError) {
        self.files = files
        if !zipped {
            for name in names where !name.hasSuffix(".prj") { opened[name] = try files.textFile(name) }
        }
        if zipped {
            let name = ShapefileWriter.zipName(base)
            let buffer = try files.textFile(name)
            archiveBuffer = buffer
            archive = ZipArchive(sink: BufferSink(buffer), label: files.path(name))
        } else {
            archiveBuffer = nil
            archive = nil
        }
    }

    /// A buffer to write the member `name` into; `add` then puts it in place.
    func buffer(_ name: String) throws(ExportError) -> OutputBuffer {
        guard archive != nil else {
            if let out = opened[name] { return out }
            return try files.textFile(name)
        }
        let sink = MemorySink()
        pending[name] = sink
        return OutputBuffer(sink: sink, capacity: 1 << 16)
    }

    func add(_ name: String, _ buffer: OutputBuffer) throws(ExportError) {
        try buffer.flushForExport()
        guard let archive, let sink = pending.removeValue(forKey: name) else { return }
        do { try archive.add(name: name, bytes: sink.bytes) } catch { throw .output(error) }
    }

    func write(_ name: String, _ text: String) throws(ExportError) {
        if archive == nil && name.hasSuffix(".prj") { return try files.writeShared(name, text: text) }
        let out = try buffer(name)
        out.append(string: text)
        try add(name, out)
    }

    /// A member whose bytes shapelib wrote, handed over in chunks by `produce`.
    func copy(_ name: String, _ produce: (ShapefileChunkHandler) throws(ShapefileError) -> Void) throws(ExportError) {
        let out = try buffer(name)
        var failure: OutputError?
        do throws(ShapefileError) {
            try produce { (chunk) throws(ShapefileError) in
                out.append(chunk.assumingMemoryBound(to: UInt8.self))
                do throws(OutputError) { try out.flushIfFull() } catch {
                    failure = error
                    throw ShapefileError(path: error.path, message: error.reason)
                }
            }
        } catch {
            throw .output(failure ?? .cannotWrite(path: files.path(name), reason: error.description))
        }
        try add(name, out)
    }

    /// Ends the archive (nothing to do for loose files).
    func finish() throws(ExportError) {
        guard let archive, let archiveBuffer else { return }
        do { try archive.finish() } catch { throw .output(error) }
        try archiveBuffer.flushForExport()
    }
}

/// A byte sink that appends to a buffer (the archive writes into the set's file through it).
private final class BufferSink: ByteSink {
    private let out: OutputBuffer

    init(_ out: OutputBuffer) { self.out = out }

    func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        out.append(bytes.assumingMemoryBound(to: UInt8.self))
        try out.flushIfFull()
    }
}
