#if canImport(Glibc)
import Glibc
#endif
import Gazetteer
import SQLiteDB

extension InputFormat {
    /// A point layer of an OGC GeoPackage (the only one, or `--layer`), through SQLite.
    public static let gpkg = InputFormat(
        name: "gpkg", title: "GeoPackage point layer", extensions: ["gpkg"],
        recognises: { prefix in prefix.starts(with: Array("SQLite format 3".utf8) + [0]) },
        makeReader: { context throws(ExportError) in try openGeoPackage(context) })

    private static func openGeoPackage(_ context: sending ReaderContext) throws(ExportError) -> GazetteerReader {
        let records: GeoPackageRecordSource
        do {
            // SQLite reads a database by path: standard input is read from a named copy, removed
            // once SQLite has it open.
            let fromStandardInput = context.path == "-"
            let path = fromStandardInput ? try StandardInputCopy.namedCopy() : context.path
            defer { if fromStandardInput { unlink(path) } }
            records = try GeoPackageRecordSource(path: path, displayName: context.source.displayName, layer: context.layer)
        } catch {
            throw .input(error)
        }
        let projection = try context.projection(records.declaredCRS)
        let options = context.options
        do { return try PrefetchedRecords.reader(records, options: options, projection: projection) } catch {
            throw .input(error)
        }
    }
}
