#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

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

/// A file on disk, or standard input when the path is `-`. Standard input can be opened any
/// number of times: see `StandardInputCopy`.
public final class FileSource: ByteSource {
    public let displayName: String
    /// The file's device and inode, so that writers can refuse to overwrite their own input.
    public let identity: (device: UInt64, inode: UInt64)?
    /// The size in bytes of a regular file; nil for a pipe or standard input.
    public let size: Int?
    private let fd: Int32
    private let ownsDescriptor: Bool
    private let mode: StandardInputCopy.Mode?
    /// For a replay of standard input: where the next read starts in the copy.
    private var offset = 0

    public init(path: String) throws(GazetteerError) {
        if path == "-" {
            displayName = "<stdin>"
            let mode = try StandardInputCopy.open()
            self.mode = mode
            switch mode {
            case .first: fd = 0
            case .replay(let copy): fd = copy
            }
            ownsDescriptor = false
            identity = nil
            size = nil
            return
        }
        mode = nil
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
        let regular = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        identity = regular ? (UInt64(info.st_dev), UInt64(info.st_ino)) : nil
        size = regular ? Int(info.st_size) : nil
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(GazetteerError) -> Int {
        while true {
            let n: Int
            if case .replay = mode {
                n = pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
                if n > 0 { offset += n }
            } else {
                n = Glibc.read(fd, buffer.baseAddress, buffer.count)
                if n > 0, case .first = mode { StandardInputCopy.keep(UnsafeRawBufferPointer(rebasing: buffer[..<n])) }
            }
            if n >= 0 {
                if n == 0, case .first = mode { StandardInputCopy.markEnded() }
                return n
            }
            if errno == EINTR { continue }
            throw .cannotRead(path: displayName, reason: errnoDescription(errno))
        }
    }
}

/// Standard input read from its descriptor only once, whatever the command. The first reader
/// reads the descriptor and keeps what it reads in an unlinked temporary file; any later reader
/// first copies the rest of standard input there, then reads the copy from its start. Readers
/// of standard input must take turns (none reads while another is still reading).
///
/// A failure to keep the copy (a full disk) does not disturb the first reader; only a later one
/// then fails, with the reason.
public enum StandardInputCopy {
    enum Mode {
        case first
        case replay(Int32)
    }

    private struct State {
        var opened = false
        var ended = false
        var copy: Int32 = -1
        var size = 0
        var failure: String?
    }

    private static let state = Mutex(State())

    static func open() throws(GazetteerError) -> Mode {
        let result: Result<Mode, GazetteerError> = state.withLock { state in
            if !state.opened {
                state.opened = true
                do { state.copy = try temporaryFile(prefix: "minusma-stdin") } catch {
                    state.failure = "\(error)"
                }
                return .success(.first)
            }
            if !state.ended { drain(&state) }
            if let failure = state.failure {
                return .failure(.cannotRead(path: "<stdin>", reason: "standard input can be read only once, and its copy failed: \(failure)"))
            }
            return .success(.replay(state.copy))
        }
        return try result.get()
    }

    /// All of standard input in a named temporary file, for a library that opens files by path
    /// (SQLite for a GeoPackage; it resolves /proc/self/fd links, so the unlinked copy will not
    /// do). The caller removes the file once it is open. Call it when no reader is reading.
    public static func namedCopy() throws(GazetteerError) -> String {
        var mode = try open()
        if case .first = mode { mode = try open() }  // nobody had read it yet: now it is copied
        guard case .replay(let copy) = mode else {
            throw .cannotRead(path: "<stdin>", reason: "standard input could not be copied to a file")
        }
        var dir = "/tmp"
        if let t = getenv("TMPDIR"), t.pointee != 0 { dir = String(cString: t) }
        var template = Array("\(dir)/minusma-stdin-\(String(repeating: "X", count: 6))".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .cannotRead(path: "\(dir)/minusma-stdin-*", reason: errnoDescription(errno)) }
        defer { close(fd) }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { chunk.deallocate() }
        var at = 0
        while true {
            let n = pread(copy, chunk.baseAddress, chunk.count, off_t(at))
            if n < 0 && errno == EINTR { continue }
            if n == 0 { return path }
            var written = 0
            while n > 0 && written < n {
                let w = write(fd, chunk.baseAddress! + written, n - written)
                if w < 0 && errno == EINTR { continue }
                guard w > 0 else {
                    unlink(path)
                    throw .cannotRead(path: "<stdin>", reason: "cannot copy standard input to \(path): \(errnoDescription(w < 0 ? errno : EIO))")
                }
                written += w
            }
            guard n > 0 else {
                unlink(path)
                throw .cannotRead(path: "<stdin>", reason: errnoDescription(errno))
            }
            at += n
        }
    }

    /// Appends bytes the first reader has read to the copy.
    static func keep(_ bytes: UnsafeRawBufferPointer) {
        state.withLock { append(bytes, to: &$0) }
    }

    static func markEnded() {
        state.withLock { $0.ended = true }
    }

    private static func append(_ bytes: UnsafeRawBufferPointer, to state: inout State) {
        guard state.failure == nil, bytes.baseAddress != nil else { return }
        let failure = writeFully(state.copy, bytes, at: state.size)
        if failure != 0 {
            state.failure = "cannot write the copy of standard input in the temporary folder: \(errnoDescription(failure))"
            return
        }
        state.size += bytes.count
    }

    /// Reads the rest of standard input into the copy.
    private static func drain(_ state: inout State) {
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { chunk.deallocate() }
        while state.failure == nil {
            let n = Glibc.read(0, chunk.baseAddress, chunk.count)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { state.failure = "cannot read standard input: \(errnoDescription(errno))"; return }
            if n == 0 { state.ended = true; return }
            append(UnsafeRawBufferPointer(rebasing: chunk[..<n]), to: &state)
        }
    }
}

/// Writes all of `bytes` at `offset` of `fd`, again after an interruption; 0, or the errno
/// that stopped it (EIO for a write that made no progress).
public func writeFully(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int32 {
    var written = 0
    while written < bytes.count {
        let n = pwrite(fd, bytes.baseAddress! + written, bytes.count - written, off_t(offset + written))
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return n < 0 ? errno : EIO }
        written += n
    }
    return 0
}

/// Reads exactly `bytes.count` bytes at `offset` of `fd` into `bytes`; 0, the errno that
/// stopped it, or -1 when the file ends first.
public func readFully(_ fd: Int32, _ bytes: UnsafeMutableRawBufferPointer, at offset: Int) -> Int32 {
    var got = 0
    while got < bytes.count {
        let n = pread(fd, bytes.baseAddress! + got, bytes.count - got, off_t(offset + got))
        if n < 0 && errno == EINTR { continue }
        if n < 0 { return errno }
        if n == 0 { return -1 }
        got += n
    }
    return 0
}

/// A new temporary file in TMPDIR (else /tmp), already unlinked: it goes away with the process.
func temporaryFile(prefix: String) throws(GazetteerError) -> Int32 {
    var dir = "/tmp"
    if let t = getenv("TMPDIR"), t.pointee != 0 { dir = String(cString: t) }
    // mkstemp replaces the template's last six characters.
    var template = Array("\(dir)/\(prefix)-\(String(repeating: "X", count: 6))".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { throw .cannotRead(path: "\(dir)/\(prefix)-*", reason: errnoDescription(errno)) }
    template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    return fd
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
