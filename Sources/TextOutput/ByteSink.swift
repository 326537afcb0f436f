#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Problems writing output files. Each names the path and the system's reason.
public enum OutputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The folder is missing or not writable, or the temporary file cannot be made.
    case cannotCreate(path: String, reason: String)
    /// A write failed part-way (disk full, I/O error). The previous file, if any, is untouched.
    case cannotWrite(path: String, reason: String)
    /// The finished temporary file could not be renamed over the destination.
    case cannotReplace(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotCreate(path, reason): return "cannot create \(path): \(reason)"
        case let .cannotWrite(path, reason): return "cannot write \(path): \(reason)"
        case let .cannotReplace(path, reason): return "cannot replace \(path): \(reason)"
        }
    }
}

func systemError(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

/// Where bytes go.
public protocol ByteSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError)
}

/// Bytes kept in memory (tests, small documents built before they are written).
public final class MemorySink: ByteSink {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public func write(_ chunk: UnsafeRawBufferPointer) throws(OutputError) {
        bytes.append(contentsOf: chunk)
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// A file written under a temporary name in its destination folder and renamed over the
/// destination only by `commit()`: a failure never leaves half a file, and never destroys the
/// previous good one. An uncommitted file is removed when the object goes away.
public final class AtomicFile: ByteSink {
    /// The final path.
    public let path: String
    /// The temporary path written to until `commit()`.
    public let temporaryPath: String
    private var fd: Int32
    private var committed = false

    /// Mode of the created file before the umask, as for any file a user creates.
    public init(path: String) throws(OutputError) {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var info = stat()
        if stat(directory.isEmpty ? "/" : directory, &info) != 0 {
            throw .cannotCreate(path: path, reason: "the folder \(directory) does not exist (\(systemError()))")
        }
        if (info.st_mode & S_IFMT) != S_IFDIR {
            throw .cannotCreate(path: path, reason: "\(directory) is not a folder")
        }
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw .cannotCreate(path: path, reason: "a folder has that name")
        }
        guard let (made, temporary) = TemporaryFile.make(in: directory, prefix: ".\(name).tmp-") else {
            throw .cannotCreate(path: path, reason: "cannot make a file in \(directory) (\(systemError()))")
        }
        // mkstemp creates 0600; give the file the permissions of an ordinary new file.
        let mask = umask(0)
        umask(mask)
        fchmod(made, 0o666 & ~mask)
        self.fd = made
        self.temporaryPath = temporary
    }

    deinit {
        if !committed { discard() }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw .cannotWrite(path: path, reason: systemError())
            }
            offset += n
        }
    }

    /// Closes the temporary file and renames it over `path`.
    public func commit() throws(OutputError) {
        guard !committed, fd >= 0 else { return }
        if close(fd) != 0 {
            fd = -1
            throw .cannotWrite(path: path, reason: systemError())
        }
        fd = -1
        if rename(temporaryPath, path) != 0 {
            let reason = systemError()
            unlink(temporaryPath)
            throw .cannotReplace(path: path, reason: reason)
        }
        committed = true
    }

    /// Removes the temporary file; the destination keeps its previous content.
    public func discard() {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
        if !committed { unlink(temporaryPath) }
    }
}

/// New files with unique names, made with `mkstemp`.
public enum TemporaryFile {
    /// Creates `<directory>/<prefix><6 random characters>` (mode 0600, close-on-exec) and returns
    /// its descriptor and path.
    public static func make(in directory: String, prefix: String) -> (fd: Int32, path: String)? {
        // mkstemp replaces the template's last six characters.
        var template = Array("\(directory)/\(prefix)\(String(repeating: "X", count: 6))".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return (fd, template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
    }
}

/// File paths built from a folder and a name.
public enum FilePath {
    /// `folder/name`, without doubling the slash of the root folder.
    public static func join(_ folder: String, _ name: String) -> String {
        folder == "/" ? "/" + name : folder + "/" + name
    }
}
