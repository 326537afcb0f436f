/// The layer formats `minusma export` writes.
public enum ExportFormat: String, CaseIterable, Sendable {
    case geojson
    case kml
    case csv
    case gpkg

    public var fileExtension: String { rawValue }

    /// The files one format writes for a base name, main file first.
    public func fileNames(base: String) -> [String] {
        switch self {
        case .geojson: return ["\(base).geojson", "\(base).qml"]
        case .kml: return ["\(base).kml"]
        case .csv: return ["\(base).csv", "\(base).csvt", "\(base).prj"]
        case .gpkg: return ["\(base).gpkg"]
        }
    }
}
