/// One problem found in a gazetteer file: where it is (file, line, column), what was found and
/// what was expected.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public let severity: Severity
    public let file: String
    /// 1-based line where the record starts (the header is line 1); 0 for the file as a whole.
    public let line: Int
    /// The column as named in the file's header (and the known field it maps to, if different).
    public let field: String?
    public let found: String
    public let expected: String
    /// Where in the record's file, when the line alone does not say it ("feature 12, byte 3456").
    public let locator: String?

    public init(_ severity: Severity, file: String, line: Int, field: String?, found: String, expected: String,
                locator: String? = nil) {
        self.locator = locator
        self.severity = severity
        self.file = file
        self.line = line
        self.field = field
        self.found = found
        self.expected = expected
    }

    /// `FILE:LINE: error: field 'lat': found "95.1", expected a latitude in [-90, 90]`
    public var description: String {
        let file = DisplayText.escaped(self.file, keepingLineBreaks: false)
        var s = line > 0 ? "\(file):\(line): \(severity.rawValue): " : "\(file): \(severity.rawValue): "
        if let locator { s += "\(locator): " }
        if let field { s += "field '\(DisplayText.escaped(field, keepingLineBreaks: false))': " }
        s += "found \(DisplayText.escaped(found, keepingLineBreaks: false)), expected \(expected)"
        return s
    }
}

/// Text from a file made safe to show: control characters (C0, DEL, C1, which include the
/// terminal escape codes) and the invisible bidirectional overrides are written as `\u{1B}`,
/// so that data can neither drive the terminal nor disguise itself.
public enum DisplayText {
    public static func escaped(_ text: String, keepingLineBreaks: Bool) -> String {
        var clean = true
        for u in text.unicodeScalars where needsEscape(u, keepingLineBreaks) { clean = false; break }
        if clean { return text }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            if needsEscape(u, keepingLineBreaks) {
                out.append(contentsOf: "\\u{\(String(u.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    @inline(__always)
    static func needsEscape(_ u: Unicode.Scalar, _ keepingLineBreaks: Bool) -> Bool {
        switch u.value {
        case 0x0A, 0x09: return !keepingLineBreaks
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}

/// The problems of one file: the first `limit` errors and warnings in full, and how many there
/// were in all. Errors are kept in the order of their lines.
public struct ValidationReport: Equatable, Sendable {
    public static let shownLimit = 20

    public let file: String
    public private(set) var errors: [Diagnostic] = []
    public private(set) var warnings: [Diagnostic] = []
    public private(set) var errorCount = 0
    public private(set) var warningCount = 0
    /// Rows left out because of `--skip-invalid`.
    public internal(set) var skippedRows = 0

    public init(file: String) {
        self.file = file
    }

    public var isRejected: Bool { errorCount > 0 }

    public mutating func add(_ d: Diagnostic) {
        switch d.severity {
        case .error:
            errorCount += 1
            insertKeepingFirst(d, into: &errors)
        case .warning:
            warningCount += 1
            insertKeepingFirst(d, into: &warnings)
        }
    }

    /// Adds `shown` (at most `shownLimit` of them, the first by line) standing for `total` problems.
    public mutating func add(_ shown: [Diagnostic], standingFor total: Int) {
        for d in shown { add(d) }
        let rest = max(0, total - shown.count)
        if let severity = shown.first?.severity {
            switch severity {
            case .error: errorCount += rest
            case .warning: warningCount += rest
            }
        }
    }

    /// Keeps the `shownLimit` diagnostics with the lowest line numbers (stable for equal lines).
    private func insertKeepingFirst(_ d: Diagnostic, into list: inout [Diagnostic]) {
        if list.count == Self.shownLimit, let last = list.last, last.line <= d.line { return }
        var i = list.endIndex
        while i > list.startIndex, list[i - 1].line > d.line { i -= 1 }
        list.insert(d, at: i)
        if list.count > Self.shownLimit { list.removeLast() }
    }

    /// Every shown problem on its own line, then how many more there were.
    public var lines: [String] {
        var out = errors.map(\.description)
        if errorCount > errors.count { out.append("... and \(errorCount - errors.count) more errors") }
        out += warnings.map(\.description)
        if warningCount > warnings.count { out.append("... and \(warningCount - warnings.count) more warnings") }
        return out
    }

    public var summary: String {
        var s = "\(file): rejected, \(errorCount) error\(errorCount == 1 ? "" : "s")"
        if warningCount > 0 { s += " and \(warningCount) warning\(warningCount == 1 ? "" : "s")" }
        return ([s] + lines).joined(separator: "\n")
    }
}
