#if canImport(Glibc)
import Glibc
#endif
import FeatureCore
import Projection
import ShapefileIO
import TextOutput

extension ExportFormat {
    /// ESRI Shapefile through shapelib, with the sidecars that keep what dBASE cannot hold.
    public static let shp = ExportFormat(
        name: "shp", label: "Shapefile", title: "ESRI Shapefile (.shp .shx .dbf .prj .cpg) with field-name and full-text sidecars",
        aliases: ["shapefile"], extensions: ["shp", "shx", "dbf", "prj", "cpg"], heavyWriter: true,
        fileNames: { base, options in
            options.zip ? [ShapefileWriter.zipName(base)] : ShapefileWriter.memberNames(base)
        },
        // dBASE III holds at most 255 fields.
        maximumColumns: 255,
        makeWriter: { context throws(ExportError) in try ShapefileWriter(context) })
}

/// A point Shapefile: `.shp` and `.shx` (points in the export's CRS, a null shape for a feature
/// without a position), `.dbf` (typed fields), `.prj` (the CRS as ESRI WKT) and `.cpg` (`UTF-8`).
///
/// dBASE cuts nothing here without saying so. A field name longer than 10 bytes (or one that
/// only differs from another by case) gets a short unique name (`coord_unce`, then
/// `coord_un_1`); `<name>-fields.csv` lists every field's name, dBASE name and type. A text
/// longer than 254 bytes is cut in the `.dbf` at a character boundary, and `<name>-fulltext.csv`
/// holds it whole, keyed by feature id and field (as it holds a text that starts or ends with
/// spaces, which dBASE readers trim). Both sidecars are always written (a header
/// alone when nothing was mapped or cut), so a re-export replaces the old ones. A note says how
/// many names were mapped and values cut.
///
/// dBASE needs each field's width before the first record, so the records are set aside (in a
/// `Spool`) until the last feature; the points go to shapelib as they come. shapelib writes
/// files of its own by name: they live only as open files (`ShapefileIO`) and are copied into
/// the export's file set, or into `<name>.shp.zip` with `--zip`.
public final class ShapefileWriter: FeatureWriter {
    static func zipName(_ base: String) -> String { "\(base).shp.zip" }

    static func memberNames(_ base: String) -> [String] {
        ["shp", "shx", "dbf", "prj", "cpg"].map { "\(base).\($0)" } + [fieldsName(base), fullTextName(base)]
    }

    static func fieldsName(_ base: String) -> String { "\(base)-fields.csv" }
    static func fullTextName(_ base: String) -> String { "\(base)-fulltext.csv" }

    private let files: ExportFiles
    private let base: String
    private let zipped: Bool
    private let shapes: PointShapeWriter
    /// The scratch stem's reservation: an empty file under a name the file set removes after a crash.
    private let stem: String
    private var state = WriterState()
    private var info: LayerInfo?
    private var columns: [DBFColumn] = []
    private let spool: Spool
    private let rows: OutputBuffer
    private var latestDate: CalendarDate?

    init(_ context: WriterContext) throws(ExportError) {
        files = context.files
        base = context.baseName
        zipped = context.options.zip
        let folder = context.files.directory
        // The file set's own prefix: after a crash, the next run on the folder removes it.
        guard let (fd, reserved) = TemporaryFile.make(in: folder, prefix: ".minusma-new-") else {
            throw .output(.cannotCreate(path: files.path("\(base).shp"), reason: "cannot make a scratch file in \(folder) (\(String(cString: strerror(errno))))"))
        }
        close(fd)
        stem = reserved
        Interruption.register(stem)
        // shapelib's own files exist by name only until it has opened them: a signal in between
        // removes them too.
        for ext in [".shp", ".shx", ".dbf"] { Interruption.register(stem + ext) }
        do { shapes = try PointShapeWriter(stem: stem) } catch {
            unlink(stem)
            throw .output(.cannotCreate(path: files.path("\(base).shp"), reason: error.description))
        }
        spool = Spool(directory: folder)
        rows = OutputBuffer(sink: spool, capacity: 1 << 16)
    }

    deinit {
        unlink(stem)
        for name in [stem, stem + ".shp", stem + ".shx", stem + ".dbf"] { Interruption.unregister(name) }
    }

    public func begin(_ info: LayerInfo) throws(ExportError) {
        state.begin()
        self.info = info
        let names = DBFNames.map(info.schema.names)
        columns = zip(info.schema.fields, names).map { DBFColumn(field: $0, dbfName: $1) }
    }

    public func write<F: Feature>(_ feature: F, point: XY?) throws(ExportError) {
        state.checkWriting()
        do {
            if let point { try shapes.write(x: point.x, y: point.y) } else { try shapes.writeNull() }
        } catch { throw .output(.cannotWrite(path: files.path("\(base).shp"), reason: error.message)) }
        var record = DBFRecordEncoder(out: rows, columns: columns, latestDate: latestDate)
        // The encoder holds the only copy while it measures, so it is not copied per feature.
        columns = []
        record.begin(id: feature.featureID)
        feature.visitProperties(&record)
        record.end()
        columns = record.columns
        latestDate = record.latestDate
        try rows.flushIfFullForExport()
    }

    public func finish(_ summary: LayerSummary) throws(ExportError) {
        state.finish()
        guard let info else { return }
        try rows.flushForExport()
        let members = try ShapefileMembers(files: files, base: base, zipped: zipped, names: Self.memberNames(base))
        let table = try makeTable()
        let fullText = try members.buffer(Self.fullTextName(base))
        fullText.append("id,field,dbf_name,text\n")
        let replay = DBFRecordReplay(table: table, columns: columns, fullText: fullText, dbfPath: files.path("\(base).dbf"))
        let replayed = OutputBuffer(sink: replay.decoder, capacity: 1 << 16)
        do {
            try spool.drain(into: replayed)
            try replayed.flush()
        } catch { throw .output(error) }
        try replay.finish()
        guard table.count == shapes.count else {
            throw .output(.cannotWrite(path: files.path("\(base).dbf"), reason: "\(table.count) records for \(shapes.count) shapes"))
        }

        try members.copy("\(base).shp") { (h) throws(ShapefileError) in try shapes.copyShapes(h) }
        try members.copy("\(base).shx") { (h) throws(ShapefileError) in try shapes.copyIndex(h) }
        try members.copy("\(base).dbf") { (h) throws(ShapefileError) in try table.copyTable(h) }
        shapes.close()
        table.close()
        try members.write("\(base).prj", CSVWriter.prjSidecar(info))
        try members.write("\(base).cpg", "UTF-8")
        try members.write(Self.fieldsName(base), DBFColumn.fieldsSidecar(columns))
        try members.add(Self.fullTextName(base), fullText)
        try members.finish()
        note(mapped: columns.filter { $0.dbfName != $0.field.name }.count, cut: replay.cut, spaced: replay.spaced)
    }

    /// The `.dbf`, with fields as wide as the data needs; its header's date is the latest date in
    /// the data, so that the same data gives the same bytes.
    private func makeTable() throws(ExportError) -> DBFTableWriter {
        let day = latestDate
        do {
            return try DBFTableWriter(stem: stem, fields: columns.map(\.definition),
                                      lastUpdate: (day?.year ?? 1970, day?.month ?? 1, day?.day ?? 1))
        } catch { throw .output(.cannotCreate(path: files.path("\(base).dbf"), reason: error.description)) }
    }

    private func note(mapped: Int, cut: Int, spaced: Int) {
        func named(_ file: String) -> String { zipped ? "\(file) in \(Self.zipName(base))" : file }
        var parts: [String] = []
        if mapped > 0 {
            parts.append("\(mapped) field name\(mapped == 1 ? "" : "s") mapped to dBASE's 10 characters (listed in \(named(Self.fieldsName(base))))")
        }
        if cut > 0 {
            parts.append("\(cut) value\(cut == 1 ? "" : "s") longer than 254 bytes cut in the .dbf (whole in \(named(Self.fullTextName(base))))")
        }
        if spaced > 0 {
            parts.append("\(spaced) value\(spaced == 1 ? "" : "s") starting or ending with spaces, which dBASE readers drop (whole in \(named(Self.fullTextName(base))))")
        }
        if !parts.isEmpty { files.note("Shapefile: " + parts.joined(separator: "; ")) }
    }
}

/// Unique dBASE field names of at most 10 bytes, cut at a character boundary, compared without
/// case as GDAL and ArcGIS do. Names that fit keep theirs; the others, in schema order, take their
/// first bytes, then `_1`, `_2`... in place of the last ones until the name is free.
enum DBFNames {
    static let limit = 10

    static func map(_ names: [String]) -> [String] {
        var taken = Set<String>()
        var result = [String?](repeating: nil, count: names.count)
        for (i, name) in names.enumerated() where name.utf8.count <= limit && taken.insert(fold(name)).inserted {
            result[i] = name
        }
        for (i, name) in names.enumerated() where result[i] == nil {
            var candidate = prefix(name, bytes: limit)
            var n = 0
            while !taken.insert(fold(candidate)).inserted {
                n += 1
                let suffix = "_\(n)"
                candidate = prefix(name, bytes: limit - suffix.utf8.count) + suffix
            }
            result[i] = candidate
        }
        return result.map { $0 ?? "" }
    }

    /// The longest start of `text` of at most `bytes` UTF-8 bytes that ends between characters.
    static func prefix(_ text: String, bytes: Int) -> String {
        var out = "", used = 0
        for c in text {
            let n = c.utf8.count
            if used + n > bytes { break }
            out.append(c)
            used += n
        }
        return out
    }

    /// ASCII letters folded, as the readers compare field names.
    static func fold(_ name: String) -> String {
        String(decoding: name.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }
}
