// Re-exported here too: the fuzz package compiles this module without Gazetteer.swift.
@_exported import FeatureCore

/// Where a gazetteer's records come from: a CSV file, a GeoJSON feature collection, a GeoPackage
/// layer. A source yields a header of column names, then one record at a time; each field is
/// text bytes (numbers as written, dates as YYYY-MM-DD, lists joined with ` | `) that stay valid
/// until the next call to `next()`. `GazetteerReader` maps, types and checks the records of
/// every source the same way.
public protocol RecordSource: AnyObject {
    /// A name for messages: the path as the user gave it, or `<stdin>`.
    var displayName: String { get }
    /// What the file was read as, for the summary line ("CSV, ';'-separated").
    var formatDescription: String { get }
    /// The types the file itself declares for its columns (a GeoPackage's, a GeoJSON's JSON
    /// types), one per header column; nil when the header carries hints (`population:integer`).
    var columnTypes: [ValueType?]? { get }
    /// Whether numbers may use a decimal comma (a `;`-separated CSV).
    var decimalComma: Bool { get }

    func next() throws(GazetteerError) -> CSVRecordReader.Step
    var fieldCount: Int { get }
    func rawField(_ i: Int) -> UnsafeBufferPointer<UInt8>
    func isEmpty(_ i: Int) -> Bool
    /// Whether field `i`'s raw bytes differ from its text (CSV's doubled quotes).
    func hasEscapes(_ i: Int) -> Bool
    func string(_ i: Int) -> String?
    /// The line where the current record starts (1-based; the header is line 1 in a CSV).
    var recordLine: Int { get }
    /// Where the current record is, when a line alone does not say it: a small value, worded
    /// (`recordLocator`) only when a message needs it.
    var recordPlace: RecordPlace { get }
    /// The current record's coordinates when the source holds them as numbers (a GeoPackage's
    /// geometry), in the order (x, y); its longitude and latitude fields are then empty. Nil when
    /// the coordinates are text fields, or the record has none.
    var recordPosition: (x: Double, y: Double)? { get }
    var recordByteCount: Int { get }
    var hasUnusualBytes: Bool { get }
    var gaveUp: Bool { get }
    var recordByteLimit: Int { get set }
    var fieldLimit: Int { get set }
    /// What a malformed record should have been ("a well-formed CSV record (RFC 4180)").
    var wellFormedRecord: String { get }
    /// For a record with too many fields: what needed quotes ("a comma").
    var separatorInValue: String { get }
    /// What was expected when the source gave up (`gaveUp`); nil for CSV's record length limit.
    var stopExpectation: String? { get }
}

extension RecordSource {
    public var columnTypes: [ValueType?]? { nil }
    public var decimalComma: Bool { false }
    public var recordPlace: RecordPlace { .none }
    public var recordPosition: (x: Double, y: Double)? { nil }
    /// Where the current record is, worded for a message ("features[12] (byte 3456)").
    public var recordLocator: String? { recordPlace.description }
    public var separatorInValue: String { "a comma" }
    public var stopExpectation: String? { nil }
}

/// Where a record is in its file, beyond its line: kept as numbers for every record and worded
/// only for the few a message is about.
public enum RecordPlace: Sendable, Equatable {
    case none
    /// A byte offset alone (where a document stopped being readable).
    case byte(Int)
    /// A GeoJSON feature: its index in `features` and the offset where it starts.
    case feature(index: Int, byte: Int)
    /// A row of a table, by its feature id.
    case row(layer: String, fid: Int64)
    /// After the `row`-th row of a table (where reading it failed).
    case afterRow(layer: String, row: Int)

    public var description: String? {
        switch self {
        case .none: return nil
        case .byte(let offset): return "byte \(offset)"
        case .feature(let index, let offset): return "features[\(index)] (byte \(offset))"
        case .row(let layer, let fid): return "layer '\(layer)', fid \(fid)"
        case .afterRow(let layer, let row): return "layer '\(layer)', after row \(row)"
        }
    }
}

/// Turns the coordinates of an input in a projected (or otherwise non-WGS 84) CRS into WGS 84
/// longitude and latitude. Made on the reading thread, used there only.
public protocol InputProjection: AnyObject {
    /// The CRS's name, for messages.
    var crsName: String { get }
    /// WGS 84 (longitude, latitude) of (x, y) in the input CRS; nil when it cannot be transformed.
    func toWGS84(x: Double, y: Double) -> (longitude: Double, latitude: Double)?
}

extension CSVRecordReader: RecordSource {
    public var formatDescription: String {
        switch separator {
        case UInt8(ascii: ";"): return "CSV, ';'-separated, decimal commas accepted"
        case 9: return "CSV, tab-separated"
        default: return "CSV, comma-separated"
        }
    }
    public var decimalComma: Bool { separator == UInt8(ascii: ";") }
    public var wellFormedRecord: String { "a well-formed CSV record (RFC 4180)" }
    public var separatorInValue: String {
        separator == 9 ? "a tab" : separator == UInt8(ascii: ";") ? "a ';'" : "a comma"
    }
}
