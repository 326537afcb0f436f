import CZlib

/// zlib streams (RFC 1950: deflate, its header and the Adler-32 check), made by zlib itself.
public enum ZlibCodec {
    /// `data` compressed in one call at zlib's fastest level: the pictures are mostly runs of one
    /// colour, and zlib's default level made the sites' KMZ 5% smaller for twice the pictures' time. The bytes depend
    /// only on the input, the level and zlib's version, so the same picture gives the same file.
    public static func compress(_ data: [UInt8]) -> [UInt8] {
        var length = compressBound(uLong(data.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let status = out.withUnsafeMutableBufferPointer { target in
            data.withUnsafeBufferPointer { source in
                compress2(target.baseAddress, &length, source.baseAddress, uLong(source.count), Z_BEST_SPEED)
            }
        }
        // With compressBound's room, zlib can fail only to allocate its state, where Swift's own
        // allocations would have stopped the program already.
        precondition(status == Z_OK, "zlib compress2 failed (\(status))")
        out.removeLast(out.count - Int(length))
        return out
    }
}
