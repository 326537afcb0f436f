import Gazetteer

/// Colours shared by every output (KML styles, the QGIS style, the SVG map), chosen from the
/// Okabe-Ito palette so that colour-blind readers can tell the phases apart, and with distinct
/// lightness so that they stay distinct in greyscale.
public enum PhasePalette {
    /// `#RRGGBB` for a phase; grey for sites without one.
    public static func hex(_ phase: Phase?) -> String {
        switch phase {
        case .one?: return "#E69F00"          // orange (light)
        case .two?: return "#0072B2"          // blue (dark)
        case .liquidation?: return "#CC79A7"  // reddish purple (middle)
        case nil: return "#999999"
        }
    }

    /// (red, green, blue) 0...255.
    public static func rgb(_ phase: Phase?) -> (Int, Int, Int) {
        let h = Array(hex(phase).utf8.dropFirst())
        func byte(_ i: Int) -> Int {
            func nibble(_ c: UInt8) -> Int { Int(c >= 65 ? c - 55 : c - 48) }
            return nibble(h[i]) * 16 + nibble(h[i + 1])
        }
        return (byte(0), byte(2), byte(4))
    }

    /// KML's `aabbggrr`, opaque.
    public static func kml(_ phase: Phase?) -> String {
        let h = Array(hex(phase).utf8.dropFirst()).map { Character(Unicode.Scalar($0)) }
        return "ff" + String([h[4], h[5], h[2], h[3], h[0], h[1]]).lowercased()
    }

    /// The style and legend key for a phase: `phase-1`, `phase-2`, `phase-liquidation`, `phase-none`.
    public static func key(_ phase: Phase?) -> StaticString {
        switch phase {
        case .one?: return "phase-1"
        case .two?: return "phase-2"
        case .liquidation?: return "phase-liquidation"
        case nil: return "phase-none"
        }
    }

    /// Phases in legend order, with `nil` (no phase) last.
    public static let legendOrder: [Phase?] = Phase.allCases.map { $0 } + [nil]

    public static func title(_ phase: Phase?) -> String {
        phase?.title ?? "No phase"
    }
}

/// A sequential palette for closure dates (viridis, sampled): dark violet for the first closures,
/// yellow for the last. It is perceptually uniform, reads in greyscale, and suits colour-blind
/// readers.
public enum DatePalette {
    private static let stops: [(Double, Double, Double)] = [
        (68, 1, 84), (72, 40, 120), (62, 74, 137), (49, 104, 142), (38, 130, 142),
        (31, 158, 137), (53, 183, 121), (109, 205, 89), (180, 222, 44), (253, 231, 37),
    ]

    /// `#RRGGBB` at position `t` in [0, 1].
    public static func hex(at t: Double) -> String {
        let clamped = min(1, max(0, t)) * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(clamped))
        let f = clamped - Double(i)
        let a = stops[i], b = stops[i + 1]
        func channel(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * f).rounded()) }
        let digits = Array("0123456789ABCDEF")
        var s = "#"
        for v in [channel(a.0, b.0), channel(a.1, b.1), channel(a.2, b.2)] {
            s.append(digits[v / 16])
            s.append(digits[v % 16])
        }
        return s
    }
}
