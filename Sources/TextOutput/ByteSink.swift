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

    /// The file the error is about.
    public var path: String {
        switch self {
        case let .cannotCreate(path, _), let .cannotWrite(path, _), let .cannotReplace(path, _): return path
        }
    }

    /// The system's reason.
    public var reason: String {
        switch self {
        case let .cannotCreate(_, reason), let .cannotWrite(_, reason), let .cannotReplace(_, reason): return reason
        }
    }

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
        try OutputNames.checkFolder(directory.isEmpty ? "/" : directory, for: path)
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw .cannotCreate(path: path, reason: "a folder has that name")
        }
        try OutputNames.checkLength(of: name, in: directory.isEmpty ? "/" : directory, for: path)
        // A short temporary name of fixed length, so that any name that fits the folder works.
        guard let (made, temporary) = TemporaryFile.make(in: directory, prefix: OutputNames.atomicPrefix) else {
            throw .cannotCreate(path: path, reason: "cannot make a file in \(directory) (\(systemError()))")
        }
        Interruption.register(temporary)
        fchmod(made, OutputNames.newFileMode())
        self.fd = made
        self.temporaryPath = temporary
    }

    deinit {
        if !committed { discard() }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        try writeFully(fd, bytes, path: path)
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
            Interruption.unregister(temporaryPath)
            throw .cannotReplace(path: path, reason: reason)
        }
        Interruption.unregister(temporaryPath)
        committed = true
    }

    /// Removes the temporary file; the destination keeps its previous content.
    public func discard() {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
        if !committed {
            unlink(temporaryPath)
            Interruption.unregister(temporaryPath)
        }
    }
}

/// Writes all of `bytes` to `fd`, retrying short writes; failures name `path`.
func writeFully(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(OutputError) {
    guard let base = bytes.baseAddress else { return }
    var offset = 0
    while offset < bytes.count {
        let n = Glibc.write(fd, base + offset, bytes.count - offset)
        if n < 0 {
            if errno == EINTR { continue }
            throw .cannotWrite(path: path, reason: systemError())
        }
        offset += n
    }
}

/// The names of output files and of the temporary files beside them.
enum OutputNames {
    /// Staged new files of a file set (swept by the next file set on the folder).
    static let stagedPrefix = ".minusma-new-"
    /// Backups of replaced files during a file set's commit.
    static let backupPrefix = ".minusma-old-"
    /// `AtomicFile`'s temporary files (not swept: they are not under the folder's lock).
    static let atomicPrefix = ".minusma-tmp-"
    /// Every temporary name is a prefix and mkstemp's six characters: 19 bytes.
    static let temporaryNameLength = 19

    /// The mode of an ordinary new file: 0666 less the umask (mkstemp gives 0600).
    static func newFileMode() -> mode_t {
        let mask = umask(0)
        umask(mask)
        return 0o666 & ~mask
    }

    static func checkFolder(_ directory: String, for path: String) throws(OutputError) {
        var info = stat()
        if stat(directory, &info) != 0 {
            throw .cannotCreate(path: path, reason: "the folder \(directory) does not exist (\(systemError()))")
        }
        if (info.st_mode & S_IFMT) != S_IFDIR {
            throw .cannotCreate(path: path, reason: "\(directory) is not a folder")
        }
    }

    /// The exact limit: the final name and the temporary name must each fit the folder's
    /// maximum name length (255 bytes on most file systems).
    static func checkLength(of name: String, in directory: String, for path: String) throws(OutputError) {
        let reported = pathconf(directory, Int32(_PC_NAME_MAX))
        let limit = reported > 0 ? reported : 255
        let length = name.utf8.count
        if max(length, temporaryNameLength) > limit {
            throw .cannotCreate(path: path, reason: "the name is \(length) bytes long; names in \(directory) are limited to \(limit) bytes")
        }
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
