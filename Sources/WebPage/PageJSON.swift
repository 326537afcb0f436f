import TextOutput

/// The page's data as JSON, written with the project's JSON escaping in the order it is given
/// (so the bytes are the same on every run), then made safe to sit inside a `<script>` element.
final class PageJSON {
    private let out = OutputBuffer(sink: MemorySink(), capacity: 1 << 16)
    /// Whether the next value in the current array or object needs a comma before it.
    private var needsComma = false

    func beginObject() { separate(); out.append(byte: UInt8(ascii: "{")); needsComma = false }
    func endObject() { out.append(byte: UInt8(ascii: "}")); needsComma = true }
    func beginArray() { separate(); out.append(byte: UInt8(ascii: "[")); needsComma = false }
    func endArray() { out.append(byte: UInt8(ascii: "]")); needsComma = true }

    /// A member's name; the value follows.
    func key(_ name: String) {
        separate()
        out.append(jsonString: name)
        out.append(byte: UInt8(ascii: ":"))
        needsComma = false
    }

    func string(_ value: String?) {
        separate()
        if let value { out.append(jsonString: value) } else { out.append("null" as StaticString) }
        needsComma = true
    }

    func number(_ value: Double?, decimals: Int) {
        separate()
        if let value, value.isFinite { out.append(fixed: value, decimals: decimals) } else { out.append("null" as StaticString) }
        needsComma = true
    }

    func integer(_ value: Int) {
        separate()
        out.append(integer: value)
        needsComma = true
    }

    func bool(_ value: Bool) {
        separate()
        out.append(value ? "true" as StaticString : "false" as StaticString)
        needsComma = true
    }

    func null() { string(nil) }

    /// A text in both languages: `{"en": ..., "fr": ...}`.
    func localized(_ value: Localized?) {
        guard let value else { null(); return }
        beginObject()
        key("en"); string(value.en)
        key("fr"); string(value.fr)
        endObject()
    }

    private func separate() {
        if needsComma { out.append(byte: UInt8(ascii: ",")) }
    }

    /// The JSON text. `<`, `>` and `&` can only occur inside strings, where `\u003c` and the
    /// like mean the same characters: a `</script>` or `<!--` in the data cannot end the
    /// element the JSON sits in.
    var scriptSafeText: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(out.count + 64)
        for b in out.unflushed {
            switch b {
            case UInt8(ascii: "<"): bytes.append(contentsOf: Array("\\u003c".utf8))
            case UInt8(ascii: ">"): bytes.append(contentsOf: Array("\\u003e".utf8))
            case UInt8(ascii: "&"): bytes.append(contentsOf: Array("\\u0026".utf8))
            default: bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A text of the page in its two languages.
public struct Localized: Sendable, Equatable {
    public var en: String
    public var fr: String

    public init(en: String, fr: String) {
        self.en = en
        self.fr = fr
    }

    /// The same text in both languages (a name, a user's title).
    public init(_ both: String) {
        self.init(en: both, fr: both)
    }
}
