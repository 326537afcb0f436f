#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A ZIP archive (PKWARE APPNOTE 6.3) of stored entries, streamed to a sink: KMZ and zipped
/// Shapefile sets. Entries are stored, not deflated: the formats that go in are small or already
/// compact, and the archive stays readable by every unzip, GDAL's /vsizip/ and Google Earth.
/// Every entry has the same fixed time (1980-01-01 00:00, the format's epoch) so that the same
/// entries give the same bytes. Names are UTF-8 (general-purpose flag bit 11). Past 4 GiB or
/// 65,535 entries the archive is ZIP64 (APPNOTE 4.5.3 and 4.3.14), only where a field overflows,
/// so a smaller archive stays the plain ZIP every reader knows.
public final class ZipArchive {
    private let sink: ByteSink
    /// Sizes and offsets from this value up go in ZIP64 fields: 0xFFFF_FFFF, lowered by tests.
    private let zip64From: Int
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
        self.zip64From = 0xFFFF_FFFF
    }

    init(sink: ByteSink, label: String, zip64From: Int) {
        self.sink = sink
        self.label = label
        self.zip64From = zip64From
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
        let zip64 = entryCount >= 0xFFFF || central.count >= zip64From || directoryOffset >= zip64From
        if zip64 {
            // The ZIP64 end record, then its locator; the classic record's fields say "see ZIP64".
            let recordOffset = offset
            end.u32(0x0606_4b50)
            end.u64(44)                     // the record's size after this field
            end.u16(0x032D); end.u16(45)    // made by Unix, version 4.5; needed 4.5
            end.u32(0); end.u32(0)          // this disk, the directory's disk
            end.u64(entryCount); end.u64(entryCount)
            end.u64(central.count)
            end.u64(directoryOffset)
            end.u32(0x0706_4b50)
            end.u32(0)
            end.u64(recordOffset)
            end.u32(1)                      // disks
        }
        end.u32(0x0605_4b50)
        end.u16(0); end.u16(0)
        end.u16(zip64 ? 0xFFFF : entryCount); end.u16(zip64 ? 0xFFFF : entryCount)
        end.u32(zip64 ? 0xFFFF_FFFF : central.count)
        end.u32(zip64 ? 0xFFFF_FFFF : directoryOffset)
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
        let headerOffset = offset
        let bigSize = size >= zip64From, bigOffset = headerOffset >= zip64From
        var local = ByteWriter()
        local.u32(0x0403_4b50)
        Self.commonFields(&local, zip64: bigSize || bigOffset, size: bigSize ? nil : size, crc: crc,
                          nameLength: nameBytes.count, extraLength: bigSize ? 20 : 0)
        local.bytes += nameBytes
        if bigSize {
            // A local header's ZIP64 field holds both sizes.
            local.u16(1); local.u16(16); local.u64(size); local.u64(size)
        }
        try write(local.bytes)

        var entry = ByteWriter()
        entry.u32(0x0201_4b50)
        entry.u16(bigSize || bigOffset ? 0x032D : 0x0314)  // made by Unix (the mode below is read), 4.5 or 2.0
        let extraLength = (bigSize ? 16 : 0) + (bigOffset ? 8 : 0)
        Self.commonFields(&entry, zip64: bigSize || bigOffset, size: bigSize ? nil : size, crc: crc,
                          nameLength: nameBytes.count, extraLength: extraLength == 0 ? 0 : 4 + extraLength)
        entry.u16(0); entry.u16(0); entry.u16(0)  // comment length, disk, internal attributes
        entry.u32(0o100644 << 16)                  // a regular file, rw-r--r--
        entry.u32(bigOffset ? 0xFFFF_FFFF : headerOffset)
        entry.bytes += nameBytes
        if extraLength > 0 {
            // Only the overflowing fields, in the order sizes then offset.
            entry.u16(1); entry.u16(extraLength)
            if bigSize { entry.u64(size); entry.u64(size) }
            if bigOffset { entry.u64(headerOffset) }
        }
        central += entry.bytes
        entryCount += 1
    }

    /// The fields the local header and the central directory entry share, from "version needed".
    /// A `nil` size is in the ZIP64 extra field; `zip64` when any of the entry's fields is.
    private static func commonFields(_ w: inout ByteWriter, zip64: Bool, size: Int?, crc: UInt32, nameLength: Int, extraLength: Int) {
        w.u16(zip64 ? 45 : 20)  // version needed: 4.5 for ZIP64 (APPNOTE 4.4.3.2), else 2.0
        w.u16(0x0800)    // flags: UTF-8 names
        w.u16(0)         // method: stored
        w.u16(0)         // time 00:00:00
        w.u16(0x0021)    // date 1980-01-01
        w.u32(Int(crc))
        w.u32(size ?? 0xFFFF_FFFF); w.u32(size ?? 0xFFFF_FFFF)
        w.u16(nameLength)
        w.u16(extraLength)
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
    mutating func u64(_ v: Int) { u32(v & 0xFFFF_FFFF); u32((v >> 32) & 0xFFFF_FFFF) }
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
