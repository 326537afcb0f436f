/// The coordinate reference system of an export's coordinates, as the writers need it. A plain
/// description with no PROJ object behind it (the pipeline fills it in from a `CRS`).
public struct OutputCRS: Sendable, Equatable {
    /// Human name, e.g. `WGS 84 / UTM zone 30N`.
    public let name: String
    /// `EPSG:32630`, `OGC:CRS84`, or nil for a CRS without an authority code.
    public let authority: String?
    public let epsgCode: Int?
    /// The URN of GeoJSON's legacy `crs` member, when there is one.
    public let ogcURN: String?
    /// ISO WKT2 (GeoPackage, QGIS) and ESRI WKT1 (`.prj` sidecars).
    public let wkt2: String
    public let wktESRI: String?
    /// OGC WKT 1 as GDAL writes it (the `definition` of a GeoPackage SRS).
    public let wkt1: String?
    public let isGeographic: Bool
    /// Axis unit name, e.g. `metre` or `degree`.
    public let unit: String
    /// True for WGS 84 longitude/latitude, the CRS of RFC 7946 GeoJSON and of KML.
    public let isWGS84LongitudeLatitude: Bool
    /// Decimals written for x and y, from the axis unit: 7 for degrees (about 1 cm), 3 for
    /// metres (1 mm), as many as make about 1 mm in other units (3 for US feet).
    public let decimals: Int
    /// Where the CRS is meant to be used, in degrees of longitude and latitude; nil when PROJ
    /// records none (PROJ strings, WKT without a BBOX).
    public let areaOfUse: GeoBox?
    /// The area's description, e.g. `Between 6°W and 0°W, northern hemisphere ...`.
    public let areaOfUseName: String?
    /// What differs from the CRS asked for (the vertical part of a compound CRS left out).
    public let note: String?

    public init(name: String, authority: String?, epsgCode: Int?, ogcURN: String?, wkt2: String, wktESRI: String?,
                wkt1: String?, isGeographic: Bool, unit: String, isWGS84LongitudeLatitude: Bool,
                decimals: Int? = nil, areaOfUse: GeoBox? = nil, areaOfUseName: String? = nil, note: String? = nil) {
        self.name = name
        self.authority = authority
        self.epsgCode = epsgCode
        self.ogcURN = ogcURN
        self.wkt2 = wkt2
        self.wktESRI = wktESRI
        self.wkt1 = wkt1
        self.isGeographic = isGeographic
        self.unit = unit
        self.isWGS84LongitudeLatitude = isWGS84LongitudeLatitude
        self.decimals = decimals ?? (isGeographic ? 7 : 3)
        self.areaOfUse = areaOfUse
        self.areaOfUseName = areaOfUseName
        self.note = note
    }

    /// EPSG:4326 in WKT2, as `projinfo EPSG:4326` prints it: the CRS of GeoPackage layers written
    /// in WGS 84 (GeoPackage's 4326 stores longitude first).
    public static let epsg4326WKT2 = #"GEOGCRS["WGS 84",ENSEMBLE["World Geodetic System 1984 ensemble",MEMBER["World Geodetic System 1984 (Transit)"],MEMBER["World Geodetic System 1984 (G730)"],MEMBER["World Geodetic System 1984 (G873)"],MEMBER["World Geodetic System 1984 (G1150)"],MEMBER["World Geodetic System 1984 (G1674)"],MEMBER["World Geodetic System 1984 (G1762)"],MEMBER["World Geodetic System 1984 (G2139)"],ELLIPSOID["WGS 84",6378137,298.257223563,LENGTHUNIT["metre",1]],ENSEMBLEACCURACY[2.0]],PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],CS[ellipsoidal,2],AXIS["geodetic latitude (Lat)",north,ORDER[1],ANGLEUNIT["degree",0.0174532925199433]],AXIS["geodetic longitude (Lon)",east,ORDER[2],ANGLEUNIT["degree",0.0174532925199433]],USAGE[SCOPE["Horizontal component of 3D system."],AREA["World."],BBOX[-90,-180,90,180]],ID["EPSG",4326]]"#

    /// WGS 84 in longitude, latitude order, with PROJ's WKT for it (as `projinfo OGC:CRS84`
    /// prints it), so writers and tests need no PROJ to describe the default.
    public static let wgs84 = OutputCRS(
        name: "WGS 84 (CRS84)", authority: "OGC:CRS84", epsgCode: nil, ogcURN: "urn:ogc:def:crs:OGC:1.3:CRS84",
        wkt2: #"GEOGCRS["WGS 84 (CRS84)",ENSEMBLE["World Geodetic System 1984 ensemble",MEMBER["World Geodetic System 1984 (Transit)"],MEMBER["World Geodetic System 1984 (G730)"],MEMBER["World Geodetic System 1984 (G873)"],MEMBER["World Geodetic System 1984 (G1150)"],MEMBER["World Geodetic System 1984 (G1674)"],MEMBER["World Geodetic System 1984 (G1762)"],MEMBER["World Geodetic System 1984 (G2139)"],ELLIPSOID["WGS 84",6378137,298.257223563,LENGTHUNIT["metre",1]],ENSEMBLEACCURACY[2.0]],PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],CS[ellipsoidal,2],AXIS["geodetic longitude (Lon)",east,ORDER[1],ANGLEUNIT["degree",0.0174532925199433]],AXIS["geodetic latitude (Lat)",north,ORDER[2],ANGLEUNIT["degree",0.0174532925199433]],USAGE[SCOPE["Not known."],AREA["World."],BBOX[-90,-180,90,180]],ID["OGC","CRS84"]]"#,
        wktESRI: #"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#,
        wkt1: #"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]"#,
        isGeographic: true, unit: "degree", isWGS84LongitudeLatitude: true,
        areaOfUse: GeoBox(west: -180, south: -90, east: 180, north: 90), areaOfUseName: "World.")
}
