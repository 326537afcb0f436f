import FeatureCore
import Projection

extension OutputCRS {
    /// Describes a PROJ CRS for the writers. The ESRI dialect (for `.prj` files) takes PROJ a
    /// couple of milliseconds, so it is made only when asked for.
    public init(_ crs: CRS, withESRIWKT: Bool = true) {
        let authority = crs.authorityString
        let isWGS84 = authority == "OGC:CRS84" || authority == "EPSG:4326"
        if authority == "OGC:CRS84" {
            self = .wgs84
            return
        }
        self.init(name: crs.name, authority: authority, epsgCode: crs.epsgCode, ogcURN: crs.ogcURN,
                  wkt2: crs.wkt(.wkt2) ?? crs.definition, wktESRI: withESRIWKT ? crs.wkt(.wkt1ESRI) : nil, wkt1: crs.wkt(.wkt1GDAL),
                  isGeographic: crs.isGeographic, unit: crs.axisUnit, isWGS84LongitudeLatitude: isWGS84)
    }
}
