import Foundation
import Testing
import TestSupport

/// The GeoPackage's circles of uncertainty, read back with GDAL and measured with PROJ's `geod`
/// (proj-bin), programs we did not write.
@Suite(.serialized) struct UncertaintyLayerTests {
    /// The vertices of a `POLYGON ((x y,x y,...))` as (longitude, latitude).
    static func ring(_ wkt: String?) -> [(Double, Double)] {
        guard let wkt, let open = wkt.range(of: "(("), let close = wkt.range(of: "))") else { return [] }
        return wkt[open.upperBound..<close.lowerBound].split(separator: ",").compactMap { pair in
            let n = pair.split(separator: " ").compactMap { Double($0) }
            return n.count == 2 ? (n[0], n[1]) : nil
        }
    }

    @Test func thirteenCirclesOfTheDataRadius() throws {
        if let missing = TestSupport.requireTool("ogrinfo") { Issue.record(Comment(rawValue: missing)); return }
        let gpkg = try ExportReadbackTests.exported.get() + "/minusma-sites.gpkg"
        let layers = try TestSupport.run("ogrinfo", ["-ro", "-q", gpkg]).stdout
        #expect(layers.contains("minusma_sites_uncertainty (Polygon)"), "\(layers)")
        let circles = try OGR.features(gpkg, layer: "minusma_sites_uncertainty")
        let sites = try OGR.features(gpkg, layer: "minusma_sites")
        #expect(circles.count == 13)
        #expect(circles.compactMap { $0.fields["id"] } == (try DataFile.rows()).map(\.id))
        for circle in circles {
            let id = circle.fields["id"] ?? "?"
            let site = try #require(sites.first { $0.fields["id"] == id }, "\(id)")
            #expect(circle.fields["radius_m"].flatMap(Double.init) == site.fields["coord_uncertainty_m"].flatMap(Double.init), "\(id)")
            let ring = Self.ring(circle.geometry)
            #expect(ring.count == 65, "\(id): 64 vertices and the closing one")
            #expect(ring.first.map { $0 == ring[ring.count - 1] } ?? false, "\(id): the ring is closed")
        }
    }

    /// With a projected `--crs` the sites are in metres, and the circles stay in WGS 84 (they are
    /// computed on the ellipsoid, like the base map's outlines), declared as such.
    @Test func circlesStayInWGS84WhateverTheCRS() throws {
        if let missing = TestSupport.requireTool("ogrinfo") { Issue.record(Comment(rawValue: missing)); return }
        let gpkg = try ExportReadbackTests.projected.get() + "/minusma-sites.gpkg"
        let summary = try OGR.summary(gpkg, layer: "minusma_sites_uncertainty")
        #expect(summary.contains("Feature Count: 13") && summary.contains("ID[\"EPSG\",4326]"), "\(summary.prefix(800))")
        let validator = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py"
        let valid = try TestSupport.run("/usr/bin/python3", [validator, gpkg])
        #expect(valid.status == 0 && valid.stdout.isEmpty && valid.stderr.isEmpty, "\(valid.stdout)\(valid.stderr)")
    }

    /// Every vertex of three circles (the smallest, a far-north one and the largest) is at the
    /// radius from the site's point within 1 cm, as PROJ's `geod -I` measures it.
    @Test(arguments: ["tessalit", "bamako-hq", "ogossagou-tob"])
    func verticesAreAtTheRadiusByGeod(_ id: String) throws {
        if let missing = TestSupport.requireTool("geod") ?? TestSupport.requireTool("ogrinfo") { Issue.record(Comment(rawValue: missing)); return }
        let gpkg = try ExportReadbackTests.exported.get() + "/minusma-sites.gpkg"
        let circle = try #require(try OGR.features(gpkg, layer: "minusma_sites_uncertainty").first { $0.fields["id"] == id })
        let site = try #require(try DataFile.rows().first { $0.id == id })
        let radius = try #require(circle.fields["radius_m"].flatMap(Double.init))
        let ring = Self.ring(circle.geometry)
        #expect(ring.count == 65)
        // geod reads latitude first.
        let input = ring.map { "\(site.lat) \(site.lon) \($0.1) \($0.0)" }.joined(separator: "\n") + "\n"
        let r = try TestSupport.run("geod", ["+ellps=WGS84", "-I", "+units=m", "-f", "%.6f"], stdin: Data(input.utf8))
        #expect(r.status == 0, "\(r.stderr)")
        let distances = r.stdout.split(separator: "\n").compactMap { $0.split(whereSeparator: { $0 == "\t" || $0 == " " }).last.flatMap { Double($0) } }
        #expect(distances.count == 65)
        for (i, d) in distances.enumerated() {
            #expect(abs(d - radius) <= 0.01, "\(id) vertex \(i): \(d) m from the centre, radius \(radius) m")
        }
    }

    /// A user's file with an uncertainty column gets circles in neutral words; one without (the
    /// health centres) gets no circle layer.
    @Test func userDataHasCirclesOnlyWithAnUncertaintyColumn() throws {
        if let missing = TestSupport.requireTool("ogrinfo") { Issue.record(Comment(rawValue: missing)); return }
        let dir = try TestSupport.temporaryFolder("minusma-uncertainty")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let wells = """
            id,name,longitude,latitude,uncertainty_m
            w1,Puits nord,-4.2,14.1,250
            w2,Puits sud,-4.3,13.9,
            w3,Puits est,-4.0,14.0,1200

            """
        try wells.write(toFile: dir + "/wells.csv", atomically: true, encoding: .utf8)
        let r = try TestSupport.minusma(["export", "--data", dir + "/wells.csv", "--format", "gpkg", "--out", dir, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let circles = try OGR.features(dir + "/wells.gpkg", layer: "wells_uncertainty")
        #expect(circles.map { $0.fields["id"] } == ["w1", "w3"], "a site with no uncertainty has no circle")
        #expect(circles.map { $0.fields["radius_m"] } == ["250", "1200"])
        let text = try TestSupport.run("sqlite3", [dir + "/wells.gpkg", "SELECT identifier, description FROM gpkg_contents WHERE table_name = 'wells_uncertainty'"]).stdout
        #expect(!text.isEmpty && !text.lowercased().contains("minusma") && !text.lowercased().contains("withdrawal"), "\(text)")
        let validator = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py"
        let valid = try TestSupport.run("/usr/bin/python3", [validator, dir + "/wells.gpkg"])
        #expect(valid.status == 0 && valid.stdout.isEmpty && valid.stderr.isEmpty, "\(valid.stdout)\(valid.stderr)")

        let centres = try TestSupport.minusma(["export", "--data", TestSupport.path("Tests/Fixtures/health-centres.csv"), "--format", "gpkg", "--out", dir, "--quiet"])
        #expect(centres.status == 0, "\(centres.stderr)")
        let layers = try TestSupport.run("ogrinfo", ["-ro", "-q", dir + "/health-centres.gpkg"]).stdout
        #expect(!layers.contains("uncertainty"), "no uncertainty column, no circle layer: \(layers)")
    }
}
