// A small RFC 4180 reader for the fact files of Data/ (events, contingents, coordinate check):
// they are embedded strings of a few hundred rows, so they are read whole, with each record's
// first line kept for messages.

/// The records of one CSV text, by header name.
struct FactTable {
    struct Row {
        /// 1-based line where the record starts (the header is line 1).
        let line: Int
        let cells: [String]
    }

    let file: String
    let header: [String]
    let rows: [Row]

    /// Parses `text`; an unterminated quote or a stray quote is reported as an error of its line.
    init(text: String, file: String, report: inout ValidationReport) {
        self.file = file
        var records: [Row] = []
        // Bytes, not scalars: every delimiter is ASCII, and a String is made once per cell.
        var cells: [String] = [], cell: [UInt8] = [], quoted = false, afterQuote = false
        var line = 1, recordLine = 1
        func endCell() {
            cells.append(String(decoding: cell, as: UTF8.self))
            cell.removeAll(keepingCapacity: true)
        }
        func endRecord() {
            endCell()
            if !(cells.count == 1 && cells[0].isEmpty) { records.append(Row(line: recordLine, cells: cells)) }
            cells = []
        }
        // Runs of ordinary bytes are copied at once; the state machine sees only the delimiters.
        // (No closure over a buffer: its captured state was checked for exclusivity per byte.)
        let bytes = Array(text.utf8)
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < bytes.count {
            if quoted {
                var j = i
                while j < bytes.count, bytes[j] != UInt8(ascii: "\"") {
                    if bytes[j] == UInt8(ascii: "\n") { line += 1 }
                    j += 1
                }
                cell.append(contentsOf: bytes[i..<j])
                if j < bytes.count { quoted = false; afterQuote = true }
                i = j + 1
                continue
            }
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\"") where afterQuote: cell.append(b); quoted = true; afterQuote = false
            case UInt8(ascii: "\"") where cell.isEmpty: quoted = true
            case UInt8(ascii: "\""):
                report.add(Diagnostic(.error, file: file, line: line, field: nil, found: "a quote inside an unquoted field",
                                      expected: "a field quoted from its first character"))
            case UInt8(ascii: ","): endCell(); afterQuote = false
            case UInt8(ascii: "\r"): afterQuote = false
            case UInt8(ascii: "\n"): endRecord(); afterQuote = false; line += 1; recordLine = line
            default:
                var j = i + 1
                while j < bytes.count, !Self.isDelimiter(bytes[j]) { j += 1 }
                cell.append(contentsOf: bytes[i..<j])
                afterQuote = false
                i = j
                continue
            }
            i += 1
        }
        if quoted {
            report.add(Diagnostic(.error, file: file, line: recordLine, field: nil, found: "an unterminated quote",
                                  expected: "a closing quote"))
        }
        if !cell.isEmpty || !cells.isEmpty { endRecord() }
        header = records.first?.cells ?? []
        rows = Array(records.dropFirst())
    }

    private static func isDelimiter(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "\"") || b == UInt8(ascii: ",") || b == UInt8(ascii: "\r") || b == UInt8(ascii: "\n")
    }

    /// The column of each name in `required`, or an error naming the missing ones.
    func columns(_ required: [String], report: inout ValidationReport) -> [String: Int]? {
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() where index[name] == nil { index[name] = i }
        let missing = required.filter { index[$0] == nil }
        if missing.isEmpty { return index }
        report.add(Diagnostic(.error, file: file, line: 1, field: nil,
                              found: "a header without \(missing.joined(separator: ", "))",
                              expected: "the columns \(required.joined(separator: ", "))"))
        return nil
    }
}

/// One row read field by field: each accessor reports what it could not accept and returns nil.
struct FactRow {
    let file: String
    let row: FactTable.Row
    let columns: [String: Int]

    /// The trimmed cell; nil when empty (missing is nil, never "").
    func text(_ name: String) -> String? {
        guard let i = columns[name], i < row.cells.count else { return nil }
        let value = row.cells[i].trimmingSpaces
        return value.isEmpty ? nil : value
    }

    func fail(_ name: String, found: String?, expected: String, _ report: inout ValidationReport) {
        let shown = found.map { "\"\($0)\"" } ?? "nothing"
        report.add(Diagnostic(.error, file: file, line: row.line, field: name, found: shown, expected: expected))
    }

    func required(_ name: String, _ report: inout ValidationReport) -> String? {
        guard let value = text(name) else {
            fail(name, found: nil, expected: "a value", &report)
            return nil
        }
        return value
    }

    /// A value of `T` named by its raw value, e.g. a date precision or a confidence.
    func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type,
                                                   _ report: inout ValidationReport) -> T? where T.RawValue == String {
        guard let raw = required(name, &report) else { return nil }
        if let value = T(rawValue: raw) { return value }
        fail(name, found: raw, expected: "one of " + T.allCases.map(\.rawValue).joined(separator: ", "), &report)
        return nil
    }

    func date(_ name: String, _ report: inout ValidationReport) -> CalendarDate? {
        guard let raw = required(name, &report) else { return nil }
        if let date = CalendarDate(raw) { return date }
        fail(name, found: raw, expected: "a date that exists, as YYYY-MM-DD", &report)
        return nil
    }

    /// A non-negative whole number; nil (without a problem) when the cell is empty and `optional`.
    func count(_ name: String, optional: Bool, _ report: inout ValidationReport) -> Int?? {
        guard let raw = text(name) else {
            if optional { return .some(nil) }
            fail(name, found: nil, expected: "a whole number", &report)
            return nil
        }
        if let n = Int(raw), n >= 0 { return .some(n) }
        fail(name, found: raw, expected: "a whole number of 0 or more", &report)
        return nil
    }

    func siteID(_ name: String, known: Set<String>, _ report: inout ValidationReport) -> String? {
        guard let id = required(name, &report) else { return nil }
        if known.contains(id) { return id }
        fail(name, found: id, expected: "the id of a site of the gazetteer", &report)
        return nil
    }

    /// The ` | `-separated list of sources; at least one.
    func sources(_ name: String, _ report: inout ValidationReport) -> [String]? {
        // Split on the byte: splitting Characters costs a grapheme break test per character.
        let list = (text(name) ?? "").utf8.split(separator: UInt8(ascii: "|"))
            .map { String(decoding: $0, as: UTF8.self).trimmingSpaces }.filter { !$0.isEmpty }
        if list.isEmpty {
            fail(name, found: nil, expected: "at least one source", &report)
            return nil
        }
        return list
    }
}
