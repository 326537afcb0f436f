import Gazetteer

extension InputFormat {
    /// RFC 7946 FeatureCollections of Point features (or null geometries), and the legacy `crs`
    /// member, read as a stream.
    public static let geojson = InputFormat(
        name: "geojson", title: "GeoJSON FeatureCollection of points", extensions: ["geojson", "json"],
        recognises: { prefix in prefix.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: "{") },
        makeReader: { context throws(ExportError) in try openGeoJSON(context) })

    private static func openGeoJSON(_ context: sending ReaderContext) throws(ExportError) -> GazetteerReader {
        let records: GeoJSONRecordSource
        // A file can be read twice, for the names of properties the first features lack;
        // standard input is read once.
        let path = context.path
        let reopen: (() -> (any ByteSource)?)? = path == "-" ? nil : { try? FileSource(path: path) }
        do { records = try GeoJSONRecordSource(source: context.source, reopen: reopen) } catch { throw .input(error) }
        let projection = try context.projection(records.declaredCRS)
        let options = context.options
        do { return try PrefetchedRecords.reader(records, options: options, projection: projection) } catch {
            throw .input(error)
        }
    }
}
