import FeatureCore
import ShapefileIO
import TextOutput

/// One layer field as a dBASE field: its short name and what the data needs of it (the widest
/// text, the most digits before and after the decimal point), known once every record is seen.
struct DBFColumn {
    let field: LayerField
    let dbfName: String
    /// Text: the longest value in bytes. Numbers: the most bytes before the point, and after it.
    var textBytes = 0
    var integerDigits = 1
    var fractionDigits = 0
    /// Numbers written as they come (`1e-07`, or more than 15 decimals): the longest.
    var verbatimBytes = 0

    static let maximumTextWidth = 254
    static let maximumDecimals = 15

    init(field: LayerField, dbfName: String) {
        self.field = field
        self.dbfName = dbfName
    }

    var decimals: Int {
        switch field.type {
        case .real:
            // At least one decimal, so readers keep the field a real (`N` with no decimals reads
            // as an integer).
            return field.coordinate != nil ? 7 : max(1, fractionDigits)
        default: return 0
        }
    }

    var definition: DBFFieldDefinition {
        switch field.type {
        case .text, .textList:
            return DBFFieldDefinition(name: dbfName, kind: .character, width: min(Self.maximumTextWidth, max(1, textBytes)))
        case .date:
            return DBFFieldDefinition(name: dbfName, kind: .date, width: 8)
        case .integer:
            return DBFFieldDefinition(name: dbfName, kind: .number, width: max(integerDigits, verbatimBytes))
        case .real:
            let d = decimals
            return DBFFieldDefinition(name: dbfName, kind: .number, width: max(integerDigits + 1 + d, verbatimBytes), decimals: d)
        }
    }

    /// Takes a number's text (`-3.5706`, `1500`, `1e-07`) into the field's widths.
    mutating func measure(number text: String) {
        guard let (whole, fraction) = Self.fixedParts(text), fraction <= Self.maximumDecimals else {
            verbatimBytes = max(verbatimBytes, text.utf8.count)
            return
        }
        integerDigits = max(integerDigits, whole)
        fractionDigits = max(fractionDigits, fraction)
    }

    /// The bytes before and after the point of a plain decimal; nil for anything else (an exponent).
    static func fixedParts(_ text: String) -> (Int, Int)? {
        var whole = 0, fraction = 0, afterPoint = false
        for byte in text.utf8 {
            switch byte {
            case 46: if afterPoint { return nil } else { afterPoint = true }
            case 48...57, 45: if afterPoint { fraction += 1 } else { whole += 1 }
            default: return nil
            }
        }
        return (whole, fraction)
    }

    /// A number right-aligned in the field, with exactly the field's decimals when it has no more
    /// (zeros added: the value is unchanged).
    func render(number text: String, width: Int) -> [UInt8] {
        var bytes = Array(text.utf8)
        let d = decimals
        if let (_, fraction) = Self.fixedParts(text), fraction <= d, d > 0 {
            if fraction == 0 && !bytes.contains(46) { bytes.append(46) }
            bytes += [UInt8](repeating: 48, count: d - fraction)
        }
        return [UInt8](repeating: 32, count: max(0, width - bytes.count)) + bytes
    }

    /// `<name>-fields.csv`: every field's name, its dBASE name, type, width and decimals, and
    /// the layer's type (a `textList` is its values joined with ` | `).
    static func fieldsSidecar(_ columns: [DBFColumn]) -> String {
        let out = OutputBuffer(sink: MemorySink(), capacity: 4096)
        out.append("name,dbf_name,dbf_type,width,decimals,value_type\n")
        for column in columns {
            let d = column.definition
            out.append(csvField: column.field.name)
            out.append(byte: 44)
            out.append(csvField: column.dbfName)
            out.append(byte: 44)
            out.append(byte: d.kind.rawValue)
            out.append(byte: 44)
            out.append(integer: d.width)
            out.append(byte: 44)
            out.append(integer: d.decimals)
            out.append(byte: 44)
            out.append(string: column.field.type.rawValue)
            out.append(byte: 10)
        }
        return out.string
    }
}

/// Sets a feature's record aside: its id, then each property as a length and its text (an
/// all-ones length for a missing value), measuring the fields as it goes.
struct DBFRecordEncoder: PropertySink {
    static let null: UInt32 = .max
    let out: OutputBuffer
    var columns: [DBFColumn]
    var latestDate: CalendarDate?
    private var index = 0

    init(out: OutputBuffer, columns: [DBFColumn], latestDate: CalendarDate?) {
        self.out = out
        self.columns = columns
        self.latestDate = latestDate
    }

    mutating func begin(id: String) { item(id) }

    /// The schema promises every property once, in order; a feature that visits fewer is padded
    /// with nulls so that its record keeps its place.
    mutating func end() {
        while index < columns.count { null("") }
    }

    private func length(_ n: UInt32) {
        out.append(byte: UInt8(truncatingIfNeeded: n))
        out.append(byte: UInt8(truncatingIfNeeded: n >> 8))
        out.append(byte: UInt8(truncatingIfNeeded: n >> 16))
        out.append(byte: UInt8(truncatingIfNeeded: n >> 24))
    }

    private func item(_ text: String) {
        length(UInt32(clamping: text.utf8.count))
        out.append(string: text)
    }

    /// The next column, or nil for a property beyond the schema (ignored).
    private mutating func next() -> Int? {
        guard index < columns.count else { return nil }
        defer { index += 1 }
        return index
    }

    mutating func null(_ name: String) {
        guard next() != nil else { return }
        length(Self.null)
    }

    mutating func text(_ name: String, _ value: String) {
        guard let i = next() else { return }
        columns[i].textBytes = max(columns[i].textBytes, value.utf8.count)
        item(value)
    }

    mutating func integer(_ name: String, _ value: Int) {
        guard let i = next() else { return }
        let text = String(value)
        columns[i].measure(number: text)
        item(text)
    }

    mutating func real(_ name: String, _ value: Double, coordinate: Bool) {
        guard let i = next() else { return }
        // Coordinates as every export writes them (7 decimals); other reals in their shortest
        // exact form.
        let text = coordinate ? Formatting.fixed(value, decimals: 7) : (value.isFinite && value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : value.description)
        columns[i].measure(number: text)
        item(text)
    }

    mutating func date(_ name: String, _ value: CalendarDate) {
        guard next() != nil else { return }
        if latestDate.map({ value > $0 }) ?? true { latestDate = value }
        var text = String(value.year)
        text = String(repeating: "0", count: max(0, 4 - text.utf8.count)) + text
        text += (value.month < 10 ? "0" : "") + String(value.month) + (value.day < 10 ? "0" : "") + String(value.day)
        item(text)
    }

    mutating func list(_ name: String, _ value: [String]) {
        text(name, value.joined(separator: " | "))
    }
}

/// Reads the records set aside back, in order, and writes them to the `.dbf`: numbers aligned
/// with the field's decimals, texts longer than 254 bytes cut at a character boundary and written
/// whole to the full-text sidecar. A text that starts or ends with a space goes there too: dBASE
/// pads with spaces, so its readers (GDAL) trim them.
struct DBFRecordReplay {
    let decoder: DBFRecordDecoder
    private let state: ReplayState

    init(table: DBFTableWriter, columns: [DBFColumn], fullText: OutputBuffer, dbfPath: String) {
        let state = ReplayState(table: table, columns: columns, fullText: fullText, dbfPath: dbfPath)
        self.state = state
        decoder = DBFRecordDecoder(itemsPerRecord: columns.count + 1) { (items) throws(OutputError) in try state.write(items) }
    }

    /// Values cut in the `.dbf`.
    var cut: Int { state.cut }
    /// Values whose leading or trailing spaces the `.dbf`'s readers drop.
    var spaced: Int { state.spaced }

    func finish() throws(ExportError) {
        guard decoder.isAtRecordBoundary else {
            throw .output(.cannotWrite(path: state.dbfPath, reason: "the records set aside end in the middle of a record"))
        }
        try state.fullText.flushForExport()
    }
}

private final class ReplayState {
    let table: DBFTableWriter
    let columns: [DBFColumn]
    let widths: [Int]
    let fullText: OutputBuffer
    let dbfPath: String
    var cut = 0
    var spaced = 0

    init(table: DBFTableWriter, columns: [DBFColumn], fullText: OutputBuffer, dbfPath: String) {
        self.table = table
        self.columns = columns
        self.widths = columns.map(\.definition.width)
        self.fullText = fullText
        self.dbfPath = dbfPath
    }

    func write(_ items: [[UInt8]?]) throws(OutputError) {
        var values: [[UInt8]?] = []
        values.reserveCapacity(columns.count)
        for (i, column) in columns.enumerated() {
            guard let bytes = items[i + 1] else { values.append(nil); continue }
            switch column.field.type {
            case .integer, .real:
                values.append(column.render(number: String(decoding: bytes, as: UTF8.self), width: widths[i]))
            case .text, .textList:
                let id = { String(decoding: items[0] ?? [], as: UTF8.self) }
                if bytes.count > DBFColumn.maximumTextWidth {
                    let text = String(decoding: bytes, as: UTF8.self)
                    values.append(Array(DBFNames.prefix(text, bytes: DBFColumn.maximumTextWidth).utf8))
                    cut += 1
                    try addFullText(id: id(), column: column, text: text)
                } else {
                    values.append(bytes)
                    if bytes.first == 32 || bytes.last == 32 {
                        spaced += 1
                        try addFullText(id: id(), column: column, text: String(decoding: bytes, as: UTF8.self))
                    }
                }
            case .date:
                values.append(bytes)
            }
        }
        do { try table.append(values) } catch { throw .cannotWrite(path: dbfPath, reason: error.message) }
    }

    private func addFullText(id: String, column: DBFColumn, text: String) throws(OutputError) {
        fullText.append(csvField: id)
        fullText.append(byte: 44)
        fullText.append(csvField: column.field.name)
        fullText.append(byte: 44)
        fullText.append(csvField: column.dbfName)
        fullText.append(byte: 44)
        fullText.append(csvField: text)
        fullText.append(byte: 10)
        try fullText.flushIfFull()
    }
}

/// Splits the spooled bytes back into records of `itemsPerRecord` items, whatever the chunks.
final class DBFRecordDecoder: ByteSink {
    private let itemsPerRecord: Int
    private let handler: ([[UInt8]?]) throws(OutputError) -> Void
    private var pending: [UInt8] = []
    private var start = 0
    private var items: [[UInt8]?] = []

    init(itemsPerRecord: Int, handler: @escaping ([[UInt8]?]) throws(OutputError) -> Void) {
        self.itemsPerRecord = itemsPerRecord
        self.handler = handler
    }

    var isAtRecordBoundary: Bool { items.isEmpty && start == pending.count }

    func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        pending.append(contentsOf: bytes)
        while pending.count - start >= 4 {
            let n = UInt32(pending[start]) | UInt32(pending[start + 1]) << 8 | UInt32(pending[start + 2]) << 16 | UInt32(pending[start + 3]) << 24
            if n == DBFRecordEncoder.null {
                items.append(nil)
                start += 4
            } else {
                guard pending.count - start - 4 >= Int(n) else { break }
                items.append(Array(pending[(start + 4)..<(start + 4 + Int(n))]))
                start += 4 + Int(n)
            }
            if items.count == itemsPerRecord {
                let record = items
                items.removeAll(keepingCapacity: true)
                try handler(record)
            }
        }
        // Drop what was read, now and then, so the buffer stays the size of a chunk.
        if start > 1 << 16 || start == pending.count {
            pending.removeFirst(start)
            start = 0
        }
    }
}
