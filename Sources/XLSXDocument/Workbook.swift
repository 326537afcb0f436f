#if canImport(Glibc)
import Glibc
#endif
import CXLSXWriter

/// Why libxlsxwriter refused something: what was being written, and its reason.
public struct XLSXError: Error, CustomStringConvertible, Sendable {
    /// What was being done, e.g. "cell B7 of sheet 'sites'".
    public let action: String
    /// libxlsxwriter's error text.
    public let reason: String

    public var description: String { "\(action): \(reason)" }

    init(_ action: @autoclosure () -> String, _ code: lxw_error) {
        self.action = action()
        reason = String(cString: lxw_strerror(code))
    }

    init(_ action: String, reason: String) {
        self.action = action
        self.reason = reason
    }
}

/// Excel's own limits, checked before libxlsxwriter is called (it would otherwise print a
/// warning of its own and refuse).
public enum XLSXLimits {
    /// Rows of a sheet (header rows included).
    public static let rows = Int(LXW_ROW_MAX)
    /// Columns of a sheet.
    public static let columns = Int(LXW_COL_MAX)
    /// Characters of a cell (UTF-16 code units, as Excel counts them).
    public static let cellCharacters = 32_767
    /// Hyperlinks of a sheet.
    public static let urlsPerSheet = Int(LXW_MAX_NUMBER_URLS)
    /// Characters of a hyperlink's target, after the escaping libxlsxwriter applies.
    public static let urlCharacters = 2079
    /// Characters of a sheet name.
    public static let sheetNameCharacters = Int(LXW_SHEETNAME_MAX)
}

/// What the workbook's document properties (docProps/core.xml) say.
public struct DocumentProperties: Sendable {
    public var title: String?
    public var subject: String?
    public var author: String?
    public var comments: String?
    public var keywords: String?
    /// Seconds since 1970-01-01T00:00:00Z. Without it libxlsxwriter would write the clock's time,
    /// and two runs would give two files; 0 is the library's "now", so it is refused.
    public var created: Int

    public init(title: String? = nil, subject: String? = nil, author: String? = nil, comments: String? = nil,
                keywords: String? = nil, created: Int) {
        self.title = title
        self.subject = subject
        self.author = author
        self.comments = comments
        self.keywords = keywords
        self.created = created
    }
}

/// An Excel workbook being written to `path`. libxlsxwriter builds the file only on `close()`;
/// released without it, the workbook is freed and no file is made. Worksheets and formats belong
/// to the workbook and are valid until it is closed.
public final class Workbook {
    public let path: String
    /// The file's name in messages (the path it will have, when `path` is a temporary one).
    public let displayPath: String
    private var handle: UnsafeMutablePointer<lxw_workbook>?
    /// The temporary folder's path as C text, kept for the workbook's life: libxlsxwriter makes
    /// each sheet's temporary file in it when the sheet is added, long after `workbook_new_opt`.
    private let temporaryDirectory: UnsafeMutablePointer<CChar>
    private var formats: [CellStyle: UnsafeMutablePointer<lxw_format>] = [:]

    /// `temporaryDirectory`: where libxlsxwriter keeps each sheet's rows until the file is
    /// assembled (its constant-memory mode: memory does not grow with the rows, which must then be
    /// written in order).
    public init(path: String, temporaryDirectory: String, displayPath: String? = nil) throws(XLSXError) {
        self.path = path
        self.displayPath = displayPath ?? path
        guard let directory = strdup(temporaryDirectory) else {
            throw XLSXError("creating the workbook", LXW_ERROR_MEMORY_MALLOC_FAILED)
        }
        var options = lxw_workbook_options()
        options.constant_memory = 1
        options.use_zip64 = 1
        options.tmpdir = directory
        // Stored properties last: an initializer that throws with every property set would run
        // deinit, which frees the folder's text too.
        guard let made = workbook_new_opt(path, &options) else {
            free(directory)
            throw XLSXError("creating the workbook", LXW_ERROR_MEMORY_MALLOC_FAILED)
        }
        self.temporaryDirectory = directory
        handle = made
    }

    deinit {
        if let handle { lxw_workbook_free(handle) }
        free(temporaryDirectory)
    }

    public var isOpen: Bool { handle != nil }

    func open(_ action: @autoclosure () -> String) throws(XLSXError) -> UnsafeMutablePointer<lxw_workbook> {
        guard let handle else { throw XLSXError(action(), reason: "the workbook \(displayPath) is already closed") }
        return handle
    }

    /// A new sheet, after the others. `name` must be valid (`SheetNames` makes valid ones).
    public func addWorksheet(named name: String) throws(XLSXError) -> Worksheet {
        let wb = try open("adding the sheet '\(name)'")
        let check = workbook_validate_sheet_name(wb, name)
        guard check == LXW_NO_ERROR else { throw XLSXError("adding the sheet '\(name)'", check) }
        guard let sheet = workbook_add_worksheet(wb, name) else {
            throw XLSXError("adding the sheet '\(name)'", LXW_ERROR_MEMORY_MALLOC_FAILED)
        }
        return Worksheet(sheet, name: name, workbook: self)
    }

    /// The workbook's format for a style (made once per style).
    func format(_ style: CellStyle) throws(XLSXError) -> UnsafeMutablePointer<lxw_format>? {
        if style == .plain { return nil }
        if let made = formats[style] { return made }
        let wb = try open("adding a cell format")
        guard let format = workbook_add_format(wb) else {
            throw XLSXError("adding a cell format", LXW_ERROR_MEMORY_MALLOC_FAILED)
        }
        style.apply(to: format)
        formats[style] = format
        return format
    }

    public func setProperties(_ properties: DocumentProperties) throws(XLSXError) {
        let wb = try open("setting the document properties")
        guard properties.created > 0 else {
            throw XLSXError("setting the document properties", reason: "the creation time must be after 1970-01-01T00:00:00Z")
        }
        var p = lxw_doc_properties()
        p.created = time_t(properties.created)
        // libxlsxwriter copies every string before returning.
        let code = withOptionalCString(properties.title) { title in
            withOptionalCString(properties.subject) { subject in
                withOptionalCString(properties.author) { author in
                    withOptionalCString(properties.comments) { comments in
                        withOptionalCString(properties.keywords) { keywords in
                            p.title = title
                            p.subject = subject
                            p.author = author
                            p.comments = comments
                            p.keywords = keywords
                            return workbook_set_properties(wb, &p)
                        }
                    }
                }
            }
        }
        guard code == LXW_NO_ERROR else { throw XLSXError("setting the document properties", code) }
    }

    /// Writes the file and frees the workbook (also when writing fails).
    public func close() throws(XLSXError) {
        let wb = try open("closing the workbook")
        handle = nil
        formats = [:]
        let code = workbook_close(wb)
        guard code == LXW_NO_ERROR else { throw XLSXError("assembling the file", code) }
    }
}

private func withOptionalCString<R>(_ text: String?, _ body: (UnsafeMutablePointer<CChar>?) -> R) -> R {
    guard let text else { return body(nil) }
    return text.withCString { body(UnsafeMutablePointer(mutating: $0)) }
}
