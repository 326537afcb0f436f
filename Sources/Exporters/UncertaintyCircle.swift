import FeatureCore
import Projection

/// A feature's uncertainty as a polygon: the closed ring of points at the radius from the centre,
/// each computed on the WGS 84 ellipsoid by PROJ's `geod_direct` (so a vertex is at the radius to
/// the millimetre, however far north and however large the circle). Always longitude/latitude.
enum UncertaintyCircle {
    /// Vertices of a circle; the 65th closes the ring.
    static let vertexCount = 64

    /// The closed ring, x the longitude and y the latitude, counter-clockwise.
    static func ring(_ u: PositionUncertainty) -> [XY] {
        let points = Geodesic.circle(center: (longitude: u.center.longitude, latitude: u.center.latitude),
                                     radiusMetres: u.radiusMetres, points: vertexCount)
        var ring = points.map { XY(x: $0.longitude, y: $0.latitude) }
        if let first = ring.first { ring.append(first) }
        return ring
    }

    /// The QGIS style of a GeoPackage's circle layer: a light fill under a thin outline, so the
    /// points on top stay readable.
    static func qml() -> String {
        QGISStyle.header + "<qgis version=\"3.22.16-Białowieża\" styleCategories=\"Symbology\" labelsEnabled=\"0\">\n"
            + "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <symbols>\n"
            + QGISStyle.fillSymbol(name: "0", fill: "#0072B2", fillAlpha: 40, outline: "#0072B2", width: "0.3")
            + "    </symbols>\n  </renderer-v2>\n</qgis>\n"
    }
}
