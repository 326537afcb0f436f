/// A position on the WGS 84 ellipsoid in degrees. Longitude comes first, as in GeoJSON and in
/// PROJ's GIS order; the labels make the order explicit at every call site.
public struct GeoPosition: Hashable, Sendable {
    public var longitude: Double
    public var latitude: Double

    public init(longitude: Double, latitude: Double) {
        self.longitude = longitude
        self.latitude = latitude
    }
}

/// A longitude/latitude box, used for Mali's extent and for collection extents.
public struct GeoBox: Hashable, Sendable {
    public var west: Double, south: Double, east: Double, north: Double

    public init(west: Double, south: Double, east: Double, north: Double) {
        self.west = west
        self.south = south
        self.east = east
        self.north = north
    }

    public func contains(_ p: GeoPosition) -> Bool {
        p.longitude >= west && p.longitude <= east && p.latitude >= south && p.latitude <= north
    }

    public var center: GeoPosition {
        GeoPosition(longitude: (west + east) / 2, latitude: (south + north) / 2)
    }

    /// Mali's extent from the Natural Earth 1:10m outline in `Data/basemap/mali_admin0.geojson`
    /// (-12.26413, 10.140054, 4.235638, 24.995065), rounded outwards to 0.01 degree. (A computed
    /// constant: checked for every row, it should not cost a lazy-initialisation check.)
    public static var mali: GeoBox { GeoBox(west: -12.27, south: 10.14, east: 4.24, north: 25.00) }
}
