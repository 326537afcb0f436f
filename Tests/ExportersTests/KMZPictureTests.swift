import Foundation
import Testing
@testable import Exporters
import TestSupport
@testable import ZlibCodec

/// The KMZ's zlib streams, PNG encoder and font, checked against Python's zlib and Pillow.
@Suite struct KMZPictureTests {
    /// Runs the system Python on `input` (its standard input); its standard output.
    func python(_ script: String, _ input: [UInt8]) throws -> CommandResult {
        try TestSupport.run("/usr/bin/python3", ["-c", script], stdin: Data(input))
    }

    /// Runs, repeats at every distance, literals of every value and the longest matches: Python's
    /// zlib inflates the stream to the same bytes.
    @Test func zlibStreamInflatesBack() throws {
        var data: [UInt8] = []
        var seed: UInt32 = 12_345
        for i in 0..<70_000 {
            seed = seed &* 1_103_515_245 &+ 12_345
            switch (i / 5_000) % 3 {
            case 0: data.append(UInt8(truncatingIfNeeded: seed >> 16))           // noise: literals
            case 1: data.append(UInt8(i % 7 == 0 ? 1 : 0))                       // short repeats
            default: data.append(data[max(0, data.count - 1 - Int(seed >> 20) % 40_000)])  // far copies
            }
        }
        data += [UInt8](repeating: 9, count: 1_000)
        let compressed = ZlibCodec.compress(data)
        #expect(compressed.count < data.count)
        let r = try python("import sys, zlib, hashlib; d = zlib.decompress(sys.stdin.buffer.read()); print(len(d), hashlib.sha256(d).hexdigest())", compressed)
        #expect(r.status == 0, "\(r.stderr)")
        let digest = try python("import sys, hashlib; d = sys.stdin.buffer.read(); print(len(d), hashlib.sha256(d).hexdigest())", data)
        #expect(r.stdout == digest.stdout)
    }

    /// The stored blocks written when zlib cannot allocate its state: empty, one block, and
    /// several (65,535 bytes each) inflate back to the same bytes.
    @Test func storedStreamInflatesBack() throws {
        for count in [0, 5, 65_535, 140_000] {
            let data = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
            let r = try python("import sys, zlib, hashlib; d = zlib.decompress(sys.stdin.buffer.read()); print(len(d), hashlib.sha256(d).hexdigest())",
                               ZlibCodec.stored(data))
            let digest = try python("import sys, hashlib; d = sys.stdin.buffer.read(); print(len(d), hashlib.sha256(d).hexdigest())", data)
            #expect(r.status == 0 && r.stdout == digest.stdout, "\(count) bytes: \(r.stderr)")
        }
    }

    @Test func emptyAndTinyInputs() throws {
        for data in [[], [7], [1, 2], [3, 3, 3, 3, 3, 3]] as [[UInt8]] {
            let r = try python("import sys, zlib; sys.stdout.write(zlib.decompress(sys.stdin.buffer.read()).hex())", ZlibCodec.compress(data))
            #expect(r.stdout == data.map { String(format: "%02x", $0) }.joined(), "\(data)")
        }
    }

    /// An accented capital and small letter are their base letter plus an accent above; a
    /// cedilla hangs below; a character the font lacks is drawn as `?`.
    @Test func accentsAreDrawnOnTheirBaseLetters() {
        func ink(_ text: String) -> Set<Int> {
            var image = RasterImage(width: 8, height: BitmapFont.cellHeight)
            BitmapFont.draw(text, x: 0, y: 0, scale: 1, color: .ink, into: &image)
            return Set((0..<(8 * BitmapFont.cellHeight)).filter { image.pixels[4 * $0 + 3] != 0 })
        }
        for (accented, base) in [("É", "E"), ("é", "e"), ("ç", "c"), ("î", "\u{131}"), ("Ü", "U")] {
            let a = ink(accented), b = ink(base)
            #expect(a.isStrictSuperset(of: b), "\(accented) holds \(base)")
        }
        #expect(ink("É").contains { $0 / 8 < 2 }, "a capital's accent stands in the two rows above it")
        #expect(ink("ç").contains { $0 / 8 >= 9 }, "the cedilla is below the baseline")
        #expect(ink("\u{2603}") == ink("?"))
    }

    /// Pillow reads the icon as 32 x 32 RGBA, transparent in the corners and the colour at the centre.
    @Test func iconIsAPNGPillowReads() throws {
        let png = KMZPictures.icon(RasterImage.Color(hex: "#0072B2")).png()
        let r = try python("""
            import sys, io
            from PIL import Image
            im = Image.open(io.BytesIO(sys.stdin.buffer.read())); im.load()
            print(im.format, im.mode, im.size, im.getpixel((0, 0)), im.getpixel((16, 16)), im.getpixel((16, 2)))
            """, png)
        if r.stderr.contains("No module named 'PIL'") { Issue.record("Pillow is missing (Debian package python3-pil)"); return }
        #expect(r.stdout == "PNG RGBA (32, 32) (0, 0, 0, 0) (0, 114, 178, 255) (255, 255, 255, 255)\n", "\(r.stdout)\(r.stderr)")
    }
}
