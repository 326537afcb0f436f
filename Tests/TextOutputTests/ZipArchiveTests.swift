import Foundation
import Testing
@testable import TextOutput

/// `ZipArchive` read back by Python's zipfile (a reader we did not write), and its refusals.
@Suite struct ZipArchiveTests {
    @Test func crcKnownAnswer() {
        // The check value of CRC-32/ISO-HDLC for the nine ASCII digits.
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }

    func folder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Python's zipfile: names, sizes, CRCs (testzip) and contents.
    func pythonListing(_ path: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", """
            import sys, zipfile
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None
            for i in z.infolist():
                print(i.filename, i.file_size, i.compress_type, i.date_time[0], z.read(i).decode('utf-8', 'replace')[:20])
            """, path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }

    @Test func readBackByZipfileAndDeterministic() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let member = dir + "/big.txt"
        let big = String(repeating: "Ségou ", count: 30_000)
        try big.write(toFile: member, atomically: false, encoding: .utf8)
        func build() throws -> [UInt8] {
            let sink = MemorySink()
            let zip = ZipArchive(sink: sink, label: "test.zip")
            try zip.add(name: "doc.kml", bytes: Array("<kml/>".utf8))
            try zip.add(name: "files/é.txt", contentsOf: member)
            try zip.add(name: "empty", bytes: [])
            try zip.finish()
            return sink.bytes
        }
        let first = try build()
        #expect(first == (try build()))
        let path = dir + "/test.zip"
        try Data(first).write(to: URL(fileURLWithPath: path))
        let listing = try pythonListing(path)
        #expect(listing == """
            doc.kml 6 0 1980 <kml/>
            files/é.txt \(big.utf8.count) 0 1980 Ségou Ségou Ségou Sé
            empty 0 0 1980 \n
            """)
    }

    @Test func emptyArchiveIsValid() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sink = MemorySink()
        let zip = ZipArchive(sink: sink, label: "e.zip")
        try zip.finish()
        #expect(sink.bytes.count == 22)
        try Data(sink.bytes).write(to: URL(fileURLWithPath: dir + "/e.zip"))
        #expect(try pythonListing(dir + "/e.zip") == "")
    }

    @Test func refusesUnsafeOrDuplicateNames() throws {
        let zip = ZipArchive(sink: MemorySink(), label: "r.zip")
        try zip.add(name: "a", bytes: [1])
        for bad in ["a", "", "/etc/passwd", "x/../../y"] {
            #expect(throws: OutputError.self) { try zip.add(name: bad, bytes: [2]) }
        }
        #expect(throws: OutputError.self) { try zip.add(name: "b", contentsOf: "/nonexistent/file") }
        try zip.finish()
        #expect(throws: OutputError.self) { try zip.add(name: "c", bytes: []) }
    }

    /// ZIP64 where a field overflows: with the threshold lowered to 100 bytes, the big member's
    /// sizes, the offsets after it and the directory go in ZIP64 fields, and Python's zipfile
    /// reads it all back; at the real threshold the same entries make a plain ZIP.
    @Test func zip64WhereAFieldOverflows() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let member = dir + "/doc.kml"
        let big = String(repeating: "<Placemark/>", count: 50)
        try big.write(toFile: member, atomically: false, encoding: .utf8)
        func build(zip64From: Int) throws -> [UInt8] {
            let sink = MemorySink()
            let zip = ZipArchive(sink: sink, label: "t.kmz", zip64From: zip64From)
            try zip.add(name: "a.txt", bytes: Array("small".utf8))
            try zip.add(name: "doc.kml", contentsOf: member)
            try zip.add(name: "files/after.txt", bytes: Array("after".utf8))
            try zip.finish()
            return sink.bytes
        }
        let wide = try build(zip64From: 100)
        let plain = try build(zip64From: 0xFFFF_FFFF)
        // The ZIP64 end record and its locator are there only when needed.
        let locator: [UInt8] = [0x50, 0x4b, 0x06, 0x07]
        func contains(_ bytes: [UInt8], _ part: [UInt8]) -> Bool {
            bytes.indices.dropLast(part.count - 1).contains { Array(bytes[$0..<$0 + part.count]) == part }
        }
        #expect(contains(wide, locator))
        #expect(!contains(plain, locator))
        #expect(wide.count > plain.count)
        let expected = """
            a.txt 5 0 1980 small
            doc.kml \(big.utf8.count) 0 1980 <Placemark/><Placema
            files/after.txt 5 0 1980 after

            """
        for (name, bytes) in [("wide.zip", wide), ("plain.zip", plain)] {
            try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + name))
            #expect(try pythonListing(dir + "/" + name) == expected, "\(name)")
        }
    }
}
