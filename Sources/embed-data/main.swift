// embed-data: turns data files into one Swift source file, so that the minusma binary carries
// Data/ inside it and works wherever it is copied.
//
//   embed-data OUTPUT.swift NAME=FILE [NAME=FILE ...]
//
// Each file becomes a `package static let NAME` in `enum EmbeddedFiles`:
// - a `.geojson` file (a FeatureCollection of Polygons and MultiPolygons) is decoded here, at build
//   time, into an `EmbeddedPolygonLayer` (see Sources/MinusmaData), so nothing parses JSON at run time;
// - any other file must be UTF-8 text and becomes a `String` literal holding its bytes.
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func fail(_ message: String) -> Never {
    fputs("embed-data: \(message)\n", stderr)
    exit(1)
}

func readFile(_ path: String) -> [UInt8] {
    guard let file = fopen(path, "rb") else { fail("cannot open \(path)") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = fread(&chunk, 1, chunk.count, file)
        if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
        if n < chunk.count { break }
    }
    if ferror(file) != 0 { fail("cannot read \(path)") }
    return bytes
}

/// The declaration of one embedded file.
func declaration(name: String, path: String) -> String {
    let bytes = readFile(path)
    let fileName = path.split(separator: "/").last.map(String.init) ?? path
    if path.hasSuffix(".geojson") {
        let layer = PolygonLayerSource.expression(bytes, path: path)
        return """
                /// `\(fileName)`, decoded at build time.
                package static let \(name): EmbeddedPolygonLayer = \(layer.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n    "))

            """
    }
    if String(validating: bytes, as: UTF8.self) == nil { fail("\(path) is not valid UTF-8") }
    let literal = String(decoding: SwiftLiteral.string(bytes), as: UTF8.self)
    return """
            /// The bytes of `\(fileName)` (\(bytes.count) bytes).
            package static let \(name): String = \(literal)

        """
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else { fail("usage: embed-data OUTPUT.swift NAME=FILE ...") }
var source = "// Generated at build time by embed-data from the files named below. Do not edit.\n"
source += "package enum EmbeddedFiles {\n"
for spec in arguments.dropFirst(2) {
    guard let eq = spec.firstIndex(of: "=") else { fail("expected NAME=FILE, got \(spec)") }
    source += declaration(name: String(spec[..<eq]), path: String(spec[spec.index(after: eq)...]))
}
source += "}\n"

let output = arguments[1]
let temporary = output + ".tmp"
let bytes = Array(source.utf8)
guard let out = fopen(temporary, "wb") else { fail("cannot create \(temporary)") }
if fwrite(bytes, 1, bytes.count, out) != bytes.count || fclose(out) != 0 { fail("cannot write \(temporary)") }
if rename(temporary, output) != 0 { fail("cannot rename \(temporary) to \(output)") }
