import Testing
@testable import Projection

@Suite struct ErrorTests {
    @Test func unknownCRSNamesTheCRS() {
        let error = #expect(throws: ProjectionError.self) { try CRS("EPSG:99999") }
        #expect(error?.kind == .unknownCRS)
        #expect(error?.description.contains("EPSG:99999") == true)
        // PROJ's own words are kept, not just "Unknown error".
        #expect(error?.message.isEmpty == false)
    }

    @Test func transformationToUnknownCRSSaysWhatWasBeingDone() {
        let error = #expect(throws: ProjectionError.self) { try Transformer(from: "EPSG:4326", to: "EPSG:99999") }
        #expect(error?.operation.contains("EPSG:99999") == true)
    }

    @Test func garbageInputIsAnError() {
        for garbage in ["not a crs !!", "", "+proj=nonsense", "EPSG:", "PROJCS[\"broken\""] {
            let error = #expect(throws: ProjectionError.self, "\(garbage)") { try CRS(garbage) }
            #expect(error?.kind == .unknownCRS, "\(garbage): \(String(describing: error))")
        }
    }

    @Test func anOperationIsNotACRS() {
        let error = #expect(throws: ProjectionError.self) { try CRS("+proj=pipeline +step +proj=axisswap +order=2,1") }
        #expect(error != nil)
    }

    @Test func pointOutsideTheDomainIsAnErrorNotInfinity() throws {
        // An orthographic view centred on Mali cannot show the far side of the Earth.
        let ortho = try Transformer(from: "OGC:CRS84", to: "+proj=ortho +lat_0=17 +lon_0=-4 +ellps=WGS84")
        let error = #expect(throws: ProjectionError.self) { try ortho.transform(XY(x: 170, y: 0)) }
        #expect(error?.kind == .outOfDomain)
        #expect(error?.code == 2050, "PROJ_ERR_COORD_TRANSFM_OUTSIDE_PROJECTION_DOMAIN, got \(String(describing: error))")
        #expect(error?.description.contains("170.0, 0.0") == true)
        var xs = [0.0, 170.0, -4.0], ys = [10.0, 0.0, 17.0]
        let batch = #expect(throws: ProjectionError.self) { try ortho.transform(x: &xs, y: &ys) }
        #expect(batch?.operation.contains("point 2 of 3") == true, "\(String(describing: batch))")
        // A latitude beyond the pole is refused too, not turned into infinity.
        let utm = try Transformer(from: "OGC:CRS84", to: "EPSG:32630")
        #expect(throws: ProjectionError.self) { try utm.transform(XY(x: 0, y: 95)) }
    }

    @Test func missingDatabaseIsExplained() {
        let context = ProjContext(searchPaths: ["/nonexistent"])
        let error = #expect(throws: ProjectionError.self) { try CRS("EPSG:32630", context: context) }
        #expect(error?.kind == .databaseMissing, "\(String(describing: error))")
        #expect(error?.description.contains("proj-data") == true)
    }
}

@Suite struct GeodesicTests {
    struct Pair: Sendable {
        let lon1, lat1, lon2, lat2: Double
        let distance, azimuth1, backAzimuth: Double
    }

    // From PROJ's geod on this machine:
    //   echo "LAT1 LON1 LAT2 LON2" | geod +ellps=WGS84 -I -f "%.9f" -F "%.6f"
    // prints the forward azimuth, the back azimuth (from point 2 to point 1) and metres.
    // Pairs: Gao -> Kidal, Bamako HQ -> Ogossagou, Tessalit -> Mopti-Sévaré (Data/minusma-sites.csv).
    static let pairs = [
        Pair(lon1: -0.0194, lat1: 16.2472, lon2: 1.41351, lat2: 18.42801,
             distance: 285389.935678, azimuth1: 32.043403986, backAzimuth: -147.529488695),
        Pair(lon1: -7.9499, lat1: 12.5335, lon2: -3.5706, lat2: 13.9583,
             distance: 500087.369847, azimuth1: 71.134464373, backAzimuth: -107.861559394),
        Pair(lon1: 0.98889, lat1: 20.25361, lon2: -4.0902, lat2: 14.51702,
             distance: 833108.802079, azimuth1: -138.841015836, backAzimuth: 39.638547762),
    ]

    @Test(arguments: pairs)
    func matchesGeod(_ p: Pair) {
        let line = Geodesic.inverse(fromLongitude: p.lon1, latitude: p.lat1, toLongitude: p.lon2, latitude: p.lat2)
        #expect(abs(line.distanceMetres - p.distance) <= 0.001)
        func same(_ a: Double, _ b: Double) -> Bool {
            let d = abs((a - b).truncatingRemainder(dividingBy: 360))
            return min(d, 360 - d) <= 1e-8
        }
        #expect(same(line.initialAzimuth, p.azimuth1))
        // geod's back azimuth points back to the start; the final azimuth points onwards.
        #expect(same(line.finalAzimuth, p.backAzimuth + 180))
    }
}
