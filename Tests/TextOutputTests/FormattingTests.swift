import Testing
@testable import TextOutput
#if canImport(Glibc)
import Glibc
#endif

@Suite struct FormattingTests {
    @Test(arguments: [
        (-3.5706, 7, "-3.5706"), (13.9583, 7, "13.9583"), (2.4022, 7, "2.4022"), (0.0, 7, "0"),
        (-0.00000001, 7, "0"), (12.0, 3, "12"), (818626.0886194, 3, "818626.089"), (-38369.734082, 3, "-38369.734"),
        (0.05, 3, "0.05"), (-0.0194, 7, "-0.0194"), (1e-7, 7, "0.0000001"), (123456789.123456, 3, "123456789.123"),
    ])
    func fixedDecimals(_ value: Double, _ decimals: Int, _ expected: String) {
        #expect(Formatting.fixed(value, decimals: decimals) == expected)
    }

    @Test func fixedRoundTripsSixDecimalInputsExactly() {
        // Every 6-decimal coordinate written with 7 decimals reads back as the same double.
        var state: UInt64 = 12345
        for _ in 0..<20_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let micro = Int64(bitPattern: state >> 20) % 180_000_000
            let value = Double(micro) / 1_000_000
            let text = Formatting.fixed(value, decimals: 7)
            #expect(Double(text) == value, "\(value) -> \(text)")
        }
    }

    @Test func integersAndNumbers() {
        let out = OutputBuffer(sink: MemorySink(), capacity: 8)
        out.append(integer: 0); out.append(byte: 32)
        out.append(integer: -42); out.append(byte: 32)
        out.append(integer: Int.max); out.append(byte: 32)
        out.append(number: 2000); out.append(byte: 32)
        out.append(number: 2.5)
        #expect(out.string == "0 -42 9223372036854775807 2000 2.5")
    }

    @Test func aScratchBufferEmptiedWithoutItsSink() throws {
        // The XLSX and Excel-CSV writers format numbers in a scratch buffer and copy them: the
        // buffer must be emptied without writing, or its sink grows by a number per cell.
        let sink = MemorySink()
        let scratch = OutputBuffer(sink: sink, capacity: 64)
        for value in [818626.0886194, -38369.734082] {
            scratch.append(fixed: value, decimals: 3)
            scratch.removeUnflushed()
        }
        scratch.append(integer: 7)
        #expect(Array(scratch.unflushed) == Array("7".utf8))
        try scratch.flush()
        #expect(sink.bytes == Array("7".utf8))
    }

    @Test func jsonEscapesOnlyWhatItMust() {
        #expect(Formatting.jsonString("Ménaka \"camp\" \\ a/b\n\u{1}") == #""Ménaka \"camp\" \\ a/b\n\u0001""#)
    }

    @Test func xmlEscapesMarkupAndForbiddenControls() {
        #expect(Formatting.xmlEscaped("<&> \"Sévaré\" l'été\u{1}") == "&lt;&amp;&gt; &quot;Sévaré&quot; l&apos;été\u{FFFD}")
    }

    @Test func csvQuotesWhenNeeded() {
        let out = OutputBuffer(sink: MemorySink())
        for field in ["plain", "a,b", "say \"hi\"", "two\nlines", " padded", "Ségou"] {
            out.append(csvField: field)
            out.append(byte: 124)
        }
        #expect(out.string == #"plain|"a,b"|"say ""hi"""|"two"# + "\n" + #"lines"|" padded"|Ségou|"#)
    }
}

@Suite struct AtomicFileTests {
    func temporaryFolder() -> String {
        var template = Array("/tmp/minusma-test-\(String(repeating: "X", count: 6))".utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    func read(_ path: String) -> String? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var c = fgetc(f)
        while c != EOF { bytes.append(UInt8(c)); c = fgetc(f) }
        return String(decoding: bytes, as: UTF8.self)
    }

    func entries(_ dir: String) -> [String] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    @Test func commitReplacesAndDiscardKeepsThePreviousFile() throws {
        let dir = temporaryFolder()
        let path = dir + "/out.txt"
        let first = try AtomicFile(path: path)
        try "first".utf8CString.dropLast().withUnsafeBytes { try first.write($0) }
        #expect(read(path) == nil, "nothing at the destination before commit")
        try first.commit()
        #expect(read(path) == "first")

        let second = try AtomicFile(path: path)
        try "half a fil".utf8CString.dropLast().withUnsafeBytes { try second.write($0) }
        second.discard()
        #expect(read(path) == "first", "a failed write leaves the previous file")
        #expect(entries(dir) == ["out.txt"], "no temporary file left behind")
    }

    @Test func droppedWithoutCommitLeavesNothing() throws {
        let dir = temporaryFolder()
        do {
            let f = try AtomicFile(path: dir + "/x.geojson")
            try "{".utf8CString.dropLast().withUnsafeBytes { try f.write($0) }
        }
        #expect(entries(dir).isEmpty)
    }

    @Test func missingFolderIsAClearError() {
        let error = #expect(throws: OutputError.self) { try AtomicFile(path: "/nonexistent-folder/x.kml") }
        #expect(error?.description.contains("/nonexistent-folder") == true)
    }
}
