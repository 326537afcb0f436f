/// The property names of every feature of a GeoJSON document, in order of first appearance,
/// found by one pass over its bytes that decodes nothing but member names. The reader types its
/// columns from the first features it reads ahead; this pass finds the names that appear only
/// later, so that a property first seen in feature 5,000 is a column rather than an error.
///
/// It is a byte-level state machine (strings, nesting, which member a value belongs to), about
/// one comparison per byte: a fraction of the cost of the reader's own parse. It does not check
/// the document: on anything it does not follow (nesting past the reader's limit, a name with a
/// `\u` escape) it returns nil, and the reader keeps to its look-ahead and reports the problem
/// where it finds it.
struct GeoJSONKeyScan {
    private enum Role: UInt8 { case other, features, properties }

    /// The names, in order of first appearance; nil when the document could not be followed.
    static func propertyNames(of source: inout some ByteSource) -> [String]? {
        var scan = GeoJSONKeyScan()
        let capacity = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            guard let n = try? source.read(into: buffer), n >= 0 else { return nil }
            if n == 0 { break }
            guard scan.feed(UnsafeBufferPointer(start: buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), count: n)) else {
                return nil
            }
        }
        return scan.names.map { String(decoding: $0, as: UTF8.self) }
    }

    private static let maximumDepth = JSONScanner.maximumDepth
    private static let featuresName = Array("features".utf8), propertiesName = Array("properties".utf8)

    private var names: [[UInt8]] = []
    private var seen = Set<[UInt8]>()
    /// For each open container: whether it is an object, and the role of its current member.
    private var isObject = [Bool](repeating: false, count: maximumDepth + 2)
    private var memberRole = [Role](repeating: .other, count: maximumDepth + 2)
    private var depth = 0
    private var expectingName = false
    private var inString = false, inName = false, escaped = false
    private var name: [UInt8] = []
    /// The position of the current name in its `properties` object: features usually list the
    /// same names in the same order, so the name is first compared with `names` at that position.
    private var propertyPosition = 0

    /// The container at `depth` is a feature's `properties` object.
    private var inProperties: Bool {
        depth == 4 && isObject[4] && memberRole[3] == .properties && !isObject[2] && memberRole[1] == .features
    }

    private mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let count = bytes.count
        while i < count {
            if inString && !escaped && !inName {
                // Most bytes of a value's string are plain: skip to its next quote or backslash at once.
                while i < count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") { i += 1 }
                if i == count { break }
            }
            let b = bytes[i]
            i += 1
            if inString {
                if escaped {
                    escaped = false
                    if inName {
                        switch b {
                        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): name.append(b)
                        case UInt8(ascii: "n"): name.append(0x0A)
                        case UInt8(ascii: "t"): name.append(0x09)
                        case UInt8(ascii: "r"): name.append(0x0D)
                        case UInt8(ascii: "b"): name.append(0x08)
                        case UInt8(ascii: "f"): name.append(0x0C)
                        default: return false  // \u: leave such names to the reader
                        }
                    }
                } else if b == UInt8(ascii: "\\") {
                    escaped = true
                } else if b == UInt8(ascii: "\"") {
                    inString = false
                    if inName { endName() }
                } else if inName {
                    name.append(b)
                }
                continue
            }
            switch b {
            case UInt8(ascii: "\""):
                inString = true
                inName = depth > 0 && isObject[depth] && expectingName
                if inName { name.removeAll(keepingCapacity: true) }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard depth <= Self.maximumDepth else { return false }
                depth += 1
                if depth == 4 { propertyPosition = 0 }
                isObject[depth] = b == UInt8(ascii: "{")
                memberRole[depth] = .other
                expectingName = isObject[depth]
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { return false }
                depth -= 1
                expectingName = false
            case UInt8(ascii: ":"):
                expectingName = false
            case UInt8(ascii: ","):
                expectingName = depth > 0 && isObject[depth]
            default:
                break
            }
        }
        return true
    }

    private mutating func endName() {
        inName = false
        if inProperties {
            let k = propertyPosition
            propertyPosition += 1
            if k < names.count && names[k] == name { return }
            if !seen.contains(name) {
                seen.insert(name)
                names.append(name)
            }
        } else if depth == 1, name == Self.featuresName {
            memberRole[1] = .features
        } else if depth == 1 {
            memberRole[1] = .other
        } else if depth == 3, !isObject[2], memberRole[1] == .features {
            memberRole[3] = name == Self.propertiesName ? .properties : .other
        }
    }
}
