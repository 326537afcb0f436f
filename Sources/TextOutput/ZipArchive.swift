#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A ZIP archive (PKWARE APPNOTE 6.3) of stored entries, streamed to a sink: KMZ and zipped
/// Shapefile sets. Entries are stored, not deflated: the formats that go in are small or already
/// compact, and the archive stays readable by every unzip, GDAL's /vsizip/ and Google Earth.
/// Every entry has the same fixed time (1980-01-01 00:00, the format's epoch) so that the same
/// entries give the same bytes. Names are UTF-8 (general-purpose flag bit 11). No ZIP64: an
/// archive past 4 GiB or 65,535 entries is refused with an error rather than written wrongly.
public final class ZipArchive {
    private let sink: ByteSink
    /// The archive's name in messages.
    private let label: String
    private var offset = 0
    private var central: [UInt8] = []
    private var entryCount = 0
    private var names = Set<String>()
    private var finished = false

    public init(sink: ByteSink, label: String) {
        self.sink = sink
        self.label = label
    }

    /// Adds one entry whose bytes are in memory.
    public func add(name: String, bytes: [UInt8]) throws(OutputError) {
        try begin(name: name, size: bytes.count, crc: CRC32.checksum(bytes))
        try write(bytes)
    }

    /// Adds one entry from a file, read twice (once for its CRC, once to copy it) in chunks, so
    /// a large member never sits in memory.
    public func add(name: String, contentsOf path: String) throws(OutputError) {
        var crc = CRC32()
        let size = try Self.readChunks(of: path) { chunk in crc.update(chunk) }
        try begin(name: name, size: size, crc: crc.value)
        var copyError: OutputError?
        let copied = try Self.readChunks(of: path) { chunk in
            guard copyError == nil else { return }
            do throws(OutputError) { try sink.write(UnsafeRawBufferPointer(chunk)) } catch { copyError = error }
        }
        if let copyError { throw copyError }
        guard copied == size else {
            throw .cannotWrite(path: label, reason: "\(path) changed while it was being archived (\(size) bytes, then \(copied))")
        }
        offset += size
    }

    /// Writes the central directory and the end record. Nothing can be added afterwards.
    public func finish() throws(OutputError) {
        guard !finished else { return }
        finished = true
        let directoryOffset = offset
        try write(central)
        var end = ByteWriter()
        end.u32(0x0605_4b50)
        end.u16(0); end.u16(0)
        end.u16(entryCount); end.u16(entryCount)
        end.u32(central.count)
        end.u32(directoryOffset)
        end.u16(0)
        try write(end.bytes)
    }

    private func begin(name: String, size: Int, crc: UInt32) throws(OutputError) {
        let nameBytes = Array(name.utf8)
        guard !finished else { throw .cannotWrite(path: label, reason: "entry \(name) added after the archive was finished") }
        guard !nameBytes.isEmpty, nameBytes.count <= 0xFFFF, !name.hasPrefix("/"), !name.split(separator: "/").contains("..") else {
            throw .cannotWrite(path: label, reason: "the entry name \"\(name)\" is not a relative path of at most 65,535 bytes")
        }
        guard names.insert(name).inserted else { throw .cannotWrite(path: label, reason: "two entries are named \(name)") }
        guard entryCount < 0xFFFF else { throw .cannotWrite(path: label, reason: "more than 65,535 entries (ZIP64 is not written)") }
        let headerOffset = offset
        guard size <= 0xFFFF_FFFE, headerOffset + 30 + nameBytes.count + size <= 0xFFFF_FFFE else {
            throw .cannotWrite(path: label, reason: "the archive would pass 4 GiB at \(name) (ZIP64 is not written)")
        }
        var local = ByteWriter()
        local.u32(0x0403_4b50)
        Self.commonFields(&local, size: size, crc: crc, nameLength: nameBytes.count)
        local.bytes += nameBytes
        try write(local.bytes)

        var entry = ByteWriter()
        entry.u32(0x0201_4b50)
        entry.u16(0x0314)  // made by: version 2.0, Unix, so the mode in the external attributes is read
        Self.commonFields(&entry, size: size, crc: crc, nameLength: nameBytes.count)
        entry.u16(0); entry.u16(0); entry.u16(0)  // comment length, disk, internal attributes
        entry.u32(0o100644 << 16)                  // a regular file, rw-r--r--
        entry.u32(headerOffset)
        entry.bytes += nameBytes
        central += entry.bytes
        entryCount += 1
    }

    /// The fields the local header and the central directory entry share, from "version needed".
    private static func commonFields(_ w: inout ByteWriter, size: Int, crc: UInt32, nameLength: Int) {
        w.u16(20)        // version needed: 2.0
        w.u16(0x0800)    // flags: UTF-8 names
        w.u16(0)         // method: stored
        w.u16(0)         // time 00:00:00
        w.u16(0x0021)    // date 1980-01-01
        w.u32(Int(crc))
        w.u32(size); w.u32(size)
        w.u16(nameLength)
        w.u16(0)         // extra field length
    }

    private func write(_ bytes: [UInt8]) throws(OutputError) {
        var failure: OutputError?
        bytes.withUnsafeBytes { raw in
            do throws(OutputError) { try sink.write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
        offset += bytes.count
    }

    /// Calls `body` with each chunk of the file; returns the number of bytes read.
    private static func readChunks(of path: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) throws(OutputError) -> Int {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: systemError()) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var total = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .cannotWrite(path: path, reason: systemError())
            }
            if n == 0 { return total }
            buffer.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[0..<n])) }
            total += n
        }
    }
}

/// Little-endian fields of a ZIP record.
private struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func u16(_ v: Int) { bytes.append(UInt8(truncatingIfNeeded: v)); bytes.append(UInt8(truncatingIfNeeded: v >> 8)) }
    mutating func u32(_ v: Int) { u16(v & 0xFFFF); u16((v >> 16) & 0xFFFF) }
}

/// CRC-32 (ISO 3309, the polynomial ZIP and PNG use), table-driven.
public struct CRC32: Sendable {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }
    private var state: UInt32 = 0xFFFF_FFFF

    public init() {}

    public mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
        var c = state
        Self.table.withUnsafeBufferPointer { t in
            for b in bytes { c = t[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        }
        state = c
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { update($0) }
    }

    public var value: UInt32 { state ^ 0xFFFF_FFFF }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var c = CRC32()
        c.update(bytes)
        return c.value
    }
}
