import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `minusma export` replaces its whole file set or nothing: under a failing rename, concurrent
/// runs, signals and a crash in the middle of the commit.
@Suite struct FileSetCommandTests {
    static let healthCentres = TestSupport.path("Tests/Fixtures/health-centres.csv")
    /// The files a default export of the built-in data writes (also what Output/ must hold).
    static let outputs = ["minusma-sites.geojson", "minusma-sites.qml", "minusma-sites.kml", "minusma-sites.kmz", "minusma-sites.csv",
                          "minusma-sites.csvt", "minusma-sites.prj", "minusma-sites.gpkg", "minusma-sites.xlsx",
                          "minusma-sites.shp", "minusma-sites.shx", "minusma-sites.dbf", "minusma-sites.cpg",
                          "minusma-sites-fields.csv", "minusma-sites-fulltext.csv",
                          // The built-in events beside the sites, in the same set.
                          "minusma-events.geojson", "minusma-events.qml", "minusma-events.kml", "minusma-events.kmz", "minusma-events.csv",
                          "minusma-events.csvt", "minusma-events.prj",
                          "minusma-events.shp", "minusma-events.shx", "minusma-events.dbf", "minusma-events.cpg",
                          "minusma-events-fields.csv", "minusma-events-fulltext.csv"]

    /// A generated gazetteer of `rows` sites (no `population` column, unlike the health centres).
    static func generated(rows: Int) throws -> String {
        let path = try TestSupport.temporaryFolder("fileset-input") + "/sites-\(rows).csv"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        var chunk = "id,name,lat,lon\n"
        for i in 0..<rows {
            chunk += "s\(i),Site \(i),\(14 + Double(i % 1000) / 1000),\(-4 + Double(i % 777) / 777)\n"
            if chunk.utf8.count > 1 << 20 { handle.write(Data(chunk.utf8)); chunk = "" }
        }
        handle.write(Data(chunk.utf8))
        try handle.close()
        return path
    }

    static let mediumInput = Result { try generated(rows: 20_000) }
    static let largeInput = Result { try generated(rows: 2_000_000) }

    /// The files of a folder, with their bytes (hidden ones included).
    func snapshot(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
            out[name] = (try? TestSupport.bytes(dir + "/" + name)) ?? Data("<folder>".utf8)
        }
        return out
    }

    func hidden(_ dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".") }.sorted()
    }

    /// A folder holding the health centres' export (the "old" files).
    func folderWithOldSet() throws -> String {
        let dir = try TestSupport.temporaryFolder("fileset")
        let r = try TestSupport.minusma(["export", "--data", Self.healthCentres, "--name", "minusma-sites", "--out", dir, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        return dir
    }

    /// A running minusma, its stderr going to a file.
    func start(_ arguments: [String], environment: [String: String] = [:]) throws -> (Process, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestSupport.minusma)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let errorPath = try TestSupport.temporaryFolder("fileset-stderr") + "/stderr"
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, errorPath)
    }

    /// Waits (up to a minute) until `condition` holds.
    func waitUntil(_ condition: () throws -> Bool) throws -> Bool {
        for _ in 0..<6000 {
            if try condition() { return true }
            usleep(10_000)
        }
        return false
    }

    func stagedFiles(_ dir: String) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".minusma-new-") }.count
    }

    @Test func aReplacementFailingHalfWayLeavesEveryOldFileAsItWas() throws {
        let dir = try folderWithOldSet()
        let input = try Self.mediumInput.get()
        let (export, errors) = try start(["export", "--data", input, "--name", "minusma-sites", "--out", dir, "--quiet"])
        // The GeoPackage, the GeoJSON, the KML and the CSV staged: their targets were checked.
        #expect(try waitUntil { try stagedFiles(dir) >= 4 })
        // The export has checked its targets: now the GeoJSON (renamed second today, after the
        // GeoPackage) becomes a non-empty folder.
        let target = dir + "/minusma-sites.geojson"
        try FileManager.default.removeItem(atPath: target)
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        try "keep".write(toFile: target + "/inside", atomically: false, encoding: .utf8)
        var before = try snapshot(dir).filter { !$0.key.hasPrefix(".") }
        export.waitUntilExit()
        let stderr = try TestSupport.read(errors)
        #expect(export.terminationStatus == 74, "\(stderr)")
        #expect(stderr.contains("minusma-sites.geojson") && stderr.contains("a folder has that name"), "\(stderr)")
        before[".minusma.lock"] = nil
        #expect(try snapshot(dir) == before, "every old file as it was, no temporary file")
    }

    /// Which run a file of the set comes from: the health centres in UTM 30N, or the generated
    /// sites in WGS 84 (the .qml is the same for both).
    func origins(_ dir: String) throws -> [String: String] {
        func from(_ isHealthCentres: Bool) -> String { isHealthCentres ? "health centres, UTM" : "generated, WGS 84" }
        var out: [String: String] = [:]
        out["geojson"] = from(try TestSupport.read(dir + "/minusma-sites.geojson").contains("EPSG::32630"))
        out["kml"] = from(try TestSupport.read(dir + "/minusma-sites.kml").components(separatedBy: "<Placemark ").count < 100)
        out["csv"] = from(try TestSupport.read(dir + "/minusma-sites.csv").prefix(400).contains(",x,y"))
        out["csvt"] = from(try TestSupport.read(dir + "/minusma-sites.csvt").contains("Integer"))
        out["prj"] = from(try TestSupport.read(dir + "/minusma-sites.prj").contains("UTM"))
        let srs = try TestSupport.run("sqlite3", [dir + "/minusma-sites.gpkg",
                                                  "SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = 'minusma_sites'"])
        out["gpkg"] = from(srs.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "32630")
        return out
    }

    @Test func twoExportsIntoOneFolderEndWithTheFilesOfOne() throws {
        if let missing = TestSupport.requireTool("sqlite3") { Issue.record(Comment(rawValue: missing)); return }
        let input = try Self.mediumInput.get()
        for _ in 0..<2 {
            let dir = try TestSupport.temporaryFolder("fileset")
            let (a, aErrors) = try start(["export", "--data", Self.healthCentres, "--name", "minusma-sites", "--crs", "EPSG:32630", "--out", dir, "--quiet"])
            let (b, bErrors) = try start(["export", "--data", input, "--name", "minusma-sites", "--out", dir, "--quiet"])
            a.waitUntilExit()
            b.waitUntilExit()
            #expect(a.terminationStatus == 0, "\((try? TestSupport.read(aErrors)) ?? "")")
            #expect(b.terminationStatus == 0, "\((try? TestSupport.read(bErrors)) ?? "")")
            let origins = try origins(dir)
            #expect(Set(origins.values).count == 1, "files from both runs: \(origins)")
            #expect(try hidden(dir).isEmpty)
        }
    }

    @Test func anExportWaitsForTheFolderLock() throws {
        let dir = try TestSupport.temporaryFolder("fileset")
        let lock = open(dir + "/.minusma.lock", O_RDWR | O_CREAT, 0o644)
        #expect(lock >= 0 && flock(lock, LOCK_EX) == 0)
        let (export, errors) = try start(["export", "--data", Self.healthCentres, "--name", "minusma-sites", "--out", dir, "--quiet"])
        usleep(1_500_000)
        #expect(export.isRunning, "the export went on while another run held the folder")
        #expect(!FileManager.default.fileExists(atPath: dir + "/minusma-sites.geojson"))
        close(lock)
        export.waitUntilExit()
        #expect(export.terminationStatus == 0, "\((try? TestSupport.read(errors)) ?? "")")
        #expect(FileManager.default.fileExists(atPath: dir + "/minusma-sites.geojson"))
    }

    @Test(arguments: [(SIGINT, Int32(130), "SIGINT"), (SIGTERM, Int32(143), "SIGTERM")])
    func aSignalDuringALongExportRemovesItsTemporaryFiles(_ signal: Int32, _ status: Int32, _ name: String) throws {
        let dir = try folderWithOldSet()
        let before = try snapshot(dir)
        let input = try Self.largeInput.get()
        let (export, errors) = try start(["export", "--data", input, "--name", "minusma-sites", "--out", dir, "--quiet"])
        #expect(try waitUntil { try stagedFiles(dir) > 0 })
        usleep(500_000)
        #expect(export.isRunning)
        kill(export.processIdentifier, signal)
        export.waitUntilExit()
        #expect(export.terminationReason == .exit && export.terminationStatus == status)
        #expect(try TestSupport.read(errors).contains("minusma: interrupted by \(name); temporary files removed"))
        #expect(try snapshot(dir) == before, "old files unchanged, no temporary file")
    }

    @Test func aCrashDuringTheCommitIsUndoneByTheNextRun() throws {
        let dir = try folderWithOldSet()
        let before = try snapshot(dir)
        let crashed = try TestSupport.minusma(["export", "--out", dir, "--quiet"],
                                              environment: ["MINUSMA_TEST_CRASH_AFTER_RENAMES": "3"])
        #expect(crashed.status == 99)
        #expect(try hidden(dir).contains(".minusma.journal"))
        #expect(try snapshot(dir).filter { !$0.key.hasPrefix(".") } != before, "the crash came after some renames")
        // Any later run on the folder (here one whose input is rejected) first undoes the commit.
        let bad = dir + "/../fileset-bad-\(UUID().uuidString).csv"
        try "id,name,lat,lon\na,A,95,-1\n".write(toFile: bad, atomically: false, encoding: .utf8)
        #expect(try TestSupport.minusma(["export", "--data", bad, "--name", "minusma-sites", "--out", dir, "--quiet"]).status == 65)
        #expect(try snapshot(dir) == before)
    }

    @Test func aCrashAfterTheLastRenameIsCompletedByTheNextRun() throws {
        let dir = try folderWithOldSet()
        let crashed = try TestSupport.minusma(["export", "--out", dir, "--quiet"],
                                              environment: ["MINUSMA_TEST_CRASH_AFTER_RENAMES": "\(Self.outputs.count)"])
        #expect(crashed.status == 99)
        let bad = dir + "/../fileset-bad-\(UUID().uuidString).csv"
        try "id,name,lat,lon\na,A,95,-1\n".write(toFile: bad, atomically: false, encoding: .utf8)
        #expect(try TestSupport.minusma(["export", "--data", bad, "--name", "minusma-sites", "--out", dir, "--quiet"]).status == 65)
        #expect(try hidden(dir).isEmpty)
        for name in Self.outputs {
            #expect(try TestSupport.bytes(dir + "/" + name) == TestSupport.bytes(TestSupport.path("Output/" + name)),
                    "\(name) is the new (built-in) export")
        }
    }

    @Test func aReExportKeepsThePermissionsOfTheFilesItReplaces() throws {
        let dir = try folderWithOldSet()
        chmod(dir + "/minusma-sites.geojson", 0o640)
        chmod(dir + "/minusma-sites.gpkg", 0o600)
        #expect(try TestSupport.minusma(["export", "--out", dir, "--quiet"]).status == 0)
        func mode(_ name: String) -> mode_t {
            var info = stat()
            stat(dir + "/" + name, &info)
            return info.st_mode & 0o777
        }
        #expect(mode("minusma-sites.geojson") == 0o640)
        #expect(mode("minusma-sites.gpkg") == 0o600)
    }

    @Test func namesUpToTheFoldersLimitWork() throws {
        let dir = try TestSupport.temporaryFolder("fileset")
        let base = String(repeating: "n", count: 247)   // 255 bytes with ".geojson"
        // A user's data has no events: the sites' file alone takes the name.
        let user = ["--data", TestSupport.path("Tests/Fixtures/health-centres.csv")]
        let r = try TestSupport.minusma(["export", "--format", "geojson", "--name", base, "--out", dir, "--quiet"] + user)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/" + base + ".geojson"))
        let tooLong = try TestSupport.minusma(["export", "--format", "geojson", "--name", base + "n", "--out", dir, "--quiet"] + user)
        #expect(tooLong.status == 73)
        #expect(tooLong.stderr.contains("the name is 256 bytes long"), "\(tooLong.stderr)")
        // The built-in data's events are <name>-events.geojson: 240 bytes of name is the most.
        let builtIn = String(repeating: "b", count: 240)
        let events = try TestSupport.minusma(["export", "--format", "geojson", "--name", builtIn, "--out", dir, "--quiet"])
        #expect(events.status == 0 && FileManager.default.fileExists(atPath: dir + "/" + builtIn + "-events.geojson"), "\(events.stderr)")
        let eventsTooLong = try TestSupport.minusma(["export", "--format", "geojson", "--name", builtIn + "b", "--out", dir, "--quiet"])
        #expect(eventsTooLong.status == 73 && eventsTooLong.stderr.contains("-events.geojson: the name is 256 bytes long"), "\(eventsTooLong.stderr)")
    }
}
