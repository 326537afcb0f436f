import Foundation
import Testing
import TestSupport

/// The commands against hostile input and hostile surroundings: big files, standard input read
/// by commands that need it twice, full disks, terminals, and output names.
@Suite struct HostileInputCommandTests {
    static let healthCentres = TestSupport.path("Tests/Fixtures/health-centres.csv")

    /// `rows` generated sites in Mali, `id,name,lat,lon,closed_on`.
    static func bigFile(rows: Int) throws -> String {
        var text = "id,name,lat,lon,closed_on\n"
        text.reserveCapacity(rows * 70)
        for i in 0..<rows {
            text += "s\(i),Site number \(i) of a generated file,\(11 + i % 13).\(i % 97),-\(1 + i % 9).\(i % 89),2023-0\(1 + i % 9)-1\(i % 10)\n"
        }
        let path = try TestSupport.temporaryFolder() + "/big.csv"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    /// The peak memory (MiB) of one run of minusma, measured by a parent process of its own.
    static func peakMemory(_ arguments: [String]) throws -> (status: Int32, mebibytes: Int) {
        let script = "import resource,subprocess,sys\n"
            + "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
            + "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)\n"
        let r = try TestSupport.run("python3", ["-c", script, TestSupport.minusma] + arguments)
        let parts = r.stdout.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return (parts.first ?? -1, Int(parts.last ?? -1))
    }

    /// Item 2: validate and show keep no rows (list holds at most its sort limit, 100,000).
    /// 100,000 rows (7 MB) took about 90 MB when loaded whole; streamed they stay near the
    /// process's base size (about 35 MB).
    @Test func validateAndShowStream() throws {
        let path = try Self.bigFile(rows: 100_000)
        for arguments in [["validate", "--data", path], ["show", "s99999", "--data", path]] {
            let (status, peak) = try Self.peakMemory(arguments)
            #expect(status == 0, "\(arguments)")
            #expect(peak < 60, "\(arguments[0]) used \(peak) MiB")
        }
        let shown = try TestSupport.minusma(["show", "s99999", "--data", path])
        #expect(shown.stdout.contains("Site number 99999 of a generated file (s99999)"))
        #expect(shown.stdout.contains("line 100001"))
    }

    /// Item 6: standard input is read from the descriptor once, whatever the command; a command
    /// that reads the data twice (qgis-project; list --from) gets it again from a copy.
    @Test func standardInputForEveryCommand() throws {
        let csv = try TestSupport.bytes(Self.healthCentres)
        let dir = try TestSupport.temporaryFolder()
        let qgis = try TestSupport.minusma(["qgis-project", "--data", "-", "--out", dir], stdin: csv)
        #expect(qgis.status == 0, "\(qgis.stderr)")
        #expect(qgis.stdout.contains("54 sites"), "\(qgis.stdout)")
        let tables = try TestSupport.run("ogrinfo", ["-ro", "-so", dir + "/sites.gpkg", "sites"])
        #expect(tables.stdout.contains("Feature Count: 54"), "\(tables.stdout)\(tables.stderr)")

        let export = try TestSupport.minusma(["export", "--data", "-", "--format", "csv", "--out", dir, "--quiet"], stdin: csv)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(try TestSupport.read(dir + "/sites.csv").split(separator: "\n").count == 55)

        let list = try TestSupport.minusma(["list", "--data", "-", "--from", "hc-002"], stdin: csv)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("54 of 54 sites; source: <stdin>"), "\(list.stdout)")
        #expect(list.stdout.contains("from CSRéf de Niaréla"))
    }

    /// Item 7: a failed write on stdout ends the command with 74 and says so on stderr.
    @Test func fullDiskExits74() throws {
        let dir = try TestSupport.temporaryFolder()
        let commands = [["list"], ["validate"], ["show", "gao"], ["export", "--out", dir, "--format", "geojson", "--quiet"],
                        ["list", "--data", Self.healthCentres]]
        for arguments in commands {
            let r = try TestSupport.run("/bin/sh", ["-c", "exec \"$0\" \"$@\" > /dev/full", TestSupport.minusma] + arguments)
            #expect(r.status == 74, "\(arguments): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("cannot write to standard output: No space left on device"), "\(arguments)")
        }
        let errors = try TestSupport.run("/bin/sh", ["-c", "exec \"$0\" \"$@\" 2> /dev/full", TestSupport.minusma, "validate"])
        #expect(errors.status == 0, "stdout was written; only a failed stdout changes a success")
    }

    /// Item 8: on a terminal, control characters and bidirectional overrides from the data are
    /// shown escaped; in error messages they are escaped wherever the messages go.
    @Test func terminalEscapes() throws {
        let dir = try TestSupport.temporaryFolder()
        let path = dir + "/c1.csv"
        try "id,name,lat,lon,region\nx,Evil\u{9B}31m name,15,-1,Gao\u{202E}oaG\n".write(toFile: path, atomically: false, encoding: .utf8)
        for arguments in [["list", "--data", path], ["show", "x", "--data", path]] {
            let r = try TestSupport.run("script", ["-qec", ([TestSupport.minusma] + arguments).joined(separator: " "), "/dev/null"])
            #expect(r.status == 0, "\(arguments): \(r.stderr)")
            #expect(r.stdout.contains("Evil\\u{9B}31m name"), "\(arguments): \(r.stdout)")
            #expect(r.stdout.contains("Gao\\u{202E}oaG"))
            #expect(!r.stdout.unicodeScalars.contains { $0.value == 0x9B || $0.value == 0x202E })
        }
        let bad = dir + "/esc.csv"
        try "id,name,lat,lon,n:integer\nx,X,15,-1,\u{1B}[2J\n".write(toFile: bad, atomically: false, encoding: .utf8)
        let rejected = try TestSupport.minusma(["validate", "--data", bad])
        #expect(rejected.status == 65)
        #expect(rejected.stderr.contains("U+001B (ESC"), "\(rejected.stderr)")
        #expect(!rejected.stderr.unicodeScalars.contains { $0.value == 0x1B })
    }

    /// Item 9: --name is a safe file name, and --out is not empty (map here; export, timeline and
    /// qgis-project call the same `OutputName` rule once the integrator wires it).
    @Test func outputNames() throws {
        let dir = try TestSupport.temporaryFolder()
        let refused: [([String], String)] = [
            (["map", "--name", "..", "--out", dir], "starts with '.'"),
            (["map", "--name", "a%20b", "--out", dir], "holds '%'"),
            (["map", "--name", "a b", "--out", dir], "holds ' '"),
            (["map", "--name", String(repeating: "n", count: 252), "--out", dir], "at most 251"),
            (["map", "--name", "", "--out", dir], "must not be empty"),
            (["map", "--out", ""], "--out must not be empty"),
            (["map", "--frames", ""], "--frames must not be empty"),
        ]
        for (arguments, message) in refused {
            let r = try TestSupport.minusma(arguments)
            #expect(r.status == 64, "\(arguments): \(r.status)")
            #expect(r.stderr.contains(message), "\(arguments): \(r.stderr)")
        }
        let fine = try TestSupport.minusma(["map", "--name", "Mali_2023-v1.0", "--out", dir])
        #expect(fine.status == 0, "\(fine.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).allSatisfy { !$0.hasPrefix(".") })
    }
}
