#if canImport(Glibc)
import Glibc
#endif
import Gazetteer

// libFuzzer calls `LLVMFuzzerTestOneInput` with each input; a crash, a sanitizer report or an
// `abort()` below is a finding. Two properties are checked besides "does not crash":
//  1. The record reader gives the same records whatever its buffer size and however the source
//     splits its bytes (a pipe returns short reads; refills must not change the parse).
//  2. No site the gazetteer reader returns holds a character the writers must never see.

/// Hands out its bytes in short reads whose sizes follow a small pattern, like a pipe.
struct ChunkedSource: ByteSource {
    let displayName = "<fuzz>"
    let bytes: [UInt8]
    let pattern: [Int]
    var offset = 0
    var turn = 0

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(GazetteerError) -> Int {
        let want = pattern.isEmpty ? buffer.count : pattern[turn % pattern.count]
        turn += 1
        let n = min(buffer.count, want, bytes.count - offset)
        guard n > 0, let destination = buffer.baseAddress else { return 0 }
        bytes.withUnsafeBytes { source in
            if let start = source.baseAddress { destination.copyMemory(from: start + offset, byteCount: n) }
        }
        offset += n
        return n
    }
}

enum Outcome: Equatable {
    case record(line: Int, fields: [[UInt8]])
    case malformed(line: Int, problem: String)
}

func records(_ source: any ByteSource, bufferSize: Int) -> [Outcome] {
    let reader = CSVRecordReader(source: source, bufferSize: bufferSize)
    var out: [Outcome] = []
    while true {
        guard let step = try? reader.next() else { return out }
        switch step {
        case .end: return out
        case .malformed(let line, let problem): out.append(.malformed(line: line, problem: problem))
        case .record: out.append(.record(line: reader.recordLine, fields: (0..<reader.fieldCount).map { Array(reader.rawField($0)) }))
        }
    }
}

func fail(_ message: String) -> Never {
    var text = "fuzz-csv: \(message)\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    abort()
}

func checkText(_ text: String?, _ what: String) {
    guard var text else { return }
    text.withUTF8 { bytes in
        if let bad = CSVRecordReader.forbiddenCharacter(in: bytes) {
            fail("a site's \(what) holds U+\(String(bad.scalar, radix: 16)) at byte \(bad.offset)")
        }
    }
}

func readGazetteer(_ bytes: [UInt8], control: UInt8) {
    var options = ReadOptions(profile: control & 1 == 0 ? .generic : .minusma, skipInvalid: control & 2 != 0)
    if control & 4 != 0 {
        options.maximumRecordBytes = 64
        options.maximumHeaderBytes = 48
        options.maximumColumns = 5
    }
    let source = ChunkedSource(bytes: bytes, pattern: [1, 7, 3, 64])
    do {
        let reader = try GazetteerReader(source: source, options: options)
        while let site = try reader.next() {
            for (value, what) in [(site.id, "id"), (site.name, "name")] as [(String?, String)] + [
                (site.region, "region"), (site.notes, "notes"), (site.nameEn, "English name"),
            ] { checkText(value, what) }
            for extra in site.extras { checkText(extra, "extra value") }
            for item in site.altNames + site.dateSources + site.coordSources { checkText(item, "list item") }
        }
        try reader.finish()
    } catch {
        _ = error.description
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard let control = input.first else { return 0 }
    let bytes = Array(input.dropFirst())

    let whole = records(MemorySource(bytes: bytes, displayName: "<fuzz>"), bufferSize: 1 << 16)
    let pattern = [Int(control % 13) + 1, 1, Int(control >> 4) + 2]
    let trickled = records(ChunkedSource(bytes: bytes, pattern: pattern), bufferSize: 4)
    if whole != trickled {
        fail("records differ with a 4-byte buffer and short reads:\n  \(whole)\n  \(trickled)")
    }
    readGazetteer(bytes, control: control)
    return 0
}
