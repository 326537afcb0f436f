import FeatureCore

/// Options some formats take; each format reads the ones it knows.
public struct FormatOptions: Sendable, Equatable {
    /// CSV: also write `<name>-excel.csv` (byte-order mark, `;`, CRLF).
    public var excelCSV = false
    /// GeoPackage: add the Natural Earth base map layers.
    public var basemap = true
    /// CSV (both profiles): a second row of HXL hashtags.
    public var hxl = false
    /// CSV: also write `<name>.datapackage.json` (Frictionless Data Package).
    public var dataPackage = false
    /// The data's licence for the data package; none is written without it.
    public var license: String?
    /// Shapefile: the set zipped into `<name>.shp.zip` instead of loose files.
    public var zip = false
    /// The language of the human text the writers add of their own (the GeoPackage's base map
    /// titles); the layer's own text comes in it already.
    public var language: Language = .en
    /// GeoPackage: a layer of circles of each position's uncertainty beside the points.
    public var uncertaintyCircles = true

    public init(excelCSV: Bool = false, basemap: Bool = true, hxl: Bool = false) {
        self.excelCSV = excelCSV
        self.basemap = basemap
        self.hxl = hxl
    }
}

/// What a format's writer is made with.
public struct WriterContext {
    /// The export's files: writers open theirs here, under the names their format declares.
    public let files: ExportFiles
    public let baseName: String
    public let options: FormatOptions
    /// The first layer's name in formats that hold several layers; the base name by default.
    public let layerName: String

    public init(files: ExportFiles, baseName: String, options: FormatOptions, layerName: String? = nil) {
        self.files = files
        self.baseName = baseName
        self.options = options
        self.layerName = layerName ?? baseName
    }
}

/// A registered format: its name, what it can do, the files it writes and how to make its
/// writer. Each format declares itself in its writer's file; `ExportFormat.all` lists them.
public struct ExportFormat: Sendable, Hashable, CustomStringConvertible {
    /// The `--format` word.
    public let name: String
    /// The format's name for people, in messages: `GeoPackage`.
    public let label: String
    /// For `minusma formats` and help.
    public let title: String
    /// Other words accepted for `--format`.
    public let aliases: [String]
    /// File name endings, main one first.
    public let extensions: [String]
    /// Whether a reader of the same name is registered (`InputFormat.all`).
    public var canRead: Bool { InputFormat.named(name) != nil }
    public let canWrite: Bool
    /// Coordinates are always WGS 84 longitude/latitude (KML): `--crs` does not apply.
    public let alwaysWGS84: Bool
    /// The format holds several layers in one file (a timeline's snapshots).
    public let holdsSeveralLayers: Bool
    /// Its writer takes longer per feature than reading and checking do (a database, a library
    /// call per cell): positions are then projected on the reading side, not on the writing
    /// thread, which is the pipeline's longest already.
    public let heavyWriter: Bool
    /// The files written for a base name, main file first (sidecars included).
    let fileNames: @Sendable (_ base: String, _ options: FormatOptions) -> [String]
    /// Property names the format adds itself in this CRS (they must not be the input's).
    let addedColumns: @Sendable (_ crs: OutputCRS) -> [String]
    /// The format's column names ignore case (SQLite's do): `Foo` and `foo` are one column.
    let columnsIgnoreCase: Bool
    /// The most properties a layer can have in this format.
    let maximumColumns: Int?
    /// Why a `--name` cannot be used (it names one of the format's own tables); nil when it can.
    let nameRule: @Sendable (_ base: String, _ options: FormatOptions) -> String?
    let makeWriter: @Sendable (_ context: WriterContext) throws(ExportError) -> any FeatureWriter

    init(name: String, label: String, title: String, aliases: [String] = [], extensions: [String],
         canWrite: Bool = true, alwaysWGS84: Bool = false, holdsSeveralLayers: Bool = false, heavyWriter: Bool = false,
         fileNames: @escaping @Sendable (String, FormatOptions) -> [String],
         addedColumns: @escaping @Sendable (OutputCRS) -> [String] = { _ in [] },
         columnsIgnoreCase: Bool = false, maximumColumns: Int? = nil,
         nameRule: @escaping @Sendable (String, FormatOptions) -> String? = { _, _ in nil },
         makeWriter: @escaping @Sendable (WriterContext) throws(ExportError) -> any FeatureWriter) {
        self.name = name
        self.label = label
        self.title = title
        self.aliases = aliases
        self.extensions = extensions
        self.canWrite = canWrite
        self.alwaysWGS84 = alwaysWGS84
        self.holdsSeveralLayers = holdsSeveralLayers
        self.heavyWriter = heavyWriter
        self.fileNames = fileNames
        self.addedColumns = addedColumns
        self.columnsIgnoreCase = columnsIgnoreCase
        self.maximumColumns = maximumColumns
        self.nameRule = nameRule
        self.makeWriter = makeWriter
    }

    public var description: String { name }

    public func fileNames(base: String, options: FormatOptions = FormatOptions()) -> [String] {
        fileNames(base, options)
    }

    public func writer(_ context: WriterContext) throws(ExportError) -> any FeatureWriter {
        try makeWriter(context)
    }

    /// Refuses what the format cannot write: a property the format adds itself, two names it
    /// cannot tell apart, more properties than it holds, a `--name` it reserves. Checked before
    /// anything is written.
    public func check(_ schema: LayerSchema, crs: OutputCRS, baseName: String, options: FormatOptions = FormatOptions()) throws(ExportError) {
        // SQLite folds ASCII letters only: "É" and "é" are two columns there.
        func key(_ name: String) -> String {
            guard columnsIgnoreCase else { return name }
            return String(decoding: name.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
        }
        let added = Set(addedColumns(crs).map(key))
        var seen: [String: String] = [:]
        for name in schema.names {
            if added.contains(key(name)) {
                throw .columnClash(name: name, format: label, rule: "the format adds a column of that name itself")
            }
            if let other = seen[key(name)] {
                throw .columnClash(name: name, format: label,
                                   rule: "its column names ignore case, so '\(other)' and '\(name)' would be one column")
            }
            seen[key(name)] = name
        }
        if let maximumColumns, schema.fields.count > maximumColumns {
            throw .columnClash(name: schema.fields[maximumColumns].name, format: label,
                               rule: "the layer has \(schema.fields.count) columns and the format holds at most \(maximumColumns)")
        }
        if let rule = nameRule(baseName, options) { throw .nameClash(name: baseName, format: label, rule: rule) }
    }

    public static func == (a: ExportFormat, b: ExportFormat) -> Bool { a.name == b.name }
    public func hash(into h: inout Hasher) { h.combine(name) }

    /// The format a `--format` word names.
    public static func named(_ word: String) -> ExportFormat? {
        let w = word.lowercased()
        return all.first { $0.name == w || $0.aliases.contains(w) }
    }
}
