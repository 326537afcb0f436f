import Foundation
import Testing
import TestSupport

/// What a new user tries with `--data`: other formats, French-locale spreadsheets, French column
/// names. Each used to fail with a CSV parser's message, or pass and read nothing.
@Suite struct ReaderCommandTests {
    func write(_ text: String, _ name: String) throws -> String {
        let dir = try TestSupport.temporaryFolder()
        let path = dir + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A property that first appears after the look-ahead: a column from a file (read twice),
    /// a clear error from standard input (read once).
    @Test func aPropertyFirstSeenLateIsAColumnWhenReadFromAFile() throws {
        var features: [String] = []
        for i in 0..<1500 {
            let late = i == 1200 ? ", \"remarque\": \"tardive \\\"citée\\\"\"" : ""
            features.append("{\"type\":\"Feature\",\"properties\":{\"id\":\"s\(i)\",\"name\":\"Site \(i)\"\(late)},"
                            + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[-4.5,14.5]}}")
        }
        let text = "{\"type\":\"FeatureCollection\",\"features\":[\n" + features.joined(separator: ",\n") + "\n]}\n"
        let path = try write(text, "late.geojson")
        let out = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try TestSupport.minusma(["export", "--data", path, "--format", "csv", "--out", out, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try TestSupport.read(out + "/late.csv").split(separator: "\n")
        #expect(rows.first == "id,name,longitude,latitude,notes", "the late property is a column (remarque is an alias of notes): \(rows.first ?? "")")
        #expect(rows.filter { $0.contains("tardive \"\"citée\"\"") }.count == 1, "its one value, on its row")
        #expect(rows.count == 1501)

        let piped = try TestSupport.minusma(["validate", "--data", "-"], stdin: Data(text.utf8))
        #expect(piped.status == 65)
        #expect(piped.stderr.contains("<stdin>:1202:") && piped.stderr.contains("features[1200]") && piped.stderr.contains("'remarque'")
                && piped.stderr.contains("give the file by its path"), "\(piped.stderr)")
    }

    /// A GeoPackage piped on standard input reads as the same file given by path, and its
    /// temporary copy is gone afterwards.
    @Test func aGeoPackageFromStandardInput() throws {
        let gpkg = TestSupport.path("Output/minusma-sites.gpkg")
        let tmp = try TestSupport.temporaryFolder()
        let byPath = try TestSupport.temporaryFolder(), piped = try TestSupport.temporaryFolder()
        defer { for d in [tmp, byPath, piped] { try? FileManager.default.removeItem(atPath: d) } }
        let a = try TestSupport.minusma(["export", "--data", gpkg, "--layer", "minusma_sites", "--name", "s", "--format", "csv", "--out", byPath, "--quiet"])
        let b = try TestSupport.minusma(["export", "--data", "-", "--layer", "minusma_sites", "--name", "s", "--format", "csv", "--out", piped, "--quiet"],
                                        environment: ["TMPDIR": tmp], stdin: try TestSupport.bytes(gpkg))
        #expect(a.status == 0 && b.status == 0, "\(a.stderr)\(b.stderr)")
        #expect(b.stdout.contains("from <stdin> (GeoPackage"), "\(b.stdout)")
        #expect(try TestSupport.bytes(byPath + "/s.csv") == TestSupport.bytes(piped + "/s.csv"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty, "the copy of standard input is removed")
    }

    @Test func aSemicolonCSVWithDecimalCommasIsRead() throws {
        let path = try write("id;nom;latitude;longitude;date_fermeture\r\nk1;Kéniéba;12,8412;-11,2345;2021-06-30\r\n", "fr.csv")
        let out = try TestSupport.temporaryFolder()
        let r = try TestSupport.minusma(["export", "--data", path, "--name", "minusma-sites", "--format", "geojson", "--out", out, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("(CSV, ';'-separated, decimal commas accepted)"), "the summary says the separator: \(r.stdout)")
        let json = try TestSupport.read(out + "/minusma-sites.geojson")
        #expect(json.contains("\"coordinates\":[-11.2345,12.8412]"))
        #expect(json.contains("\"closure_date\":\"2021-06-30\""), "date_fermeture is the closure date")
    }

    @Test func frenchDateColumnsAreDates() throws {
        let path = try write("identifiant,nom,lat,lon,date_ouverture,fermeture\na,A,14,-4,2010-01-01,2020-05-01\nb,B,14,-4,2010-01-01,\n", "fr.csv")
        let r = try TestSupport.minusma(["list", "--data", path, "--as-of", "2021-01-01"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("  a  ") && r.stdout.contains("1 of 2 sites"), "a closed in 2020: \(r.stdout)")
    }

    @Test func aTabSeparatedFileIsRead() throws {
        let path = try write("id\tname\tlatitude\tlongitude\nt1\tTab site\t14.5\t-4.2\n", "tab.tsv")
        let r = try TestSupport.minusma(["validate", "--data", path])
        #expect(r.status == 0 && r.stdout.contains("(CSV, tab-separated): ok, 1 sites"), "\(r.stdout)\(r.stderr)")
    }

    @Test func anUnmappedDateColumnGetsAWarningNamingTheAlias() throws {
        let path = try write("id,name,lat,lon,date_fin,visite\na,A,14,-4,2020-05-01,2019-02-03\n", "warn.csv")
        let r = try TestSupport.minusma(["validate", "--data", path])
        #expect(r.status == 0)
        #expect(r.stderr.contains("warn.csv:1: warning: field 'date_fin': found a column 'date_fin' that looks like a date"), "\(r.stderr)")
        #expect(r.stderr.contains("date_fermeture") && r.stderr.contains("'date_fin:date'"))
        #expect(r.stderr.contains("warn.csv:2: warning: field 'visite': found a date (\"2019-02-03\") in a column read as text"), "\(r.stderr)")
    }

    @Test func xAndYNeedDataCRS() throws {
        let path = try write("id,name,x,y\na,A,1078958.385,1767388.973\n", "utm.csv")
        let without = try TestSupport.minusma(["validate", "--data", path])
        #expect(without.status == 65)
        #expect(without.stderr.contains("projected x and y columns need --data-crs"), "\(without.stderr)")
        let out = try TestSupport.temporaryFolder()
        let with = try TestSupport.minusma(["export", "--data", path, "--name", "minusma-sites", "--data-crs", "EPSG:32630", "--format", "csv", "--out", out, "--quiet"])
        #expect(with.status == 0, "\(with.stderr)")
        let csv = try TestSupport.read(out + "/minusma-sites.csv")
        #expect(csv.contains("2.4022") && csv.contains("15.9182"), "the fixture's camp A, back in degrees: \(csv)")
    }

    @Test func aSpreadsheetIsNamedAndTheSupportedFormatsListed() throws {
        let path = try write("PK\u{3}\u{4}not really a workbook", "sites.xlsx")
        let r = try TestSupport.minusma(["export", "--data", path, "--name", "minusma-sites", "--out", try TestSupport.temporaryFolder()])
        #expect(r.status == 65)
        #expect(r.stderr.contains("found a ZIP archive (an Excel .xlsx"), "\(r.stderr)")
        #expect(r.stderr.contains("expected one of the formats minusma reads: CSV"), "\(r.stderr)")
        #expect(!r.stderr.contains("quote inside an unquoted field"))
    }

    @Test func formatsShowsReadSupport() throws {
        let r = try TestSupport.minusma(["formats"])
        let csvLine = r.stdout.split(separator: "\n").first { $0.hasPrefix("csv ") }
        #expect(csvLine?.contains("rw") == true, "\(r.stdout)")
        let kmlLine = r.stdout.split(separator: "\n").first { $0.hasPrefix("kml ") }
        #expect(kmlLine?.contains("-w") == true)
    }
}

/// GeoJSON input: streamed, typed, reprojected from a legacy `crs`, and its errors located.
@Suite struct GeoJSONInputTests {
    func write(_ text: String, _ name: String) throws -> String {
        let path = try TestSupport.temporaryFolder() + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aLineStringIsAnErrorNamingTheFeature() throws {
        let text = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"id":"a","name":"A"},"geometry":{"type":"Point","coordinates":[-4,14]}},
        {"type":"Feature","properties":{"id":"b","name":"B"},"geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}},
        {"type":"Feature","properties":{"id":"c","name":"C","closed_on":"2023-02-30"},"geometry":null}
        ]}
        """
        let r = try TestSupport.minusma(["validate", "--data", try write(text, "bad.geojson")])
        #expect(r.status == 65)
        #expect(r.stderr.contains("bad.geojson:3: error: features[1] (byte 146): found a LineString geometry, expected a GeoJSON Feature with a Point or null geometry"), "\(r.stderr)")
        #expect(r.stderr.contains("bad.geojson:4: error: features[2] (byte 262): field 'closed_on': found \"2023-02-30\""), "every problem at once: \(r.stderr)")
    }

    @Test func aTruncatedDocumentNamesTheByte() throws {
        let r = try TestSupport.minusma(["validate", "--data", try write("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"id\":\"a\",\"name\":\"A\"},\"geometry\":null},\n{\"type\":", "cut.json")])
        #expect(r.status == 65)
        #expect(r.stderr.contains("cut.json:2: error: byte 119: found the end of the file where a JSON value was expected"), "\(r.stderr)")
    }

    @Test func standardInputAndAByteOrderMarkAreRead() throws {
        let text = "\u{FEFF}{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"id\":\"a\",\"nom\":\"Ségou\",\"n\":3},\"geometry\":{\"type\":\"Point\",\"coordinates\":[-6.26,13.43]}}]}"
        let r = try TestSupport.minusma(["validate", "--data", "-"], stdin: Data(text.utf8))
        #expect(r.status == 0 && r.stdout.contains("<stdin> (GeoJSON): ok, 1 sites"), "\(r.stdout)\(r.stderr)")
    }

    @Test func aSingleFeatureIsNotACollection() throws {
        let r = try TestSupport.minusma(["validate", "--data", try write("{\"type\":\"Feature\",\"geometry\":null,\"properties\":{}}", "one.geojson")])
        #expect(r.status == 65 && r.stderr.contains("a FeatureCollection was expected; wrap a single Feature in one"), "\(r.stderr)")
    }

    @Test func aLegacyCRSIsReprojectedToWGS84() throws {
        let utm = TestSupport.path("Tests/ExportersTests/Golden/utm30n/fixture.geojson")
        let out = try TestSupport.temporaryFolder()
        let r = try TestSupport.minusma(["export", "--data", utm, "--name", "minusma-sites", "--format", "csv", "--out", out, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("(GeoJSON, coordinates in urn:ogc:def:crs:EPSG::32630)"), "\(r.stdout)")
        let csv = try TestSupport.read(out + "/minusma-sites.csv")
        // Camp A of the fixture is at 2.4022, 15.9182; the UTM file has millimetres.
        #expect(csv.contains(",2.4022,15.9182,"), "\(csv)")
    }
}

/// GeoPackage input: the point layer chosen, its SRS reprojected, DATETIME days read as dates.
@Suite struct GeoPackageInputTests {
    /// A GeoPackage made by GDAL (a writer we did not write) from a CSV, in `srs`.
    func gdalPackage(_ csv: String, srs: String? = nil, extra: [String] = []) throws -> String {
        let dir = try TestSupport.temporaryFolder()
        try Data(csv.utf8).write(to: URL(fileURLWithPath: dir + "/in.csv"))
        let out = dir + "/made-by-gdal.gpkg"
        var arguments = ["-f", "GPKG", out, dir + "/in.csv", "-nln", "points", "-oo", "X_POSSIBLE_NAMES=lon", "-oo", "Y_POSSIBLE_NAMES=lat",
                         "-oo", "AUTODETECT_TYPE=YES"] + extra
        arguments += srs.map { ["-s_srs", "EPSG:4326", "-t_srs", $0] } ?? ["-a_srs", "EPSG:4326"]
        let r = try TestSupport.run("ogr2ogr", arguments)
        #expect(r.status == 0, "\(r.stderr)")
        return out
    }

    static let csv = "id,name,lon,lat,closed\na,Kéniéba,-11.2345678,12.8412,2021-06-30T00:00:00Z\nb,Gao,-0.0444,16.2667,\n"

    @Test func aProjectedPackageIsReprojectedAndItsDateTimeIsADay() throws {
        let path = try gdalPackage(Self.csv, srs: "EPSG:32630")
        let out = try TestSupport.temporaryFolder()
        let r = try TestSupport.minusma(["export", "--data", path, "--name", "minusma-sites", "--format", "csv", "--out", out, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("(GeoPackage, layer 'points', coordinates in EPSG:32630)"), "\(r.stdout)")
        let csv = try TestSupport.read(out + "/minusma-sites.csv")
        #expect(csv.contains("a,Kéniéba,-11.2345678,12.8412,2021-06-30") || csv.contains(",-11.2345678,12.8412,"), "\(csv)")
        #expect(csv.contains("2021-06-30"), "the DATETIME at midnight is the closure day: \(csv)")
    }

    @Test func severalPointLayersNeedLayer() throws {
        let path = try gdalPackage(Self.csv)
        let second = try TestSupport.run("ogr2ogr", ["-update", "-f", "GPKG", path, path, "points", "-nln", "copy"])
        #expect(second.status == 0, "\(second.stderr)")
        let r = try TestSupport.minusma(["validate", "--data", path])
        #expect(r.status == 65)
        #expect(r.stderr.contains("found 2 point layers: 'copy', 'points', expected --layer NAME choosing one of them"), "\(r.stderr)")
        let chosen = try TestSupport.minusma(["validate", "--data", path, "--layer", "copy"])
        #expect(chosen.status == 0 && chosen.stdout.contains("layer 'copy'"), "\(chosen.stdout)\(chosen.stderr)")
        let wrong = try TestSupport.minusma(["validate", "--data", path, "--layer", "nope"])
        #expect(wrong.status == 65 && wrong.stderr.contains("found no layer 'nope' among 'copy' (POINT), 'points' (POINT)"), "\(wrong.stderr)")
    }

    @Test func aPolygonLayerIsNotPoints() throws {
        let out = try TestSupport.temporaryFolder()
        #expect(try TestSupport.minusma(["export", "--format", "gpkg", "--out", out, "--quiet"]).status == 0)
        let r = try TestSupport.minusma(["validate", "--data", out + "/minusma-sites.gpkg", "--layer", "mali_admin1"])
        #expect(r.status == 65 && r.stderr.contains("found the layer 'mali_admin1' of MULTIPOLYGON geometries, expected a layer of points"), "\(r.stderr)")
        // The export's GeoPackage holds the events beside the sites: two point layers to choose from.
        let both = try TestSupport.minusma(["validate", "--data", out + "/minusma-sites.gpkg"])
        #expect(both.status == 65 && both.stderr.contains("found 2 point layers: 'minusma_events', 'minusma_sites'"), "\(both.stderr)")
        let sites = try TestSupport.minusma(["validate", "--data", out + "/minusma-sites.gpkg", "--layer", "minusma_sites"])
        #expect(sites.status == 0 && sites.stdout.contains("ok, 13 sites"), "the sites layer: \(sites.stdout)\(sites.stderr)")
    }
}
