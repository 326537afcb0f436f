#if canImport(Glibc)
import Glibc
#endif
import Cartography
import FeatureCore
import SQLiteDB
import TextOutput
import Projection

extension ExportFormat {
    /// GeoPackage: the layer, the Natural Earth base map and default QGIS styles.
    public static let gpkg = ExportFormat(
        name: "gpkg", label: "GeoPackage", title: "OGC GeoPackage 1.3 with the base map and QGIS styles", aliases: ["geopackage"],
        extensions: ["gpkg"], holdsSeveralLayers: true, heavyWriter: true,
        fileNames: { base, _ in ["\(base).gpkg"] },
        addedColumns: { _ in ["fid", "geom"] },
        // SQLite's column names ignore case, and a table holds at most 2000 columns (fid and geom
        // among them).
        columnsIgnoreCase: true, maximumColumns: 1998,
        nameRule: { base, options in GeoPackageWriter.reservedTableRule(GeoPackageWriter.tableName(base), basemap: options.basemap) },
        makeWriter: { context throws(ExportError) in
            let name = "\(context.baseName).gpkg"
            return try GeoPackageWriter(files: context.files, fileName: name, layerName: context.layerName,
                                        basemap: context.options.basemap ? Basemap.layers() : [], language: context.options.language,
                                        uncertaintyCircles: context.options.uncertaintyCircles)
        })
}

/// An OGC GeoPackage (1.3): the sites as a point layer with typed columns (DATE for dates,
/// INTEGER, REAL, TEXT), their SRS in `gpkg_spatial_ref_sys`, their extent in `gpkg_contents`, an
/// R-tree spatial index on the sites, a default QGIS style in `layer_styles`, and, when added, the Natural
/// Earth base map layers (in WGS 84).
///
/// Geometries are GeoPackage binary (header `GP`, version 0, little-endian, SRS id, envelope for
/// polygons) around ISO WKB. The database is built under a temporary path of the export's files,
/// committed and closed when the files are committed.
public final class GeoPackageWriter: MultiLayerWriter {
    public let path: String
    private let temporaryPath: String
    private var db: SQLiteDatabase?
    private var insert: SQLiteStatement?
    private var state = WriterState()
    private var info: LayerInfo?
    private var table = ""
    private var srsID = 4326
    /// The layer's points, set aside in order of x until its R-tree is packed from them
    /// (`GeoPackageRTree`).
    private let points: ExternalSorter<GeoPackageRTree.Point>
    private var nextFID: Int64 = 1
    private var latestDate: CalendarDate?
    /// The language of the words the writer adds itself (base map titles, the styles table).
    private let language: Language
    private var closed = false
    /// The current layer has a geometry column (an attributes table has none).
    private var hasGeometry = true
    /// The tables of point layers written so far: the layers a relation can name.
    private var featureTables: Set<String> = []
    /// Whether each layer gets a `<table>_uncertainty` layer of circles (when its features have an
    /// uncertainty).
    private let writesCircles: Bool
    private var circles: CircleLayer?

    /// `last_change` of every table and `update_time` of every style: the latest date in the data,
    /// so that the same data gives the same file (a clock time would not).
    private var timestamp: String { (latestDate?.description ?? "1970-01-01") + "T00:00:00.000Z" }

    /// Creates the database with the GeoPackage's own tables and the given base map layers (which
    /// need no CRS from PROJ: they stay in WGS 84). The layer's table comes with `begin`.
    public init(files: ExportFiles, fileName: String, layerName: String, basemap: [BasemapLayer] = [],
                language: Language = .en, uncertaintyCircles: Bool = false) throws(ExportError) {
        path = files.path(fileName)
        points = ExternalSorter(directory: files.directory)
        self.language = language
        writesCircles = uncertaintyCircles
        temporaryPath = try files.temporaryPath(for: fileName)
        do {
            db = try SQLiteDatabase(path: temporaryPath)
        } catch { throw .geoPackage(path: path, message: error.description) }
        try createCoreTables()
        // The layer's row first, so that readers list it before the base map.
        try reserveLayer(layerName)
        for layer in basemap { try add(basemap: layer) }
        files.beforeCommit { () throws(ExportError) in try self.close() }
    }

    private func reserveLayer(_ layerName: String) throws(ExportError) {
        table = Self.tableName(layerName)
        let contents = try prepare("INSERT INTO gpkg_contents (table_name, data_type, last_change) VALUES (?, 'features', '')")
        try run(contents, [.text(table)])
    }

    /// After `finish`, starts another point layer in the same GeoPackage (the timeline's steps);
    /// `begin` follows as for the first.
    public func startLayer(named layerName: String) throws(ExportError) {
        state.nextLayer()
        nextFID = 1
        try reserveLayer(layerName)
    }

    deinit {
        insert = nil
        db?.close()
    }

    /// Why a layer cannot have this table name: the GeoPackage's own tables and indexes, and the
    /// base map's layers, are in the same file.
    static func reservedTableRule(_ table: String, basemap: Bool) -> String? {
        if table.hasPrefix("gpkg_") || table.hasPrefix("rtree_") || table == "layer_styles" || table.hasPrefix("sqlite_") {
            return "the table '\(table)' would be one of the GeoPackage's own tables"
        }
        if basemap && Basemap.layerNames.contains(table) {
            return "the table '\(table)' is a base map layer of the same GeoPackage"
        }
        return nil
    }

    /// GeoPackage table names should be lower case letters, digits and underscores.
    public static func tableName(_ layer: String) -> String {
        var out = ""
        for c in layer.lowercased().unicodeScalars {
            out.unicodeScalars.append(("a"..."z").contains(c) || ("0"..."9").contains(c) ? c : "_")
        }
        if let f = out.unicodeScalars.first, ("0"..."9").contains(f) { out = "t_" + out }
        return out.isEmpty ? "sites" : out
    }

    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    private func sql(_ text: String) throws(ExportError) {
        do { try db!.execute(text) } catch { throw .geoPackage(path: path, message: error.description) }
    }

    private func run(_ statement: SQLiteStatement, _ values: [SQLiteStatement.Value]) throws(ExportError) {
        do { try statement.run(values) } catch { throw .geoPackage(path: path, message: error.description) }
    }

    private func prepare(_ text: String) throws(ExportError) -> SQLiteStatement {
        do { return try db!.prepare(text) } catch { throw .geoPackage(path: path, message: error.description) }
    }

    /// The tables every GeoPackage has, and the SRSs it must define (-1, 0 and EPSG:4326).
    private func createCoreTables() throws(ExportError) {
        try sql("""
            -- A temporary file renamed only when complete: no journal or fsync is needed for safety.
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            -- Rows are appended in order: a small page cache (1 MiB each for the file and the
            -- temporary tables) keeps the peak memory flat without slowing the load.
            PRAGMA cache_size = -1024;
            PRAGMA temp.cache_size = -1024;
            PRAGMA application_id = 1196444487;
            PRAGMA user_version = 10300;
            BEGIN;
            CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
              organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
              description TEXT);
            CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
              identifier TEXT UNIQUE, description TEXT DEFAULT '',
              last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
              min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
              CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
            CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
              geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
              CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
              CONSTRAINT uk_gc_table_name UNIQUE (table_name),
              CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
              CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
            CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
              definition TEXT NOT NULL, scope TEXT NOT NULL,
              CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
            """)
        let srs = try prepare("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)")
        try run(srs, [.text("Undefined cartesian SRS"), .integer(-1), .text("NONE"), .integer(-1), .text("undefined"),
                      .text("undefined cartesian coordinate reference system")])
        try run(srs, [.text("Undefined geographic SRS"), .integer(0), .text("NONE"), .integer(0), .text("undefined"),
                      .text("undefined geographic coordinate reference system")])
        try run(srs, [.text("WGS 84 geodetic"), .integer(4326), .text("EPSG"), .integer(4326), .text(OutputCRS.wgs84.wkt1!),
                      .text("longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid")])
    }

    public func begin(_ info: LayerInfo) throws(ExportError) {
        state.begin()
        self.info = info
        let srs = try prepare("INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)")
        if !info.crs.isWGS84LongitudeLatitude {
            if let code = info.crs.epsgCode, code != 4326 {
                srsID = code
                try run(srs, [.text(info.crs.name), .integer(Int64(code)), .text("EPSG"), .integer(Int64(code)),
                              .text(info.crs.wkt1 ?? info.crs.wkt2), .text(info.crs.name)])
            } else if info.crs.epsgCode == nil {
                srsID = 100000
                try run(srs, [.text(info.crs.name), .integer(100000), .text("NONE"), .integer(100000),
                              .text(info.crs.wkt1 ?? info.crs.wkt2), .text(info.crs.name)])
            }
        }

        hasGeometry = info.schema.hasGeometry
        var columns = ["\"fid\" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL"] + (hasGeometry ? ["\"geom\" POINT"] : [])
        var names: [String] = []
        // GDAL reads INTEGER as 64-bit; MEDIUMINT gives the rank a plain 32-bit integer type.
        func sqlType(_ type: ValueType, smallInteger: Bool = false) -> String {
            switch type {
            case .integer: return smallInteger ? "MEDIUMINT" : "INTEGER"
            case .real: return "REAL"
            case .date: return "DATE"
            case .text, .textList: return "TEXT"
            }
        }
        let typed = info.schema.fields.map { ($0.name, $0.isBoolean ? "BOOLEAN" : sqlType($0.type, smallInteger: $0.isNarrowInteger)) }
        for (name, type) in typed {
            columns.append("\(Self.quoted(name)) \(type)")
            names.append(Self.quoted(name))
        }
        try sql("CREATE TABLE \(Self.quoted(table)) (\(columns.joined(separator: ", ")))")
        guard hasGeometry else { return try beginAttributes(info, columns: names) }
        let contents = try prepare("UPDATE gpkg_contents SET identifier = ?, description = ?, srs_id = ? WHERE table_name = ?")
        try run(contents, [.text(info.title), .text(info.metadata.description.joined(separator: " ")), .integer(Int64(srsID)), .text(table)])
        let geometry = try prepare("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POINT', ?, 0, 0)")
        try run(geometry, [.text(table), .integer(Int64(srsID))])
        let placeholders = Array(repeating: "?", count: names.count + 2).joined(separator: ", ")
        insert = try prepare("INSERT INTO \(Self.quoted(table)) (\"fid\", \"geom\"\(names.isEmpty ? "" : ", " + names.joined(separator: ", "))) VALUES (\(placeholders))")
    }

    public func write<F: Feature>(_ feature: F, point: XY?) throws(ExportError) {
        state.checkWriting()
        guard let insert else { throw .geoPackage(path: path, message: "no layer begun") }
        // Bound one by one, in the columns' order: fid, geometry (point layers), then the properties.
        insert.bind(1, integer: nextFID)
        var next: Int32 = 2
        if hasGeometry {
            if let point {
                pointBlob.removeAll(keepingCapacity: true)
                GeoPackageBinary.appendPoint(x: point.x, y: point.y, srsID: Int32(srsID), to: &pointBlob)
                pointBlob.withUnsafeBytes { insert.bind(2, blob: $0) }
                try keepPoint(fid: nextFID, point)
            } else {
                insert.bindNull(2)
            }
            next = 3
        }
        var columns = SQLBinder(statement: insert, index: next, latestDate: latestDate)
        feature.visitProperties(&columns)
        latestDate = columns.latestDate
        do { try insert.execute() } catch { throw .geoPackage(path: path, message: error.description) }
        if writesCircles, let u = feature.positionUncertainty { try addCircle(u, fid: nextFID, feature: feature) }
        nextFID += 1
    }

    /// The current point's GeoPackage binary, reused from row to row.
    private var pointBlob: [UInt8] = []

    private func keepPoint(fid: Int64, _ point: XY) throws(ExportError) {
        // + 0.0 makes -0.0 into 0.0, as SQLite's REAL column did when the points went through it:
        // the index's bytes stay as they were.
        do { try points.append(GeoPackageRTree.Point(fid: fid, x: point.x + 0.0, y: point.y + 0.0)) } catch { throw .output(error) }
    }

    /// The layer's R-tree, created empty and packed from the layer's points in one pass (see
    /// `GeoPackageRTree`).
    private func buildIndex() throws(ExportError) {
        let index = "rtree_\(table)_geom"
        try sql("CREATE VIRTUAL TABLE \(Self.quoted(index)) USING rtree(id, minx, maxx, miny, maxy)")
        try sql("INSERT INTO gpkg_extensions VALUES ('\(table)', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')")
        guard points.count > 0, let db else { return }
        try GeoPackageRTree(index: index, database: db, path: path).fill(from: points)
    }

    public func finish(_ summary: LayerSummary) throws(ExportError) {
        state.finish()
        guard hasGeometry else { return try finishAttributes() }
        featureTables.insert(table)
        try buildIndex()
        try indexTriggers(table: table)
        let update = try prepare("UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?")
        if let e = summary.extent {
            try run(update, [.real(e.minX), .real(e.minY), .real(e.maxX), .real(e.maxY), .text(table)])
        } else {
            try run(update, [.null, .null, .null, .null, .text(table)])
        }
        if let style = info?.metadata.style {
            try styles(defaultFor: table, qml: QGISLayerStyle.qml(style), name: style.title)
        }
        try finishCircles()
        try stampTimes()
        insert = nil
    }

    /// Every table's timestamp is the data's latest date, known only after each layer.
    private func stampTimes() throws(ExportError) {
        let stamp = try prepare("UPDATE gpkg_contents SET last_change = ?")
        try run(stamp, [.text(timestamp)])
        if stylesCreated {
            let styleStamp = try prepare("UPDATE layer_styles SET update_time = ?")
            try run(styleStamp, [.text(timestamp)])
        }
    }

    /// A table of records without geometry: `attributes` in gpkg_contents, no SRS, no index.
    private func beginAttributes(_ info: LayerInfo, columns names: [String]) throws(ExportError) {
        let contents = try prepare("UPDATE gpkg_contents SET data_type = 'attributes', identifier = ?, description = ? WHERE table_name = ?")
        try run(contents, [.text(info.title), .text(info.metadata.description.joined(separator: " ")), .text(table)])
        let placeholders = Array(repeating: "?", count: names.count + 1).joined(separator: ", ")
        insert = try prepare("INSERT INTO \(Self.quoted(table)) (\"fid\"\(names.isEmpty ? "" : ", " + names.joined(separator: ", "))) VALUES (\(placeholders))")
    }

    private func finishAttributes() throws(ExportError) {
        if let relation = info?.metadata.relation { try relate(table, relation) }
        try stampTimes()
        insert = nil
        // The next layer (if any) is a point layer unless its schema says otherwise.
        hasGeometry = true
    }

    /// The Related Tables Extension (OGC 18-000): the relation in `gpkgext_relations` and a
    /// mapping table of (base_id, related_id) rows, the base being the other layer's table and
    /// the related rows this table's, joined on the relation's fields. The mapping table is an
    /// attributes table of gpkg_contents, so it has its own integer key (GeoPackage req. 119).
    private func relate(_ related: String, _ relation: LayerRelation) throws(ExportError) {
        let base = Self.tableName(relation.layer)
        guard featureTables.contains(base) else {
            throw .geoPackage(path: path, message: "the table \(related) relates to the layer \(base), which this GeoPackage does not hold")
        }
        let mapping = "\(base)_\(related)"
        let definition = "http://www.opengis.net/doc/IS/gpkg-rte/1.0"
        if !relationsCreated {
            try sql("""
                CREATE TABLE gpkgext_relations (id INTEGER PRIMARY KEY AUTOINCREMENT, base_table_name TEXT NOT NULL,
                  base_primary_column TEXT NOT NULL DEFAULT 'id', related_table_name TEXT NOT NULL,
                  related_primary_column TEXT NOT NULL DEFAULT 'id', relation_name TEXT NOT NULL,
                  mapping_table_name TEXT NOT NULL UNIQUE);
                INSERT INTO gpkg_extensions VALUES ('gpkgext_relations', NULL, 'related_tables', '\(definition)', 'read-write');
                """)
            relationsCreated = true
        }
        let (q, b, m) = (Self.quoted(related), Self.quoted(base), Self.quoted(mapping))
        try sql("""
            CREATE TABLE \(m) (id INTEGER PRIMARY KEY AUTOINCREMENT, base_id INTEGER NOT NULL, related_id INTEGER NOT NULL);
            INSERT INTO \(m) (base_id, related_id) SELECT \(b).fid, \(q).fid FROM \(q) JOIN \(b)
              ON \(b).\(Self.quoted(relation.layerField)) = \(q).\(Self.quoted(relation.field)) ORDER BY \(q).fid;
            """)
        let extensions = try prepare("INSERT INTO gpkg_extensions VALUES (?, NULL, 'related_tables', ?, 'read-write')")
        try run(extensions, [.text(mapping), .text(definition)])
        let contents = try prepare("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) VALUES (?, 'attributes', ?, ?, '')")
        try run(contents, [.text(mapping), .text(mapping), .text("Which rows of \(related) belong to which features of \(base)")])
        let row = try prepare("INSERT INTO gpkgext_relations (base_table_name, base_primary_column, related_table_name, related_primary_column, relation_name, mapping_table_name) VALUES (?, 'fid', ?, 'fid', 'attributes', ?)")
        try run(row, [.text(base), .text(related), .text(mapping)])
    }

    /// The GeoPackage 1.2 R-tree triggers, created after the rows are in (they call ST_ functions
    /// that GeoPackage readers such as GDAL and QGIS provide, and plain SQLite does not).
    private func indexTriggers(table t: String) throws(ExportError) {
        let q = Self.quoted(t), i = Self.quoted("rtree_\(t)_geom")
        let name = { (suffix: String) in Self.quoted("rtree_\(t)_geom_\(suffix)") }
        let box = "NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)"
        try sql("""
            CREATE TRIGGER \(name("insert")) AFTER INSERT ON \(q) WHEN (NEW.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
            BEGIN INSERT OR REPLACE INTO \(i) VALUES (\(box)); END;
            CREATE TRIGGER \(name("update1")) AFTER UPDATE OF geom ON \(q) WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
            BEGIN INSERT OR REPLACE INTO \(i) VALUES (\(box)); END;
            CREATE TRIGGER \(name("update2")) AFTER UPDATE OF geom ON \(q) WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
            BEGIN DELETE FROM \(i) WHERE id = OLD.fid; END;
            CREATE TRIGGER \(name("update3")) AFTER UPDATE ON \(q) WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
            BEGIN DELETE FROM \(i) WHERE id = OLD.fid; INSERT OR REPLACE INTO \(i) VALUES (\(box)); END;
            CREATE TRIGGER \(name("update4")) AFTER UPDATE ON \(q) WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
            BEGIN DELETE FROM \(i) WHERE id IN (OLD.fid, NEW.fid); END;
            CREATE TRIGGER \(name("delete")) AFTER DELETE ON \(q) WHEN OLD.geom NOT NULL
            BEGIN DELETE FROM \(i) WHERE id = OLD.fid; END;
            """)
    }

    private var stylesCreated = false
    private var relationsCreated = false

    /// Stores a QGIS style as the layer's default in `layer_styles` (the table QGIS reads on load).
    private func styles(defaultFor layer: String, qml: String, name: String) throws(ExportError) {
        if !stylesCreated {
            try sql("""
                CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256),
                  f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30),
                  styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30),
                  update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
                """)
            let contents = try prepare("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) VALUES ('layer_styles', 'attributes', 'layer_styles', ?, ?)")
            try run(contents, [.text(language == .fr ? "Styles QGIS des couches" : "QGIS styles of the layers"), .text(timestamp)])
            stylesCreated = true
        }
        let row = try prepare("INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) VALUES ('', '', ?, 'geom', ?, ?, '', 1, ?, '', NULL, ?)")
        try run(row, [.text(layer), .text(name), .text(qml), .text(name), .text(timestamp)])
    }

    /// Adds a base map layer of (multi)polygons in WGS 84 (EPSG:4326), the CRS of the Natural Earth
    /// files, whatever the CRS of the sites: QGIS and GDAL reproject layers on the fly, and the
    /// outlines keep their source coordinates. These layers hold a handful of features each, so
    /// they get no spatial index.
    private func add(basemap layer: BasemapLayer) throws(ExportError) {
        let t = Self.tableName(layer.name)
        // Columns from the first feature's properties, typed by their values across all features.
        let keys = layer.features.first?.properties.map(\.0) ?? []
        var types: [String] = []
        for key in keys {
            let values = layer.features.compactMap { f in f.properties.first { $0.0 == key }?.1 }
            if values.allSatisfy({ if case .number(let n) = $0 { return n == n.rounded() && abs(n) < 9e15 } else { return $0 == .null } }) {
                types.append("INTEGER")
            } else if values.allSatisfy({ if case .number = $0 { return true } else { return $0 == .null } }) {
                types.append("REAL")
            } else {
                types.append("TEXT")
            }
        }
        let columns = ["\"fid\" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL", "\"geom\" MULTIPOLYGON"]
            + zip(keys, types).map { "\(Self.quoted($0)) \($1)" }
        try sql("CREATE TABLE \(Self.quoted(t)) (\(columns.joined(separator: ", ")))")
        let placeholders = Array(repeating: "?", count: keys.count + 1).joined(separator: ", ")
        let row = try prepare("INSERT INTO \(Self.quoted(t)) (\"geom\"\(keys.isEmpty ? "" : ", " + keys.map(Self.quoted).joined(separator: ", "))) VALUES (\(placeholders))")
        var box = BoxAccumulator()
        for feature in layer.features {
            var polygons: [[[XY]]] = []
            var fbox = BoxAccumulator()
            for polygon in feature.polygons {
                var rings: [[XY]] = []
                for ring in polygon {
                    let points = ring.map { XY(x: $0.longitude, y: $0.latitude) }
                    for p in points { fbox.add(x: p.x, y: p.y) }
                    rings.append(points)
                }
                polygons.append(rings)
            }
            box.add(x: fbox.minX, y: fbox.minY)
            box.add(x: fbox.maxX, y: fbox.maxY)
            var values: [SQLiteStatement.Value] = [.blob(GeoPackageBinary.multiPolygon(polygons, srsID: 4326))]
            for (key, type) in zip(keys, types) {
                switch feature.properties.first(where: { $0.0 == key })?.1 {
                case .number(let v)?: values.append(type == "INTEGER" ? .integer(Int64(v)) : .real(v))
                case .string(let s)?: values.append(s.isEmpty ? .null : .text(s))
                case .bool(let b)?: values.append(.integer(b ? 1 : 0))
                default: values.append(.null)
                }
            }
            try run(row, values)
        }
        let contents = try prepare("INSERT INTO gpkg_contents VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, ?)")
        try run(contents, [.text(t), .text(layer.title(language)), .text(Basemap.credit(language)), .text(timestamp),
                           .real(box.minX), .real(box.minY), .real(box.maxX), .real(box.maxY), .integer(4326)])
        let geometry = try prepare("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'MULTIPOLYGON', 4326, 0, 0)")
        try run(geometry, [.text(t)])
        try styles(defaultFor: t, qml: QGISStyle.basemapQML(layer.name), name: layer.title(language))
    }

    /// The circles of the layer being written: their table, its insert and their extent.
    private struct CircleLayer {
        let table: String
        let insert: SQLiteStatement
        var box = BoxAccumulator()
    }

    /// One feature's circle of uncertainty into `<table>_uncertainty`, created with the first
    /// circle (a layer without uncertainty gets no such table). The circles are in WGS 84
    /// whatever the sites' CRS, like the base map: the geodesic circle is computed there.
    private func addCircle<F: Feature>(_ u: PositionUncertainty, fid: Int64, feature: F) throws(ExportError) {
        if circles == nil {
            let t = table + "_uncertainty"
            try sql("CREATE TABLE \(Self.quoted(t)) (\"fid\" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, \"geom\" POLYGON, \"id\" TEXT, \"name\" TEXT, \"radius_m\" REAL)")
            circles = CircleLayer(table: t, insert: try prepare("INSERT INTO \(Self.quoted(t)) VALUES (?, ?, ?, ?, ?)"))
        }
        guard var layer = circles else { return }
        let ring = UncertaintyCircle.ring(u)
        for p in ring { layer.box.add(x: p.x, y: p.y) }
        try run(layer.insert, [.integer(fid), .blob(GeoPackageBinary.polygon([ring], srsID: 4326)), .text(feature.featureID),
                               feature.label.map { .text($0) } ?? .null, .real(u.radiusMetres)])
        circles = layer
    }

    /// Registers the circle layer (contents, geometry column, extent, style) once its rows are in.
    private func finishCircles() throws(ExportError) {
        guard let layer = circles else { return }
        circles = nil
        let fr = language == .fr
        let heading = fr ? "Cercles d’incertitude" : "Uncertainty circles"
        let title = (info?.title).map { heading + Punctuation.colon(language) + $0 } ?? heading
        let contents = try prepare("INSERT INTO gpkg_contents VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, 4326)")
        try run(contents, [.text(layer.table), .text(title),
                           .text(fr ? "Cercles dont le rayon (radius_m) est l’incertitude de chaque position, calculés sur l’ellipsoïde WGS 84."
                                    : "Circles of the radius of each position's uncertainty (radius_m), computed on the WGS 84 ellipsoid."),
                           .text(timestamp), .real(layer.box.minX), .real(layer.box.minY), .real(layer.box.maxX), .real(layer.box.maxY)])
        let geometry = try prepare("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POLYGON', 4326, 0, 0)")
        try run(geometry, [.text(layer.table)])
        try styles(defaultFor: layer.table, qml: UncertaintyCircle.qml(), name: title)
    }

    /// Commits the transaction and closes the database (the export's files then rename it).
    func close() throws(ExportError) {
        guard !closed else { return }
        insert = nil
        try sql("COMMIT")
        db?.close()
        db = nil
        closed = true
    }
}

/// GeoPackage binary geometries (GeoPackage 1.3, section 2.1.3) wrapping ISO WKB.
enum GeoPackageBinary {
    private static func header(_ out: inout [UInt8], srsID: Int32, envelope: (Double, Double, Double, Double)?) {
        out += [0x47, 0x50, 0x00]              // "GP", version 0
        out.append(envelope == nil ? 0x01 : 0x03)  // little-endian; envelope [minx, maxx, miny, maxy] when given
        withUnsafeBytes(of: srsID.littleEndian) { out += $0 }
        if let e = envelope {
            for v in [e.0, e.1, e.2, e.3] { withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 } }
        }
    }

    private static func append(_ v: Double, to out: inout [UInt8]) {
        withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 }
    }

    private static func append(_ v: UInt32, to out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out += $0 }
    }

    static func point(x: Double, y: Double, srsID: Int32) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(29)
        appendPoint(x: x, y: y, srsID: srsID, to: &out)
        return out
    }

    static func appendPoint(x: Double, y: Double, srsID: Int32, to out: inout [UInt8]) {
        header(&out, srsID: srsID, envelope: nil)
        out.append(1)
        append(UInt32(1), to: &out)
        append(x, to: &out)
        append(y, to: &out)
    }

    static func polygon(_ rings: [[XY]], srsID: Int32) -> [UInt8] {
        var box = BoxAccumulator()
        for r in rings { for q in r { box.add(x: q.x, y: q.y) } }
        var out: [UInt8] = []
        header(&out, srsID: srsID, envelope: (box.minX, box.maxX, box.minY, box.maxY))
        appendPolygon(rings, to: &out)
        return out
    }

    /// One WKB polygon (little-endian, type 3): its rings, each a count and its points.
    private static func appendPolygon(_ rings: [[XY]], to out: inout [UInt8]) {
        out.append(1)
        append(UInt32(3), to: &out)
        append(UInt32(rings.count), to: &out)
        for ring in rings {
            append(UInt32(ring.count), to: &out)
            for p in ring {
                append(p.x, to: &out)
                append(p.y, to: &out)
            }
        }
    }

    static func multiPolygon(_ polygons: [[[XY]]], srsID: Int32) -> [UInt8] {
        var box = BoxAccumulator()
        for p in polygons { for r in p { for q in r { box.add(x: q.x, y: q.y) } } }
        var out: [UInt8] = []
        header(&out, srsID: srsID, envelope: (box.minX, box.maxX, box.minY, box.maxY))
        out.append(1)
        append(UInt32(6), to: &out)
        append(UInt32(polygons.count), to: &out)
        for polygon in polygons { appendPolygon(polygon, to: &out) }
        return out
    }
}

/// Properties as SQLite values in column order; dates as ISO text (GeoPackage DATE).
/// A row's properties bound straight to the insert's parameters, in order: no array of boxed
/// values per row, and a date's ten bytes written in place.
private struct SQLBinder: PropertySink {
    let statement: SQLiteStatement
    var index: Int32
    /// The latest date seen in any row: the file's timestamps.
    var latestDate: CalendarDate?

    mutating func null(_ name: String) { statement.bindNull(index); index += 1 }
    mutating func text(_ name: String, _ value: String) { statement.bind(index, text: value); index += 1 }
    mutating func integer(_ name: String, _ value: Int) { statement.bind(index, integer: Int64(value)); index += 1 }
    mutating func real(_ name: String, _ value: Double, coordinate: Bool) { statement.bind(index, real: value); index += 1 }
    mutating func date(_ name: String, _ value: CalendarDate) {
        // YYYY-MM-DD: CalendarDate's years are 1...9999.
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 45, 0, 0, 45, 0, 0)
        withUnsafeMutableBytes(of: &digits) { raw in
            func put(_ v: Int, at i: Int, count: Int) {
                var v = v
                for k in stride(from: i + count - 1, through: i, by: -1) { raw[k] = UInt8(48 + v % 10); v /= 10 }
            }
            put(value.year, at: 0, count: 4)
            put(value.month, at: 5, count: 2)
            put(value.day, at: 8, count: 2)
            statement.bind(index, text: UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: 10))
        }
        index += 1
        if latestDate.map({ value > $0 }) ?? true { latestDate = value }
    }
    mutating func list(_ name: String, _ value: [String]) { statement.bind(index, text: value.joined(separator: " | ")); index += 1 }
    mutating func boolean(_ name: String, _ value: Bool) { statement.bind(index, integer: value ? 1 : 0); index += 1 }
}
