/// RFC 1951 deflate with the fixed Huffman codes and a one-candidate LZ77 match search: enough
/// to shrink the KMZ's pictures (large runs of one colour) to a few kilobytes, in a page of code.
/// The output depends only on the input, so the same picture gives the same bytes.
enum Deflate {
    private static let lengthBases: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
                                             67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBases: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
                                               1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10,
                                               11, 11, 12, 12, 13, 13]
    static let window = 32_768
    static let longestMatch = 258

    /// Bits into bytes, least significant first, as deflate packs them.
    private struct BitWriter {
        var bytes: [UInt8] = []
        private var buffer: UInt64 = 0
        private var count = 0

        mutating func bits(_ value: Int, _ n: Int) {
            buffer |= UInt64(truncatingIfNeeded: value) << UInt64(count)
            count += n
            while count >= 8 {
                bytes.append(UInt8(truncatingIfNeeded: buffer))
                buffer >>= 8
                count -= 8
            }
        }

        /// A Huffman code, sent from its most significant bit.
        mutating func code(_ value: Int, _ n: Int) {
            var reversed = 0
            for i in 0..<n where value & (1 << i) != 0 { reversed |= 1 << (n - 1 - i) }
            bits(reversed, n)
        }

        mutating func finish() -> [UInt8] {
            if count > 0 { bytes.append(UInt8(truncatingIfNeeded: buffer)) }
            buffer = 0
            count = 0
            return bytes
        }
    }

    /// The fixed literal/length code of `symbol` (0...287).
    private static func symbol(_ s: Int, into w: inout BitWriter) {
        switch s {
        case 0...143: w.code(0x30 + s, 8)
        case 144...255: w.code(0x190 + s - 144, 9)
        case 256...279: w.code(s - 256, 7)
        default: w.code(0xC0 + s - 280, 8)
        }
    }

    private static func match(length: Int, distance: Int, into w: inout BitWriter) {
        let l = (lengthBases.lastIndex { $0 <= length }) ?? 0
        symbol(257 + l, into: &w)
        w.bits(length - lengthBases[l], lengthExtra[l])
        let d = (distanceBases.lastIndex { $0 <= distance }) ?? 0
        w.code(d, 5)
        w.bits(distance - distanceBases[d], distanceExtra[d])
    }

    /// One final block with the fixed codes.
    static func compress(_ data: [UInt8]) -> [UInt8] {
        var w = BitWriter()
        w.bits(1, 1)  // final block
        w.bits(1, 2)  // fixed Huffman codes
        // The latest position of each 3-byte sequence (hashed into 15 bits).
        var head = [Int](repeating: -1, count: 1 << 15)
        func key(_ i: Int) -> Int { (Int(data[i]) << 10 ^ Int(data[i + 1]) << 5 ^ Int(data[i + 2])) & 0x7FFF }
        var i = 0
        while i < data.count {
            var length = 0, distance = 0
            if i + 2 < data.count {
                let h = key(i), candidate = head[h]
                head[h] = i
                if candidate >= 0, i - candidate <= window {
                    let limit = min(longestMatch, data.count - i)
                    while length < limit, data[candidate + length] == data[i + length] { length += 1 }
                    distance = i - candidate
                }
            }
            if length >= 3 {
                match(length: length, distance: distance, into: &w)
                // The positions inside the match are remembered too, for the matches after it.
                for j in (i + 1)..<(i + length) where j + 2 < data.count { head[key(j)] = j }
                i += length
            } else {
                symbol(Int(data[i]), into: &w)
                i += 1
            }
        }
        symbol(256, into: &w)
        return w.finish()
    }
}
