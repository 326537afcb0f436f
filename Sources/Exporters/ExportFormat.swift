import FeatureCore

/// Options some formats take; each format reads the ones it knows.
public struct FormatOptions: Sendable, Equatable {
    /// CSV: also write `<name>-excel.csv` (byte-order mark, `;`, CRLF).
    public var excelCSV = false
    /// GeoPackage: add the Natural Earth base map layers.
    public var basemap = true

    public init(excelCSV: Bool = false, basemap: Bool = true) {
        self.excelCSV = excelCSV
        self.basemap = basemap
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
    /// The files written for a base name, main file first (sidecars included).
    let fileNames: @Sendable (_ base: String, _ options: FormatOptions) -> [String]
    /// Property names the format adds itself in this CRS (they must not be the input's).
    let addedColumns: @Sendable (_ crs: OutputCRS) -> [String]
    let makeWriter: @Sendable (_ context: WriterContext) throws(ExportError) -> any FeatureWriter

    init(name: String, title: String, aliases: [String] = [], extensions: [String],
         canWrite: Bool = true, alwaysWGS84: Bool = false, holdsSeveralLayers: Bool = false,
         fileNames: @escaping @Sendable (String, FormatOptions) -> [String],
         addedColumns: @escaping @Sendable (OutputCRS) -> [String] = { _ in [] },
         makeWriter: @escaping @Sendable (WriterContext) throws(ExportError) -> any FeatureWriter) {
        self.name = name
        self.title = title
        self.aliases = aliases
        self.extensions = extensions
        self.canWrite = canWrite
        self.alwaysWGS84 = alwaysWGS84
        self.holdsSeveralLayers = holdsSeveralLayers
        self.fileNames = fileNames
        self.addedColumns = addedColumns
        self.makeWriter = makeWriter
    }

    public var description: String { name }
    public var fileExtension: String { extensions[0] }

    public func fileNames(base: String, options: FormatOptions = FormatOptions()) -> [String] {
        fileNames(base, options)
    }

    public func writer(_ context: WriterContext) throws(ExportError) -> any FeatureWriter {
        try makeWriter(context)
    }

    /// Refuses a schema with a property the format would add itself, or two names the format
    /// cannot tell apart.
    public func check(_ schema: LayerSchema, crs: OutputCRS) throws(ExportError) {
        for name in addedColumns(crs) where schema.contains(name) {
            throw .columnClash(name: name, format: title)
        }
    }

    public static func == (a: ExportFormat, b: ExportFormat) -> Bool { a.name == b.name }
    public func hash(into h: inout Hasher) { h.combine(name) }

    /// The format a `--format` word names.
    public static func named(_ word: String) -> ExportFormat? {
        let w = word.lowercased()
        return all.first { $0.name == w || $0.aliases.contains(w) }
    }
}
