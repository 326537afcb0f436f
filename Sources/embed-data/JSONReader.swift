// A small strict JSON reader (RFC 8259), run at build time only: it turns the base map's GeoJSON
// into values that the generated source spells out, so the binary never parses JSON.

/// A JSON value; object members keep their document order (it becomes the GeoPackage column order).
enum JSON {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    subscript(key: String) -> JSON? {
        if case .object(let members) = self { return members.first { $0.0 == key }?.1 }
        return nil
    }
}

struct JSONReader {
    private let bytes: [UInt8]
    private let path: String
    private var i = 0

    /// The one value of `bytes`; a syntax error ends the build with the file and byte offset.
    static func read(_ bytes: [UInt8], path: String) -> JSON {
        var reader = JSONReader(bytes: bytes, path: path)
        reader.skipSpace()
        let value = reader.value()
        reader.skipSpace()
        if reader.i != bytes.count { reader.fail("text after the value") }
        return value
    }

    private init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    private func fail(_ problem: String) -> Never {
        embed_data.fail("\(path): byte \(i): \(problem)")
    }

    private var current: UInt8? { i < bytes.count ? bytes[i] : nil }

    private mutating func skipSpace() {
        while let c = current, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 }
    }

    private mutating func expect(_ c: Character) {
        guard current == c.asciiValue else { fail("expected '\(c)'") }
        i += 1
    }

    private mutating func value() -> JSON {
        switch current {
        case UInt8(ascii: "{"): return .object(members())
        case UInt8(ascii: "["): return .array(elements())
        case UInt8(ascii: "\""): return .string(string())
        case UInt8(ascii: "t"): word("true"); return .bool(true)
        case UInt8(ascii: "f"): word("false"); return .bool(false)
        case UInt8(ascii: "n"): word("null"); return .null
        case nil: fail("unexpected end of the file")
        default: return .number(number())
        }
    }

    private mutating func members() -> [(String, JSON)] {
        expect("{")
        var members: [(String, JSON)] = []
        skipSpace()
        if current == UInt8(ascii: "}") { i += 1; return members }
        while true {
            skipSpace()
            guard current == UInt8(ascii: "\"") else { fail("expected a member name") }
            let key = string()
            skipSpace()
            expect(":")
            skipSpace()
            members.append((key, value()))
            skipSpace()
            if current == UInt8(ascii: ",") { i += 1; continue }
            expect("}")
            return members
        }
    }

    private mutating func elements() -> [JSON] {
        expect("[")
        var items: [JSON] = []
        skipSpace()
        if current == UInt8(ascii: "]") { i += 1; return items }
        while true {
            skipSpace()
            items.append(value())
            skipSpace()
            if current == UInt8(ascii: ",") { i += 1; continue }
            expect("]")
            return items
        }
    }

    private mutating func word(_ text: String) {
        for c in text.utf8 {
            guard current == c else { fail("expected \(text)") }
            i += 1
        }
    }

    /// Converted by the standard library, which rounds correctly, as the run-time parser did.
    private mutating func number() -> Double {
        let start = i
        while let c = current, (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2B || c == 0x2E || c == 0x65 || c == 0x45 { i += 1 }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        guard let first = text.utf8.first, first == 0x2D || (first >= 0x30 && first <= 0x39),
              let value = Double(text), value.isFinite else { fail("expected a value, found \"\(text)\"") }
        return value
    }

    private mutating func string() -> String {
        expect("\"")
        var out: [UInt8] = []
        while true {
            guard let c = current else { fail("unterminated string") }
            i += 1
            if c == UInt8(ascii: "\"") { break }
            if c < 0x20 { fail("control character in a string") }
            if c != UInt8(ascii: "\\") { out.append(c); continue }
            out += escape()
        }
        guard let text = String(validating: out, as: UTF8.self) else { fail("a string is not valid UTF-8") }
        return text
    }

    /// The bytes of the escape after a backslash.
    private mutating func escape() -> [UInt8] {
        guard let e = current else { fail("unterminated escape") }
        i += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return [e]
        case UInt8(ascii: "n"): return [0x0A]
        case UInt8(ascii: "t"): return [0x09]
        case UInt8(ascii: "r"): return [0x0D]
        case UInt8(ascii: "b"): return [0x08]
        case UInt8(ascii: "f"): return [0x0C]
        case UInt8(ascii: "u"):
            var scalar = hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                word("\\u")
                let low = hex4()
                guard (0xDC00..<0xE000).contains(low) else { fail("unpaired surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { fail("invalid \\u escape") }
            return Array(String(Character(unicode)).utf8)
        default: fail("invalid escape")
        }
    }

    private mutating func hex4() -> UInt32 {
        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16) else {
            fail("invalid \\u escape")
        }
        i += 4
        return v
    }
}
