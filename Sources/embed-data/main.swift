// embed-data: turns data files into one Swift source file of string constants, so that the
// minusma binary carries Data/ inside it and works wherever it is copied.
//
//   embed-data OUTPUT.swift NAME=FILE [NAME=FILE ...]
//
// Each file becomes `package static let NAME: String` in `enum EmbeddedFiles`. The files must be
// UTF-8 text; bytes are written into an ordinary string literal, escaping only what Swift requires.
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

func literal(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [UInt8(ascii: "\"")]
    out.reserveCapacity(bytes.count + bytes.count / 16 + 2)
    for b in bytes {
        switch b {
        case UInt8(ascii: "\""): out += Array("\\\"".utf8)
        case UInt8(ascii: "\\"): out += Array("\\\\".utf8)
        case UInt8(ascii: "\n"): out += Array("\\n".utf8)
        case UInt8(ascii: "\r"): out += Array("\\r".utf8)
        case UInt8(ascii: "\t"): out += Array("\\t".utf8)
        case 0..<0x20, 0x7F:
            let hex = Array("0123456789abcdef".utf8)
            out += Array("\\u{".utf8) + [hex[Int(b >> 4)], hex[Int(b & 0xF)], UInt8(ascii: "}")]
        default: out.append(b)
        }
    }
    out.append(UInt8(ascii: "\""))
    return out
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else { fail("usage: embed-data OUTPUT.swift NAME=FILE ...") }
var source = Array("// Generated at build time by embed-data from the files named below. Do not edit.\n".utf8)
source += Array("package enum EmbeddedFiles {\n".utf8)
for spec in arguments.dropFirst(2) {
    guard let eq = spec.firstIndex(of: "=") else { fail("expected NAME=FILE, got \(spec)") }
    let name = String(spec[..<eq]), path = String(spec[spec.index(after: eq)...])
    let bytes = readFile(path)
    if String(validating: bytes, as: UTF8.self) == nil { fail("\(path) is not valid UTF-8") }
    let fileName = path.split(separator: "/").last.map(String.init) ?? path
    source += Array("    /// The bytes of `\(fileName)` (\(bytes.count) bytes).\n".utf8)
    source += Array("    package static let \(name): String = ".utf8) + literal(bytes) + [UInt8(ascii: "\n")]
}
source += Array("}\n".utf8)

let output = arguments[1]
let temporary = output + ".tmp"
guard let out = fopen(temporary, "wb") else { fail("cannot create \(temporary)") }
if fwrite(source, 1, source.count, out) != source.count || fclose(out) != 0 { fail("cannot write \(temporary)") }
if rename(temporary, output) != 0 { fail("cannot rename \(temporary) to \(output)") }
