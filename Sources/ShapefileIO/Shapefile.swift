#if canImport(Glibc)
import Glibc
#endif
import CShapelib

/// A shapelib failure: the file it concerns and what could not be done.
public struct ShapefileError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// Bytes shapelib has written, handed over chunk by chunk.
public typealias ShapefileChunkHandler = (UnsafeRawBufferPointer) throws(ShapefileError) -> Void

/// A point Shapefile's `.shp` and `.shx` being written by shapelib, closed when the object goes
/// away.
///
/// shapelib makes its files itself from a stem (`<stem>.shp`, `<stem>.shx`). Their names are
/// removed as soon as shapelib has opened them, so nothing is left in the folder whatever happens
/// to the process; the content is read back through the open files (`copyShapes`, `copyIndex`)
/// into the caller's own outputs.
public final class PointShapeWriter {
    private var handle: SHPHandle?
    /// For messages: the stem's `.shp` and `.shx`.
    public let shapesPath: String
    public let indexPath: String
    public private(set) var count = 0

    public init(stem: String) throws(ShapefileError) {
        shapesPath = stem + ".shp"
        indexPath = stem + ".shx"
        var hooks = cshapelib_quiet_hooks()
        errno = 0
        // shapelib drops what follows the last dot of the name's last component: the stem (which
        // may start with a dot) is given with the extension, so that exactly it is dropped.
        guard let made = SHPCreateLL(shapesPath, SHPT_POINT, &hooks) else {
            let reason = errno != 0 ? String(cString: strerror(errno)) : "shapelib refused to create it"
            unlink(shapesPath)
            unlink(indexPath)
            throw ShapefileError(path: shapesPath, message: "cannot create the file (\(reason))")
        }
        handle = made
        unlink(shapesPath)
        unlink(indexPath)
    }

    deinit {
        if let handle { SHPClose(handle) }
    }

    /// Appends a point, or a null shape when `point` is nil.
    public func write(x: Double, y: Double) throws(ShapefileError) {
        var xs = x, ys = y
        try append(SHPCreateSimpleObject(SHPT_POINT, 1, &xs, &ys, nil), what: "point \(count + 1)")
    }

    public func writeNull() throws(ShapefileError) {
        try append(SHPCreateSimpleObject(SHPT_NULL, 0, nil, nil, nil), what: "null shape \(count + 1)")
    }

    private func append(_ object: UnsafeMutablePointer<SHPObject>?, what: String) throws(ShapefileError) {
        guard let handle, let object else {
            throw ShapefileError(path: shapesPath, message: "cannot make the \(what) (out of memory, or the file is closed)")
        }
        defer { SHPDestroyObject(object) }
        // shapelib's offsets are 32-bit: a Shapefile holds at most 2 GB.
        guard SHPWriteObject(handle, -1, object) >= 0 else {
            throw ShapefileError(path: shapesPath, message: "cannot write the \(what) (disk full, I/O error, or the 2 GB limit of a Shapefile)")
        }
        count += 1
    }

    /// Writes the headers (extent, counts, the index) and hands over the `.shp`'s bytes.
    public func copyShapes(_ handler: ShapefileChunkHandler) throws(ShapefileError) {
        let handle = try finishedHandle()
        try copyFile(cshapelib_flushed_descriptor(handle.pointee.fpSHP), path: shapesPath, handler)
    }

    /// The `.shx`'s bytes (after `copyShapes` or on its own).
    public func copyIndex(_ handler: ShapefileChunkHandler) throws(ShapefileError) {
        let handle = try finishedHandle()
        try copyFile(cshapelib_flushed_descriptor(handle.pointee.fpSHX), path: indexPath, handler)
    }

    private func finishedHandle() throws(ShapefileError) -> SHPHandle {
        guard let handle else { throw ShapefileError(path: shapesPath, message: "the file is already closed") }
        SHPWriteHeader(handle)
        return handle
    }

    /// Closes the files (their content is gone unless it was copied).
    public func close() {
        if let handle { SHPClose(handle) }
        handle = nil
    }
}

/// A dBASE field as shapelib declares it: `C` text, `N` number, `D` date (`YYYYMMDD`), `L` logical.
public struct DBFFieldDefinition: Sendable, Equatable {
    public enum Kind: UInt8, Sendable { case character = 67, number = 78, date = 68, logical = 76 }
    /// At most 10 bytes.
    public let name: String
    public let kind: Kind
    public let width: Int
    public let decimals: Int

    public init(name: String, kind: Kind, width: Int, decimals: Int = 0) {
        self.name = name
        self.kind = kind
        self.width = width
        self.decimals = decimals
    }
}

/// A `.dbf` table being written by shapelib, record by record, closed when the object goes away.
/// Like `PointShapeWriter`, its name is removed once shapelib has it open and its bytes are read
/// back with `copyTable`.
public final class DBFTableWriter {
    private var handle: DBFHandle?
    public let path: String
    public let fields: [DBFFieldDefinition]
    public private(set) var count = 0
    /// One value and its NUL terminator, as shapelib takes it (a field is at most 255 bytes).
    private let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)

    /// `lastUpdate` is the header's date (year 1900...2155): fixed by the caller so that the same
    /// data gives the same bytes.
    public init(stem: String, fields: [DBFFieldDefinition], lastUpdate: (year: Int, month: Int, day: Int)) throws(ShapefileError) {
        path = stem + ".dbf"
        self.fields = fields
        var hooks = cshapelib_quiet_hooks()
        errno = 0
        // No code page: the caller writes the `.cpg` beside the table.
        guard let made = DBFCreateLL(path, nil, &hooks) else {
            let reason = errno != 0 ? String(cString: strerror(errno)) : "shapelib refused to create it"
            unlink(path)
            throw ShapefileError(path: path, message: "cannot create the file (\(reason))")
        }
        handle = made
        unlink(path)
        for field in fields {
            guard field.name.utf8.count <= 10, !field.name.utf8.contains(0), (1...255).contains(field.width),
                  DBFAddNativeFieldType(made, field.name, CChar(bitPattern: field.kind.rawValue), Int32(field.width), Int32(field.decimals)) >= 0 else {
                throw ShapefileError(path: path, message: "cannot add the field '\(field.name)' (\(Character(Unicode.Scalar(field.kind.rawValue))), width \(field.width), \(field.decimals) decimals)")
            }
        }
        let year = min(max(lastUpdate.year, 1900), 2155)
        DBFSetLastModifiedDate(made, Int32(year - 1900), Int32(lastUpdate.month), Int32(lastUpdate.day))
    }

    deinit {
        if let handle { DBFClose(handle) }
        scratch.deallocate()
    }

    /// One record: for each field, its text as the field holds it (at most its width in bytes, no
    /// NUL byte), or nil for a dBASE null.
    public func append(_ values: [[UInt8]?]) throws(ShapefileError) {
        guard let handle else { throw ShapefileError(path: path, message: "the file is already closed") }
        guard values.count == fields.count else {
            throw ShapefileError(path: path, message: "record \(count + 1) has \(values.count) values for \(fields.count) fields")
        }
        let record = Int32(clamping: count)
        for (i, value) in values.enumerated() {
            let field = fields[i]
            let written: Int32
            if let value {
                let n = value.count
                guard n <= field.width else {
                    throw ShapefileError(path: path, message: "record \(count + 1), field '\(field.name)': a value of \(n) bytes for a width of \(field.width)")
                }
                value.withUnsafeBufferPointer { if let base = $0.baseAddress { scratch.update(from: base, count: n) } }
                scratch[n] = 0
                // shapelib copies up to the first NUL: one inside the value would cut it.
                guard memchr(scratch, 0, n) == nil else {
                    throw ShapefileError(path: path, message: "record \(count + 1), field '\(field.name)': a NUL byte, which dBASE text cannot hold")
                }
                written = DBFWriteAttributeDirectly(handle, record, Int32(i), scratch)
            } else {
                written = DBFWriteNULLAttribute(handle, record, Int32(i))
            }
            guard written != 0 else {
                throw ShapefileError(path: path, message: "cannot write record \(count + 1), field '\(field.name)' (disk full or I/O error)")
            }
        }
        count += 1
    }

    /// Writes the header (record count, date) and hands over the table's bytes.
    public func copyTable(_ handler: ShapefileChunkHandler) throws(ShapefileError) {
        guard let handle else { throw ShapefileError(path: path, message: "the file is already closed") }
        DBFUpdateHeader(handle)
        try copyFile(cshapelib_flushed_descriptor(handle.pointee.fp), path: path, handler)
    }

    public func close() {
        if let handle { DBFClose(handle) }
        handle = nil
    }
}

/// Reads a whole open file from its start, in chunks.
private func copyFile(_ fd: Int32, path: String, _ handler: ShapefileChunkHandler) throws(ShapefileError) {
    guard fd >= 0 else { throw ShapefileError(path: path, message: "cannot flush the file (\(String(cString: strerror(errno))))") }
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 8)
    defer { chunk.deallocate() }
    var offset: off_t = 0
    while true {
        let n = pread(fd, chunk.baseAddress, chunk.count, offset)
        if n < 0 {
            if errno == EINTR { continue }
            throw ShapefileError(path: path, message: "cannot read the file back (\(String(cString: strerror(errno))))")
        }
        if n == 0 { return }
        try handler(UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
        offset += off_t(n)
    }
}
