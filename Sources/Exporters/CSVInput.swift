#if canImport(Glibc)
import Glibc
#endif
import Gazetteer

extension InputFormat {
    /// CSV with `,`, `;` or tab between fields (sniffed from the header line). A `.csvt` next to
    /// the file (GDAL's column types, as `export` writes it) types the columns that carry no hint.
    public static let csv = InputFormat(
        name: "csv", title: "CSV (',', ';' or tab)", extensions: ["csv", "tsv", "tab", "txt"],
        recognises: { prefix in !prefix.contains(0) },
        makeReader: { context throws(ExportError) in try openCSV(context) })

    private static func openCSV(_ context: sending ReaderContext) throws(ExportError) -> GazetteerReader {
        let types = CSVTypesSidecar.types(forCSV: context.path)
        let projection = try context.projection()
        let options = context.options
        do {
            let csv = CSVRecordReader(source: context.source)
            try csv.sniffSeparator()
            return try PrefetchedRecords.reader(csv, options: options, projection: projection, fallbackTypes: types)
        } catch { throw .input(error) }
    }
}

/// GDAL's `.csvt`: one line of quoted type names, one per column.
enum CSVTypesSidecar {
    static func types(forCSV path: String) -> [ValueType?]? {
        guard path != "-", path.lowercased().hasSuffix(".csv") else { return nil }
        let sidecar = String(path.dropLast(4)) + ".csvt"
        guard let file = fopen(sidecar, "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 1 << 16)
        guard fgets(&line, Int32(line.count), file) != nil else { return nil }
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.split(separator: ",").map { word -> ValueType? in
            let name = word.filter { $0 != "\"" && !$0.isWhitespace }.lowercased()
            let base = name.split(separator: "(").first.map(String.init) ?? name
            switch base {
            case "integer", "integer64": return .integer
            case "real": return .real
            case "date": return .date
            default: return nil
            }
        }
    }
}
