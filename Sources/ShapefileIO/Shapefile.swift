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

/// A point Shapefile's `.shp` and `.shx`, written as they stream (ESRI's Shapefile Technical
/// Description, 1998), byte for byte as shapelib writes them. shapelib keeps every record's offset
/// and size in memory until it writes the `.shx` (199 MiB at 10 million points); point records
/// have a fixed size, so each index entry can be written as its record is.
///
/// The two files are unlinked temporary files next to the stem: nothing is left in the folder
/// whatever happens to the process, and their content is read back (`copyShapes`, `copyIndex`)
/// into the caller's own outputs.
public final class PointShapeWriter {
    /// For messages: the stem's `.shp` and `.shx`.
    public let shapesPath: String
    public let indexPath: String
    public private(set) var count = 0

    private var shapes: Int32 = -1
    private var index: Int32 = -1
    private var shapeBuffer: [UInt8] = []
    private var indexBuffer: [UInt8] = []
    /// Bytes of the `.shp` so far, its 100-byte header included.
    private var shapeBytes = 100
    private var indexBytes = 100
    /// The extent of the points (null shapes do not count), as shapelib keeps it.
    private var bounds: (minX: Double, minY: Double, maxX: Double, maxY: Double)?

    static let headerBytes = 100
    static let pointRecordBytes = 28, nullRecordBytes = 12

    public init(stem: String) throws(ShapefileError) {
        shapesPath = stem + ".shp"
        indexPath = stem + ".shx"
        shapes = try Self.temporary(shapesPath)
        do { index = try Self.temporary(indexPath) } catch {
            close()
            throw error
        }
        shapeBuffer.reserveCapacity(1 << 16)
        indexBuffer.reserveCapacity(1 << 16)
        // The headers are written at the end, once the extent and lengths are known.
        shapeBuffer += [UInt8](repeating: 0, count: Self.headerBytes)
        indexBuffer += [UInt8](repeating: 0, count: Self.headerBytes)
    }

    deinit { close() }

    private static func temporary(_ path: String) throws(ShapefileError) -> Int32 {
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ShapefileError(path: path, message: "cannot create the file (\(String(cString: strerror(errno))))")
        }
        unlink(path)
        return fd
    }

    /// Appends a point.
    public func write(x: Double, y: Double) throws(ShapefileError) {
        if let b = bounds {
            bounds = (min(b.minX, x), min(b.minY, y), max(b.maxX, x), max(b.maxY, y))
        } else {
            bounds = (x, y, x, y)
        }
        try appendRecord(contentWords: 10) { out in
            Self.putLittle32(1, &out)
            Self.putLittle64(x.bitPattern, &out)
            Self.putLittle64(y.bitPattern, &out)
        }
    }

    /// Appends a null shape (a feature without a position).
    public func writeNull() throws(ShapefileError) {
        try appendRecord(contentWords: 2) { out in Self.putLittle32(0, &out) }
    }

    private func appendRecord(contentWords: Int, _ content: (inout [UInt8]) -> Void) throws(ShapefileError) {
        guard shapes >= 0 else { throw ShapefileError(path: shapesPath, message: "the file is already closed") }
        let recordBytes = 8 + 2 * contentWords
        // Offsets are 32-bit counts of 16-bit words: a Shapefile holds at most 2 GB.
        guard shapeBytes + recordBytes <= Int(Int32.max) else {
            throw ShapefileError(path: shapesPath, message: "cannot write point \(count + 1) (the 2 GB limit of a Shapefile)")
        }
        Self.putBig32(UInt32(count + 1), &shapeBuffer)
        Self.putBig32(UInt32(contentWords), &shapeBuffer)
        content(&shapeBuffer)
        Self.putBig32(UInt32(shapeBytes / 2), &indexBuffer)
        Self.putBig32(UInt32(contentWords), &indexBuffer)
        shapeBytes += recordBytes
        indexBytes += 8
        count += 1
        if shapeBuffer.count >= 1 << 16 { try flush(&shapeBuffer, to: shapes, at: shapeBytes - shapeBuffer.count, path: shapesPath) }
        if indexBuffer.count >= 1 << 16 { try flush(&indexBuffer, to: index, at: indexBytes - indexBuffer.count, path: indexPath) }
    }

    private func flush(_ buffer: inout [UInt8], to fd: Int32, at offset: Int, path: String) throws(ShapefileError) {
        let failure: Int32 = buffer.withUnsafeBytes { p in
            var written = 0
            while written < p.count {
                let n = pwrite(fd, p.baseAddress! + written, p.count - written, off_t(offset + written))
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += n
            }
            return 0
        }
        guard failure == 0 else {
            throw ShapefileError(path: path, message: "cannot write the file (disk full or I/O error: \(String(cString: strerror(failure))))")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// The 100-byte header shared by the `.shp` and the `.shx`, for a file of `bytes` bytes.
    private func header(fileBytes bytes: Int) -> [UInt8] {
        var h: [UInt8] = []
        h.reserveCapacity(Self.headerBytes)
        Self.putBig32(9994, &h)
        h += [UInt8](repeating: 0, count: 20)
        Self.putBig32(UInt32(bytes / 2), &h)
        Self.putLittle32(1000, &h)
        Self.putLittle32(1, &h)  // shape type: point
        let b = bounds ?? (0, 0, 0, 0)
        for v in [b.minX, b.minY, b.maxX, b.maxY, 0, 0, 0, 0] { Self.putLittle64(v.bitPattern, &h) }
        return h
    }

    private func finish() throws(ShapefileError) {
        guard shapes >= 0, index >= 0 else { throw ShapefileError(path: shapesPath, message: "the file is already closed") }
        try flush(&shapeBuffer, to: shapes, at: shapeBytes - shapeBuffer.count, path: shapesPath)
        try flush(&indexBuffer, to: index, at: indexBytes - indexBuffer.count, path: indexPath)
        var h = header(fileBytes: shapeBytes)
        try flush(&h, to: shapes, at: 0, path: shapesPath)
        h = header(fileBytes: indexBytes)
        try flush(&h, to: index, at: 0, path: indexPath)
    }

    /// Writes the headers (extent, lengths) and hands over the `.shp`'s bytes.
    public func copyShapes(_ handler: ShapefileChunkHandler) throws(ShapefileError) {
        try finish()
        try copyFile(shapes, path: shapesPath, handler)
    }

    /// The `.shx`'s bytes (after `copyShapes` or on its own).
    public func copyIndex(_ handler: ShapefileChunkHandler) throws(ShapefileError) {
        try finish()
        try copyFile(index, path: indexPath, handler)
    }

    /// Closes the files (their content is gone unless it was copied).
    public func close() {
        if shapes >= 0 { Glibc.close(shapes) }
        if index >= 0 { Glibc.close(index) }
        shapes = -1
        index = -1
    }

    private static func putBig32(_ v: UInt32, _ out: inout [UInt8]) {
        withUnsafeBytes(of: v.bigEndian) { out.append(contentsOf: $0) }
    }

    private static func putLittle32(_ v: UInt32, _ out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    private static func putLittle64(_ v: UInt64, _ out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
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
