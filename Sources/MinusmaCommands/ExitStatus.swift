#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import SQLiteDB
import Synchronization
import Exporters
import Gazetteer
import Projection
import TextOutput

/// The exit statuses of `minusma`, documented in `--help` and the README. They follow the BSD
/// sysexits convention where one fits.
public enum ExitStatus: Int32, CaseIterable, Sendable {
    case success = 0
    /// Something unexpected.
    case failure = 1
    /// The selection matched no site: nothing was written and the previous files are kept
    /// (--allow-empty writes valid empty files and exits 0).
    case emptySelection = 3
    /// A wrong option or argument: unknown format, malformed date, unknown site, unknown CRS.
    case usage = 64
    /// The input gazetteer was rejected (its problems are listed; nothing was written), or a site
    /// cannot be projected into the requested CRS.
    case dataError = 65
    /// The input file cannot be opened or read.
    case noInput = 66
    /// A program the command needs is not installed (ffmpeg for `map --video`); the message
    /// names its Debian package.
    case unavailable = 69
    /// An output cannot be created: missing or read-only folder.
    case cannotCreate = 73
    /// Writing failed part-way (disk full, I/O error); earlier files are untouched.
    case ioError = 74
    /// PROJ's database proj.db, or a grid the CRS needs, is missing.
    case configuration = 78

    public var meaning: String {
        switch self {
        case .success: return "success"
        case .failure: return "unexpected error"
        case .emptySelection: return "no site to write: nothing was written, the previous files are kept (--allow-empty writes empty layers, status 0)"
        case .usage: return "wrong option or argument (unknown format, site or CRS, malformed date)"
        case .dataError: return "the input data was rejected (problems listed on stderr, nothing written)"
        case .noInput: return "the input file cannot be opened or read"
        case .unavailable: return "a program the command needs is not installed (ffmpeg for map --video): the message names the Debian package"
        case .cannotCreate: return "an output cannot be created (missing or read-only folder)"
        case .ioError: return "writing failed (disk full, I/O error); the previous files are unchanged"
        case .configuration: return "PROJ's database proj.db or a grid the CRS needs is missing (install proj-data)"
        }
    }

    static var table: String {
        allCases.map { "  \(String($0.rawValue).padding(to: 3)) \($0.meaning)" }.joined(separator: "\n")
    }
}

/// An error the command reports itself, with its exit status. Messages are printed on stderr
/// as `minusma: error: ...`; lines of a validation report keep their `FILE:LINE:` form.
public struct CommandFailure: Error {
    public let status: ExitStatus
    public let lines: [String]

    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.lines = ["minusma: error: " + message]
    }

    init(_ status: ExitStatus, reportLines: [String]) {
        self.status = status
        self.lines = reportLines
    }

    static func from(_ error: GazetteerError) -> CommandFailure {
        switch error {
        case .cannotOpen, .cannotRead: return CommandFailure(.noInput, error.description)
        case .rejected(let report):
            var lines = report.lines
            lines.append("minusma: error: \(report.file) rejected: \(report.errorCount) error\(report.errorCount == 1 ? "" : "s")"
                         + (report.errorCount > report.errors.count ? " (the first \(report.errors.count) shown)" : "")
                         + "; nothing was written")
            return CommandFailure(.dataError, reportLines: lines)
        }
    }

    static func from(_ error: ProjectionError) -> CommandFailure {
        switch error.kind {
        case .databaseMissing, .gridMissing: return CommandFailure(.configuration, error.description)
        case .outOfDomain: return CommandFailure(.dataError, error.description)
        default: return CommandFailure(.usage, error.description)
        }
    }

    static func from(_ error: OutputError) -> CommandFailure {
        switch error {
        case .cannotCreate: return CommandFailure(.cannotCreate, error.description)
        case .cannotWrite, .cannotReplace: return CommandFailure(.ioError, error.description)
        }
    }

    static func from(_ error: ExportError) -> CommandFailure {
        switch error {
        case .output(let e): return from(e)
        case .input(let e): return from(e)
        case let .projection(e, site):
            let base = from(e)
            return site.map { CommandFailure(base.status, "\($0): \(e.description)") } ?? base
        case .geoPackage, .workbook: return CommandFailure(.ioError, error.description)
        case .wouldOverwriteInput, .nameClash: return CommandFailure(.usage, error.description)
        case .columnClash, .valueTooLarge: return CommandFailure(.dataError, error.description)
        }
    }
}

/// Runs the command line: parses, runs, reports errors on stderr and exits with the right status.
public enum MinusmaMain {
    public static func run(_ arguments: [String]? = nil) -> Never {
        // Before SQLite is first used (by PROJ for proj.db, or a GeoPackage): no global memory
        // statistics, whose mutex every allocation of every connection would otherwise take.
        _ = SQLiteDatabase.disableMemoryStatistics()
        do {
            var command = try Minusma.parseAsRoot(arguments)
            try command.run()
            exitChecking(.success)
        } catch let failure as CommandFailure {
            for line in failure.lines { Console.error(line) }
            exitChecking(failure.status)
        } catch let code as ExitCode {
            if code.rawValue == 0 { exitChecking(.success) }
            exit(code.rawValue)
        } catch {
            Minusma.exit(withError: error)
        }
    }

    /// Exits with `status`, or with 74 when the command would otherwise succeed but part of
    /// what it printed could not be written (`minusma list > /dev/full`).
    private static func exitChecking(_ status: ExitStatus) -> Never {
        if status == .success || status == .emptySelection, let failure = Console.writeFailure {
            if failure.fd == 1 { Console.error("minusma: error: cannot write to standard output: \(String(cString: strerror(failure.code)))") }
            exit(ExitStatus.ioError.rawValue)
        }
        exit(status.rawValue)
    }
}

/// stdout and stderr. A failed write is remembered, so that the command ends with status 74;
/// `emit` also stops the command at once. On a terminal, control characters and bidirectional
/// overrides from the data are shown escaped (`\u{1B}`), so data cannot drive the terminal.
enum Console {
    private static let failure = Mutex<(fd: Int32, code: Int32)?>(nil)
    private static let stdoutIsTerminal = isatty(1) != 0
    static let stderrIsTerminal = isatty(2) != 0

    /// The first write that failed: its descriptor and errno.
    static var writeFailure: (fd: Int32, code: Int32)? { failure.withLock { $0 } }

    static func error(_ line: String) {
        write(2, stderrIsTerminal ? DisplayText.escaped(line, keepingLineBreaks: true) : line)
        write(2, "\n")
    }

    /// Text on stderr without a line end (progress lines, which hold our own control codes).
    static func errorInline(_ text: String) {
        write(2, text)
    }

    static func output(_ text: String) {
        write(1, stdoutIsTerminal ? DisplayText.escaped(text, keepingLineBreaks: true) : text)
    }

    /// `output`, but a failed write ends the command (status 74) instead of printing on.
    static func emit(_ text: String) throws {
        output(text)
        if let failure = writeFailure, failure.fd == 1 {
            throw CommandFailure(.ioError, "cannot write to standard output: \(String(cString: strerror(failure.code)))")
        }
    }

    private static func write(_ fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 {
                    let code = n < 0 ? errno : EIO
                    failure.withLock { if $0 == nil { $0 = (fd, code) } }
                    return
                }
                offset += n
            }
        }
    }
}

extension String {
    /// Pads with spaces to `width` characters (not bytes: accents count as one).
    func padding(to width: Int) -> String {
        let n = count
        return n >= width ? self : self + String(repeating: " ", count: width - n)
    }

    func leftPadding(to width: Int) -> String {
        let n = count
        return n >= width ? self : String(repeating: " ", count: width - n) + self
    }
}
