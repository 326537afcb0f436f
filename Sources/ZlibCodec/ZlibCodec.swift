import CZlib

/// zlib streams (RFC 1950: deflate, its header and the Adler-32 check), made by zlib itself.
public enum ZlibCodec {
    /// `data` compressed in one call at zlib's fastest level: the pictures are mostly runs of one
    /// colour, and zlib's default level made the sites' KMZ 5% smaller for twice the pictures' time.
    /// The bytes depend only on the input, the level and zlib's version (Debian 12's 1.2.13 made
    /// `Output/`), so the same picture gives the same file on the same system.
    public static func compress(_ data: [UInt8]) -> [UInt8] {
        var length = compressBound(uLong(data.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let status = out.withUnsafeMutableBufferPointer { target in
            data.withUnsafeBufferPointer { source in
                compress2(target.baseAddress, &length, source.baseAddress, uLong(source.count), Z_BEST_SPEED)
            }
        }
        // With compressBound's room zlib fails only to allocate its state: the data is then
        // stored, still a valid stream, rather than lost.
        guard status == Z_OK else { return stored(data) }
        out.removeLast(out.count - Int(length))
        return out
    }

    /// A zlib stream of stored (uncompressed) deflate blocks of at most 65,535 bytes.
    static func stored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let n = min(65_535, data.count - start)
            let last = start + n == data.count
            out.append(last ? 1 : 0)  // BFINAL, BTYPE 00 (stored), then the byte boundary
            out += [UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += data[start..<start + n]
            start += n
        } while start < data.count
        let check = data.withUnsafeBufferPointer { adler32(adler32(0, nil, 0), $0.baseAddress, uInt($0.count)) }
        out += [UInt8((check >> 24) & 0xFF), UInt8((check >> 16) & 0xFF), UInt8((check >> 8) & 0xFF), UInt8(check & 0xFF)]
        return out
    }
}
