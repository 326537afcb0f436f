import Testing
@testable import Projection

/// CRSs that are valid for PROJ but wrong for 2D exports, and what is read through bound and
/// compound CRSs.
@Suite struct HorizontalCRSTests {
    struct Refused: Sendable, CustomStringConvertible {
        let definition: String
        let kindWords: String
        var description: String { definition }
    }

    static let refused = [
        Refused(definition: "EPSG:4978", kindWords: "geocentric"),
        Refused(definition: "EPSG:5773", kindWords: "vertical"),
        Refused(definition: "EPSG:4979", kindWords: "geographic 3D"),
        Refused(definition: #"ENGCRS["Camp grid",EDATUM["Camp gate"],CS[Cartesian,2],AXIS["x",east,LENGTHUNIT["metre",1]],AXIS["y",north,LENGTHUNIT["metre",1]]]"#,
                kindWords: "engineering"),
        Refused(definition: #"TIMECRS["GPS time",TDATUM["Time origin",TIMEORIGIN[1980-01-06]],CS[TemporalCount,1],AXIS["time",future,TIMEUNIT["day",86400]]]"#,
                kindWords: "temporal"),
    ]

    @Test(arguments: refused)
    func notHorizontal2DIsRefusedNamingTheCRSAndItsKind(_ c: Refused) throws {
        let crs = try CRS(c.definition)
        let error = #expect(throws: ProjectionError.self) { try crs.horizontal2D() }
        #expect(error?.kind == .unsuitableCRS, "\(String(describing: error))")
        let text = error?.description ?? ""
        #expect(text.contains(c.kindWords) && text.contains(crs.name), "\(text)")
        #expect(text.contains("EPSG:4326 or EPSG:32630"), "says what to give: \(text)")
    }

    @Test func compoundGivesItsHorizontalPartAndNamesTheVerticalOne() throws {
        let geographic = try CRS("EPSG:4326+3855").horizontal2D()
        #expect(geographic.crs.authorityString == "EPSG:4326")
        #expect(geographic.droppedVertical == "EGM2008 height")
        #expect(geographic.crs.axes.map(\.unit.name) == ["degree", "degree"])
        let projected = try CRS("EPSG:32630+5773").horizontal2D()
        #expect(projected.crs.authorityString == "EPSG:32630")
        #expect(projected.crs.axisUnit == "metre")
        let plain = try CRS("EPSG:32630").horizontal2D()
        #expect(plain.droppedVertical == nil)
    }

    @Test func boundCRSIsJudgedByItsBase() throws {
        let towgs84 = try CRS("+proj=longlat +ellps=clrk80 +towgs84=-166,-15,204")
        #expect(towgs84.kind == .bound)
        #expect(towgs84.isGeographic, "a +towgs84 longlat is geographic")
        #expect(towgs84.axes.first?.unit.kind == .angular)
        #expect(try towgs84.horizontal2D().crs === towgs84, "the +towgs84 must stay with the CRS")
        let feet = try CRS("+proj=utm +zone=30 +datum=WGS84 +units=us-ft")
        let unit = try #require(feet.axes.first?.unit)
        #expect(unit.kind == .linear && abs(unit.toSI - 1200.0 / 3937.0) < 1e-12, "\(unit)")
    }

    @Test func identificationKeepsLookAlikesOut() throws {
        // PROJ proposes the metre zone for the US-foot one at 50 %: not the same CRS.
        let feet = try CRS("+proj=utm +zone=30 +datum=WGS84 +units=us-ft")
        let best = try #require(feet.identification.first)
        #expect(best.identifier == "EPSG:32630" && best.confidence < 70 && !best.isEquivalent, "\(best)")
        #expect(feet.authorityCode == nil && feet.ogcURN == nil)
        let metres = try CRS("+proj=utm +zone=30 +datum=WGS84")
        #expect(metres.ogcURN == "urn:ogc:def:crs:EPSG::32630")
        #expect(try CRS("+proj=longlat +pm=paris +ellps=WGS84").ogcURN == nil)
    }
}

@Suite struct MissingGridTests {
    @Test func transformationNamesTheGridAndClearsTheData() {
        let error = #expect(throws: ProjectionError.self) {
            try Transformer(from: "EPSG:4326", to: "+proj=longlat +ellps=clrk80 +nadgrids=foo.gsb")
        }
        #expect(error?.kind == .gridMissing, "\(String(describing: error))")
        let text = error?.description ?? ""
        #expect(text.contains("'foo.gsb'") && text.contains("not at fault"), "\(text)")
        #expect(error?.operation.contains("create a transformation") == true)
    }

    @Test func optionalGridThatIsMissingIsNotSkippedSilently() throws {
        // PROJ would skip a missing @grid and write every point unshifted.
        for definition in ["+proj=longlat +ellps=clrk80 +nadgrids=@foo.gsb", "+proj=longlat +datum=WGS84 +nadgrids=@foo.gsb"] {
            let crs = try CRS(definition)
            let error = #expect(throws: ProjectionError.self, "\(definition)") { try crs.requireInstalledGrids() }
            #expect(error?.kind == .gridMissing && error?.description.contains("@foo.gsb") == true, "\(String(describing: error))")
        }
        // Grids that are installed pass: proj-data ships egm96_15.gtx, and +towgs84 needs none.
        try CRS("+proj=longlat +ellps=clrk80 +towgs84=-166,-15,204").requireInstalledGrids()
        _ = try Transformer(from: "EPSG:4326", to: "EPSG:5773")
    }

    @Test func pointErrorsStillCarryPROJsCodeAndWords() throws {
        let ortho = try Transformer(from: "OGC:CRS84", to: "+proj=ortho +lat_0=17 +lon_0=-4 +ellps=WGS84")
        let error = #expect(throws: ProjectionError.self) { try ortho.transform(XY(x: 170, y: 0)) }
        #expect(error?.kind == .outOfDomain && error?.code == 2050 && error?.message.isEmpty == false)
        #expect(error?.detail == nil)
    }
}
