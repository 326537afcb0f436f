import TextOutput
import ZlibCodec

/// A small RGBA picture drawn in integer arithmetic (so the same drawing gives the same bytes on
/// every machine) and encoded as PNG: the KMZ's icons and legend, compressed by zlib.
struct RasterImage {
    let width: Int, height: Int
    /// Straight (not premultiplied) RGBA, row by row.
    private(set) var pixels: [UInt8]

    struct Color: Equatable {
        var r: UInt8, g: UInt8, b: UInt8, a: UInt8 = 255

        /// `#RRGGBB`; grey when it is not that.
        init(hex: String) {
            let digits = Array(hex.utf8.dropFirst())
            func nibble(_ c: UInt8) -> UInt8? {
                switch c {
                case 48...57: return c - 48
                case 65...70: return c - 55
                case 97...102: return c - 87
                default: return nil
                }
            }
            let values = digits.compactMap(nibble)
            guard digits.count == 6, values.count == 6 else { self.init(r: 153, g: 153, b: 153); return }
            self.init(r: values[0] << 4 | values[1], g: values[2] << 4 | values[3], b: values[4] << 4 | values[5])
        }

        init(r: UInt8, g: UInt8, b: UInt8, a: UInt8 = 255) {
            self.r = r; self.g = g; self.b = b; self.a = a
        }

        static let white = Color(r: 255, g: 255, b: 255)
        static let ink = Color(r: 34, g: 34, b: 34)
    }

    init(width: Int, height: Int, background: Color = Color(r: 0, g: 0, b: 0, a: 0)) {
        self.width = max(1, width)
        self.height = max(1, height)
        pixels = Array(repeating: 0, count: self.width * self.height * 4)
        for i in 0..<(self.width * self.height) {
            pixels[4 * i] = background.r; pixels[4 * i + 1] = background.g
            pixels[4 * i + 2] = background.b; pixels[4 * i + 3] = background.a
        }
    }

    /// Paints `color` over the pixel with coverage `coverage`/255 ("source over").
    mutating func blend(x: Int, y: Int, _ color: Color, coverage: Int) {
        guard x >= 0, y >= 0, x < width, y < height, coverage > 0 else { return }
        let i = 4 * (y * width + x)
        let sa = Int(color.a) * min(coverage, 255) / 255
        let da = Int(pixels[i + 3])
        let outA = sa + da * (255 - sa) / 255
        guard outA > 0 else { return }
        func channel(_ s: UInt8, _ d: UInt8) -> UInt8 {
            UInt8(min(255, (Int(s) * sa + Int(d) * da * (255 - sa) / 255) / outA))
        }
        pixels[i] = channel(color.r, pixels[i])
        pixels[i + 1] = channel(color.g, pixels[i + 1])
        pixels[i + 2] = channel(color.b, pixels[i + 2])
        pixels[i + 3] = UInt8(outA)
    }

    /// A disc of radius `radius` (pixels) centred at (`cx`, `cy`), its edge smoothed by counting
    /// which of 4 x 4 sub-pixel samples fall inside.
    mutating func fillDisc(cx: Double, cy: Double, radius: Double, _ color: Color) {
        // Sub-pixel units: quarters of a pixel, so every test is on integers.
        let r4 = Int((radius * 4).rounded()), cx4 = Int((cx * 4).rounded()), cy4 = Int((cy * 4).rounded())
        let r2 = r4 * r4
        for y in stride(from: max(0, (cy4 - r4) / 4 - 1), through: min(height - 1, (cy4 + r4) / 4 + 1), by: 1) {
            for x in stride(from: max(0, (cx4 - r4) / 4 - 1), through: min(width - 1, (cx4 + r4) / 4 + 1), by: 1) {
                var inside = 0
                for sy in 0..<4 {
                    for sx in 0..<4 {
                        let dx = 4 * x + sx - cx4, dy = 4 * y + sy - cy4
                        if (2 * dx + 1) * (2 * dx + 1) + (2 * dy + 1) * (2 * dy + 1) <= 4 * r2 { inside += 1 }
                    }
                }
                blend(x: x, y: y, color, coverage: inside * 255 / 16)
            }
        }
    }

    mutating func fillRect(x: Int, y: Int, width w: Int, height h: Int, _ color: Color) {
        for yy in stride(from: max(0, y), to: min(height, y + h), by: 1) {
            for xx in stride(from: max(0, x), to: min(width, x + w), by: 1) { blend(x: xx, y: yy, color, coverage: 255) }
        }
    }

    /// The PNG file: signature, IHDR (8-bit RGBA), one IDAT of zlib data (each row
    /// with filter 0), IEND.
    func png() -> [UInt8] {
        var raw: [UInt8] = []
        raw.reserveCapacity(height * (width * 4 + 1))
        for y in 0..<height {
            raw.append(0)
            raw += pixels[(y * width * 4)..<((y + 1) * width * 4)]
        }
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        Self.append32(UInt32(width), to: &header)
        Self.append32(UInt32(height), to: &header)
        header += [8, 6, 0, 0, 0]  // depth 8, RGBA, deflate, adaptive filters, no interlace
        Self.chunk("IHDR", header, to: &out)
        Self.chunk("IDAT", ZlibCodec.compress(raw), to: &out)
        Self.chunk("IEND", [], to: &out)
        return out
    }

    private static func append32(_ v: UInt32, to out: inout [UInt8]) {
        out += [UInt8(v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)]
    }

    private static func chunk(_ type: StaticString, _ data: [UInt8], to out: inout [UInt8]) {
        append32(UInt32(data.count), to: &out)
        var typed: [UInt8] = []
        type.withUTF8Buffer { typed += $0 }
        typed += data
        out += typed
        append32(CRC32.checksum(typed), to: &out)
    }
}
