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
        var numbers = DoubleAssembler(capacity: positionCount * 2)
        var group: UInt32 = 0, digitCount = 0
        for c in coordinatesBase64.utf8 {
            guard let digit = Self.base64Digit(c) else { continue }
            group = group << 6 | digit
            digitCount += 1
            if digitCount == 4 {
                numbers.append(bytesOf: group, count: 3)
                group = 0
                digitCount = 0
            }
        }
        // A padded last group: 2 digits carry 1 byte, 3 digits 2 bytes.
        if digitCount >= 2 { numbers.append(bytesOf: group << (6 * UInt32(4 - digitCount)), count: digitCount - 1) }
        return numbers.doubles
    }

    private static func base64Digit(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return UInt32(c - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return UInt32(c - UInt8(ascii: "a")) + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0")) + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}

/// Collects bytes into little-endian doubles.
private struct DoubleAssembler {
    private(set) var doubles: [Double] = []
    private var bits: UInt64 = 0
    private var byteCount: UInt64 = 0

    init(capacity: Int) { doubles.reserveCapacity(capacity) }

    /// The top `count` of the three bytes in the low 24 bits of `group`, first byte highest.
    mutating func append(bytesOf group: UInt32, count: Int) {
        for k in 0..<count {
            let byte = UInt64((group >> (16 - 8 * UInt32(k))) & 0xFF)
            bits |= byte << (8 * byteCount)
            byteCount += 1
            if byteCount == 8 {
                doubles.append(Double(bitPattern: bits))
                bits = 0
                byteCount = 0
            }
        }
    }
}
