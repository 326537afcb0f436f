import Foundation
import Testing
@testable import Gazetteer

/// Inputs from a hostile-input run against the reader: huge headers, long records from pipes,
/// over-long records with --skip-invalid, and characters no output may carry.
@Suite struct HostileInputTests {
    /// Hands out bytes in short reads, as a pipe does (64 KiB there; 4 KiB here).
    struct PipeSource: ByteSource {
        let displayName = "<pipe>"
        let bytes: [UInt8]
        let chunk: Int
        var offset = 0

        mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(GazetteerError) -> Int {
            let n = min(buffer.count, chunk, bytes.count - offset)
            guard n > 0 else { return 0 }
            bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
            offset += n
            return n
        }
    }

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }

    static func header(columns n: Int) -> String {
        "id,name,lat,lon," + (4..<n).map { "c\($0)" }.joined(separator: ",") + "\n"
    }

    /// Item 1: the duplicate-column check was quadratic (a 5M-column header hung). 100,000
    /// distinct columns, allowed by a raised limit, read in about a second in a debug build on a loaded
    /// machine (the quadratic check took minutes).
    @Test func wideHeaderIsLinear() throws {
        var options = ReadOptions()
        options.maximumColumns = 200_000
        options.maximumHeaderBytes = 8 << 20
        let text = Self.header(columns: 100_000) + "a,A,15,-1" + String(repeating: ",", count: 100_000 - 4) + "\n"
        var sites = 0
        let elapsed = try Self.seconds {
            let reader = try GazetteerReader(source: MemorySource(text, displayName: "wide.csv"), options: options)
            while try reader.next() != nil { sites += 1 }
        }
        #expect(sites == 1)
        #expect(elapsed < 5, "100,000 columns took \(elapsed) s")
    }

    /// Item 1: the default limits reject a huge header at once, naming the limit.
    @Test func headerLimits() throws {
        let wide = rejection(Self.header(columns: 100_000) + "a,A,15,-1\n")
        #expect(wide?.errors.first?.description.contains("more than 10000 fields") == true, "\(String(describing: wide?.errors))")
        #expect(wide?.errors.first?.description.contains("at most 10000 column names and 1 MiB") == true)
        let long = rejection("id,name,lat,lon," + String(repeating: "x", count: 2 << 20) + "\na,A,15,-1\n")
        #expect(long?.errors.first?.description.contains("a header row longer than 1 MiB") == true, "\(String(describing: long?.errors))")
        #expect(long?.errors.first?.line == 1)
    }

    /// Item 3: a 4 MiB record read 4 KiB at a time was parsed again after every read (a
    /// quadratic cost: 2 GiB of scanning); refills now at least double what is buffered.
    @Test func longRecordFromAPipeIsNotRescanned() throws {
        let value = String(repeating: "a", count: 4 << 20)
        let text = "id,name,lat,lon,notes\na,A,15,-1,\"\(value)\"\nb,B,15,-1,short\n"
        var notes: [Int] = []
        let elapsed = try Self.seconds {
            let reader = try GazetteerReader(source: PipeSource(bytes: Array(text.utf8), chunk: 4096))
            while let site = try reader.next() { notes.append(site.notes?.utf8.count ?? 0) }
        }
        #expect(notes == [4 << 20, 5])
        #expect(elapsed < 3, "a 4 MiB record from a pipe took \(elapsed) s")
    }

    /// Item 4: with skipInvalid, a record over the limit ended the reading and every later
    /// row was dropped without a word. Now the file is rejected, naming the line.
    @Test func overLongRecordRejectsEvenWithSkipInvalid() throws {
        var options = ReadOptions(skipInvalid: true)
        options.maximumRecordBytes = 1 << 20
        let text = "id,name,lat,lon\na,A,15,-1\nb,\"" + String(repeating: "x", count: 2 << 20) + "\nc,C,15,-1\n"
        let reader = try GazetteerReader(source: PipeSource(bytes: Array(text.utf8), chunk: 65536), options: options)
        var ids: [String] = []
        do {
            while let site = try reader.next() { ids.append(site.id) }
            _ = try reader.finish()
            Issue.record("the file was accepted with \(ids)")
        } catch {
            guard case .rejected(let report) = error else { Issue.record("\(error)"); return }
            #expect(report.errors.first?.line == 3)
            #expect(report.errors.first?.severity == .error)
            #expect(report.summary.contains("a record longer than 1 MiB"))
            #expect(report.summary.contains("the rows after it were not read"))
        }
        #expect(ids == ["a"])
    }

    /// Item 5: NUL, U+FFFE, U+FFFF and the C0 controls other than tab and line breaks are
    /// rejected where they are read, with the file, line and column; tab, line breaks inside
    /// quotes, DEL and C1 controls pass.
    @Test func forbiddenCharactersAreRejected() throws {
        let cases: [(String, String)] = [
            ("A\u{0}B", "U+0000 (NUL)"), ("A\u{FFFE}", "U+FFFE (a noncharacter)"), ("\u{FFFF}", "U+FFFF (a noncharacter)"),
            ("red\u{1B}[31m", "U+001B (ESC"), ("bell\u{7}", "U+0007 (a control character)"),
        ]
        for (value, described) in cases {
            let report = rejection("id,name,lat,lon,notes\na,A,15,-1,ok\nb,B,15,-1,\(value)\n", name: "c.csv")
            let first = report?.errors.first
            #expect(first?.line == 3 && first?.field == "notes", "\(String(describing: report?.errors))")
            #expect(first?.found.contains(described) == true, "\(String(describing: first))")
            #expect(first?.description.hasPrefix("c.csv:3: error: field 'notes': found the character") == true)
            #expect(first.map { !$0.description.unicodeScalars.contains { $0.value < 0x20 } } == true, "the message itself is clean")
        }
        let header = rejection("id,name,lat,lon,no\u{0}tes\na,A,15,-1,x\n")
        #expect(header?.errors.first?.line == 1)
        let kept = try read("id,name,lat,lon,notes\na,A\tB,15,-1,\"two\nlines \u{7F}\u{9B}\"\n")
        #expect(kept.sites.first?.notes == "two\nlines \u{7F}\u{9B}")
        let skipped = try read("id,name,lat,lon\na,A\u{0},15,-1\nb,B,15,-1\n", skipInvalid: true)
        #expect(skipped.sites.map(\.id) == ["b"])
    }

    /// Item 8 (the message half): values quoted in diagnostics show controls escaped.
    @Test func diagnosticsEscapeControlCharacters() {
        let d = Diagnostic(.error, file: "f\u{1B}.csv", line: 2, field: "n\u{9B}", found: "\"x\u{1B}[2J\u{202E}\"", expected: "y")
        #expect(d.description == "f\\u{1B}.csv:2: error: field 'n\\u{9B}': found \"x\\u{1B}[2J\\u{202E}\", expected y")
    }
}
