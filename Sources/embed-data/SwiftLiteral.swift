// Spelling values as Swift source.

enum SwiftLiteral {
    /// An ordinary string literal holding `bytes` (UTF-8), escaping only what Swift requires.
    static func string(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(bytes.count + bytes.count / 16 + 2)
        for b in bytes {
            switch b {
            case UInt8(ascii: "\""): out += Array("\\\"".utf8)
            case UInt8(ascii: "\\"): out += Array("\\\\".utf8)
            case UInt8(ascii: "\n"): out += Array("\\n".utf8)
            case UInt8(ascii: "\r"): out += Array("\\r".utf8)
            case UInt8(ascii: "\t"): out += Array("\\t".utf8)
            case 0..<0x20, 0x7F:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u{".utf8) + [hex[Int(b >> 4)], hex[Int(b & 0xF)], UInt8(ascii: "}")]
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }

    static func string(_ text: String) -> String {
        String(decoding: string(Array(text.utf8)), as: UTF8.self)
    }

    /// A float literal that reads back as exactly `value` (Swift prints the shortest such digits).
    static func double(_ value: Double) -> String {
        switch value {
        case .infinity: return "Double.infinity"
        case -.infinity: return "-Double.infinity"
        default: return "\(value)"
        }
    }

    /// `doubles` as little-endian IEEE 754 bytes in base64, in lines of 76 characters: a string
    /// literal costs the type checker nothing, where an array literal of thousands of numbers does.
    static func base64Doubles(_ doubles: [Double]) -> [String] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(doubles.count * 8)
        for d in doubles {
            let bits = d.bitPattern
            for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(k)))) }
        }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var text: [UInt8] = []
        var k = 0
        while k < bytes.count {
            let n = min(3, bytes.count - k)
            var group = UInt32(bytes[k]) << 16
            if n > 1 { group |= UInt32(bytes[k + 1]) << 8 }
            if n > 2 { group |= UInt32(bytes[k + 2]) }
            for j in 0..<4 {
                text.append(j <= n ? alphabet[Int((group >> (18 - 6 * UInt32(j))) & 63)] : UInt8(ascii: "="))
            }
            k += 3
        }
        return stride(from: 0, to: text.count, by: 76).map {
            String(decoding: text[$0..<min($0 + 76, text.count)], as: UTF8.self)
        }
    }
}
