import TextOutput

/// Small helpers for writing SVG by hand: numbers with one decimal (0.1 px is finer than any
/// screen), escaped text, and a rough text width for DejaVu Sans to keep labels apart.
enum SVG {
    static func n(_ v: Double) -> String { Formatting.fixed(v, decimals: 1) }

    static func text(_ s: String) -> String { Formatting.xmlEscaped(s) }

    /// Approximate advance width of `s` in DejaVu Sans at `size` px (wide letters count more).
    static func width(_ s: some StringProtocol, size: Double, bold: Bool = false) -> Double {
        var units = 0.0
        for ch in s {
            switch ch {
            case "i", "l", "j", "'", ".", ",", ":", ";", "|", "!", "(", ")", " ": units += 0.33
            case "f", "t", "r", "I": units += 0.42
            case "m", "w", "M", "W": units += 0.9
            case "A"..."Z": units += 0.7
            case "0"..."9": units += 0.64
            default: units += 0.6
            }
        }
        return units * size * (bold ? 1.08 : 1)
    }

    /// `s`, or as much of it as fits in `width` followed by "…" (never wider than `width`).
    static func fitting(_ s: String, width: Double, size: Double, bold: Bool = false) -> String {
        guard Self.width(s, size: size, bold: bold) > width else { return s }
        var kept = Substring(s)
        while !kept.isEmpty && Self.width(kept + "…", size: size, bold: bold) > width { kept = kept.dropLast() }
        while kept.last == " " { kept = kept.dropLast() }
        return kept.isEmpty ? "" : kept + "…"
    }

    /// An SVG path from rings of pixel points, dropping points closer than `tolerance` pixels
    /// to the last one kept (deterministic decimation: the file stays small).
    static func path(_ rings: [[(Double, Double)]], tolerance: Double = 0.6, closed: Bool = true) -> String {
        var d = ""
        for ring in rings where ring.count >= 2 {
            var last = ring[0]
            d += "M\(n(last.0)) \(n(last.1))"
            for (i, p) in ring.enumerated().dropFirst() {
                let isLast = i == ring.count - 1
                if !isLast && abs(p.0 - last.0) < tolerance && abs(p.1 - last.1) < tolerance { continue }
                d += "L\(n(p.0)) \(n(p.1))"
                last = p
            }
            if closed { d += "Z" }
        }
        return d
    }
}
