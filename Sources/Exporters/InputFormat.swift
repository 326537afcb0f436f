import Gazetteer
import Projection

/// What a format's reader is made with.
public struct ReaderContext {
    /// The path as the user gave it (`-` for standard input).
    public let path: String
    /// The input's bytes, the first ones already read for sniffing (and replayed).
    public let source: PrefixedSource
    public let options: ReadOptions
    /// `--layer`: the layer of a file that holds several.
    public let layer: String?
    /// `--data-crs`: the CRS of the input's coordinates when the file does not say it.
    public let dataCRS: String?

    /// The transformation of `dataCRS` (or a CRS the file declares) to WGS 84; nil for WGS 84.
    func projection(_ declared: String? = nil) throws(ExportError) -> sending (any InputProjection)? {
        guard let crs = dataCRS ?? declared else { return nil }
        do { return try ProjectedInput(crs: crs) } catch { throw .projection(error, site: nil) }
    }
}

/// A registered reader: the format it reads, how its files are recognised and how to make its
/// reader. Each reader declares itself in its own file; `InputFormat.all` lists them. Reading is
/// kept apart from `ExportFormat` so that a reader's file needs no change to its writer's; the
/// two registries share the format names (`minusma formats` shows both).
public struct InputFormat: Sendable {
    /// The `--format` word of the same format.
    public let name: String
    public let title: String
    /// File name endings that choose this reader, lower case.
    public let extensions: [String]
    /// Whether the first bytes of a file (at most `PrefixedSource.prefixSize`, byte-order mark
    /// removed) can be this format.
    let recognises: @Sendable (_ prefix: [UInt8]) -> Bool
    let makeReader: @Sendable (_ context: sending ReaderContext) throws(ExportError) -> GazetteerReader

    init(name: String, title: String, extensions: [String],
         recognises: @escaping @Sendable ([UInt8]) -> Bool,
         makeReader: @escaping @Sendable (sending ReaderContext) throws(ExportError) -> GazetteerReader) {
        self.name = name
        self.title = title
        self.extensions = extensions
        self.recognises = recognises
        self.makeReader = makeReader
    }

    public static func named(_ name: String) -> InputFormat? { all.first { $0.name == name } }

    /// Opens a gazetteer in any readable format: chosen by the file's extension, confirmed by
    /// its first bytes (standard input, or an unknown extension, by its first bytes alone).
    public static func open(path: String, options: ReadOptions = ReadOptions(), layer: String? = nil,
                            dataCRS: String? = nil) throws(ExportError) -> GazetteerReader {
        let source: PrefixedSource
        do { source = try PrefixedSource(FileSource(path: path)) } catch { throw .input(error) }
        let prefix = source.prefix
        let byExtension = formatForExtension(of: path)
        let detected = all.first { $0.name != "csv" && $0.recognises(prefix) }
        let format: InputFormat
        switch (byExtension, detected) {
        case let (chosen?, found) where chosen.recognises(prefix) && (found == nil || chosen.name != "csv"):
            format = chosen
        case let (_, found?):
            format = found
        default:
            if let other = FileSignature.describe(prefix) { throw unsupported(path: source.displayName, found: other) }
            guard let csv = named("csv"), csv.recognises(prefix) else {
                throw unsupported(path: source.displayName, found: "binary data that is no format minusma reads")
            }
            if let chosen = byExtension, chosen.name != "csv" {
                throw unsupported(path: source.displayName, found: "a file named .\(chosen.extensions[0]) whose first bytes are not \(chosen.title)")
            }
            format = csv
        }
        let context = ReaderContext(path: path, source: source, options: options, layer: layer, dataCRS: dataCRS)
        return try format.makeReader(context)
    }

    static func formatForExtension(of path: String) -> InputFormat? {
        guard path != "-", let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        let ext = path[path.index(after: dot)...].lowercased()
        return all.first { $0.extensions.contains(ext) }
    }

    /// The error for a file no reader takes: what it looks like, and what is read.
    static func unsupported(path: String, found: String) -> ExportError {
        var report = ValidationReport(file: path)
        let supported = all.map { "\($0.title) (\($0.extensions.map { "." + $0 }.joined(separator: ", ")))" }.joined(separator: ", ")
        report.add(Diagnostic(.error, file: path, line: 0, field: nil, found: found,
                              expected: "one of the formats minusma reads: \(supported) (see `minusma formats`)"))
        return .input(.rejected(report))
    }
}

/// Formats minusma does not read, told apart by their first bytes, so that the error names them.
enum FileSignature {
    static func describe(_ p: [UInt8]) -> String? {
        func starts(_ s: [UInt8]) -> Bool { p.count >= s.count && Array(p.prefix(s.count)) == s }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return "a ZIP archive (an Excel .xlsx or OpenDocument .ods spreadsheet, or a zipped shapefile?); save the sheet as CSV" }
        if starts([0xD0, 0xCF, 0x11, 0xE0]) { return "an old Excel .xls workbook; save the sheet as CSV" }
        if starts(Array("%PDF".utf8)) { return "a PDF document" }
        if starts([0x1F, 0x8B]) { return "a gzip-compressed file; decompress it first" }
        let text = String(decoding: p.prefix(256), as: UTF8.self).lowercased()
        if text.hasPrefix("<?xml") || text.hasPrefix("<kml") {
            return text.contains("<kml") ? "a KML document (minusma writes KML but does not read it)" : "an XML document"
        }
        return nil
    }
}

/// A byte source whose first bytes are read ahead (to recognise the format) and then given again.
public final class PrefixedSource: ByteSource {
    public static let prefixSize = 4096
    public let displayName: String
    public let prefix: [UInt8]
    /// The file's device and inode, size, as `FileSource` has them.
    public let file: FileSource
    private var served = 0

    init(_ file: FileSource) throws(GazetteerError) {
        self.file = file
        displayName = file.displayName
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.prefixSize, alignment: 1)
        defer { scratch.deallocate() }
        var count = 0
        while count < scratch.count {
            let n = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[count...]))
            if n == 0 { break }
            count += n
        }
        let bytes = Array(scratch[..<count])
        // The byte-order mark is not part of any signature.
        prefix = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        self.kept = bytes
    }

    private let kept: [UInt8]

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(GazetteerError) -> Int {
        if served < kept.count, let destination = buffer.baseAddress {
            let n = min(buffer.count, kept.count - served)
            kept.withUnsafeBytes { source in
                if let start = source.baseAddress { destination.copyMemory(from: start + served, byteCount: n) }
            }
            served += n
            return n
        }
        return try file.read(into: buffer)
    }
}

/// Coordinates of a CRS other than WGS 84 turned into WGS 84 longitude and latitude by PROJ.
final class ProjectedInput: InputProjection {
    let crsName: String
    private let crs: String
    /// Made by the first point's conversion, so on the thread that reads the records (the
    /// reader is sent to its own thread after it is made): PROJ objects stay where they were made.
    private var transformer: Transformer?

    /// Checks the CRS and its transformation on the calling thread, so that a bad `--data-crs`
    /// fails before anything starts; the objects made for the check are dropped here.
    init(crs: String) throws(ProjectionError) {
        self.crs = crs
        let context = ProjContext()
        let source = try CRS(crs, context: context)
        crsName = source.name
        _ = try Transformer(from: source, to: CRS.wgs84(context: context))
    }

    func toWGS84(x: Double, y: Double) -> (longitude: Double, latitude: Double)? {
        guard x.isFinite, y.isFinite, let transformer = try? readyTransformer(),
              let p = try? transformer.transform(XY(x: x, y: y)), p.x.isFinite, p.y.isFinite else { return nil }
        return (p.x, p.y)
    }

    private func readyTransformer() throws(ProjectionError) -> Transformer {
        if let transformer { return transformer }
        let context = ProjContext()
        let made = try Transformer(from: try CRS(crs, context: context), to: CRS.wgs84(context: context))
        transformer = made
        return made
    }
}
