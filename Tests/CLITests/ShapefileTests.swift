import Foundation
import Testing
import TestSupport

/// `--format shp`: a point Shapefile read back by GDAL's ogrinfo (and Python's csv module for
/// the sidecars): features, typed fields, the CRS from the `.prj`, every source recoverable from
/// the `.dbf` and the full-text sidecar, the name mapping, projected points as cs2cs puts them,
/// and the zipped set through `/vsizip/`.
@Suite struct ShapefileTests {
    /// Exports into a new folder; `body` gets the folder, which is removed afterwards.
    func withExport(_ flags: [String], _ body: (String, CommandResult) throws -> Void) throws {
        let dir = try TestSupport.temporaryFolder("minusma-shp")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try TestSupport.minusma(["export", "--format", "shp", "--out", dir] + flags)
        #expect(r.status == 0, "\(r.stderr)")
        try body(dir, r)
    }

    static var fixture: String { TestSupport.path("Tests/Fixtures/health-centres.csv") }

    /// Rows of a CSV file as dictionaries, read by Python's csv module.
    static func csvRows(_ path: String) throws -> [[String: String]] {
        let script = "import csv, json, sys\nprint(json.dumps(list(csv.DictReader(open(sys.argv[1], encoding='utf-8', newline='')))))"
        let r = try TestSupport.run("python3", ["-c", script, path])
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: String]])
    }

    @Test func ogrinfoReadsThirteenSitesTypedAndGeoreferenced() throws {
        if let missing = TestSupport.requireTool("ogrinfo") { Issue.record(Comment(rawValue: missing + " (Debian package gdal-bin)")); return }
        try withExport([]) { dir, _ in
            let shp = dir + "/minusma-sites.shp"
            let features = try OGR.features(shp)
            #expect(features.count == 13)
            for row in try DataFile.rows() {
                let feature = try #require(features.first { $0.fields["id"] == row.id }, "\(row.id)")
                let point = try #require(OGR.point(feature.geometry), "\(row.id) geometry")
                #expect(abs(point.0 - row.lon) <= 1e-7 && abs(point.1 - row.lat) <= 1e-7, "\(row.id): \(point)")
                #expect(feature.fields["closure_da"] == row.closure.replacingOccurrences(of: "-", with: "/"), "\(row.id)")
            }
            let types = try OGR.fieldTypes(shp)
            for field in ["handover_d", "last_depar", "closure_da"] { #expect(types[field] == "Date", "\(field): \(types)") }
            #expect(types["closure_or"] == "Integer")
            #expect(types["longitude"] == "Real" && types["coord_unce"] == "Real", "\(types)")
            #expect(types["name"] == "String")
            let summary = try OGR.summary(shp)
            #expect(summary.contains("GEOGCRS[\"WGS 84\""), "the .prj is the layer's CRS: \(summary.prefix(500))")
            #expect(try TestSupport.read(dir + "/minusma-sites.cpg") == "UTF-8")
            let events = try OGR.features(dir + "/minusma-events.shp")
            let eventTypes = try OGR.fieldTypes(dir + "/minusma-events.shp")
            #expect(events.count == 84 && eventTypes["date"] == "Date", "\(events.count) events, \(eventTypes)")
        }
    }

    /// Each `date_sources` and `coord_sources` value of Data/minusma-sites.csv is found whole: in
    /// the `.dbf`, or in the full-text sidecar where the `.dbf` holds its first 254 bytes.
    @Test func everySourceIsRecoverable() throws {
        if let missing = TestSupport.requireTool("ogrinfo") { Issue.record(Comment(rawValue: missing + " (Debian package gdal-bin)")); return }
        try withExport([]) { dir, r in
            let features = try OGR.features(dir + "/minusma-sites.shp")
            let fullText = try Self.csvRows(dir + "/minusma-sites-fulltext.csv")
            var cut = 0
            for row in try Self.csvRows(TestSupport.path("Data/minusma-sites.csv")) {
                let id = try #require(row["id"])
                let feature = try #require(features.first { $0.fields["id"] == id })
                for (field, dbfName) in [("date_sources", "date_sourc"), ("coord_sources", "coord_sour"), ("notes", "notes")] {
                    let expected = try #require(row[field])
                    let dbf = try #require(feature.fields[dbfName], "\(id) \(dbfName)")
                    #expect(dbf.utf8.count <= 254, "\(id) \(field)")
                    let whole = fullText.first { $0["id"] == id && $0["field"] == field }
                    if let whole {
                        cut += 1
                        #expect(whole["dbf_name"] == dbfName)
                        #expect(whole["text"] == expected, "\(id) \(field): the sidecar's text is not the data's")
                        #expect(expected.hasPrefix(dbf) && dbf.utf8.count > 200, "\(id) \(field): the .dbf holds '\(dbf.prefix(40))...'")
                    } else {
                        #expect(dbf == expected, "\(id) \(field): cut without a full-text row")
                    }
                    for url in expected.split(separator: " ").filter({ $0.hasPrefix("http") }) {
                        #expect((whole?["text"] ?? dbf).contains(url), "\(id) \(field): \(url) lost")
                    }
                }
            }
            #expect(cut == fullText.count && cut > 0, "\(cut) cut values, \(fullText.count) sidecar rows")
            #expect(r.stderr.contains("\(cut) values longer than 254 bytes cut") && r.stderr.contains("minusma-sites-fulltext.csv"), "\(r.stderr)")
        }
    }

    /// Every field is in `-fields.csv`; the long names have unique dBASE names of at most 10
    /// bytes, which are the names ogrinfo reads.
    @Test func theMappingSidecarListsEveryMappedName() throws {
        if let missing = TestSupport.requireTool("ogrinfo") { Issue.record(Comment(rawValue: missing + " (Debian package gdal-bin)")); return }
        try withExport([]) { dir, r in
            let mapping = try Self.csvRows(dir + "/minusma-sites-fields.csv")
            let header = try TestSupport.read(TestSupport.path("Data/minusma-sites.csv")).prefix { $0 != "\n" }.split(separator: ",").map(String.init)
            #expect(mapping.map { $0["name"] ?? "" } == header)
            let dbfNames = mapping.map { $0["dbf_name"] ?? "" }
            #expect(Set(dbfNames.map { $0.lowercased() }).count == dbfNames.count, "unique: \(dbfNames)")
            #expect(dbfNames.allSatisfy { $0.utf8.count <= 10 && !$0.isEmpty }, "\(dbfNames)")
            let mapped = mapping.filter { $0["name"] != $0["dbf_name"] }
            #expect(mapped.contains { $0["name"] == "coord_uncertainty_m" && $0["dbf_name"] == "coord_unce" })
            #expect(mapped.allSatisfy { ($0["name"] ?? "").utf8.count > 10 })
            let read = try OGR.fieldTypes(dir + "/minusma-sites.shp")
            #expect(dbfNames.allSatisfy { read[$0] != nil }, "ogrinfo reads \(read.keys.sorted())")
            #expect(r.stderr.contains("\(mapped.count) field names mapped") && r.stderr.contains("minusma-sites-fields.csv"), "\(r.stderr)")
        }
    }

    /// Long names that share their first 10 bytes, and a value cut in the middle of accented text.
    @Test func clashingNamesAndCutsAtACharacterBoundary() throws {
        if let missing = TestSupport.requireTool("ogrinfo") { Issue.record(Comment(rawValue: missing + " (Debian package gdal-bin)")); return }
        let dir = try TestSupport.temporaryFolder("minusma-shp-names")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // 253 ASCII bytes, then two-byte characters: byte 254 falls inside one.
        let long = String(repeating: "a", count: 253) + String(repeating: "é", count: 20)
        let csv = "id,name,longitude,latitude,closure_date,observation_first,observation_second,observation\n"
            + "p-1,Point,-4.5,14.2,2020-05-01,\(long),short,x\n"
            + "p-2,Spaced,-4.6,14.3,2020-05-02,ends in spaces  ,short,y\n"
            + "p-3,Spaced too,-4.7,14.4,2020-05-03,x, starts with one,z\n"
        let data = dir + "/points.csv"
        try csv.write(toFile: data, atomically: true, encoding: .utf8)
        let r = try TestSupport.minusma(["export", "--data", data, "--format", "shp", "--out", dir])
        #expect(r.status == 0, "\(r.stderr)")
        let mapping = try Self.csvRows(dir + "/points-fields.csv")
        let dbf = Dictionary(uniqueKeysWithValues: mapping.map { ($0["name"] ?? "", $0["dbf_name"] ?? "") })
        // In schema order: the first takes the first 10 bytes, the next ones 8 bytes and a number.
        #expect(dbf["observation_first"] == "observatio" && dbf["observation_second"] == "observat_1"
                && dbf["observation"] == "observat_2", "\(dbf)")
        #expect(r.stderr.contains("4 field names mapped") && r.stderr.contains("1 value longer than 254 bytes cut")
                && r.stderr.contains("2 values starting or ending with spaces"), "\(r.stderr)")
        let features = try OGR.features(dir + "/points.shp")
        let feature = try #require(features.first)
        let firstName = try #require(dbf["observation_first"])
        let stored = try #require(feature.fields[firstName])
        #expect(stored == String(repeating: "a", count: 253), "cut before the character that does not fit: \(stored.suffix(5))")
        let whole = try Self.csvRows(dir + "/points-fulltext.csv")
        #expect(whole.count == 3 && whole.first?["text"] == long && whole.first?["field"] == "observation_first")
        // GDAL drops the padding spaces of a dBASE text: the sidecar keeps them.
        #expect(features.count == 3 && features[1].fields[firstName] == "ends in spaces")
        #expect(whole[1]["id"] == "p-2" && whole[1]["text"] == "ends in spaces  ")
        #expect(whole[2]["id"] == "p-3" && whole[2]["field"] == "observation_second" && whole[2]["text"] == " starts with one")
    }

    /// dBASE holds 255 fields: a 256th is refused before anything is written.
    @Test func aLayerWiderThanDBaseIsRefused() throws {
        let dir = try TestSupport.temporaryFolder("minusma-shp-wide")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let extras = (0..<252).map { "extra_\($0)" }
        let csv = (["id", "name", "longitude", "latitude"] + extras).joined(separator: ",") + "\n"
            + (["a", "A", "-4", "14"] + extras.map { _ in "x" }).joined(separator: ",") + "\n"
        let data = dir + "/wide.csv"
        try csv.write(toFile: data, atomically: true, encoding: .utf8)
        let out = dir + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: false)
        let r = try TestSupport.minusma(["export", "--data", data, "--format", "shp", "--out", out])
        #expect(r.status == 65 && r.stderr.contains("extra_251") && r.stderr.contains("at most 255"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty)
    }

    @Test func projectedPointsMatchCs2cs() throws {
        if let missing = TestSupport.requireTool("cs2cs") ?? TestSupport.requireTool("ogrinfo") {
            Issue.record(Comment(rawValue: missing + " (Debian packages proj-bin, gdal-bin)")); return
        }
        let rows = try DataFile.rows()
        let input = rows.map { "\($0.lat) \($0.lon)" }.joined(separator: "\n") + "\n"
        let cs2cs = try TestSupport.run("cs2cs", ["-f", "%.6f", "EPSG:4326", "EPSG:32630"], stdin: Data(input.utf8))
        let expected = cs2cs.stdout.split(separator: "\n").map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Double($0) } }
        #expect(expected.count == 13)
        try withExport(["--crs", "EPSG:32630", "--quiet"]) { dir, _ in
            let features = try OGR.features(dir + "/minusma-sites.shp")
            for (row, xy) in zip(rows, expected) {
                let feature = try #require(features.first { $0.fields["id"] == row.id })
                let p = try #require(OGR.point(feature.geometry))
                #expect(abs(p.0 - xy[0]) <= 0.001 && abs(p.1 - xy[1]) <= 0.001, "\(row.id): \(p) vs \(xy)")
            }
            #expect(try OGR.summary(dir + "/minusma-sites.shp").contains("PROJCRS[\"WGS 84 / UTM zone 30N\""))
        }
    }

    /// The `.shp` and `.shx` are streamed by our own writer: null shapes keep no place in the
    /// extent, the headers give the files' lengths, and GDAL reads every record back.
    @Test func nullShapesTheExtentAndTheHeaders() throws {
        if let missing = TestSupport.requireTool("ogrinfo") { Issue.record(Comment(rawValue: missing + " (Debian package gdal-bin)")); return }
        let dir = try TestSupport.temporaryFolder("minusma-shp-null")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/wells.csv"
        try "id,name,lat,lon\na,A,,\nb,B,14.5,-4.25\nc,C,,\nd,D,15.125,-3.5\n".write(toFile: input, atomically: true, encoding: .utf8)
        let r = try TestSupport.minusma(["export", "--data", input, "--format", "shp", "--out", dir])
        #expect(r.status == 0, "\(r.stderr)")
        let info = try TestSupport.run("ogrinfo", ["-ro", "-so", dir + "/wells.shp", "wells"])
        #expect(info.stdout.contains("Feature Count: 4"), "\(info.stdout)")
        #expect(info.stdout.contains("Extent: (-4.250000, 14.500000) - (-3.500000, 15.125000)"), "\(info.stdout)")
        let all = try TestSupport.run("ogrinfo", ["-ro", "-al", "-q", dir + "/wells.shp"])
        #expect(all.stdout.components(separatedBy: "POINT (").count - 1 == 2, "\(all.stdout)")
        let shp = try Data(contentsOf: URL(fileURLWithPath: dir + "/wells.shp"))
        let shx = try Data(contentsOf: URL(fileURLWithPath: dir + "/wells.shx"))
        func bigEndian(_ d: Data, _ at: Int) -> Int { d[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        #expect(bigEndian(shp, 0) == 9994 && bigEndian(shx, 0) == 9994)
        #expect(bigEndian(shp, 24) * 2 == shp.count, "the .shp's length in its header")
        #expect(bigEndian(shx, 24) * 2 == shx.count && shx.count == 100 + 8 * 4, "the .shx: a header and 4 entries")
        // Records: null (12 bytes), point (28), null, point.
        #expect(shp.count == 100 + 12 + 28 + 12 + 28)
        #expect((0..<4).map { bigEndian(shx, 100 + 8 * $0) * 2 } == [100, 112, 140, 152], "each record's offset")
    }

    @Test(arguments: [[], ["--zip"]])
    func byteIdenticalOnTwoRuns(_ flags: [String]) throws {
        let dir = try TestSupport.temporaryFolder("minusma-shp-twice")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func run() throws -> [String: Data] {
            let r = try TestSupport.minusma(["export", "--format", "shp", "--out", dir, "--quiet"] + flags)
            #expect(r.status == 0, "\(r.stderr)")
            var files: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: dir) { files[name] = try TestSupport.bytes(dir + "/" + name) }
            return files
        }
        let first = try run()
        // The sites and, beside them, the built-in events.
        #expect(first.count == (flags.isEmpty ? 14 : 2), "\(first.keys.sorted())")
        #expect(try run() == first)
    }

    /// The health centres: 54 features, one of them a null shape; missing values are nulls; no
    /// word of MINUSMA's in any file.
    @Test func userDataIsTheirs() throws {
        if let missing = TestSupport.requireTool("ogrinfo") { Issue.record(Comment(rawValue: missing + " (Debian package gdal-bin)")); return }
        try withExport(["--data", Self.fixture]) { dir, _ in
            let features = try OGR.features(dir + "/health-centres.shp")
            #expect(features.count == 54)
            #expect(features.filter { $0.geometry != nil }.count == 53)
            #expect(features.first { $0.geometry == nil }?.fields["id"] == "hc-013")
            #expect(features.first { $0.fields["id"] == "hc-001" }?.fields["name"] == "CSCom de Sébénikoro")
            let encoding = try TestSupport.run("ogrinfo", ["-ro", "-so", "-al", "-mdd", "all", dir + "/health-centres.shp"]).stdout
            #expect(encoding.contains("ENCODING_FROM_CPG=UTF-8"), "GDAL takes the encoding from the .cpg")
            #expect(features.contains { $0.fields["closure_da"] == "(null)" }, "open centres have no closure date")
            #expect(features.allSatisfy { $0.fields["closure_da"] != "" })
            let summary = try OGR.summary(dir + "/health-centres.shp")
            #expect(summary.contains("Feature Count: 54") && summary.contains("Geometry: Point"))
            for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
                let text = String(decoding: try TestSupport.bytes(dir + "/" + name), as: UTF8.self).lowercased()
                for word in ["minusma", "withdrawal", "malian authorities"] { #expect(!text.contains(word), "\(name) says \(word)") }
                #expect(!text.contains("2013-07-01") && !text.contains("20130701"), "\(name) uses MINUSMA's start date")
            }
        }
    }

    @Test func theZippedSetReadsThroughVsizip() throws {
        if let missing = TestSupport.requireTool("ogrinfo") { Issue.record(Comment(rawValue: missing + " (Debian package gdal-bin)")); return }
        try withExport(["--data", Self.fixture, "--zip"]) { dir, _ in
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["health-centres.shp.zip"])
            let zip = dir + "/health-centres.shp.zip"
            let features = try OGR.features("/vsizip/" + zip + "/health-centres.shp")
            #expect(features.count == 54)
            #expect(features.filter { $0.geometry != nil }.count == 53)
            let summary = try OGR.summary("/vsizip/" + zip)
            #expect(summary.contains("Feature Count: 54") && summary.contains("PROJCRS") == false && summary.contains("GEOGCRS[\"WGS 84\""), "\(summary.prefix(400))")
            let list = try TestSupport.run("python3", ["-c", "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))", zip])
            #expect(list.stdout.split(separator: "\n") == ["health-centres.shp", "health-centres.shx", "health-centres.dbf", "health-centres.prj",
                                                          "health-centres.cpg", "health-centres-fields.csv", "health-centres-fulltext.csv"], "\(list.stdout)")
        }
    }
}
