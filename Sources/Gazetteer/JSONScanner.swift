
/// A pull tokenizer over a JSON byte stream: whitespace, strings (escapes decoded), number
/// lexemes, literals and whole values skipped, with the byte offset and line of every token.
/// It never holds more than its buffer and the token being read, so a document of any size
/// streams in flat memory.
final class JSONScanner {
    struct Failure: Error {
        let offset: Int
        let line: Int
        let problem: String
    }

    /// Nesting deeper than this is refused (a hostile file must not exhaust the stack).
    static let maximumDepth = 64
    /// The longest string or number accepted.
    static let maximumTokenBytes = 64 << 20

    @exclusivity(unchecked) private var source: any ByteSource
    @exclusivity(unchecked) private var buffer: UnsafeMutableRawBufferPointer
    @exclusivity(unchecked) private var position = 0
    @exclusivity(unchecked) private var end = 0
    /// The absolute offset of `buffer[0]`.
    @exclusivity(unchecked) private var base = 0
    @exclusivity(unchecked) private var ended = false
    /// The current line (1-based).
    @exclusivity(unchecked) private(set) var line = 1

    init(source: any ByteSource, bufferSize: Int = 1 << 20) {
        self.source = source
        buffer = .allocate(byteCount: bufferSize, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// Skips a UTF-8 byte-order mark at the start (JSON forbids it, but editors write it).
    func skipByteOrderMark() throws(Failure) {
        guard offset == 0, (try? peek()) == 0xEF else { return }
        if end - position >= 3, byte(position + 1) == 0xBB, byte(position + 2) == 0xBF { position += 3 }
    }

    /// The absolute byte offset of the next byte (0-based).
    var offset: Int { base + position }

    func fail(_ problem: String) -> Failure { Failure(offset: offset, line: line, problem: problem) }

    @inline(__always) private func byte(_ i: Int) -> UInt8 { buffer.load(fromByteOffset: i, as: UInt8.self) }

    private func refill() throws(GazetteerError) {
        base += position
        end = 0
        position = 0
        let n = try source.read(into: buffer)
        if n == 0 { ended = true } else { end = n }
    }

    /// The next byte without consuming it; nil at the end of the input.
    @inline(__always) func peek() throws(GazetteerError) -> UInt8? {
        if position == end {
            if ended { return nil }
            try refill()
            if position == end { return nil }
        }
        return byte(position)
    }

    @inline(__always) private func advance() { position += 1 }

    /// Skips white space, then returns the next byte without consuming it.
    func peekToken() throws(GazetteerError) -> UInt8? {
        if position < end {
            let c = byte(position)
            if c > 0x20 { return c }
        }
        while let c = try peek() {
            switch c {
            case 0x20, 0x09, 0x0D: advance()
            case 0x0A: advance(); line += 1
            default: return c
            }
        }
        return nil
    }

    func describe(_ c: UInt8?) -> String {
        guard let c else { return "the end of the file" }
        if c >= 0x21 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        return "the byte 0x\(String(c, radix: 16, uppercase: true))"
    }

    /// Consumes `c` (after white space) or fails naming what was there.
    func expect(_ c: UInt8, _ what: String) throws(Failure) {
        let next: UInt8?
        do { next = try peekToken() } catch { throw fail("\(error)") }
        guard next == c else { throw fail("\(describe(next)) where \(what) was expected") }
        advance()
    }

    /// Consumes `c` if it comes next (after white space).
    func consume(_ c: UInt8) throws(Failure) -> Bool {
        let next: UInt8?
        do { next = try peekToken() } catch { throw fail("\(error)") }
        if next == c { advance(); return true }
        return false
    }

    /// After a member or an element: `,` (true) or the closing byte (false).
    func separatorOrEnd(_ close: UInt8, _ container: String) throws(Failure) -> Bool {
        if try consume(UInt8(ascii: ",")) { return true }
        if try consume(close) { return false }
        let next = try? peekToken()
        throw fail("\(describe(next ?? nil)) where ',' or '\(Character(Unicode.Scalar(close)))' was expected in \(container)")
    }

    /// A string (the opening quote next), its escapes decoded into `out` as UTF-8.
    func readString(into out: inout [UInt8]) throws(Failure) {
        try expect(UInt8(ascii: "\""), "a string")
        let start = out.count
        while true {
            // The plain run up to the next quote, backslash or control byte, copied at once.
            var run = position
            while run < end {
                let c = byte(run)
                if c == 0x22 || c == 0x5C || c < 0x20 { break }
                run += 1
            }
            if run > position {
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[position..<run]))
                position = run
                if out.count - start > Self.maximumTokenBytes { throw fail("a string longer than 64 MiB") }
            }
            let next: UInt8?
            do { next = try peek() } catch { throw fail("\(error)") }
            guard let c = next else { throw fail("the end of the file inside a string") }
            advance()
            if c == UInt8(ascii: "\"") { break }
            if c == UInt8(ascii: "\\") { try readEscape(into: &out); continue }
            if c < 0x20 { throw fail("a control character (0x\(String(c, radix: 16))) inside a string, where JSON needs an escape") }
            out.append(c)
            if out.count - start > Self.maximumTokenBytes { throw fail("a string longer than 64 MiB") }
        }
        let valid = out.withUnsafeBufferPointer { UTF8Text.isValid(UnsafeBufferPointer(rebasing: $0[start...])) }
        if !valid { throw fail("a string that is not valid UTF-8") }
    }

    private func readEscape(into out: inout [UInt8]) throws(Failure) {
        let next: UInt8?
        do { next = try peek() } catch { throw fail("\(error)") }
        guard let e = next else { throw fail("the end of the file inside a string") }
        advance()
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
        case UInt8(ascii: "b"): out.append(8)
        case UInt8(ascii: "f"): out.append(12)
        case UInt8(ascii: "n"): out.append(10)
        case UInt8(ascii: "r"): out.append(13)
        case UInt8(ascii: "t"): out.append(9)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if (0xD800..<0xDC00).contains(scalar) {
                guard try consume(UInt8(ascii: "\\")), (try? peek()) == UInt8(ascii: "u") else { throw fail("a lone surrogate escape \\u\(String(scalar, radix: 16))") }
                advance()
                let low = try readHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw fail("a surrogate escape not followed by its low half") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw fail("a lone surrogate escape \\u\(String(scalar, radix: 16))")
            }
            guard let u = Unicode.Scalar(scalar) else { throw fail("an escape of no character") }
            out.append(contentsOf: String(Character(u)).utf8)
        default:
            throw fail("the escape \\\(describe(e)) in a string (JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\u with four hex digits)")
        }
    }

    private func readHex4() throws(Failure) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            let next: UInt8?
            do { next = try peek() } catch { throw fail("\(error)") }
            guard let c = next else { throw fail("the end of the file inside a \\u escape") }
            let digit: UInt32
            switch c {
            case 48...57: digit = UInt32(c - 48)
            case 65...70: digit = UInt32(c - 55)
            case 97...102: digit = UInt32(c - 87)
            default: throw fail("\(describe(c)) in a \\u escape, where a hexadecimal digit was expected")
            }
            v = v << 4 | digit
            advance()
        }
        return v
    }

    /// A number's lexeme (checked against JSON's grammar) appended to `out`; whether it is an integer.
    @discardableResult
    func readNumber(into out: inout [UInt8]) throws(Failure) -> Bool {
        let start = out.count
        var integer = true
        while true {
            if position == end {
                guard (try? peek()) != nil else { break }
            }
            let c = byte(position)
            guard c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
                || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || (c >= 48 && c <= 57) else { break }
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") { integer = false }
            out.append(c)
            position += 1
            if out.count - start > 400 { throw fail("a number of more than 400 characters") }
        }
        guard Self.isJSONNumber(out[start...]) else {
            throw fail("\"\(String(decoding: out[start...], as: UTF8.self))\", which is not a JSON number")
        }
        return integer
    }

    /// JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    static func isJSONNumber(_ s: ArraySlice<UInt8>) -> Bool {
        var i = s.startIndex
        func digits() -> Int { let from = i; while i < s.endIndex, s[i] >= 48, s[i] <= 57 { i += 1 }; return i - from }
        if i < s.endIndex, s[i] == UInt8(ascii: "-") { i += 1 }
        guard i < s.endIndex else { return false }
        if s[i] == 48 { i += 1 } else if digits() == 0 { return false }
        if i < s.endIndex, s[i] == UInt8(ascii: ".") { i += 1; if digits() == 0 { return false } }
        if i < s.endIndex, s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E") {
            i += 1
            if i < s.endIndex, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
            if digits() == 0 { return false }
        }
        return i == s.endIndex
    }

    /// `true`, `false` or `null` (the first byte next): which one.
    func readLiteral() throws(Failure) -> String {
        var word: [UInt8] = []
        while let c = try? peek(), c >= 97 && c <= 122, word.count < 6 { word.append(c); advance() }
        let text = String(decoding: word, as: UTF8.self)
        guard text == "true" || text == "false" || text == "null" else { throw fail("'\(text)', which is not a JSON value") }
        return text
    }

    /// Skips one value of any kind.
    func skipValue(depth: Int = 0) throws(Failure) {
        guard depth < Self.maximumDepth else { throw fail("values nested more than \(Self.maximumDepth) deep") }
        let next: UInt8?
        do { next = try peekToken() } catch { throw fail("\(error)") }
        var scratch: [UInt8] = []
        switch next {
        case UInt8(ascii: "{"):
            advance()
            if try consume(UInt8(ascii: "}")) { return }
            repeat {
                scratch.removeAll(keepingCapacity: true)
                try readString(into: &scratch)
                try expect(UInt8(ascii: ":"), "':' after a member name")
                try skipValue(depth: depth + 1)
            } while try separatorOrEnd(UInt8(ascii: "}"), "an object")
        case UInt8(ascii: "["):
            advance()
            if try consume(UInt8(ascii: "]")) { return }
            repeat { try skipValue(depth: depth + 1) } while try separatorOrEnd(UInt8(ascii: "]"), "an array")
        case UInt8(ascii: "\""): try readString(into: &scratch)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"): _ = try readLiteral()
        case let c? where c == UInt8(ascii: "-") || (c >= 48 && c <= 57): try readNumber(into: &scratch)
        default: throw fail("\(describe(next)) where a JSON value was expected")
        }
    }
}
