import FeatureCore
import Projection
import TextOutput
import XLSXDocument

/// One layer's sheet of an `XLSXWriter`: the header (and HXL) rows, a row per feature, then the
/// autofilter and the column widths.
final class XLSXLayerSheet {
    let worksheet: Worksheet
    let info: LayerInfo
    let path: String
    private let hxl: Bool
    private let projected: Bool
    private let names: [String]
    /// The longest text of each column so far, in characters.
    private var widths: [Int]
    private(set) var features = 0
    private var nextRow: Int
    private var links = 0
    /// Where the projected coordinates are formatted as the CSV writes them.
    private let scratch = OutputBuffer(sink: MemorySink(), capacity: 64)

    static let bold = CellStyle(bold: true)
    static let dateStyle = CellStyle(numberFormat: "yyyy-mm-dd")
    static let integerStyle = CellStyle(numberFormat: "0")
    static let linkStyle = CellStyle(link: true)
    /// Widths in characters of the default font.
    static let widest = 60
    /// Integers beyond this lose digits as Excel numbers (15 significant digits): they are text.
    static let largestExactInteger = 999_999_999_999_999

    /// Rows and links a sheet holds: Excel's, unless a test wants to reach them quickly.
    struct Limits {
        var rows = XLSXLimits.rows
        var links = XLSXLimits.urlsPerSheet
    }
    private let limits: Limits

    init(_ worksheet: Worksheet, info: LayerInfo, hxl: Bool, path: String, limits: Limits) {
        self.limits = limits
        self.worksheet = worksheet
        self.info = info
        self.hxl = hxl
        self.path = path
        // A table without geometry (the contingents) has no coordinates to add.
        projected = CSVWriter.addsProjectedColumns(info.crs) && info.schema.hasGeometry
        names = info.schema.names + (projected ? CSVWriter.projectedColumns : [])
        widths = names.map { $0.unicodeScalars.count }
        nextRow = hxl ? 2 : 1
    }

    private func catching(_ body: () throws(XLSXError) -> Void) throws(ExportError) {
        do { try body() } catch { throw .workbook(path: path, message: error.description) }
    }

    func writeHeader() throws(ExportError) {
        try catching { () throws(XLSXError) in
            for (column, name) in names.enumerated() {
                try worksheet.write(text: name, row: 0, column: column, style: Self.bold)
            }
            if hxl {
                var tags = info.schema.fields.map { HXLTags.tag(for: $0) }
                if projected { tags += CSVWriter.projectedColumns.map { _ in "" } }
                for (column, tag) in tags.enumerated() where !tag.isEmpty {
                    try worksheet.write(text: tag, row: 1, column: column, style: Self.bold)
                }
            }
            try worksheet.freezePanes(rows: nextRow, columns: 0)
        }
    }

    func write<F: Feature>(_ feature: F, point: XY?, cited: inout CitedLinks) throws(ExportError) {
        var cells = XLSXCells(sheet: self, row: nextRow, featureID: feature.featureID, cited: cited)
        feature.visitProperties(&cells)
        cited = cells.cited
        if let failure = cells.failure { throw failure }
        if projected, let point {
            try writeProjected(point, column: info.schema.fields.count)
        }
        nextRow += 1
        features += 1
    }

    /// `x`, `y` as numbers rounded as the CSV writes them, and the `wkt` text.
    private func writeProjected(_ point: XY, column: Int) throws(ExportError) {
        let decimals = info.crs.decimals
        func fixed(_ value: Double) -> String {
            scratch.append(fixed: value, decimals: decimals)
            let text = String(decoding: scratch.unflushed, as: UTF8.self)
            scratch.removeUnflushed()
            return text
        }
        let x = fixed(point.x), y = fixed(point.y)
        let wkt = "POINT (\(x) \(y))"
        try catching { () throws(XLSXError) in
            try worksheet.write(number: Double(x) ?? point.x, row: nextRow, column: column)
            try worksheet.write(number: Double(y) ?? point.y, row: nextRow, column: column + 1)
            try worksheet.write(text: wkt, row: nextRow, column: column + 2)
        }
        measure(column, x.utf8.count)
        measure(column + 1, y.utf8.count)
        measure(column + 2, wkt.utf8.count)
    }

    /// Every row of the sheet is written: the next feature needs another sheet.
    var isFull: Bool { nextRow >= limits.rows }

    func measure(_ column: Int, _ characters: Int) {
        if characters > widths[column] { widths[column] = characters }
    }

    /// The autofilter over every row written, and the column widths.
    func finish() throws(ExportError) {
        guard !names.isEmpty else { return }
        let filterRow = hxl ? 1 : 0
        try catching { () throws(XLSXError) in
            try worksheet.autofilter(firstRow: filterRow, firstColumn: 0, lastRow: max(filterRow, nextRow - 1),
                                     lastColumn: names.count - 1)
            for (column, width) in widths.enumerated() {
                // Room for the autofilter's button beside the name.
                let header = names[column].unicodeScalars.count + 3
                try worksheet.setColumn(column, width: Double(min(Self.widest, max(width, header)) + 1))
            }
        }
    }

    // The cells of one row, called by `XLSXCells`.

    func text(_ value: String, row: Int, column: Int, cited: inout CitedLinks) throws(XLSXError) {
        measure(column, value.unicodeScalars.count)
        let found = XLSXLinks.all(in: value)
        for link in found { cited.add(link: link) }
        if let link = found.first, links < limits.links,
           Worksheet.escapedURLLength(link) <= XLSXLimits.urlCharacters {
            links += 1
            try worksheet.write(url: link, text: value, row: row, column: column, style: Self.linkStyle)
        } else {
            try worksheet.write(text: value, row: row, column: column)
        }
    }

    func integer(_ value: Int, row: Int, column: Int) throws(XLSXError) {
        let digits = String(value)
        measure(column, digits.utf8.count)
        if value.magnitude <= Self.largestExactInteger {
            try worksheet.write(number: Double(value), row: row, column: column, style: Self.integerStyle)
        } else {
            try worksheet.write(text: digits, row: row, column: column)
        }
    }

    func boolean(_ value: Bool, row: Int, column: Int) throws(XLSXError) {
        measure(column, 5)
        try worksheet.write(boolean: value, row: row, column: column)
    }

    func real(_ value: Double, row: Int, column: Int) throws(XLSXError) {
        if value.isFinite {
            measure(column, value.description.utf8.count)
            try worksheet.write(number: value, row: row, column: column)
        } else {
            // Excel has no NaN or infinity: the value is kept as its text.
            try text(value.description, row: row, column: column)
        }
    }

    private func text(_ value: String, row: Int, column: Int) throws(XLSXError) {
        measure(column, value.utf8.count)
        try worksheet.write(text: value, row: row, column: column)
    }

    func date(_ value: CalendarDate, row: Int, column: Int, cited: inout CitedLinks) throws(XLSXError) {
        measure(column, 10)
        cited.add(date: value)
        let day = ExcelDay(year: value.year, month: value.month, day: value.day)
        if day.isRepresentable {
            try worksheet.write(day: day, row: row, column: column, style: Self.dateStyle)
        } else {
            try worksheet.write(text: value.description, row: row, column: column)
        }
    }
}

/// A feature's properties as the cells of its row. The first failure is kept and the rest of the
/// row skipped: `PropertySink` cannot throw.
private struct XLSXCells: PropertySink {
    let sheet: XLSXLayerSheet
    let row: Int
    let featureID: String
    var cited: CitedLinks
    var column = 0
    var failure: ExportError?

    init(sheet: XLSXLayerSheet, row: Int, featureID: String, cited: CitedLinks) {
        self.sheet = sheet
        self.row = row
        self.featureID = featureID
        self.cited = cited
    }

    private mutating func cell(_ name: String, _ body: (inout CitedLinks) throws(XLSXError) -> Void) {
        defer { column += 1 }
        guard failure == nil else { return }
        do { try body(&cited) } catch { failure = .workbook(path: sheet.path, message: error.description) }
    }

    /// A text longer than a cell is refused before it reaches the sheet, naming the feature.
    private mutating func fits(_ name: String, _ value: String) -> Bool {
        let count = value.utf16.count
        guard count > XLSXLimits.cellCharacters else { return true }
        if failure == nil {
            failure = .valueTooLarge(path: sheet.path, feature: featureID, field: name,
                                     found: "\(count) characters",
                                     limit: "an Excel cell holds at most \(XLSXLimits.cellCharacters)")
        }
        column += 1
        return false
    }

    mutating func null(_ name: String) { column += 1 }

    mutating func text(_ name: String, _ value: String) {
        guard fits(name, value) else { return }
        let (sheet, row, column) = (self.sheet, self.row, self.column)
        cell(name) { (cited) throws(XLSXError) in try sheet.text(value, row: row, column: column, cited: &cited) }
    }

    mutating func integer(_ name: String, _ value: Int) {
        let (sheet, row, column) = (self.sheet, self.row, self.column)
        cell(name) { (_) throws(XLSXError) in try sheet.integer(value, row: row, column: column) }
    }

    mutating func boolean(_ name: String, _ value: Bool) {
        let (sheet, row, column) = (self.sheet, self.row, self.column)
        cell(name) { (_) throws(XLSXError) in try sheet.boolean(value, row: row, column: column) }
    }

    mutating func real(_ name: String, _ value: Double, coordinate: Bool) {
        let (sheet, row, column) = (self.sheet, self.row, self.column)
        cell(name) { (_) throws(XLSXError) in try sheet.real(value, row: row, column: column) }
    }

    mutating func date(_ name: String, _ value: CalendarDate) {
        let (sheet, row, column) = (self.sheet, self.row, self.column)
        cell(name) { (cited) throws(XLSXError) in try sheet.date(value, row: row, column: column, cited: &cited) }
    }

    mutating func list(_ name: String, _ value: [String]) {
        text(name, value.joined(separator: " | "))
    }
}

/// The links of a cell: its http(s) URLs, each up to the next space, without the punctuation a
/// sentence puts after it (a closing parenthesis only when the URL opened none).
enum XLSXLinks {
    private static let trailing: Set<UInt8> = Set(".,;:]'\"".utf8)

    static func all(in text: String, limit: Int = .max) -> [String] {
        var text = text
        // Every cell's text goes through here: read its bytes in place.
        return text.withUTF8 { links(in: $0, limit: limit) }
    }

    private static func links(in b: UnsafeBufferPointer<UInt8>, limit: Int) -> [String] {
        var links: [String] = []
        var i = 0
        while i + 7 < b.count, links.count < limit {
            // "http://" or "https://"
            guard b[i] == 104, b[i + 1] == 116, b[i + 2] == 116, b[i + 3] == 112 else { i += 1; continue }
            let secure = b[i + 4] == 115
            let colon = i + (secure ? 5 : 4)
            guard colon + 2 < b.count, b[colon] == 58, b[colon + 1] == 47, b[colon + 2] == 47 else { i += 1; continue }
            var end = colon + 3
            while end < b.count, !isSpace(b[end]) { end += 1 }
            let next = end
            while end > colon + 3, trailing.contains(b[end - 1]) || unbalancedParenthesis(b, i, end) { end -= 1 }
            // A scheme with nothing after it links nowhere.
            if end > colon + 3 { links.append(String(decoding: UnsafeBufferPointer(rebasing: b[i..<end]), as: UTF8.self)) }
            i = next
        }
        return links
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }

    /// `b[start..<end]` ends with a `)` that closes no `(` of its own.
    private static func unbalancedParenthesis(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard b[end - 1] == 41 else { return false }
        var depth = 0
        for k in start..<end {
            if b[k] == 40 { depth += 1 } else if b[k] == 41 { depth -= 1 }
        }
        return depth < 0
    }
}
