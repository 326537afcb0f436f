import Testing
@testable import Projection

/// Known answers, with their provenance and tolerances: 1 mm for projected coordinates,
/// 1e-9 degrees for geographic ones.
@Suite struct KnownAnswerTests {
    let millimetre = 0.001

    struct Case: Sendable {
        let crs: String
        let lon: Double, lat: Double
        let x: Double, y: Double
    }

    // Expected values from PROJ 9.1.1's cs2cs on this machine (EPSG:4326 input is latitude first):
    //   printf "16.2472 -0.0194\n18.42801 1.41351\n12.5335 -7.9499\n" | cs2cs -f "%.6f" EPSG:4326 <CRS>
    // for Gao, Kidal and the Bamako headquarters (coordinates from Data/minusma-sites.csv).
    static let cs2csCases: [Case] = [
        Case(crs: "EPSG:32630", lon: -0.0194, lat: 16.2472, x: 818626.088619, y: 1798599.828008),
        Case(crs: "EPSG:32630", lon: 1.41351, lat: 18.42801, x: 966457.248093, y: 2043227.122303),
        Case(crs: "EPSG:32630", lon: -7.9499, lat: 12.5335, x: -38369.734082, y: 1390604.108373),
        Case(crs: "EPSG:3857", lon: -0.0194, lat: 16.2472, x: -2159.598121, y: 1833367.723038),
        Case(crs: "EPSG:3857", lon: 1.41351, lat: 18.42801, x: 157351.213431, y: 2087707.726574),
        Case(crs: "EPSG:3857", lon: -7.9499, lat: 12.5335, x: -884978.819857, y: 1406485.183946),
        Case(crs: "ESRI:102022", lon: -0.0194, lat: 16.2472, x: -2613681.982679, y: 1882863.729472),
        Case(crs: "ESRI:102022", lon: 1.41351, lat: 18.42801, x: -2466460.189987, y: 2129835.761495),
        Case(crs: "ESRI:102022", lon: -7.9499, lat: 12.5335, x: -3436151.024715, y: 1448199.026837),
        Case(crs: "UTM:31N", lon: -0.0194, lat: 16.2472, x: 177222.950640, y: 1798660.693508),
        Case(crs: "UTM:31N", lon: 1.41351, lat: 18.42801, x: 332442.604528, y: 2038273.405960),
        Case(crs: "UTM:31N", lon: -7.9499, lat: 12.5335, x: -696255.076325, y: 1410579.832204),
    ]

    @Test(arguments: cs2csCases)
    func matchesCs2cs(_ c: Case) throws {
        let definition = try CRSRequest(parsing: c.crs).resolved(dataCentre: (0, 0))
        let t = try Transformer(from: "EPSG:4326", to: definition)
        let out = try t.transform(XY(x: c.lon, y: c.lat))
        #expect(abs(out.x - c.x) <= millimetre, "\(c.crs) x \(out.x) vs \(c.x)")
        #expect(abs(out.y - c.y) <= millimetre, "\(c.crs) y \(out.y) vs \(c.y)")
    }

    /// PROJ's own test file test/gie/builtins.gie (Albers Equal Area section):
    ///   operation +proj=aea +ellps=GRS80 +lat_1=0 +lat_2=2, tolerance 0.1 mm
    ///   accept 2 1 / expect 222571.608757106 110653.326743030
    ///   direction inverse: accept 200 100 / expect 0.001796631 0.000904369
    @Test func matchesPROJsOwnTestVector() throws {
        let t = try Transformer(from: "+proj=longlat +ellps=GRS80", to: "+proj=aea +ellps=GRS80 +lat_1=0 +lat_2=2")
        let out = try t.transform(XY(x: 2, y: 1))
        #expect(abs(out.x - 222571.608757106) <= 0.0001)
        #expect(abs(out.y - 110653.326743030) <= 0.0001)
        let back = try t.transform(XY(x: 200, y: 100), .inverse)
        #expect(abs(back.x - 0.001796631) <= 1e-9)
        #expect(abs(back.y - 0.000904369) <= 1e-9)
    }

    /// EPSG:4326 is latitude-first by definition; the transformer must still take longitude first.
    @Test func epsg4326TakesLongitudeFirst() throws {
        let a = try Transformer(from: "EPSG:4326", to: "EPSG:32630")
        let b = try Transformer(from: "OGC:CRS84", to: "EPSG:32630")
        let p = XY(x: -0.0194, y: 16.2472)
        #expect(try a.transform(p) == b.transform(p))
        let geographic = try Transformer(from: "EPSG:4326", to: "EPSG:4326")
        #expect(try geographic.transform(p) == p)
    }

    @Test func batchAgreesWithSinglePoints() throws {
        let t = try Transformer(from: "EPSG:4326", to: "EPSG:32630")
        var xs = Self.cs2csCases.prefix(3).map(\.lon), ys = Self.cs2csCases.prefix(3).map(\.lat)
        try t.transform(x: &xs, y: &ys)
        for (i, c) in Self.cs2csCases.prefix(3).enumerated() {
            #expect(abs(xs[i] - c.x) <= millimetre && abs(ys[i] - c.y) <= millimetre)
        }
    }
}

@Suite struct CRSDescriptionTests {
    @Test func describesProjectedCRS() throws {
        let crs = try CRS("EPSG:32630")
        #expect(crs.name == "WGS 84 / UTM zone 30N")
        #expect(crs.kind == .projected)
        #expect(crs.axisUnit == "metre")
        #expect(crs.epsgCode == 32630)
        #expect(crs.ogcURN == "urn:ogc:def:crs:EPSG::32630")
        #expect(crs.wkt(.wkt1ESRI)?.hasPrefix("PROJCS[\"WGS_1984_UTM_Zone_30N\"") == true)
    }

    @Test func describesGeographicCRS() throws {
        let crs = try CRS("OGC:CRS84")
        #expect(crs.isGeographic)
        #expect(crs.axisUnit == "degree")
        #expect(crs.epsgCode == nil)
        #expect(crs.authorityString == "OGC:CRS84")
        #expect(crs.ogcURN == "urn:ogc:def:crs:OGC:1.3:CRS84")
    }

    @Test func identifiesAProjStringAsEPSG() throws {
        let crs = try CRS("+proj=utm +zone=30 +datum=WGS84 +units=m +no_defs")
        #expect(crs.kind == .projected)
        #expect(crs.epsgCode == 32630)
    }

    @Test func parsesWKTAndESRICodes() throws {
        let wkt = try #require(try CRS("EPSG:32631").wkt())
        #expect(try CRS(wkt).epsgCode == 32631)
        let albers = try CRS("ESRI:102022")
        #expect(albers.name == "Africa_Albers_Equal_Area_Conic")
        #expect(albers.authorityString == "ESRI:102022")
    }

    @Test func resolvesUTMRequests() throws {
        // Mali's centre (Natural Earth extent) and the sites' centre both fall in zone 30N.
        #expect(try CRSRequest(parsing: "UTM").resolved(dataCentre: (-4.0, 17.6)) == "EPSG:32630")
        #expect(try CRSRequest(parsing: "utm:31n").resolved(dataCentre: (0, 0)) == "EPSG:32631")
        #expect(try CRSRequest(parsing: "UTM:28S").resolved(dataCentre: (0, 0)) == "EPSG:32728")
        #expect(throws: ProjectionError.self) { try CRSRequest(parsing: "UTM:61N") }
        #expect(CRSRequest.utmZone(longitude: -12.2, latitude: 14) == (28, true))
        #expect(CRSRequest.utmZone(longitude: 4.2, latitude: 20) == (31, true))
    }
}
