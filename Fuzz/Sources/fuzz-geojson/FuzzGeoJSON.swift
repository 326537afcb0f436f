#if canImport(Glibc)
import Glibc
#endif
import Gazetteer

// libFuzzer calls `LLVMFuzzerTestOneInput` with each input; a crash, a sanitizer report or an
// `abort()` below is a finding. Besides "does not crash or hang", two properties are checked:
//  1. The GeoJSON records are the same whether the bytes come at once or in short reads (the
//     tokenizer's refills must not change the parse).
//  2. No site the gazetteer reader returns holds a character the writers must never see.

/// Hands out its bytes in short reads whose sizes follow a pattern, like a pipe.
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
    case rejected(String)
    case record(line: Int, locator: String?, fields: [[UInt8]])
    case malformed(line: Int, problem: String)
}

func records(_ bytes: [UInt8], pattern: [Int]) -> [Outcome] {
    let source: GeoJSONRecordSource
    do { source = try GeoJSONRecordSource(source: ChunkedSource(bytes: bytes, pattern: pattern)) } catch {
        return [.rejected(error.description)]
    }
    var out: [Outcome] = []
    // A hostile file may hold many features; a bounded number is enough to compare.
    for _ in 0..<10_000 {
        guard let step = try? source.next() else { return out }
        switch step {
        case .end: return out
        case .malformed(let line, let problem): out.append(.malformed(line: line, problem: problem))
        case .record:
            out.append(.record(line: source.recordLine, locator: source.recordLocator,
                               fields: (0..<source.fieldCount).map { Array(source.rawField($0)) }))
        }
        if source.gaveUp { return out }
    }
    return out
}

func fail(_ message: String) -> Never {
    var text = "fuzz-geojson: \(message)\n"
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

func readGazetteer(_ bytes: [UInt8], skipInvalid: Bool) {
    do {
        let records = try GeoJSONRecordSource(source: ChunkedSource(bytes: bytes, pattern: []))
        let reader = try GazetteerReader(records: records, options: ReadOptions(profile: .generic, skipInvalid: skipInvalid))
        while let site = try reader.next() {
            for (value, what) in [(site.id, "id"), (site.name, "name"), (site.region, "region"), (site.notes, "notes")] as [(String?, String)] {
                checkText(value, what)
            }
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
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let whole = records(bytes, pattern: [])
    let chunked = records(bytes, pattern: [1, 7, 3, 64])
    if whole != chunked { fail("the records differ between one read and short reads") }
    readGazetteer(bytes, skipInvalid: size % 2 == 0)
    return 0
}
