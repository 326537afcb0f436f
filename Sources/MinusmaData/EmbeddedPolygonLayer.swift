// The shape in which embed-data hands over a GeoJSON layer it decoded at build time.

/// A property value of a base map feature, as the GeoJSON file had it.
package enum EmbeddedValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
}

/// One feature: its properties in file order, and how its share of the layer's positions splits
/// into polygons and rings.
package struct EmbeddedPolygonFeature: Sendable {
    package let properties: [(String, EmbeddedValue)]
    /// For each polygon, how many rings it has (the exterior ring first, then the holes).
    package let ringsPerPolygon: [Int]
    /// For each ring of every polygon in turn, how many positions it has.
    package let positionsPerRing: [Int]

    package init(properties: [(String, EmbeddedValue)], ringsPerPolygon: [Int], positionsPerRing: [Int]) {
        self.properties = properties
        self.ringsPerPolygon = ringsPerPolygon
        self.positionsPerRing = positionsPerRing
    }
}

/// A layer of (multi)polygons: its features and all their positions, feature after feature.
package struct EmbeddedPolygonLayer: Sendable {
    package let features: [EmbeddedPolygonFeature]
    /// The bounds of every position (infinite when there is none).
    package let extent: (west: Double, south: Double, east: Double, north: Double)
    package let positionCount: Int
    /// Longitude then latitude of every position, as little-endian IEEE 754 doubles in base64
    /// (lines separated by newlines): exact, and cheap for the compiler.
    package let coordinatesBase64: String

    package init(features: [EmbeddedPolygonFeature], extent: (west: Double, south: Double, east: Double, north: Double),
                 positionCount: Int, coordinatesBase64: String) {
        self.features = features
        self.extent = extent
        self.positionCount = positionCount
        self.coordinatesBase64 = coordinatesBase64
    }

    /// Longitude, latitude, longitude, latitude... for `positionCount` positions. Bytes other than
    /// base64 digits (newlines, padding) are skipped; a short blob gives fewer numbers, never a trap.
    package func coordinates() -> [Double] {
        var text = coordinatesBase64
        let bytes = text.withUTF8(Base64.decode)
        let count = bytes.count / 8
        return [Double](unsafeUninitializedCapacity: count) { doubles, initialized in
            bytes.withUnsafeBytes { raw in
                for i in 0..<count {
                    let bits = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
                    doubles.initializeElement(at: i, to: Double(bitPattern: bits))
                }
            }
            initialized = count
        }
    }
}

/// Base64 (RFC 4648) decoding, about ten instructions a character: the layers are decoded on
/// every run that draws or packages them, so this must cost less than parsing the JSON did.
enum Base64 {
    /// The value of each base64 digit; 64 for every other byte.
    private static let values: [UInt8] = (0...255).map { (c: Int) -> UInt8 in
        switch c {
        case 65...90: return UInt8(c - 65)
        case 97...122: return UInt8(c - 97 + 26)
        case 48...57: return UInt8(c - 48 + 52)
        case 43: return 62
        case 47: return 63
        default: return 64
        }
    }

    static func decode(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        // Every 4 digits give 3 bytes, a last group of 2 or 3 digits 1 or 2: never more than this.
        let capacity = text.count / 4 * 3 + 2
        return [UInt8](unsafeUninitializedCapacity: capacity) { out, written in
            var n = 0, group: UInt32 = 0, digits = 0
            values.withUnsafeBufferPointer { values in
                for c in text {
                    let v = values[Int(c)]
                    if v == 64 { continue }
                    group = group << 6 | UInt32(v)
                    digits += 1
                    if digits == 4 {
                        out.initializeElement(at: n, to: UInt8(truncatingIfNeeded: group >> 16))
                        out.initializeElement(at: n + 1, to: UInt8(truncatingIfNeeded: group >> 8))
                        out.initializeElement(at: n + 2, to: UInt8(truncatingIfNeeded: group))
                        n += 3
                        group = 0
                        digits = 0
                    }
                }
            }
            // A padded last group: 2 digits carry 1 byte, 3 digits 2 bytes.
            if digits >= 2 {
                let bits = group << (6 * UInt32(4 - digits))
                for k in 0..<(digits - 1) {
                    out.initializeElement(at: n, to: UInt8(truncatingIfNeeded: bits >> (16 - 8 * UInt32(k))))
                    n += 1
                }
            }
            written = n
        }
    }
}
