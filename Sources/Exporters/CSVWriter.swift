import FeatureCore
import TextOutput
import Projection

extension ExportFormat {
    /// CSV with its `.csvt` and `.prj` sidecars, and the optional Excel copy.
    public static let csv = ExportFormat(
        name: "csv", label: "CSV", title: "CSV (RFC 4180) with .csvt and .prj sidecars", extensions: ["csv"],
        fileNames: { base, options in
            ["\(base).csv", "\(base).csvt", "\(base).prj"] + (options.excelCSV ? ["\(base)-excel.csv"] : [])
                + (options.dataPackage ? [DataPackage.fileName(base)] : [])
        },
        addedColumns: { crs in CSVWriter.addsProjectedColumns(crs) ? CSVWriter.projectedColumns : [] },
        makeWriter: { context throws(ExportError) in try CSVWriter.files(context) })
}

/// CSV (RFC 4180): UTF-8, one header row, LF line ends, fields quoted only when they hold a
/// comma, a quote or a line break (quotes doubled), ISO dates, an empty cell for anything
/// missing, lists joined with ` | ` as in the data files.
///
/// Columns: every field of the gazetteer (with `longitude` and `latitude` in WGS 84); with a CRS
/// other than WGS 84, also `x` and `y` in that CRS and `wkt` (`POINT (x y)`). Two sidecars make the
/// file a typed, georeferenced layer in GDAL and QGIS (the GeoCSV convention): `.csvt` gives each
/// column's type, and `.prj` the CRS of the geometry as ESRI WKT.
///
/// `--hxl` adds a second row of Humanitarian Exchange Language hashtags (`HXLTags`) to both
/// profiles, so HXL tools find names, places, coordinates and dates whatever the columns are called.
///
/// The Excel profile writes a byte-order mark, `;` between fields, CRLF line ends and numbers with
/// a decimal comma, which is what Excel and LibreOffice expect in locales whose decimal separator
/// is a comma (French among them). It also neutralises formula injection as OWASP recommends: a
/// text cell that starts with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`, so a spreadsheet
/// shows it as text instead of running it. Numeric cells (integer and real columns, `x`, `y`) are
/// never prefixed: a negative number stays a number. The plain CSV is left byte-faithful to the data.
public final class CSVWriter: FeatureWriter {
    /// The CSV writer of an export with its sidecars (and the Excel copy when asked for).
    static func files(_ context: WriterContext) throws(ExportError) -> any FeatureWriter {
        let base = context.baseName
        let hxl = context.options.hxl
        var writers: [CSVWriter] = [CSVWriter(output: try context.files.textFile("\(base).csv"), hxlTags: hxl)]
        let files = context.files
        let options = context.options
        let sidecars: (LayerInfo) throws(ExportError) -> Void = { info throws(ExportError) in
            try files.write("\(base).csvt", text: CSVWriter.csvtSidecar(info))
            try files.writeShared("\(base).prj", text: CSVWriter.prjSidecar(info))
            if options.dataPackage {
                try files.write(DataPackage.fileName(base), text: DataPackage.descriptor(
                    info, csvFile: "\(base).csv", license: options.license, hxlRow: options.hxl))
            }
        }
        writers[0].sidecars = sidecars
        if context.options.excelCSV {
            writers.append(CSVWriter(output: try context.files.textFile("\(base)-excel.csv"), profile: .excel, hxlTags: hxl))
        }
        return writers.count == 1 ? writers[0] : WriterGroup(writers)
    }

    public enum Profile: Sendable {
        case standard
        case excel
    }

    private let out: OutputBuffer
    private let profile: Profile
    @exclusivity(unchecked)
    private var state = WriterState()
    /// Copied out of `info` once: read for every row.
    @exclusivity(unchecked)
    private var decimals = 7
    /// Written after the rows (set by the format for the main file).
    var sidecars: ((LayerInfo) throws(ExportError) -> Void)?
    @exclusivity(unchecked)
    private var info: LayerInfo?
    @exclusivity(unchecked)
    private var projected = false
    private let separator: UInt8
    /// Where the Excel profile formats a number before writing it with a decimal comma.
    private let scratch: OutputBuffer?

    /// Whether a row of HXL hashtags follows the header.
    private let hxlTags: Bool

    public init(output: OutputBuffer, profile: Profile = .standard, hxlTags: Bool = false) {
        self.out = output
        self.profile = profile
        self.hxlTags = hxlTags
        self.separator = profile == .excel ? 59 : 44
        self.scratch = profile == .excel ? OutputBuffer(sink: MemorySink(), capacity: 64) : nil
    }

    /// Whether the export adds `x`, `y` and `wkt` columns.
    static func addsProjectedColumns(_ crs: OutputCRS) -> Bool { !crs.isWGS84LongitudeLatitude }

    static let projectedColumns = ["x", "y", "wkt"]

    public func begin(_ info: LayerInfo) throws(ExportError) {
        state.begin()
        self.info = info
        decimals = info.crs.decimals
        projected = Self.addsProjectedColumns(info.crs)
        if profile == .excel { out.append("\u{FEFF}") }
        var names = info.schema.names
        if projected { names += Self.projectedColumns }
        for (i, name) in names.enumerated() {
            if i > 0 { out.append(byte: separator) }
            out.append(csvCell: name, separator: separator, neutralised: profile == .excel)
        }
        endLine()
        if hxlTags {
            var tags = info.schema.fields.map { HXLTags.tag(for: $0) }
            if projected { tags += Self.projectedColumns.map { _ in "" } }
            for (i, tag) in tags.enumerated() {
                if i > 0 { out.append(byte: separator) }
                out.append(string: tag)
            }
            endLine()
        }
        try out.flushForExport()
    }

    private func endLine() {
        if profile == .excel { out.append(byte: 13) }
        out.append(byte: 10)
    }

    public func write<F: Feature>(_ feature: F, point: XY?) throws(ExportError) {
        state.checkWriting()
        var cells = CSVCells(out: out, separator: separator, scratch: scratch)
        feature.visitProperties(&cells)
        if projected {
            if let point {
                let d = decimals
                out.append(byte: separator)
                appendNumber { $0.append(fixed: point.x, decimals: d) }
                out.append(byte: separator)
                appendNumber { $0.append(fixed: point.y, decimals: d) }
                out.append(byte: separator)
                // WKT keeps its decimal point: it is text for GIS readers, not a spreadsheet number.
                out.append("POINT (")
                out.append(fixed: point.x, decimals: d)
                out.append(byte: 32)
                out.append(fixed: point.y, decimals: d)
                out.append(byte: 41)
            } else {
                // Three empty cells: x, y and wkt.
                out.append(byte: separator)
                out.append(byte: separator)
                out.append(byte: separator)
            }
        }
        endLine()
        try out.flushIfFullForExport()
    }

    private func appendNumber(_ format: (OutputBuffer) -> Void) {
        if let scratch { out.append(decimalComma: format, scratch: scratch) } else { format(out) }
    }

    public func finish(_ summary: LayerSummary) throws(ExportError) {
        state.finish()
        try out.flushForExport()
        if let sidecars, let info { try sidecars(info) }
    }

    /// The `.csvt` sidecar: one quoted GDAL type per column. WGS 84 coordinates are `CoordX` and
    /// `CoordY` when they are the geometry; in a projected export the geometry is the `wkt` column.
    public static func csvtSidecar(_ info: LayerInfo) -> String {
        let projected = addsProjectedColumns(info.crs)
        func type(_ t: ValueType) -> String {
            switch t {
            case .integer: return "Integer"
            case .real: return "Real"
            case .date: return "Date"
            case .text, .textList: return "String"
            }
        }
        var types: [String] = info.schema.fields.map { field in
            if !projected && field.coordinate == .longitude { return "CoordX" }
            if !projected && field.coordinate == .latitude { return "CoordY" }
            return field.isBoolean ? "Integer(Boolean)" : type(field.type)
        }
        if projected { types += ["Real", "Real", "WKT"] }
        return types.map { "\"\($0)\"" }.joined(separator: ",") + "\n"
    }

    /// The `.prj` sidecar: the geometry's CRS as ESRI WKT (WKT2 if PROJ cannot write it as ESRI).
    public static func prjSidecar(_ info: LayerInfo) -> String {
        (info.crs.wktESRI ?? info.crs.wkt2) + "\n"
    }
}

/// Properties as CSV cells: empty for missing, lists joined with ` | `. With a scratch buffer (the
/// Excel profile), numbers take a decimal comma and text is neutralised against formulas.
private struct CSVCells: PropertySink {
    let out: OutputBuffer
    let separator: UInt8
    let scratch: OutputBuffer?
    var first = true

    @inline(__always)
    private mutating func next() {
        if !first { out.append(byte: separator) }
        first = false
    }

    mutating func null(_ name: String) { next() }
    mutating func text(_ name: String, _ value: String) {
        next()
        out.append(csvCell: value, separator: separator, neutralised: scratch != nil)
    }
    mutating func integer(_ name: String, _ value: Int) { next(); out.append(integer: value) }
    mutating func real(_ name: String, _ value: Double, coordinate: Bool) {
        next()
        if let scratch {
            out.append(decimalComma: { $0.append(real: value, coordinate: coordinate) }, scratch: scratch)
        } else {
            out.append(real: value, coordinate: coordinate)
        }
    }
    mutating func date(_ name: String, _ value: CalendarDate) { next(); out.append(date: value) }
    mutating func list(_ name: String, _ value: [String]) {
        next()
        out.append(csvCell: value.joined(separator: " | "), separator: separator, neutralised: scratch != nil)
    }
}

extension OutputBuffer {
    /// A text cell; `neutralised`, one a spreadsheet would take for a formula (it starts with `=`,
    /// `+`, `-`, `@`, tab or CR) gets a leading `'` (OWASP's advice for CSV injection).
    func append(csvCell value: String, separator: UInt8, neutralised: Bool) {
        if neutralised, let first = value.utf8.first, CSVWriter.formulaStarts.contains(first) {
            append(csvField: "'" + value, separator: separator)
        } else {
            append(csvField: value, separator: separator)
        }
    }

    /// A number formatted by `format` into `scratch`, written here with `,` for its decimal point.
    func append(decimalComma format: (OutputBuffer) -> Void, scratch: OutputBuffer) {
        format(scratch)
        for byte in scratch.unflushed { append(byte: byte == 46 ? 44 : byte) }
        scratch.removeUnflushed()
    }
}

extension CSVWriter {
    /// First bytes that make a spreadsheet read a cell as a formula: `=`, `+`, `-`, `@`, tab, CR.
    static let formulaStarts: Set<UInt8> = [61, 43, 45, 64, 9, 13]
}

/// The HXL hashtag of a column (HXL 1.1 core hashtags and attributes), from its coordinate role
/// or its name; an empty tag for a column HXL has no clear word for. Tags are plain ASCII with no
/// separator or quote, so they need no CSV quoting.
enum HXLTags {
    static let byName: [String: String] = [
        "id": "#loc+code",
        "name": "#loc+name",
        "name_en": "#loc+name+i_en",
        "alt_names": "#loc+name+alt",
        "region": "#adm1+name",
        "cercle": "#adm2+name",
        "site_type": "#loc+type",
        "contingent": "#org+contingent",
        "handover_date": "#date+handover",
        "last_departure_date": "#date+departed",
        "closure_date": "#date+closed",
        "closed_on": "#date+closed",
        "opened_on": "#date+opened",
        "opening_date": "#date+opened",
        "phase": "#status+phase",
        "population": "#population",
        "phone": "#contact+phone",
        "notes": "#description+notes",
        "date_sources": "#meta+source+date",
        "coord_sources": "#meta+source+geo",
    ]

    static func tag(for field: LayerField) -> String {
        switch field.coordinate {
        case .longitude: return "#geo+lon"
        case .latitude: return "#geo+lat"
        default: return byName[field.name] ?? ""
        }
    }
}
