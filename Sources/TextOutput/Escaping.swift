extension OutputBuffer {
    /// A JSON string with its quotes. Escapes `"`, `\` and control characters only: `/` and
    /// non-ASCII text stay as they are (UTF-8), as RFC 8259 allows.
    public func append(jsonString s: String) {
        append(byte: 34)
        var s = s
        s.withUTF8 { bytes in
            var start = 0
            for i in 0..<bytes.count {
                let c = bytes[i]
                guard c == 34 || c == 92 || c < 0x20 else { continue }
                append(UnsafeBufferPointer(rebasing: bytes[start..<i]))
                switch c {
                case 34: append("\\\"" as StaticString)
                case 92: append("\\\\" as StaticString)
                case 10: append("\\n" as StaticString)
                case 13: append("\\r" as StaticString)
                case 9: append("\\t" as StaticString)
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    append("\\u00" as StaticString)
                    append(byte: hex[Int(c >> 4)])
                    append(byte: hex[Int(c & 15)])
                }
                start = i + 1
            }
            append(UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        append(byte: 34)
    }

    /// Text for XML content or attribute values: `&`, `<`, `>`, `"` and `'` escaped; control
    /// characters that XML 1.0 forbids (all below U+0020 but tab, LF and CR) become U+FFFD.
    public func append(xmlEscaped s: String) {
        var s = s
        s.withUTF8 { bytes in
            var start = 0
            for i in 0..<bytes.count {
                let c = bytes[i]
                guard c == 38 || c == 60 || c == 62 || c == 34 || c == 39 || (c < 0x20 && c != 9 && c != 10 && c != 13) else { continue }
                append(UnsafeBufferPointer(rebasing: bytes[start..<i]))
                switch c {
                case 38: append("&amp;" as StaticString)
                case 60: append("&lt;" as StaticString)
                case 62: append("&gt;" as StaticString)
                case 34: append("&quot;" as StaticString)
                case 39: append("&apos;" as StaticString)
                default: append("\u{FFFD}" as StaticString)
                }
                start = i + 1
            }
            append(UnsafeBufferPointer(rebasing: bytes[start...]))
        }
    }

    /// One CSV field (RFC 4180): quoted when it holds the separator, a quote, CR or LF, or
    /// starts or ends with a space; quotes doubled inside.
    public func append(csvField s: String, separator: UInt8 = 44) {
        var s = s
        s.withUTF8 { bytes in
            var needsQuotes = bytes.first == 32 || bytes.last == 32
            if !needsQuotes {
                for c in bytes where c == separator || c == 34 || c == 10 || c == 13 {
                    needsQuotes = true
                    break
                }
            }
            guard needsQuotes else { append(bytes); return }
            append(byte: 34)
            var start = 0
            for i in 0..<bytes.count where bytes[i] == 34 {
                append(UnsafeBufferPointer(rebasing: bytes[start...i]))
                append(byte: 34)
                start = i + 1
            }
            append(UnsafeBufferPointer(rebasing: bytes[start...]))
            append(byte: 34)
        }
    }
}

/// The same formatting as `OutputBuffer`, for building short strings.
public enum Formatting {
    public static func fixed(_ value: Double, decimals: Int) -> String {
        let sink = MemorySink()
        let out = OutputBuffer(sink: sink, capacity: 64)
        out.append(fixed: value, decimals: decimals)
        return out.string
    }

    public static func xmlEscaped(_ s: String) -> String {
        let out = OutputBuffer(sink: MemorySink(), capacity: s.utf8.count + 16)
        out.append(xmlEscaped: s)
        return out.string
    }

    public static func jsonString(_ s: String) -> String {
        let out = OutputBuffer(sink: MemorySink(), capacity: s.utf8.count + 16)
        out.append(jsonString: s)
        return out.string
    }
}

extension OutputBuffer {
    /// What has been appended and not yet flushed, as text.
    public var string: String {
        String(decoding: unflushed, as: UTF8.self)
    }
}
