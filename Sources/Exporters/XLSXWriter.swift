import FeatureCore
import Projection
import XLSXDocument

extension ExportFormat {
    /// An Excel workbook: a sheet per layer and an About sheet.
    public static let xlsx = ExportFormat(
        name: "xlsx", label: "Excel workbook", title: "Excel workbook (XLSX): a sheet per layer and an About sheet",
        extensions: ["xlsx"], holdsSeveralLayers: true, heavyWriter: true,
        fileNames: { base, _ in ["\(base).xlsx"] },
        addedColumns: { crs in CSVWriter.addsProjectedColumns(crs) ? CSVWriter.projectedColumns : [] },
        maximumColumns: XLSXLimits.columns - CSVWriter.projectedColumns.count,
        makeWriter: { context throws(ExportError) in
            try XLSXWriter(files: context.files, fileName: "\(context.baseName).xlsx", layerName: context.layerName,
                           hxl: context.options.hxl, language: context.options.language)
        })
}

/// An Excel workbook (XLSX, through libxlsxwriter): one sheet per layer, then an About sheet.
///
/// A layer's sheet has the column names in a bold, frozen first row (with `--hxl`, the HXL
/// hashtags in a second frozen row, which then carries the autofilter, so sorting never moves the
/// tags), an autofilter over the data, and one row per feature: numbers as numbers (integers with
/// no decimals; beyond 15 digits, as text, which keeps every digit), yes/no fields as Excel
/// booleans, dates as Excel dates shown
/// `yyyy-mm-dd` (a day before 1900-03-01, which Excel cannot count, as its ISO text), lists
/// joined with ` | ` as in the CSV, and an empty cell for anything missing. The columns are the
/// CSV's (`x`, `y` and `wkt` added in a projected CRS), each as wide as its longest value, at most
/// 60 characters.
///
/// Links: a cell can hold one hyperlink, so a text or list cell that holds an http(s) URL links to
/// the first one and shows its whole text. Past Excel's limits (65,530 links a sheet, 2,079
/// characters a link) the cell is plain text. A value longer than a cell's 32,767 characters
/// is refused, naming the feature and the field: it is never cut.
///
/// A layer longer than a sheet's 1,048,576 rows goes on in a second sheet (`name (2)`, header
/// repeated), and so on.
///
/// Deterministic: the document's creation time is the latest date in the data (at 00:00 UTC),
/// else 1980-01-01, never the clock's.
public final class XLSXWriter: MultiLayerWriter {
    public let path: String
    private let workbook: Workbook
    private let hxl: Bool
    /// The language of the About sheet's own words.
    private let language: Language
    private var sheetNames = XLSXSheetNames(reserved: [XLSXAboutSheet.name, "History"])
    private var nextLayerName: String
    private var state = WriterState()
    private var sheet: XLSXLayerSheet?
    private var firstInfo: LayerInfo?
    private var layers: [XLSXAboutSheet.Layer] = []
    private var cited = CitedLinks()
    private var closed = false
    /// Excel's limits, smaller in tests.
    private let limits: XLSXLayerSheet.Limits

    public convenience init(files: ExportFiles, fileName: String, layerName: String, hxl: Bool,
                            language: Language = .en) throws(ExportError) {
        try self.init(files: files, fileName: fileName, layerName: layerName, hxl: hxl, language: language,
                      limits: XLSXLayerSheet.Limits())
    }

    init(files: ExportFiles, fileName: String, layerName: String, hxl: Bool, language: Language = .en,
         limits: XLSXLayerSheet.Limits) throws(ExportError) {
        self.limits = limits
        self.language = language
        path = files.path(fileName)
        let temporary = try files.temporaryPath(for: fileName)
        do {
            workbook = try Workbook(path: temporary, temporaryDirectory: files.directory, displayPath: path)
        } catch { throw .workbook(path: files.path(fileName), message: error.description) }
        self.hxl = hxl
        nextLayerName = layerName
        files.beforeCommit { () throws(ExportError) in try self.close() }
    }

    public func startLayer(named layerName: String) throws(ExportError) {
        state.nextLayer()
        nextLayerName = layerName
    }

    public func begin(_ info: LayerInfo) throws(ExportError) {
        state.begin()
        if firstInfo == nil { firstInfo = info }
        try startSheet(info)
    }

    private func startSheet(_ info: LayerInfo) throws(ExportError) {
        let name = sheetNames.claim(nextLayerName)
        let made = try catching { () throws(XLSXError) in try workbook.addWorksheet(named: name) }
        let layerSheet = XLSXLayerSheet(made, info: info, hxl: hxl, path: path, limits: limits)
        try layerSheet.writeHeader()
        sheet = layerSheet
    }

    public func write<F: Feature>(_ feature: F, point: XY?) throws(ExportError) {
        state.checkWriting()
        guard var current = sheet else { return }
        // A layer longer than a sheet goes on in the next one, "name (2)", with its header.
        if current.isFull {
            try finishSheet()
            try startSheet(current.info)
            guard let next = sheet else { return }
            current = next
        }
        try current.write(feature, point: point, cited: &cited)
    }

    public func finish(_ summary: LayerSummary) throws(ExportError) {
        state.finish()
        try finishSheet()
    }

    private func finishSheet() throws(ExportError) {
        guard let sheet else { return }
        try sheet.finish()
        layers.append(XLSXAboutSheet.Layer(sheet: sheet.worksheet.name, title: sheet.info.title, features: sheet.features))
        self.sheet = nil
    }

    /// The About sheet, the document properties, then the file (run before the export's commit).
    private func close() throws(ExportError) {
        guard !closed else { return }
        closed = true
        guard let info = firstInfo else {
            try catching { () throws(XLSXError) in try workbook.close() }
            return
        }
        let about = try catching { () throws(XLSXError) in try workbook.addWorksheet(named: XLSXAboutSheet.name) }
        try catching { () throws(XLSXError) in
            try XLSXAboutSheet.write(about, info: info, layers: layers, cited: cited, language: language)
            try workbook.setProperties(DocumentProperties(
                title: info.title, subject: info.metadata.description.first, author: info.metadata.attribution,
                created: Self.creationTime(cited.latestDate)))
            try workbook.close()
        }
    }

    /// Seconds since 1970 of `latest` at 00:00 UTC, or of 1980-01-01 (the ZIP format's first day)
    /// when the data has no date after 1970.
    static func creationTime(_ latest: CalendarDate?) -> Int {
        let fallback = 3652 * 86_400
        guard let latest, latest.daysSinceEpoch > 0 else { return fallback }
        return latest.daysSinceEpoch * 86_400
    }

    private func catching<R>(_ body: () throws(XLSXError) -> R) throws(ExportError) -> R {
        do { return try body() } catch { throw .workbook(path: path, message: error.description) }
    }
}

/// What the About sheet lists from the data: the distinct links cited (the first ones, in order)
/// and the latest date (the document's creation time).
struct CitedLinks {
    /// Enough to list a gazetteer's sources; a larger file's are in its sheets.
    static let listed = 1000
    private(set) var links: [String] = []
    private var seen: Set<String> = []
    private(set) var more = false
    private(set) var latestDate: CalendarDate?

    mutating func add(link: String) {
        guard !seen.contains(link) else { return }
        guard links.count < Self.listed else { more = true; return }
        seen.insert(link)
        links.append(link)
    }

    mutating func add(date: CalendarDate) {
        if latestDate.map({ date > $0 }) ?? true { latestDate = date }
    }
}
