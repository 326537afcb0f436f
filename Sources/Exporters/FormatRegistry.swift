/// Every format, in the order of `minusma formats` and of the files an export writes. A new
/// format is one file that declares its `ExportFormat` and one line here.
extension ExportFormat {
    public static let all: [ExportFormat] = [
        .geojson,
        .kml,
        .kmz,
        .csv,
        .gpkg,
        .shp,
        .xlsx,
    ]

    public static var writable: [ExportFormat] { all.filter(\.canWrite) }
}

/// Every reader, in the order formats are tried when sniffing. A new reader is one file that
/// declares its `InputFormat` and one line here.
extension InputFormat {
    public static let all: [InputFormat] = [
        .csv,
        .geojson,
        .gpkg,
    ]
}
