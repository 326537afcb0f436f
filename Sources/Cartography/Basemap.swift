import Gazetteer
import MinusmaData

/// One polygon: its exterior ring, then its holes; each ring closed (first point = last).
public typealias PolygonRings = [[GeoPosition]]

/// A property value of a base map feature, as Natural Earth's file has it.
public enum BasemapValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var numberValue: Double? { if case .number(let n) = self { return n } else { return nil } }
}

/// A feature of a base map layer: its properties in file order and its polygons.
public struct BasemapFeature: Sendable {
    public let properties: [(String, BasemapValue)]
    public let polygons: [PolygonRings]

    public func text(_ key: String) -> String? {
        properties.first { $0.0 == key }?.1.stringValue
    }
}

/// A context layer from `Data/basemap/` (Natural Earth 1:10m, public domain), decoded from its
/// GeoJSON when the binary was built.
public struct BasemapLayer: Sendable {
    /// The layer name: `mali_admin0`, `mali_admin1`, `neighbours_admin0`.
    public let name: String
    /// What the layer shows, for layer titles.
    public let title: String
    public let features: [BasemapFeature]
    /// The bounds of every position of every feature.
    public let extent: GeoBox
}

public enum Basemap {
    public static let credit = "Natural Earth 1:10m (public domain)"

    /// Mali's outline, its regions as Natural Earth draws them, and the seven neighbours.
    public static func layers() -> [BasemapLayer] {
        [maliOutline(), maliRegions(), neighbours()]
    }

    /// The layers' names, known without decoding the layers (a name check needs no polygons).
    public static let layerNames = ["mali_admin0", "mali_admin1", "neighbours_admin0"]

    public static func maliOutline() -> BasemapLayer { outline }

    /// Natural Earth's nine first-level units (old division: no Ménaka or Taoudénit regions).
    public static func maliRegions() -> BasemapLayer { regions }

    public static func neighbours() -> BasemapLayer { neighbourCountries }

    // Built once, on first use (a map asks for them several times).
    private static let outline = layer(BundledData.maliAdmin0, name: layerNames[0], title: "Mali")
    private static let regions = layer(BundledData.maliAdmin1, name: layerNames[1],
                                       title: "Mali's regions (Natural Earth, 2012 division)")
    private static let neighbourCountries = layer(BundledData.neighboursAdmin0, name: layerNames[2],
                                                  title: "Neighbouring countries")

    /// Cuts the layer's positions into features, polygons and rings by the counts embed-data wrote.
    /// Counts beyond the positions there are give shorter rings rather than a trap.
    static func layer(_ embedded: EmbeddedPolygonLayer, name: String, title: String) -> BasemapLayer {
        let numbers = embedded.coordinates()
        var next = 0
        func ring(_ count: Int) -> [GeoPosition] {
            let end = min(numbers.count / 2, next + count)
            defer { next = max(next, end) }
            return (next..<max(next, end)).map { GeoPosition(longitude: numbers[2 * $0], latitude: numbers[2 * $0 + 1]) }
        }
        let features = embedded.features.map { feature in
            var lengths = feature.positionsPerRing.makeIterator()
            let polygons = feature.ringsPerPolygon.map { ringCount in
                (0..<max(0, ringCount)).compactMap { _ in lengths.next().map(ring) }
            }
            return BasemapFeature(properties: feature.properties.map { ($0.0, value($0.1)) }, polygons: polygons)
        }
        let e = embedded.extent
        return BasemapLayer(name: name, title: title, features: features,
                            extent: GeoBox(west: e.west, south: e.south, east: e.east, north: e.north))
    }

    private static func value(_ embedded: EmbeddedValue) -> BasemapValue {
        switch embedded {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return .number(n)
        case .string(let s): return .string(s)
        }
    }
}
