import Foundation
import Synchronization
import Testing
@testable import TextOutput
#if canImport(Glibc)
import Glibc
#endif

/// `FileSet`: every file replaced or none, recovery after a crash, the folder's lock.
@Suite struct FileSetTests {
    let names = ["a.geojson", "b.kml", "c.csv"]

    func folder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fileset-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    func contents(_ dir: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: dir + "/" + name, isDirectory: &isDir)
            out[name] = isDir.boolValue ? "<folder>" : try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
        }
        return out
    }

    /// A folder holding the old set, and a file set staging the new one (`new <name>`).
    func staged(_ dir: String, extra: [String] = []) throws -> FileSet {
        for name in names { try write("old \(name)", to: dir + "/" + name) }
        let files = try FileSet(directory: dir)
        for name in names + extra {
            let sink = try files.textFile(named: name)
            let text = Array("new \(name)".utf8)
            try text.withUnsafeBytes { try sink.write($0) }
        }
        return files
    }

    var oldSet: [String: String] { Dictionary(uniqueKeysWithValues: names.map { ($0, "old \($0)") }) }

    @Test func commitReplacesEveryFileAndLeavesNothingElse() throws {
        let dir = try folder()
        let files = try staged(dir, extra: ["d.prj"])
        #expect(try contents(dir).keys.contains(".minusma.lock"), "the lock is held while the set is open")
        try files.commit()
        let expected = Dictionary(uniqueKeysWithValues: (names + ["d.prj"]).map { ($0, "new \($0)") })
        #expect(try contents(dir) == expected)
    }

    @Test func abandoningLeavesTheOldFiles() throws {
        let dir = try folder()
        try staged(dir).abandon()
        #expect(try contents(dir) == oldSet)
    }

    @Test func aFolderAtOneTargetLeavesEveryOldFileAsItWas() throws {
        let dir = try folder()
        let files = try staged(dir, extra: ["d.prj"])
        // The last target becomes a non-empty folder after staging: its replacement must fail.
        try FileManager.default.removeItem(atPath: dir + "/c.csv")
        try FileManager.default.createDirectory(atPath: dir + "/c.csv", withIntermediateDirectories: false)
        try write("keep", to: dir + "/c.csv/inside")
        #expect(throws: OutputError.self) { try files.commit() }
        var expected = oldSet
        expected["c.csv"] = "<folder>"
        #expect(try contents(dir) == expected, "no new file, no temporary file, no lock left")
    }

    @Test func aRenameFailingHalfWayPutsTheRenamedFilesBack() throws {
        let dir = try folder()
        for name in names { try write("old \(name)", to: dir + "/" + name) }
        let files = try FileSet(directory: dir)
        var stagedPaths: [String] = []
        for name in ["new-only.txt"] + names {
            let path = try files.temporaryPath(for: name)
            try write("new \(name)", to: path)
            stagedPaths.append(path)
        }
        // The third rename finds no staged file: two files were already renamed in.
        unlink(stagedPaths[2])
        #expect(throws: OutputError.self) { try files.commit() }
        #expect(try contents(dir) == oldSet, "the renamed ones are back, the file with no predecessor is gone")
    }

    @Test(arguments: [0, 1, 2, 3])
    func aCrashBeforeTheLastRenameIsRolledBackByTheNextSet(_ renames: Int) throws {
        let dir = try folder()
        let files = try staged(dir, extra: ["d.prj"])
        try files.commit(simulatingCrashAfterRenames: renames)
        #expect(try contents(dir).keys.contains(".minusma.journal"))
        let next = try FileSet(directory: dir)
        #expect(try contents(dir).filter { $0.key != ".minusma.lock" } == oldSet)
        next.abandon()
        #expect(try contents(dir) == oldSet)
    }

    @Test func aCrashAfterTheLastRenameIsRolledForward() throws {
        let dir = try folder()
        let files = try staged(dir)
        try files.commit(simulatingCrashAfterRenames: names.count)
        #expect(try contents(dir).keys.contains(".minusma.journal"))
        try FileSet(directory: dir).abandon()
        #expect(try contents(dir) == Dictionary(uniqueKeysWithValues: names.map { ($0, "new \($0)") }))
    }

    @Test func leftoversOfDeadRunsAreRemoved() throws {
        let dir = try folder()
        try write("x", to: dir + "/.minusma-new-AbC123")
        try write("x", to: dir + "/.minusma-old-AbC123")
        try write("mine", to: dir + "/.minusma-new-notours")
        try FileSet(directory: dir).abandon()
        #expect(try contents(dir) == [".minusma-new-notours": "mine"])
    }

    @Test func aJournalMinusmaDidNotWriteIsRefused() throws {
        let dir = try folder()
        try write("minusma file set journal 1\nold\t.minusma-new-AbC123\t../../etc/passwd\nend\n", to: dir + "/.minusma.journal")
        #expect {
            try FileSet(directory: dir)
        } throws: { error in
            let text = "\(error)"
            return text.contains(".minusma.journal") && text.contains("line 2") && text.contains("expected a plain file name")
        }
    }

    @Test func replacingKeepsTheOldFilesPermissions() throws {
        let dir = try folder()
        let files = try staged(dir, extra: ["fresh.txt"])
        chmod(dir + "/b.kml", 0o640)
        try files.commit()
        var info = stat()
        stat(dir + "/b.kml", &info)
        #expect(info.st_mode & 0o777 == 0o640)
        let mask = umask(0)
        umask(mask)
        stat(dir + "/fresh.txt", &info)
        #expect(info.st_mode & 0o777 == 0o666 & ~mask)
    }

    @Test func anyNameThatFitsTheFolderWorks() throws {
        let dir = try folder()
        let files = try FileSet(directory: dir)
        let longest = String(repeating: "é", count: 127) + "x"   // 255 bytes
        _ = try files.textFile(named: longest)
        #expect {
            _ = try files.textFile(named: longest + "y")
        } throws: { "\($0)".contains("the name is 256 bytes long; names in \(dir) are limited to 255 bytes") }
        try files.commit()
        #expect(FileManager.default.fileExists(atPath: dir + "/" + longest))
    }

    @Test func aSecondSetOnTheFolderWaitsForTheFirst() throws {
        let dir = try folder()
        let first = try staged(dir)
        let progress = Mutex<[String]>([])
        let done = DispatchSemaphore(value: 0)
        let path = dir
        Thread.detachNewThread {
            let second = try? FileSet(directory: path, onWait: { progress.withLock { $0.append("waiting") } })
            progress.withLock { $0.append(second == nil ? "failed" : "locked") }
            second?.abandon()
            done.signal()
        }
        usleep(300_000)
        #expect(progress.withLock { $0 } == ["waiting"])
        try first.commit()
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(progress.withLock { $0 } == ["waiting", "locked"])
        #expect(try contents(dir) == Dictionary(uniqueKeysWithValues: names.map { ($0, "new \($0)") }))
    }
}
