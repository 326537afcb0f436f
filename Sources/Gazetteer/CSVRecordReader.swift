/// Reads RFC 4180 records (comma-separated, `"` quoting with `""` for a quote, LF or CRLF line
/// ends, line breaks allowed inside quotes, an optional UTF-8 byte-order mark) from a byte source,
/// one record at a time, without copying: fields are views into the reader's buffer that stay
/// valid until the next call to `next()`.
public final class CSVRecordReader {
    public enum Step: Equatable, Sendable {
        case record
        /// A record that is not well-formed CSV. The reader has skipped to the next line.
        case malformed(line: Int, problem: String)
        case end
    }

    /// The longest record accepted by default; longer usually means an unterminated quote.
    public static let maximumRecordBytes = 64 << 20

    /// The longest record this reader accepts. Past it the reader stops (`gaveUp`): where the
    /// record ends is unknown, so nothing after it can be trusted.
    @exclusivity(unchecked)
    public var recordByteLimit = CSVRecordReader.maximumRecordBytes
    /// The most fields a record may have; a record with more is malformed (and skipped), so that
    /// a hostile line cannot make the field tables grow without bound.
    @exclusivity(unchecked)
    public var fieldLimit = Int.max
    /// Whether the reader stopped at a record longer than `recordByteLimit`.
    @exclusivity(unchecked)
    public private(set) var gaveUp = false
    /// Whether the current record holds a control byte other than tab and line breaks, or a
    /// 0xEF lead byte (U+FFFE and U+FFFF start with it): only then are its fields checked
    /// character by character (`forbiddenCharacter(in:)`).
    @exclusivity(unchecked)
    public private(set) var hasUnusualBytes = false

    @exclusivity(unchecked)
    private var source: any ByteSource
    @exclusivity(unchecked)
    private var buffer: UnsafeMutableRawBufferPointer
    @exclusivity(unchecked)
    private var head = 0        // first unconsumed byte
    @exclusivity(unchecked)
    private var tail = 0        // end of valid bytes
    @exclusivity(unchecked)
    private var sourceEnded = false
    @exclusivity(unchecked)
    private var atFileStart = true
    @exclusivity(unchecked)
    private var nextLine = 1
    /// After a malformed record whose line end was not yet buffered: skip to it first.
    @exclusivity(unchecked)
    private var skippingToLineEnd = false

    /// The line where the current record starts (1-based).
    @exclusivity(unchecked)
    public private(set) var recordLine = 0
    /// The bytes of the current record, line end included.
    @exclusivity(unchecked)
    public private(set) var recordByteCount = 0
    @exclusivity(unchecked)
    private var starts: [Int] = []
    @exclusivity(unchecked)
    private var ends: [Int] = []
    @exclusivity(unchecked)
    private var escaped: [Bool] = []

    public var displayName: String { source.displayName }

    /// The byte between fields: `,` unless `sniffSeparator()` found `;` or tab.
    public private(set) var separator: UInt8 = UInt8(ascii: ",")

    public init(source: any ByteSource, bufferSize: Int = 1 << 20) {
        self.source = source
        self.buffer = .allocate(byteCount: bufferSize, alignment: 16)
        starts.reserveCapacity(32)
        ends.reserveCapacity(32)
        escaped.reserveCapacity(32)
    }

    deinit { buffer.deallocate() }

    public var fieldCount: Int { starts.count }

    /// The raw bytes of field `i`, without its surrounding quotes (doubled quotes still doubled).
    @inline(__always)
    public func rawField(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        return UnsafeBufferPointer(start: base + starts[i], count: ends[i] - starts[i])
    }

    public func isEmpty(_ i: Int) -> Bool { ends[i] == starts[i] }

    /// Whether field `i` holds doubled quotes (so its raw bytes differ from its text).
    public func hasEscapes(_ i: Int) -> Bool { escaped[i] }

    /// Field `i` as text, with `""` turned into `"`; nil when the bytes are not valid UTF-8.
    public func string(_ i: Int) -> String? {
        let raw = rawField(i)
        if !escaped[i] { return UTF8Text.string(raw) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var j = 0
        while j < raw.count {
            bytes.append(raw[j])
            j += raw[j] == UInt8(ascii: "\"") ? 2 : 1
        }
        return bytes.withUnsafeBufferPointer { UTF8Text.string($0) }
    }

    /// Reads the next record.
    public func next() throws(GazetteerError) -> Step {
        while true {
            if skippingToLineEnd {
                try skipRestOfLine()
                continue
            }
            if atFileStart {
                try ensure(3)
                if tail - head >= 3, byte(head) == 0xEF, byte(head + 1) == 0xBB, byte(head + 2) == 0xBF { head += 3 }
                atFileStart = false
            }
            switch try parseRecord() {
            case .needMore:
                continue
            case .blank:
                continue
            case .done(let step):
                return step
            }
        }
    }

    /// Chooses the separator from the header line (the first 64 KiB at most): the most frequent
    /// of `,`, `;` and tab outside quotes, comma on a tie. Call before the first `next()`.
    public func sniffSeparator() throws(GazetteerError) {
        try ensure(64 << 10)
        var counts: [UInt8: Int] = [44: 0, 59: 0, 9: 0]
        var quoted = false
        var p = head
        while p < tail {
            let c = byte(p)
            if c == 34 { quoted.toggle() } else if !quoted {
                if c == 10 || c == 13 { break }
                if counts[c] != nil { counts[c, default: 0] += 1 }
            }
            p += 1
        }
        let comma = counts[44] ?? 0, semicolon = counts[59] ?? 0, tab = counts[9] ?? 0
        if semicolon > comma && semicolon >= tab { separator = 59 } else if tab > comma && tab > semicolon { separator = 9 }
    }

    /// The first bytes of the input (after the byte-order mark), for telling formats apart.
    public func peek(_ n: Int) throws(GazetteerError) -> [UInt8] {
        try ensure(n + 3)
        var start = head
        if tail - head >= 3, byte(head) == 0xEF, byte(head + 1) == 0xBB, byte(head + 2) == 0xBF { start += 3 }
        return (start..<min(tail, start + n)).map { byte($0) }
    }

    private enum Attempt {
        case needMore
        case blank
        case done(Step)
    }

    @inline(__always) private func byte(_ i: Int) -> UInt8 {
        buffer.load(fromByteOffset: i, as: UInt8.self)
    }

    /// Makes at least `n` unconsumed bytes available unless the source ends first.
    private func ensure(_ n: Int) throws(GazetteerError) {
        while tail - head < n && !sourceEnded { try refill() }
    }

    /// Moves the unconsumed bytes to the front, grows the buffer if it is full, and reads more.
    private func refill() throws(GazetteerError) {
        if head > 0 {
            let count = tail - head
            if count > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + head, byteCount: count) }
            tail = count
            head = 0
        }
        if tail == buffer.count {
            let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 16)
            bigger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: tail)
            buffer.deallocate()
            buffer = bigger
        }
        // Fill the whole free space: a pipe gives 64 KiB a read, and every refill in the middle
        // of a record parses it again from its start, so refills must at least double what is
        // buffered to keep a long record linear.
        while tail < buffer.count {
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[tail...]))
            if n == 0 { sourceEnded = true; return }
            tail += n
        }
    }

    private func parseRecord() throws(GazetteerError) -> Attempt {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        escaped.removeAll(keepingCapacity: true)
        hasUnusualBytes = false
        let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var p = head
        var lines = 0
        if p >= tail {
            if sourceEnded { return .done(.end) }
            try refill()
            return .needMore
        }
        // A blank line (or a line of only CR) is skipped.
        if base[p] == 10 || (base[p] == 13 && p + 1 < tail && base[p + 1] == 10) {
            head = p + (base[p] == 10 ? 1 : 2)
            nextLine += 1
            return .blank
        }
        let quote: UInt8 = 34, comma: UInt8 = separator, lf: UInt8 = 10, cr: UInt8 = 13
        while true {
            if base[p] == quote {
                // Quoted field.
                p += 1
                let fieldStart = p
                var hasEscapes = false
                while true {
                    if p >= tail { return try needMoreOrFail(unterminatedAt: nextLine) }
                    let c = base[p]
                    if c == quote {
                        if p + 1 >= tail && !sourceEnded { return try needMoreOrFail(unterminatedAt: nextLine) }
                        if p + 1 < tail && base[p + 1] == quote { hasEscapes = true; p += 2; continue }
                        break
                    }
                    if c < 32 || c == 0xEF {
                        if c == lf { lines += 1 } else if c != 9 && c != cr { hasUnusualBytes = true }
                    }
                    p += 1
                }
                starts.append(fieldStart)
                ends.append(p)
                escaped.append(hasEscapes)
                p += 1  // closing quote
                if p >= tail && !sourceEnded { return try needMoreOrFail(unterminatedAt: nil) }
                if p < tail, base[p] != comma, base[p] != lf, base[p] != cr {
                    return skipMalformed(from: p, lines: lines,
                                         problem: "a character after a closing quote (a field's quotes must enclose all of it)")
                }
            } else {
                let fieldStart = p
                while p < tail {
                    let c = base[p]
                    if c == comma || c == lf || c == cr { break }
                    if c == quote {
                        return skipMalformed(from: p, lines: lines,
                                             problem: "a quote inside an unquoted field (quote the whole field and double the quote)")
                    }
                    if (c < 32 && c != 9) || c == 0xEF { hasUnusualBytes = true }
                    p += 1
                }
                if p >= tail && !sourceEnded { return try needMoreOrFail(unterminatedAt: nil) }
                starts.append(fieldStart)
                ends.append(p)
                escaped.append(false)
            }
            // After a field: a comma, a line end, or the end of the input.
            if p >= tail {
                finish(at: p, lines: lines)
                return .done(.record)
            }
            let c = base[p]
            if c == comma {
                if starts.count >= fieldLimit {
                    return skipMalformed(from: p, lines: lines, problem: "more than \(fieldLimit) fields")
                }
                p += 1
                if p >= tail {
                    if !sourceEnded { return try needMoreOrFail(unterminatedAt: nil) }
                    starts.append(p); ends.append(p); escaped.append(false)
                    finish(at: p, lines: lines)
                    return .done(.record)
                }
                continue
            }
            if c == cr {
                if p + 1 >= tail && !sourceEnded { return try needMoreOrFail(unterminatedAt: nil) }
                if p + 1 < tail && base[p + 1] == lf {
                    finish(at: p + 2, lines: lines + 1)
                    return .done(.record)
                }
                return skipMalformed(from: p, lines: lines, problem: "a carriage return not followed by a line feed")
            }
            // LF
            finish(at: p + 1, lines: lines + 1)
            return .done(.record)
        }
    }

    private func finish(at p: Int, lines: Int) {
        recordByteCount = p - head
        recordLine = nextLine
        nextLine += lines
        head = p
    }

    /// The record runs past the buffered bytes: read more and parse it again, or report an
    /// unterminated quote at the end of the input.
    private func needMoreOrFail(unterminatedAt line: Int?) throws(GazetteerError) -> Attempt {
        if sourceEnded {
            // Only a quoted field can be unfinished at the very end.
            let startLine = nextLine
            head = tail
            recordLine = startLine
            return .done(.malformed(line: startLine, problem: "a quoted field that is never closed (missing closing quote)"))
        }
        if tail - head >= recordByteLimit {
            let startLine = nextLine
            head = tail
            sourceEnded = true
            gaveUp = true
            recordLine = startLine
            return .done(.malformed(line: startLine,
                                    problem: "a record longer than \(Self.describe(bytes: recordByteLimit)) (probably a missing closing quote)"))
        }
        try refill()
        return .needMore
    }

    static func describe(bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }

    /// The first character of `raw` that no output may carry, with its byte offset: NUL and the
    /// other C0 controls except tab, line feed and carriage return (XML 1.0 forbids them, and
    /// SQLite text stops at NUL), and the noncharacters U+FFFE and U+FFFF (also outside XML).
    /// DEL and the C1 controls are allowed in XML 1.0, so they pass (terminals get them escaped).
    public static func forbiddenCharacter(in raw: UnsafeBufferPointer<UInt8>) -> (offset: Int, scalar: UInt32)? {
        var i = 0
        let n = raw.count
        while i < n {
            let c = raw[i]
            if c < 32 && c != 9 && c != 10 && c != 13 { return (i, UInt32(c)) }
            if c == 0xEF, i + 2 < n, raw[i + 1] == 0xBF, raw[i + 2] == 0xBE || raw[i + 2] == 0xBF {
                return (i, raw[i + 2] == 0xBE ? 0xFFFE : 0xFFFF)
            }
            i += 1
        }
        return nil
    }

    /// Skips to the end of the physical line holding `p` and reports the record as malformed.
    private func skipMalformed(from p: Int, lines: Int, problem: String) -> Attempt {
        let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var q = p
        while q < tail && base[q] != 10 { q += 1 }
        recordLine = nextLine
        nextLine += lines
        if q < tail {
            nextLine += 1
            head = q + 1
        } else {
            head = tail
            skippingToLineEnd = !sourceEnded
        }
        return .done(.malformed(line: recordLine, problem: problem))
    }

    /// Consumes bytes up to and including the next line feed (or to the end of the input).
    private func skipRestOfLine() throws(GazetteerError) {
        let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        while head < tail {
            if base[head] == 10 {
                head += 1
                nextLine += 1
                skippingToLineEnd = false
                return
            }
            head += 1
        }
        if sourceEnded { skippingToLineEnd = false } else { try refill() }
    }
}

/// Strings from UTF-8 bytes that must be valid (invalid input is reported, never repaired).
public enum UTF8Text {
    /// The text of `bytes`, or nil if they are not valid UTF-8. A hand-written check followed by
    /// `String(decoding:)` (specialised and fast) instead of the generic `String(validating:)`,
    /// which looks up type metadata on every call.
    @inline(__always)
    public static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        // ASCII needs no check; otherwise check first, so that `String(decoding:)` never repairs.
        isASCII(bytes) || isValid(bytes) ? String(decoding: bytes, as: UTF8.self) : nil
    }

    @inline(__always)
    static func isASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = b.count
        if let base = b.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i + 8 <= n {
                if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
                i += 8
            }
        }
        while i < n {
            if b[i] >= 0x80 { return false }
            i += 1
        }
        return true
    }

    public static func isValid(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            let length: Int
            var minimum: UInt32
            var scalar: UInt32
            switch c {
            case 0xC2...0xDF: length = 2; scalar = UInt32(c & 0x1F); minimum = 0x80
            case 0xE0...0xEF: length = 3; scalar = UInt32(c & 0x0F); minimum = 0x800
            case 0xF0...0xF4: length = 4; scalar = UInt32(c & 0x07); minimum = 0x10000
            default: return false
            }
            guard i + length <= n else { return false }
            for k in 1..<length {
                let d = b[i + k]
                guard d & 0xC0 == 0x80 else { return false }
                scalar = scalar << 6 | UInt32(d & 0x3F)
            }
            guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return false }
            minimum = 0
            i += length
        }
        return true
    }
}
