import CPROJ

/// The shortest path between two points on the WGS 84 ellipsoid, from PROJ's geodesic routines
/// (Karney's algorithms, `geod_inverse`): accurate to nanometres.
public struct GeodesicLine: Equatable, Sendable {
    public let distanceMetres: Double
    /// Azimuth at the start, degrees clockwise from north, in [0, 360).
    public let initialAzimuth: Double
    /// Azimuth at the end, as travelled, degrees clockwise from north, in [0, 360).
    public let finalAzimuth: Double
}

public enum Geodesic {
    /// WGS 84: a = 6378137 m, f = 1/298.257223563.
    private static func wgs84() -> geod_geodesic {
        var g = geod_geodesic()
        geod_init(&g, 6_378_137, 1 / 298.257223563)
        return g
    }

    /// The geodesic from one longitude/latitude (degrees) to another.
    public static func inverse(fromLongitude lon1: Double, latitude lat1: Double,
                               toLongitude lon2: Double, latitude lat2: Double) -> GeodesicLine {
        var g = wgs84()
        var s12 = 0.0, azi1 = 0.0, azi2 = 0.0
        geod_inverse(&g, lat1, lon1, lat2, lon2, &s12, &azi1, &azi2)
        func normalized(_ a: Double) -> Double {
            let r = a.truncatingRemainder(dividingBy: 360)
            return r < 0 ? r + 360 : r
        }
        return GeodesicLine(distanceMetres: s12, initialAzimuth: normalized(azi1), finalAzimuth: normalized(azi2))
    }

    /// The ring of points at `radiusMetres` from a centre on the WGS 84 ellipsoid (PROJ's
    /// `geod_direct` along `points` azimuths), counter-clockwise from due north, not closed: the
    /// exterior ring of a circle polygon as GeoJSON and OGC simple features orient it. Empty when
    /// the radius is not a positive finite number or fewer than 3 points are asked for.
    public static func circle(center: (longitude: Double, latitude: Double), radiusMetres: Double,
                              points: Int = 64) -> [(longitude: Double, latitude: Double)] {
        guard radiusMetres.isFinite, radiusMetres > 0, points >= 3, points <= 1 << 20 else { return [] }
        var g = wgs84()
        var ring: [(longitude: Double, latitude: Double)] = []
        ring.reserveCapacity(points)
        for i in 0..<points {
            // Decreasing azimuths turn counter-clockwise; 0 and 360 are the same direction.
            let azimuth = i == 0 ? 0 : 360 - Double(i) * 360 / Double(points)
            var lat = 0.0, lon = 0.0
            geod_direct(&g, center.latitude, center.longitude, azimuth, radiusMetres, &lat, &lon, nil)
            ring.append((longitude: lon, latitude: lat))
        }
        return ring
    }
}
