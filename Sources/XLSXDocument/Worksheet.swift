import CXLSXWriter

/// A day of the calendar for an Excel date cell: year, month and day, no time and no zone.
public struct ExcelDay: Sendable, Equatable {
    public let year: Int, month: Int, day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Excel's day numbers start in 1900, and its first two months of 1900 are off by one (it
    /// counts a 29 February 1900): only days from 1900-03-01 on are the same day in every reader.
    public var isRepresentable: Bool { year > 1900 || (year == 1900 && month >= 3) }
}

/// One sheet of a `Workbook`. Its rows must be written in order (the workbook keeps only the
/// current row in memory); cells of a row in any order. Calls after the workbook is closed throw.
public final class Worksheet {
    public let name: String
    private let sheet: UnsafeMutablePointer<lxw_worksheet>
    /// Keeps the workbook, which owns the sheet, alive.
    private let workbook: Workbook

    init(_ sheet: UnsafeMutablePointer<lxw_worksheet>, name: String, workbook: Workbook) {
        self.sheet = sheet
        self.name = name
        self.workbook = workbook
    }

    /// `A1`-style reference of a cell, for messages.
    public static func reference(row: Int, column: Int) -> String {
        var letters = ""
        var n = column + 1
        while n > 0 {
            let r = (n - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + r))) + letters
            n = (n - 1) / 26
        }
        return "\(letters)\(row + 1)"
    }

    private func describe(_ row: Int, _ column: Int) -> String {
        "cell \(Self.reference(row: row, column: column)) of sheet '\(name)'"
    }

    /// The sheet and the cell's C coordinates, or why there are none.
    private func cell(_ row: Int, _ column: Int) throws(XLSXError) -> (lxw_row_t, lxw_col_t) {
        _ = try workbook.open(describe(row, column))
        guard row >= 0, row < XLSXLimits.rows, column >= 0, column < XLSXLimits.columns,
              let r = lxw_row_t(exactly: row), let c = lxw_col_t(exactly: column) else {
            throw XLSXError("row \(row + 1), column \(column + 1) of sheet '\(name)'",
                            reason: "a sheet has \(XLSXLimits.rows) rows and \(XLSXLimits.columns) columns")
        }
        return (r, c)
    }

    private func check(_ code: lxw_error, _ row: Int, _ column: Int) throws(XLSXError) {
        guard code == LXW_NO_ERROR else { throw XLSXError(describe(row, column), code) }
    }

    private func checkLength(_ text: String, _ row: Int, _ column: Int) throws(XLSXError) {
        let count = text.utf16.count
        guard count <= XLSXLimits.cellCharacters else {
            throw XLSXError(describe(row, column),
                            reason: "\(count) characters; a cell holds at most \(XLSXLimits.cellCharacters)")
        }
    }

    public func write(text: String, row: Int, column: Int, style: CellStyle = .plain) throws(XLSXError) {
        let (r, c) = try cell(row, column)
        try checkLength(text, row, column)
        let format = try workbook.format(style)
        try check(worksheet_write_string(sheet, r, c, text, format), row, column)
    }

    /// A number; Excel holds doubles, so integers beyond 2^53 are not exact (callers decide).
    public func write(number: Double, row: Int, column: Int, style: CellStyle = .plain) throws(XLSXError) {
        let (r, c) = try cell(row, column)
        guard number.isFinite else {
            throw XLSXError(describe(row, column), reason: "\(number) is not a number Excel can hold")
        }
        let format = try workbook.format(style)
        try check(worksheet_write_number(sheet, r, c, number, format), row, column)
    }

    /// A date cell: Excel's day number, shown with `style`'s number format (give it one, or the
    /// cell shows the bare number).
    public func write(day: ExcelDay, row: Int, column: Int, style: CellStyle) throws(XLSXError) {
        let (r, c) = try cell(row, column)
        guard day.isRepresentable, day.year <= 9999 else {
            throw XLSXError(describe(row, column), reason: "Excel dates run from 1900-03-01 to 9999-12-31")
        }
        var value = lxw_datetime(year: Int32(day.year), month: Int32(day.month), day: Int32(day.day), hour: 0, min: 0, sec: 0)
        let format = try workbook.format(style)
        try check(worksheet_write_datetime(sheet, r, c, &value, format), row, column)
    }

    public func write(boolean: Bool, row: Int, column: Int, style: CellStyle = .plain) throws(XLSXError) {
        let (r, c) = try cell(row, column)
        let format = try workbook.format(style)
        try check(worksheet_write_boolean(sheet, r, c, boolean ? 1 : 0, format), row, column)
    }

    /// A hyperlink to `url` showing `text`. The caller keeps within `XLSXLimits.urlsPerSheet` and
    /// `urlCharacters` (see `escapedURLLength`).
    public func write(url: String, text: String, row: Int, column: Int, style: CellStyle) throws(XLSXError) {
        let (r, c) = try cell(row, column)
        try checkLength(text, row, column)
        guard Self.escapedURLLength(url) <= XLSXLimits.urlCharacters else {
            throw XLSXError(describe(row, column), reason: "the link is longer than \(XLSXLimits.urlCharacters) characters")
        }
        let format = try workbook.format(style)
        try check(worksheet_write_url_opt(sheet, r, c, url, format, text, nil), row, column)
    }

    /// The length of `url` once libxlsxwriter has %-escaped the characters Excel wants escaped
    /// (space, `"`, `<`, `>`, `\`, `[`, `]`, `^`, `{`, `}`): what Excel's limit applies to.
    public static func escapedURLLength(_ url: String) -> Int {
        let escaped: Set<UInt8> = [32, 34, 60, 62, 92, 91, 93, 94, 123, 125]
        return url.utf8.reduce(0) { $0 + (escaped.contains($1) ? 3 : 1) }
    }

    /// Rows above `rows` and columns left of `columns` stay in view when scrolling.
    public func freezePanes(rows: Int, columns: Int) throws(XLSXError) {
        let (r, c) = try cell(rows, columns)
        worksheet_freeze_panes(sheet, r, c)
    }

    /// An autofilter over the range (its first row holds the column names).
    public func autofilter(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) throws(XLSXError) {
        let (r1, c1) = try cell(firstRow, firstColumn)
        let (r2, c2) = try cell(lastRow, lastColumn)
        try check(worksheet_autofilter(sheet, r1, c1, r2, c2), firstRow, firstColumn)
    }

    /// The width of a column, in characters of the default font.
    public func setColumn(_ column: Int, width: Double, style: CellStyle = .plain) throws(XLSXError) {
        let (_, c) = try cell(0, column)
        let format = try workbook.format(style)
        try check(worksheet_set_column(sheet, c, c, width, format), 0, column)
    }

    /// The height of a row, in points (Excel's default is 15); before the row's cells are written.
    public func setRow(_ row: Int, height: Double) throws(XLSXError) {
        let (r, _) = try cell(row, 0)
        try check(worksheet_set_row(sheet, r, height, nil), row, 0)
    }

    /// Prints across the page rather than down, every column on one page's width.
    public func printLandscapeOnePageWide() throws(XLSXError) {
        _ = try workbook.open("setting the page of sheet '\(name)'")
        worksheet_set_landscape(sheet)
        worksheet_fit_to_pages(sheet, 1, 0)
    }

    /// Makes this the sheet shown when the file opens.
    public func activate() throws(XLSXError) {
        _ = try workbook.open("activating sheet '\(name)'")
        worksheet_activate(sheet)
    }
}
