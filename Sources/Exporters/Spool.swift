#if canImport(Glibc)
import Glibc
#endif
import Gazetteer
import TextOutput

/// Bytes set aside to be written later, in order: kept in memory up to a limit, then moved to an
/// unlinked temporary file, so memory stays flat however much is spooled.
final class Spool: ByteSink {
    private let directory: String
    private let memoryLimit: Int
    private var memory: [UInt8] = []
    private var fd: Int32 = -1
    private var fileSize = 0

    init(directory: String, memoryLimit: Int = 4 << 20) {
        self.directory = directory
        self.memoryLimit = memoryLimit
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        if fd < 0 && memory.count + bytes.count <= memoryLimit {
            memory.append(contentsOf: bytes)
            return
        }
        if fd < 0 {
            guard let (made, path) = TemporaryFile.make(in: directory, prefix: ".minusma-spool-") else {
                throw .cannotCreate(path: "\(directory)/.minusma-spool-*", reason: String(cString: strerror(errno)))
            }
            fd = made
            unlink(path)  // the descriptor keeps it until we close it
            let pending = memory
            memory = []
            try pending.withUnsafeBufferPointer { (m) throws(OutputError) in try append(UnsafeRawBufferPointer(m)) }
        }
        try append(bytes)
    }

    private func append(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        let failure = writeFully(fd, bytes, at: fileSize)
        guard failure == 0 else {
            throw .cannotWrite(path: "a temporary spool file in \(directory)", reason: String(cString: strerror(failure)))
        }
        fileSize += bytes.count
    }

    /// Copies everything spooled, in order, to `out`.
    func drain(into out: OutputBuffer) throws(OutputError) {
        if fd < 0 {
            memory.withUnsafeBufferPointer { out.append($0) }
            try out.flushIfFull()
            return
        }
        try out.flush()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var offset = 0
        while offset < fileSize {
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, off_t(offset)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .cannotWrite(path: "a temporary spool file in \(directory)", reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            chunk.withUnsafeBufferPointer { out.append(UnsafeBufferPointer(rebasing: $0[0..<n])) }
            try out.flush()
            offset += n
        }
    }
}
