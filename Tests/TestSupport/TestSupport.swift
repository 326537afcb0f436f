import Foundation

/// What a finished command printed and returned.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

public enum TestSupport {
    /// The package's root folder.
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    public static func path(_ relative: String) -> String {
        packageRoot.appendingPathComponent(relative).path
    }

    /// The folder of the test binary, where SwiftPM also puts the `minusma` executable.
    public static let binFolder: URL = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: exe)
        // .build/<triple>/debug/minusmaPackageTests.xctest
        while url.pathComponents.count > 1 && !FileManager.default.fileExists(atPath: url.appendingPathComponent("minusma").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    public static var minusma: String { binFolder.appendingPathComponent("minusma").path }

    /// Runs a program (found on PATH unless given as a path) and waits for it.
    @discardableResult
    public static func run(_ program: String, _ arguments: [String], cwd: String? = nil,
                           environment: [String: String] = [:], stdin: Data? = nil) throws -> CommandResult {
        let process = Process()
        if program.contains("/") {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [program] + arguments
        }
        if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            DispatchQueue.global().async {
                input.fileHandleForWriting.write(stdin)
                try? input.fileHandleForWriting.close()
            }
        }
        // Read both pipes concurrently so a chatty child cannot block on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus,
                             stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs the minusma binary built with the tests.
    @discardableResult
    public static func minusma(_ arguments: [String], cwd: String? = nil, environment: [String: String] = [:],
                               stdin: Data? = nil) throws -> CommandResult {
        try run(minusma, arguments, cwd: cwd, environment: environment, stdin: stdin)
    }

    /// A new empty folder under the system's temporary folder.
    /// A new empty folder inside this test process's own folder, which is removed when the
    /// process exits: a test that forgets its folders (or fails before its cleanup) leaves
    /// nothing in the temporary folder.
    public static func temporaryFolder(_ label: String = "minusma-test") throws -> String {
        let url = URL(fileURLWithPath: processFolder).appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    private static let processFolder: String = {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("minusma-tests-\(getpid())-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: TestSupport.processFolder) }
        return path
    }()

    public static func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    public static func bytes(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// Compares `actual` with the golden file `relative` (under the package root). With
    /// MINUSMA_RECORD_GOLDEN=1 in the environment it writes the golden file instead.
    /// Returns nil when they match, else a description of the first difference.
    public static func compareGolden(_ actual: Data, _ relative: String) throws -> String? {
        let path = self.path(relative)
        if ProcessInfo.processInfo.environment["MINUSMA_RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: URL(fileURLWithPath: path))
            return nil
        }
        guard let expected = FileManager.default.contents(atPath: path) else {
            return "\(relative) does not exist; record it with MINUSMA_RECORD_GOLDEN=1 swift test"
        }
        if expected == actual { return nil }
        let a = Array(actual), e = Array(expected)
        let i = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
        let line = e[..<min(i, e.count)].filter { $0 == 10 }.count + 1
        func around(_ bytes: [UInt8]) -> String {
            String(decoding: bytes[max(0, i - 60)..<min(bytes.count, i + 60)], as: UTF8.self)
        }
        return "\(relative) differs at byte \(i) (line \(line)):\n  expected: \(around(e))\n  actual:   \(around(a))\n(re-record with MINUSMA_RECORD_GOLDEN=1 if the change is intended)"
    }

    /// A tool the tests need, or a failure message saying how to get it.
    public static func requireTool(_ name: String) -> String? {
        let result = try? run("which", [name])
        return result?.status == 0 ? nil : "\(name) is not installed; `make test` installs the test tools"
    }
}
