import Gazetteer
import MinusmaData

/// One polygon: its exterior ring, then its holes; each ring closed (first point = last).
public typealias PolygonRings = [[GeoPosition]]

/// A feature of a base map layer: its properties in file order and its polygons.
public struct BasemapFeature: Sendable {
    public let properties: [(String, JSONValue)]
    public let polygons: [PolygonRings]

    public func text(_ key: String) -> String? {
        properties.first { $0.0 == key }?.1.stringValue
    }
}

/// A context layer from `Data/basemap/` (Natural Earth 1:10m, public domain).
public struct BasemapLayer: Sendable {
    /// The layer name: `mali_admin0`, `mali_admin1`, `neighbours_admin0`.
    public let name: String
    /// What the layer shows, for layer titles.
    public let title: String
    public let features: [BasemapFeature]

    public var extent: GeoBox {
        var box = BoxAccumulator()
        for f in features { for p in f.polygons { for r in p { for q in r { box.add(x: q.longitude, y: q.latitude) } } } }
        return GeoBox(west: box.minX, south: box.minY, east: box.maxX, north: box.maxY)
    }
}

public enum Basemap {
    public static let credit = "Natural Earth 1:10m (public domain)"

    /// Mali's outline, its regions as Natural Earth draws them, and the seven neighbours.
    public static func layers() throws -> [BasemapLayer] {
        [try maliOutline(), try maliRegions(), try neighbours()]
    }

    public static func maliOutline() throws -> BasemapLayer {
        try parse(BundledData.maliAdmin0GeoJSON, name: "mali_admin0", title: "Mali")
    }

    /// Natural Earth's nine first-level units (old division: no Ménaka or Taoudénit regions).
    public static func maliRegions() throws -> BasemapLayer {
        try parse(BundledData.maliAdmin1GeoJSON, name: "mali_admin1", title: "Mali's regions (Natural Earth, 2012 division)")
    }

    public static func neighbours() throws -> BasemapLayer {
        try parse(BundledData.neighboursAdmin0GeoJSON, name: "neighbours_admin0", title: "Neighbouring countries")
    }

    /// Reads a GeoJSON FeatureCollection of Polygons and MultiPolygons.
    public static func parse(_ text: String, name: String, title: String) throws -> BasemapLayer {
        let root = try JSONParser.parse(text)
        guard let features = root["features"]?.arrayValue else { throw JSONParseError(offset: 0, problem: "no features in \(name)") }
        var out: [BasemapFeature] = []
        for f in features {
            let properties = f["properties"]?.objectValue ?? []
            guard let geometry = f["geometry"], let type = geometry["type"]?.stringValue,
                  case .coordinates(let tree)? = geometry["coordinates"] else { continue }
            func polygon(_ t: CoordinateTree) -> PolygonRings {
                guard case .list(let rings) = t else { return [] }
                return rings.compactMap { if case .positions(let p) = $0 { return p } else { return nil } }
            }
            switch (type, tree) {
            case ("Polygon", _):
                out.append(BasemapFeature(properties: properties, polygons: [polygon(tree)]))
            case ("MultiPolygon", .list(let polygons)):
                out.append(BasemapFeature(properties: properties, polygons: polygons.map(polygon)))
            default:
                continue
            }
        }
        return BasemapLayer(name: name, title: title, features: out)
    }
}
