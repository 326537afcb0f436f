import Foundation
import Testing
import TestSupport

/// `--crs` values that used to give "wrong places, exit 0": each export either lands where the
/// data says once GDAL reads it back, or is refused with an error naming what to give.
@Suite struct CRSSafetyTests {
    /// Exports the built-in sites in `crs` into a new folder.
    static func export(_ crs: String, formats: String? = nil, data: String? = nil) throws -> (dir: String, result: CommandResult) {
        let dir = try TestSupport.temporaryFolder("minusma-crs")
        var arguments = ["export", "--out", dir, "--crs", crs]
        if let formats { arguments += ["--format", formats] }
        if let data { arguments += ["--data", data, "--name", "minusma-sites"] }
        return (dir, try TestSupport.minusma(arguments))
    }

    /// Longitude/latitude of every feature, as GDAL reprojects the file to EPSG:4326 with the
    /// CRS it reads from the file itself.
    static func inWGS84(_ path: String, layer: String? = nil) throws -> [String: (lon: Double, lat: Double)] {
        var arguments = ["-q", "-f", "CSV", "/vsistdout/", "-t_srs", "EPSG:4326", "-lco", "GEOMETRY=AS_XY", "-select", "id", path]
        if let layer { arguments.append(layer) }
        let r = try TestSupport.run("ogr2ogr", arguments)
        #expect(r.status == 0, "ogr2ogr \(path): \(r.stderr)")
        var out: [String: (lon: Double, lat: Double)] = [:]
        for line in r.stdout.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count == 3, let x = Double(cells[0]), let y = Double(cells[1]) else { continue }
            out[String(cells[2])] = (x, y)
        }
        return out
    }

    /// Every built-in site within `metres` of Data/minusma-sites.csv in `path` read back by GDAL.
    static func expectSitesInPlace(_ path: String, layer: String? = nil, within metres: Double = 1) throws {
        let read = try inWGS84(path, layer: layer)
        let rows = try DataFile.rows()
        #expect(read.count == rows.count, "\(path): \(read.count) features")
        for row in rows {
            let p = try #require(read[row.id], "\(path): \(row.id)")
            // A degree of latitude is 110.6 km or more; of longitude, cos(latitude) of 111.3 km.
            let dy = (p.lat - row.lat) * 110_574, dx = (p.lon - row.lon) * 111_320 * cos(row.lat * .pi / 180)
            #expect((dx * dx + dy * dy).squareRoot() <= metres, "\(path) \(row.id): \(p) vs \(row.lon), \(row.lat)")
        }
    }

    static let paris = "+proj=longlat +pm=paris +ellps=WGS84"

    /// The `x` cells of a projected CSV export: `x`, `y` and `wkt` are its last three columns,
    /// and the WKT has no comma, so counting from the end needs no CSV parser.
    static func xCells(_ csvPath: String) throws -> [Substring] {
        let lines = try TestSupport.read(csvPath).split(separator: "\n")
        #expect(lines.first?.hasSuffix(",x,y,wkt") == true, "\(lines.first ?? "")")
        return lines.dropFirst().map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            return cells.count >= 3 ? cells[cells.count - 3] : ""
        }
    }

    static func decimals(_ cell: Substring) -> Int {
        cell.split(separator: ".", omittingEmptySubsequences: false).dropFirst().first?.count ?? 0
    }

    @Test func geoJSONWithoutAnAuthorityCodeIsRefusedNotReadAsWGS84() throws {
        if let missing = TestSupport.requireTool("ogr2ogr") { Issue.record(Comment(rawValue: missing)); return }
        // GeoJSON can only name a CRS by URN; without one GDAL reads these as WGS 84, 254 km west.
        let (dir, refused) = try Self.export(Self.paris, formats: "geojson")
        #expect(refused.status == 64, "\(refused.stderr)")
        #expect(refused.stderr.contains("give an EPSG code such as EPSG:32630"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/minusma-sites.geojson"))
        // The same CRS in the CSV (.prj) and the GeoPackage: GDAL puts Bamako where it is.
        let (other, written) = try Self.export(Self.paris, formats: "csv,gpkg")
        #expect(written.status == 0, "\(written.stderr)")
        try Self.expectSitesInPlace(other + "/minusma-sites.csv")
        try Self.expectSitesInPlace(other + "/minusma-sites.gpkg", layer: "minusma_sites")
        let bamako = try #require(try Self.inWGS84(other + "/minusma-sites.gpkg", layer: "minusma_sites")["bamako-hq"])
        #expect(abs(bamako.lon - -7.9499) < 1e-7 && abs(bamako.lat - 12.5335) < 1e-7, "\(bamako)")
    }

    @Test func aLookAlikeIdentificationIsNotWrittenAsTheCRS() throws {
        // PROJ matches UTM 30N in US feet to EPSG:32630 (metres) at 50 %: labelling the feet
        // as metres would put every site 3.28 times too far from the origin.
        let (_, feet) = try Self.export("+proj=utm +zone=30 +datum=WGS84 +units=us-ft", formats: "geojson")
        #expect(feet.status == 64 && feet.stderr.contains("EPSG:32630") && feet.stderr.contains("50 %"), "\(feet.stderr)")
        // An identifiable PROJ string gets its URN, and GDAL reads it right.
        if let missing = TestSupport.requireTool("ogr2ogr") { Issue.record(Comment(rawValue: missing)); return }
        let (dir, metres) = try Self.export("+proj=utm +zone=30 +datum=WGS84", formats: "geojson")
        #expect(metres.status == 0, "\(metres.stderr)")
        #expect(try TestSupport.read(dir + "/minusma-sites.geojson").contains("\"urn:ogc:def:crs:EPSG::32630\""))
        try Self.expectSitesInPlace(dir + "/minusma-sites.geojson")
    }

    @Test(arguments: [("EPSG:4978", "geocentric"), ("EPSG:5773", "vertical"), ("EPSG:4979", "geographic 3D")])
    func notHorizontal2DIsRefused(_ crs: String, _ kind: String) throws {
        let (dir, r) = try Self.export(crs)
        #expect(r.status == 64, "\(crs): \(r.status) \(r.stderr)")
        #expect(r.stderr.contains(crs) && r.stderr.contains(kind), "\(r.stderr)")
        #expect((try FileManager.default.contentsOfDirectory(atPath: dir)).isEmpty, "nothing written for \(crs)")
    }

    @Test func compoundCRSIsWrittenInItsHorizontalPartWithSevenDecimals() throws {
        if let missing = TestSupport.requireTool("ogr2ogr") { Issue.record(Comment(rawValue: missing)); return }
        let (dir, r) = try Self.export("EPSG:4326+3855", formats: "geojson,csv,gpkg")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("EGM2008 height") && r.stderr.contains("left out"), "says what was dropped: \(r.stderr)")
        // Goundam is at -3.66363: three decimals would make it -3.664 (40 m off).
        #expect(try TestSupport.read(dir + "/minusma-sites.geojson").contains("[-3.66363,16.41685]"))
        for (file, layer) in [("minusma-sites.geojson", nil), ("minusma-sites.csv", nil), ("minusma-sites.gpkg", "minusma_sites")] as [(String, String?)] {
            try Self.expectSitesInPlace(dir + "/" + file, layer: layer, within: 0.02)
        }
    }

    @Test func boundCRSKeepsItsDatumShiftAndDegreeDecimals() throws {
        if let missing = TestSupport.requireTool("ogr2ogr") { Issue.record(Comment(rawValue: missing)); return }
        // Clarke 1880 with the Adindan shift: ESRI's WKT would drop the TOWGS84 (about 200 m).
        let (dir, r) = try Self.export("+proj=longlat +ellps=clrk80 +towgs84=-166,-15,204", formats: "csv,gpkg")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try TestSupport.read(dir + "/minusma-sites.prj").contains("TOWGS84[-166,-15,204"))
        let xs = try Self.xCells(dir + "/minusma-sites.csv")
        #expect(xs.map(Self.decimals).max() == 7, "degrees get 7 decimals: \(xs)")
        try Self.expectSitesInPlace(dir + "/minusma-sites.csv")
        try Self.expectSitesInPlace(dir + "/minusma-sites.gpkg", layer: "minusma_sites")
    }

    @Test func decimalsFollowTheAxisUnit() throws {
        // Kilometres need 6 decimals for a millimetre; US feet 3.
        for (crs, decimals) in [("+proj=utm +zone=30 +datum=WGS84 +units=km", 6), ("+proj=utm +zone=30 +datum=WGS84 +units=us-ft", 3)] {
            let (dir, r) = try Self.export(crs, formats: "csv")
            #expect(r.status == 0, "\(r.stderr)")
            let xs = try Self.xCells(dir + "/minusma-sites.csv")
            #expect(xs.map(Self.decimals).max() == decimals, "\(crs): \(xs)")
        }
    }

    @Test func missingGridIsNamedAndTheDataIsNotBlamed() throws {
        for crs in ["+proj=longlat +ellps=clrk80 +nadgrids=@foo.gsb", "+proj=longlat +ellps=clrk80 +nadgrids=foo.gsb"] {
            let (dir, r) = try Self.export(crs, formats: "csv")
            #expect(r.status != 0 && r.status != 65, "\(crs): \(r.status)")
            #expect(r.stderr.contains("foo.gsb") && r.stderr.contains("not at fault"), "\(r.stderr)")
            #expect(!r.stderr.contains("site '"), "no site is to blame: \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/minusma-sites.csv"))
        }
    }

    @Test func dataOutsideTheAreaOfUseIsWarnedAbout() throws {
        // Madrid 1870 / Spain LCC for health centres in Mali: written (exit 0), with a warning.
        let centres = TestSupport.path("Tests/Fixtures/health-centres.csv")
        let (_, spain) = try Self.export("EPSG:2062", formats: "csv", data: centres)
        #expect(spain.status == 0, "\(spain.stderr)")
        #expect(spain.stderr.contains("warning") && spain.stderr.contains("wholly outside the area of use")
                && spain.stderr.contains("EPSG:2062"), "\(spain.stderr)")
        #expect(!spain.stderr.contains("MINUSMA"), "user data: \(spain.stderr)")
        // Africa Albers covers them: no warning.
        let (_, africa) = try Self.export("ESRI:102022", formats: "csv", data: centres)
        #expect(africa.status == 0 && !africa.stderr.contains("area of use"), "\(africa.stderr)")
    }

    /// The other commands that take a CRS apply the same rule as export.
    @Test func everyCommandRefusesCRSesThatAreNot2DHorizontal() throws {
        let dir = try TestSupport.temporaryFolder("minusma-crs")
        for arguments in [["project", "--crs", "EPSG:4978", "gao"], ["map", "--crs", "EPSG:4978", "--out", dir],
                          ["qgis-project", "--crs", "EPSG:5773", "--out", dir]] {
            let r = try TestSupport.minusma(arguments)
            #expect(r.status == 64 && r.stderr.contains("not a 2D horizontal CRS"), "\(arguments): \(r.status) \(r.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }
}
