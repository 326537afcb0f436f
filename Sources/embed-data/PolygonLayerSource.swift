// A GeoJSON FeatureCollection of Polygons and MultiPolygons, decoded at build time into the Swift
// source of an `EmbeddedPolygonLayer` (declared in Sources/MinusmaData).

struct PolygonLayerSource {
    private var features: [String] = []
    /// Longitude, latitude of every position, feature after feature, ring after ring.
    private var coordinates: [Double] = []
    private var west = Double.infinity, south = Double.infinity
    private var east = -Double.infinity, north = -Double.infinity
    private let path: String

    /// The `EmbeddedPolygonLayer(...)` expression for the GeoJSON file at `path`.
    static func expression(_ bytes: [UInt8], path: String) -> String {
        var layer = PolygonLayerSource(path: path)
        let root = JSONReader.read(bytes, path: path)
        guard case .array(let features)? = root["features"] else { layer.fail("\(path): no \"features\" array") }
        for (n, feature) in features.enumerated() { layer.add(feature, number: n + 1) }
        return layer.source
    }

    private init(path: String) { self.path = path }

    private func fail(_ problem: String) -> Never { embed_data.fail("\(path): \(problem)") }

    private mutating func add(_ feature: JSON, number: Int) {
        let place = "feature \(number)"
        guard case .object(let properties)? = feature["properties"] else { fail("\(place): no \"properties\" object") }
        guard case .string(let type)? = feature["geometry"]?["type"], let tree = feature["geometry"]?["coordinates"] else {
            fail("\(place): no geometry with a type and coordinates")
        }
        let polygons: [JSON]
        switch (type, tree) {
        case ("Polygon", _): polygons = [tree]
        case ("MultiPolygon", .array(let list)): polygons = list
        default: fail("\(place): expected a Polygon or a MultiPolygon, found \(type)")
        }
        var ringsPerPolygon: [Int] = [], positionsPerRing: [Int] = []
        for polygon in polygons {
            guard case .array(let rings) = polygon else { fail("\(place): a polygon is not an array of rings") }
            ringsPerPolygon.append(rings.count)
            for ring in rings { positionsPerRing.append(add(ring: ring, place: place)) }
        }
        let members = properties.map { "                (\(SwiftLiteral.string($0.0)), \(Self.value($0.1, place: "\(place), property \($0.0)", in: self)))," }
        features.append("""
                    EmbeddedPolygonFeature(
                        properties: [
            \(members.joined(separator: "\n"))
                        ],
                        ringsPerPolygon: \(ringsPerPolygon),
                        positionsPerRing: \(positionsPerRing)
                    ),
            """)
    }

    /// Appends the ring's positions (longitude, latitude; a third number is dropped) and returns their count.
    private mutating func add(ring: JSON, place: String) -> Int {
        guard case .array(let positions) = ring, !positions.isEmpty else { fail("\(place): a ring is not a non-empty array of positions") }
        for position in positions {
            guard case .array(let numbers) = position, numbers.count >= 2,
                  case .number(let longitude) = numbers[0], case .number(let latitude) = numbers[1] else {
                fail("\(place): a position is not an array of at least two numbers")
            }
            coordinates += [longitude, latitude]
            west = min(west, longitude); east = max(east, longitude)
            south = min(south, latitude); north = max(north, latitude)
        }
        return positions.count
    }

    private static func value(_ value: JSON, place: String, in layer: PolygonLayerSource) -> String {
        switch value {
        case .null: return "EmbeddedValue.null"
        case .bool(let b): return "EmbeddedValue.bool(\(b))"
        case .number(let n): return "EmbeddedValue.number(\(SwiftLiteral.double(n)))"
        case .string(let s): return "EmbeddedValue.string(\(SwiftLiteral.string(s)))"
        case .array, .object: layer.fail("\(place): expected a string, a number, a boolean or null")
        }
    }

    private var source: String {
        let extent = [west, south, east, north].map(SwiftLiteral.double)
        let lines = SwiftLiteral.base64Doubles(coordinates).map { "    \($0)" }
        return """
            EmbeddedPolygonLayer(
                features: [
            \(features.joined(separator: "\n"))
                ],
                extent: (west: \(extent[0]), south: \(extent[1]), east: \(extent[2]), north: \(extent[3])),
                positionCount: \(coordinates.count / 2),
                coordinatesBase64: \"""
            \(lines.joined(separator: "\n"))
                \"""
            )
            """
    }
}
