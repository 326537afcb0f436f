import Gazetteer
import SQLiteDB

/// The rows of a GeoPackage point layer as records: its columns (typed from their declared
/// SQL types: INTEGER, REAL, DATE; DATETIME at midnight as a day where a date field is meant),
/// then `longitude` and `latitude` from the geometry. The `fid` and columns that name a
/// coordinate are left out: the geometry is the position, in the layer's SRS.
final class GeoPackageRecordSource: RecordSource {
    let displayName: String
    let layer: String
    /// The layer's SRS for PROJ, unless it is WGS 84.
    @exclusivity(unchecked)
    private(set) var declaredCRS: String?
    var formatDescription: String { "GeoPackage, layer '\(layer)'" + (declaredCRS.map { ", coordinates in \($0)" } ?? "") }
    @exclusivity(unchecked)
    private(set) var columnTypes: [ValueType?]?
    var wellFormedRecord: String { "a row with a Point geometry (or none)" }
    var stopExpectation: String? { "a readable GeoPackage; the rows after this one were not read" }

    private let database: SQLiteDatabase
    private let rows: SQLiteStatement
    @exclusivity(unchecked)
    private var names: [String] = []
    /// Query column of each record column (the last two are the geometry's x and y).
    @exclusivity(unchecked)
    private var sqlColumn: [Int] = []
    @exclusivity(unchecked)
    private var midnightToDay: [Bool] = []
    @exclusivity(unchecked)
    private var geometryColumn = 0, fidColumn: Int?
    @exclusivity(unchecked)
    private var headerSent = false
    @exclusivity(unchecked)
    private var ordinal = 0
    @exclusivity(unchecked)
    private var ended = false

    @exclusivity(unchecked)
    private var cells: [UInt8] = []
    /// Allocated on first use, not in the initialiser: an initialiser that throws runs no deinit.
    @exclusivity(unchecked)
    private var arena = UnsafeMutableBufferPointer<UInt8>(start: nil, count: 0)
    @exclusivity(unchecked)
    private var starts: [Int] = [], ends: [Int] = []
    @exclusivity(unchecked)
    private(set) var recordLine = 0
    @exclusivity(unchecked)
    private(set) var recordPlace = RecordPlace.none
    /// The geometry's point, handed over as numbers (its longitude and latitude cells stay empty).
    @exclusivity(unchecked)
    private(set) var recordPosition: (x: Double, y: Double)?
    @exclusivity(unchecked)
    private(set) var hasUnusualBytes = false
    @exclusivity(unchecked)
    private(set) var gaveUp = false
    var recordByteCount: Int { 0 }
    var recordByteLimit = Int.max
    var fieldLimit = Int.max

    /// Opens the layer `layer` (or the only point layer) of the GeoPackage at `path`.
    init(path: String, displayName file: String, layer asked: String?) throws(GazetteerError) {
        displayName = file
        func reject(_ found: String, _ expected: String) -> GazetteerError {
            var report = ValidationReport(file: file)
            report.add(Diagnostic(.error, file: file, line: 0, field: nil, found: found, expected: expected))
            return .rejected(report)
        }
        guard path != "-" else {
            throw reject("a GeoPackage on standard input", "a GeoPackage given by its path (SQLite reads files, not pipes)")
        }
        do {
            database = try SQLiteDatabase(path: path, readOnly: true)
            let layers = try Self.pointLayers(database)
            let chosen = try Self.choose(layers, asked: asked, reject: reject)
            layer = chosen
            let info = layers.first { $0.name == chosen }
            declaredCRS = try Self.crs(database, srs: info?.srs ?? 4326)
            let (select, names, types, midnight, geometry) = try Self.columns(database, layer: chosen, geometryName: info?.geometry ?? "geom")
            self.names = names + ["longitude", "latitude"]
            columnTypes = types + [nil, nil]
            midnightToDay = midnight + [false, false]
            sqlColumn = Array(0..<names.count)
            geometryColumn = names.count
            fidColumn = names.count + 1
            rows = try database.prepare("SELECT \(select)\(Self.quoted(geometry)), rowid FROM \(Self.quoted(chosen)) ORDER BY rowid")
        } catch let error as SQLiteError {
            throw reject("a file SQLite cannot read as a GeoPackage (\(error.message))", "an OGC GeoPackage with a point layer")
        } catch let error as GazetteerError {
            throw error
        } catch {
            throw reject("\(error)", "an OGC GeoPackage with a point layer")
        }
    }

    deinit { if arena.baseAddress != nil { arena.deallocate() } }

    struct LayerInfo { let name: String; let type: String; let srs: Int; let geometry: String }

    static func quoted(_ name: String) -> String { "\"" + name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\"" }

    private static func pointLayers(_ db: SQLiteDatabase) throws(SQLiteError) -> [LayerInfo] {
        let query = try db.prepare("""
            SELECT c.table_name, g.geometry_type_name, g.srs_id, g.column_name FROM gpkg_contents c
            JOIN gpkg_geometry_columns g ON g.table_name = c.table_name WHERE c.data_type = 'features' ORDER BY c.table_name
            """)
        return try query.rows().map { LayerInfo(name: $0[0] ?? "", type: ($0[1] ?? "").uppercased(), srs: Int($0[2] ?? "") ?? 0, geometry: $0[3] ?? "geom") }
    }

    private static func choose(_ layers: [LayerInfo], asked: String?, reject: (String, String) -> GazetteerError) throws(GazetteerError) -> String {
        let points = layers.filter { $0.type == "POINT" || $0.type == "GEOMETRY" }
        let list = layers.map { "'\($0.name)' (\($0.type))" }.joined(separator: ", ")
        if let asked {
            guard let found = layers.first(where: { $0.name == asked }) else {
                throw reject("no layer '\(asked)' among \(list.isEmpty ? "no feature layers" : list)", "--layer naming one of the point layers")
            }
            guard points.contains(where: { $0.name == found.name }) else {
                throw reject("the layer '\(asked)' of \(found.type) geometries", "a layer of points (\(points.map { "'\($0.name)'" }.joined(separator: ", ")))")
            }
            return asked
        }
        if points.count == 1 { return points[0].name }
        if points.isEmpty { throw reject("no point layer among \(list.isEmpty ? "no feature layers" : list)", "a GeoPackage with a layer of points") }
        throw reject("\(points.count) point layers: \(points.map { "'\($0.name)'" }.joined(separator: ", "))", "--layer NAME choosing one of them")
    }

    /// `EPSG:n` (or the SRS's WKT) for PROJ; nil for WGS 84 and for the undefined SRSs 0 and -1.
    private static func crs(_ db: SQLiteDatabase, srs: Int) throws(SQLiteError) -> String? {
        if srs == 4326 || srs == 0 || srs == -1 { return nil }
        let query = try db.prepare("SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = \(srs)")
        guard let row = try query.rows().first else { return "EPSG:\(srs)" }
        if row[0]?.uppercased() == "EPSG", let code = row[1] { return code == "4326" ? nil : "EPSG:\(code)" }
        return row[2] ?? "EPSG:\(srs)"
    }

    private static func columns(_ db: SQLiteDatabase, layer: String, geometryName: String) throws(SQLiteError)
        -> (select: String, names: [String], types: [ValueType?], midnight: [Bool], geometry: String) {
        let info = try db.prepare("PRAGMA table_info(\(quoted(layer)))").rows()
        var select: [String] = [], names: [String] = [], types: [ValueType?] = [], midnight: [Bool] = []
        for row in info {
            guard let name = row[1] else { continue }
            let type = (row[2] ?? "").uppercased()
            let isKey = row[5] == "1" && type.hasPrefix("INT")
            if isKey || name == geometryName { continue }
            if let field = SiteField.matching(header: name), field == .longitude || field == .latitude { continue }
            select.append(quoted(name))
            names.append(name)
            switch type {
            case "INTEGER", "INT", "MEDIUMINT", "SMALLINT", "TINYINT": types.append(.integer)
            case "REAL", "FLOAT", "DOUBLE": types.append(.real)
            case "DATE": types.append(.date)
            default: types.append(nil)
            }
            midnight.append(type == "DATETIME" && SiteField.matching(header: name)?.valueType == .date)
        }
        return (select.map { $0 + ", " }.joined(), names, types, midnight, geometryName)
    }

    // MARK: - Records

    var fieldCount: Int { starts.count }
    func rawField(_ i: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: arena[starts[i]..<ends[i]]) }
    func isEmpty(_ i: Int) -> Bool { starts[i] == ends[i] }
    func hasEscapes(_ i: Int) -> Bool { false }
    func string(_ i: Int) -> String? { UTF8Text.string(rawField(i)) }

    func next() throws(GazetteerError) -> CSVRecordReader.Step {
        cells.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        recordPosition = nil
        if !headerSent {
            headerSent = true
            for name in names { append(name.utf8) }
            recordLine = 1
            return finish()
        }
        // SQLite restarts a finished query on the next step: the end must stay the end.
        if ended { return .end }
        let more: Bool
        do { more = try rows.step() } catch {
            gaveUp = true
            recordPlace = .afterRow(layer: layer, row: ordinal)
            return .malformed(line: recordLine, problem: "SQLite failed: \(error.message)")
        }
        guard more else { ended = true; return .end }
        ordinal += 1
        let fid = rows.int64(geometryColumn + 1)
        recordLine = Int(clamping: fid)
        recordPlace = .row(layer: layer, fid: fid)
        for column in 0..<geometryColumn { appendValue(column) }
        append([])
        append([])
        switch GeoPackageGeometry.point(rows.bytes(geometryColumn)) {
        case .none: recordPosition = nil
        case .point(let x, let y): recordPosition = (x, y)
        case .problem(let problem): recordPosition = nil; return .malformed(line: recordLine, problem: problem)
        }
        return finish()
    }

    private func appendValue(_ column: Int) {
        switch rows.kind(column) {
        case .null: append([])
        case .integer: appendInteger(rows.int64(column))
        case .real: append(rows.double(column).description.utf8)
        case .text, .blob:
            let raw = rows.bytes(column)
            if midnightToDay[column], raw.count > 10, Self.isMidnight(raw[10...]) {
                append(raw[..<10])
            } else {
                append(raw)
            }
        }
    }

    /// `T00:00:00`, optionally with `.000` and `Z`.
    private static func isMidnight(_ rest: Slice<UnsafeRawBufferPointer>) -> Bool {
        let text = String(decoding: rest, as: UTF8.self)
        return ["T00:00:00", "T00:00:00Z", "T00:00:00.000", "T00:00:00.000Z", " 00:00:00"].contains(text)
    }

    /// The decimal digits of `v`, without going through a String: written backwards into a
    /// small buffer, then appended at once.
    private func appendInteger(_ v: Int64) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: 20 digits and a sign fit
        let text = withUnsafeMutableBytes(of: &digits) { buffer -> Int in
            var at = buffer.count
            var magnitude = v.magnitude
            repeat {
                at -= 1
                buffer[at] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if v < 0 { at -= 1; buffer[at] = UInt8(ascii: "-") }
            return at
        }
        withUnsafeBytes(of: &digits) { append($0[text...]) }
    }

    private func append<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        starts.append(cells.count)
        cells.append(contentsOf: bytes)
        ends.append(cells.count)
    }

    private func finish() -> CSVRecordReader.Step {
        if arena.count < cells.count {
            if arena.baseAddress != nil { arena.deallocate() }
            arena = .allocate(capacity: max(cells.count, arena.count * 2, 4096))
        }
        if !cells.isEmpty { _ = arena.initialize(from: cells) }
        hasUnusualBytes = cells.contains { ($0 < 32 && $0 != 9 && $0 != 10 && $0 != 13) || $0 == 0xEF }
        return .record
    }
}

/// The point in a GeoPackage geometry blob: the `GP` header (version, flags, SRS id, envelope),
/// then standard WKB.
enum GeoPackageGeometry {
    enum Result { case none, point(Double, Double), problem(String) }

    static func point(_ blob: UnsafeRawBufferPointer) -> Result {
        if blob.isEmpty { return .none }
        guard blob.count >= 8, blob[0] == 0x47, blob[1] == 0x50 else { return .problem("a geometry that is not a GeoPackage blob (no 'GP' header)") }
        let flags = blob[3]
        let envelopeBytes: [Int] = [0, 32, 48, 48, 64, -1, -1, -1]
        let envelope = envelopeBytes[Int((flags >> 1) & 7)]
        guard envelope >= 0 else { return .problem("a geometry blob with an invalid envelope code") }
        if flags & 0x10 != 0 { return .none }  // empty geometry
        let wkb = 8 + envelope
        guard blob.count >= wkb + 21 else { return .problem("a geometry blob of \(blob.count) bytes, too short for a point") }
        let little = blob[wkb] == 1
        func uint32(_ at: Int) -> UInt32 {
            let v = blob.loadUnaligned(fromByteOffset: at, as: UInt32.self)
            return little ? UInt32(littleEndian: v) : UInt32(bigEndian: v)
        }
        func double(_ at: Int) -> Double {
            let v = blob.loadUnaligned(fromByteOffset: at, as: UInt64.self)
            return Double(bitPattern: little ? UInt64(littleEndian: v) : UInt64(bigEndian: v))
        }
        let type = uint32(wkb + 1) & 0x0FFF_FFFF
        guard type % 1000 == 1 else {
            let names = [2: "LineString", 3: "Polygon", 4: "MultiPoint", 5: "MultiLineString", 6: "MultiPolygon", 7: "GeometryCollection"]
            return .problem("a \(names[Int(type % 1000)] ?? "WKB type \(type)") geometry")
        }
        let x = double(wkb + 5), y = double(wkb + 13)
        if x.isNaN && y.isNaN { return .none }
        guard x.isFinite, y.isFinite else { return .problem("a point with a coordinate that is not a finite number") }
        return .point(x, y)
    }
}
