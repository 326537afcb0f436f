#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a gazetteer's bytes come from: a file, standard input, or bytes already in memory (the
/// built-in data). Read sequentially, once.
public protocol ByteSource {
    /// A name for messages: the path as the user gave it, or `<stdin>`.
    var displayName: String { get }
    /// Fills up to `buffer.count` bytes; returns 0 at the end.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(GazetteerError) -> Int
}

/// Problems that stop a gazetteer from being read at all.
public enum GazetteerError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case cannotRead(path: String, reason: String)
    /// The input was read and failed validation; the report lists the problems.
    case rejected(ValidationReport)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "cannot open \(path): \(reason)"
        case let .cannotRead(path, reason): return "cannot read \(path): \(reason)"
        case let .rejected(report): return report.summary
        }
    }
}

func errnoDescription(_ code: Int32) -> String {
    String(cString: strerror(code))
}

/// A file on disk, or standard input when the path is `-`.
public final class FileSource: ByteSource {
    public let displayName: String
    /// The file's device and inode, so that writers can refuse to overwrite their own input.
    public let identity: (device: UInt64, inode: UInt64)?
    /// The size in bytes of a regular file; nil for a pipe or standard input.
    public let size: Int?
    private let fd: Int32
    private let ownsDescriptor: Bool

    public init(path: String) throws(GazetteerError) {
        if path == "-" {
            displayName = "<stdin>"
            fd = 0
            ownsDescriptor = false
        } else {
            displayName = path
            let opened = open(path, O_RDONLY | O_CLOEXEC)
            guard opened >= 0 else { throw .cannotOpen(path: path, reason: errnoDescription(errno)) }
            var info = stat()
            if fstat(opened, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                close(opened)
                throw .cannotOpen(path: path, reason: "it is a directory, not a CSV file")
            }
            fd = opened
            ownsDescriptor = true
        }
        var info = stat()
        let regular = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        identity = regular ? (UInt64(info.st_dev), UInt64(info.st_ino)) : nil
        size = regular ? Int(info.st_size) : nil
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(GazetteerError) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw .cannotRead(path: displayName, reason: errnoDescription(errno))
        }
    }
}

/// Bytes in memory, such as the gazetteer embedded in the binary.
public struct MemorySource: ByteSource {
    public let displayName: String
    private let bytes: [UInt8]
    private var offset = 0

    public init(_ text: String, displayName: String) {
        self.init(bytes: Array(text.utf8), displayName: displayName)
    }

    /// Raw bytes, which need not be valid UTF-8 (the reader reports where they are not).
    public init(bytes: [UInt8], displayName: String) {
        self.bytes = bytes
        self.displayName = displayName
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(GazetteerError) -> Int {
        let n = min(buffer.count, bytes.count - offset)
        if n > 0 {
            bytes.withUnsafeBytes { src in
                buffer.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n)
            }
            offset += n
        }
        return n
    }
}
