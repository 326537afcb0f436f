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
}
