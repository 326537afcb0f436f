import Gazetteer

/// A parsed JSON value: enough to read the Natural Earth base map files (and any small JSON).
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Members in document order.
    case object([(String, JSONValue)])
    /// A GeoJSON `coordinates` member, read straight into positions (no value per number).
    case coordinates(CoordinateTree)

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.coordinates(x), .coordinates(y)): return x == y
        default: return false
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members.first { $0.0 == key }?.1 }
        return nil
    }

    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var numberValue: Double? { if case .number(let n) = self { return n } else { return nil } }
    public var objectValue: [(String, JSONValue)]? { if case .object(let o) = self { return o } else { return nil } }
}

/// Nested GeoJSON coordinate arrays: a position, a list of positions (a ring or a line), or a
/// list of those.
public indirect enum CoordinateTree: Equatable, Sendable {
    case position(GeoPosition)
    case positions([GeoPosition])
    case list([CoordinateTree])
}

public struct JSONParseError: Error, CustomStringConvertible {
    public let offset: Int
    public let problem: String
    public var description: String { "JSON error at byte \(offset): \(problem)" }
}

/// A strict recursive-descent JSON parser (RFC 8259).
public struct JSONParser {
    private let bytes: [UInt8]
    private var i = 0

    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var p = JSONParser(bytes: Array(text.utf8))
        p.skipSpace()
        let v = try p.value()
        p.skipSpace()
        guard p.i == p.bytes.count else { throw JSONParseError(offset: p.i, problem: "text after the value") }
        return v
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13 { i += 1 }
    }

    private func fail(_ problem: String) -> JSONParseError { JSONParseError(offset: i, problem: problem) }

    private mutating func value() throws(JSONParseError) -> JSONValue {
        guard i < bytes.count else { throw fail("unexpected end") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var members: [(String, JSONValue)] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
                let key = try string()
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                i += 1
                skipSpace()
                if key == "coordinates", i < bytes.count, bytes[i] == UInt8(ascii: "[") {
                    members.append((key, .coordinates(try coordinateTree())))
                } else {
                    members.append((key, try value()))
                }
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end in an object") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                throw fail("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [JSONValue] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try value())
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end in an array") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                throw fail("expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default:
            return .number(try number())
        }
    }

    /// Reads nested arrays of numbers; innermost arrays are positions (longitude, latitude; any
    /// third value is dropped). Called at a '['.
    private mutating func coordinateTree() throws(JSONParseError) -> CoordinateTree {
        i += 1  // [
        skipSpace()
        guard i < bytes.count else { throw fail("unexpected end in coordinates") }
        if bytes[i] != UInt8(ascii: "[") { return .position(try positionBody()) }
        // An array of arrays: of positions (a ring), or of deeper lists.
        var probe = i + 1
        while probe < bytes.count, bytes[probe] == 32 || bytes[probe] == 10 || bytes[probe] == 13 || bytes[probe] == 9 { probe += 1 }
        let ofPositions = probe < bytes.count && bytes[probe] != UInt8(ascii: "[")
        var children: [CoordinateTree] = []
        var positions: [GeoPosition] = []
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "[") else { throw fail("expected '[' in coordinates") }
            if ofPositions {
                i += 1
                skipSpace()
                positions.append(try positionBody())
            } else {
                children.append(try coordinateTree())
            }
            skipSpace()
            guard i < bytes.count else { throw fail("unexpected end in coordinates") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; break }
            throw fail("expected ',' or ']' in coordinates")
        }
        return ofPositions ? .positions(positions) : .list(children)
    }

    /// The numbers of a position after its '[', through its ']'.
    private mutating func positionBody() throws(JSONParseError) -> GeoPosition {
        let longitude = try number()
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: ",") else { throw fail("a position needs two numbers") }
        i += 1
        skipSpace()
        let latitude = try number()
        while true {
            skipSpace()
            guard i < bytes.count else { throw fail("unexpected end in a position") }
            if bytes[i] == UInt8(ascii: "]") { i += 1; break }
            guard bytes[i] == UInt8(ascii: ",") else { throw fail("expected ',' or ']' in a position") }
            i += 1
            skipSpace()
            _ = try number()
        }
        return GeoPosition(longitude: longitude, latitude: latitude)
    }

    private mutating func literal(_ word: String) throws(JSONParseError) {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { throw fail("expected \(word)") }
        i += w.count
    }

    private mutating func number() throws(JSONParseError) -> Double {
        let start = i
        while i < bytes.count, let c = Optional(bytes[i]),
              (c >= 48 && c <= 57) || c == 45 || c == 43 || c == 46 || c == 101 || c == 69 { i += 1 }
        let end = i
        let value = bytes.withUnsafeBufferPointer { DecimalParsing.double(UnsafeBufferPointer(rebasing: $0[start..<end])) }
        guard i > start, let value else { throw fail("expected a value") }
        return value
    }

    private mutating func string() throws(JSONParseError) -> String {
        i += 1  // opening quote
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else { throw fail("unterminated string") }
            let c = bytes[i]
            i += 1
            if c == UInt8(ascii: "\"") { break }
            if c != UInt8(ascii: "\\") { out.append(c); continue }
            guard i < bytes.count else { throw fail("unterminated escape") }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), i + 1 < bytes.count, bytes[i] == 92, bytes[i + 1] == 117 {
                    i += 2
                    let low = try hex4()
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8))
            default: out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16) else {
            throw fail("bad \\u escape")
        }
        i += 4
        return v
    }
}
