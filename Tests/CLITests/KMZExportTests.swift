import Foundation
import Testing
import TestSupport

/// The KMZ of `minusma export`, read back by GDAL (LIBKML and KML drivers), xmllint with the OGC
/// and Google schemas, and Python's zipfile, ElementTree and Pillow.
@Suite(.serialized) struct KMZExportTests {
    static var kmz: String { get throws { try ExportReadbackTests.exported.get() + "/minusma-sites.kmz" } }

    /// Runs a Python script with the system Python (Pillow and zipfile come with Debian's).
    static func python(_ script: String, _ arguments: [String]) throws -> CommandResult {
        try TestSupport.run("/usr/bin/python3", ["-c", script] + arguments)
    }

    /// `Feature Count` of every layer, by name, from `ogrinfo -so -al`.
    static func layerCounts(_ path: String) throws -> [(String, Int)] {
        let r = try TestSupport.run("ogrinfo", ["-ro", "-so", "-al", path])
        #expect(r.status == 0, "ogrinfo \(path): \(r.stderr)")
        var counts: [(String, Int)] = [], name = ""
        for line in r.stdout.split(separator: "\n") {
            if line.hasPrefix("Layer name: ") { name = String(line.dropFirst(12)) }
            if line.hasPrefix("Feature Count: "), let n = Int(line.dropFirst(15)) { counts.append((name, n)) }
        }
        return counts
    }

    /// GDAL opens the archive itself (LIBKML) and its doc.kml through /vsizip/ (KML): the phase
    /// folders hold the 13 sites, and the Uncertainty folder 13 circles.
    @Test(arguments: ["", "/vsizip/"])
    func gdalCountsThirteenSitesAndThirteenCircles(_ prefix: String) throws {
        if let missing = TestSupport.requireTool("ogrinfo") { Issue.record(Comment(rawValue: missing)); return }
        let path = prefix.isEmpty ? try Self.kmz : prefix + (try Self.kmz) + "/doc.kml"
        let counts = try Self.layerCounts(path)
        #expect(counts.filter { $0.0 != "Uncertainty" }.map(\.1).reduce(0, +) == 13, "\(counts)")
        #expect(counts.first { $0.0 == "Uncertainty" }?.1 == 13, "\(counts)")
        for phase in ["Phase 1 (August 2023)": 4, "Phase 2 (October to December 2023)": 6, "Liquidation sites (December 2023 to November 2024)": 3] {
            #expect(counts.first { $0.0 == phase.key }?.1 == phase.value, "\(phase.key): \(counts)")
        }
        let sites = try OGR.features(path).filter { $0.geometry?.hasPrefix("POINT") ?? false }
        #expect(Set(sites.compactMap { $0.fields["id"] }) == Set(try DataFile.rows().map(\.id)))
    }

    /// doc.kml against Google's extension schema kml22gx.xsd, which imports the OGC KML 2.2
    /// schema: the kml: elements are checked against the one and the gx: ones against the other.
    @Test func documentValidatesAgainstTheOGCAndGoogleSchemas() throws {
        guard let schema = ProcessInfo.processInfo.environment["MINUSMA_KML_SCHEMA"], FileManager.default.fileExists(atPath: schema) else {
            Issue.record("MINUSMA_KML_SCHEMA is not set to ogckml22.xsd; run the tests with `make test`, which fetches it")
            return
        }
        let gx = URL(fileURLWithPath: schema).deletingLastPathComponent().appendingPathComponent("kml22gx.xsd").path
        #expect(FileManager.default.fileExists(atPath: gx), "kml22gx.xsd beside \(schema) (pykml's wheel has both)")
        let dir = try TestSupport.temporaryFolder("minusma-kmz-doc")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let unzip = try Self.python("import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract('doc.kml', sys.argv[2])", [try Self.kmz, dir])
        #expect(unzip.status == 0, "\(unzip.stderr)")
        let r = try TestSupport.run("xmllint", ["--noout", "--schema", gx, dir + "/doc.kml"])
        #expect(r.status == 0 && r.stderr.contains("validates"), "\(r.stderr.prefix(2000))")
        let kml = try TestSupport.read(dir + "/doc.kml")
        #expect(kml.contains("<gx:Tour") && kml.contains("<ScreenOverlay") && kml.contains("<Folder id=\"__folder-uncertainty\">"))
    }

    /// The archive holds doc.kml first, then every picture it names; each href resolves inside
    /// it; no href leaves for a server, in the KMZ or in the plain KML; the icons are PNGs of
    /// their phase's colour and the legend a PNG.
    @Test func everyHrefResolvesInsideTheArchive() throws {
        let script = """
            import sys, zipfile, re, io
            z = zipfile.ZipFile(sys.argv[1])
            names = z.namelist()
            print("first", names[0])
            doc = z.read("doc.kml").decode("utf-8")
            hrefs = re.findall(r"<href>([^<]*)</href>", doc)
            print("hrefs", len(hrefs))
            for h in hrefs:
                if h not in names: print("unresolved", h)
            plain = open(sys.argv[2], encoding="utf-8").read()
            for h in hrefs + re.findall(r"<href>([^<]*)</href>", plain):
                if "://" in h: print("remote", h)
            print("plain-hrefs", len(re.findall(r"<href>", plain)))
            try:
                from PIL import Image
            except ImportError:
                print("missing PIL"); sys.exit(3)
            for name in names[1:]:
                image = Image.open(io.BytesIO(z.read(name))); image.load()
                print("png", name, image.format, image.mode, image.size[0], image.size[1])
                if "icon-" in name: print("centre", name, "%02X%02X%02X" % image.getpixel((16, 16))[:3])
            """
        let r = try Self.python(script, [try Self.kmz, try ExportReadbackTests.exported.get() + "/minusma-sites.kml"])
        if r.status == 3 { Issue.record("Pillow is missing for /usr/bin/python3 (Debian package python3-pil)"); return }
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "first doc.kml")
        #expect(!lines.contains { $0.hasPrefix("unresolved") || $0.hasPrefix("remote") }, "\(lines)")
        #expect(lines.contains("hrefs 5"), "4 icons and the legend: \(lines)")
        #expect(lines.contains("plain-hrefs 0"), "the plain KML names no icon file")
        for (key, hex) in [("1", "E69F00"), ("2", "0072B2"), ("liquidation", "CC79A7"), ("none", "999999")] {
            #expect(lines.contains("png files/icon-phase-\(key).png PNG RGBA 32 32"), "\(lines)")
            #expect(lines.contains("centre files/icon-phase-\(key).png \(hex)"), "\(lines)")
        }
        #expect(lines.contains { $0.hasPrefix("png files/legend.png PNG RGBA ") }, "\(lines)")
    }

    /// The tour opens on every site, then flies to each in closure order, the time slider on its
    /// last open day, then on its closure day.
    @Test func theTourPlaysTheClosuresInOrder() throws {
        let script = """
            import sys, zipfile
            import xml.etree.ElementTree as ET
            ns = {"k": "http://www.opengis.net/kml/2.2", "gx": "http://www.google.com/kml/ext/2.2"}
            root = ET.fromstring(zipfile.ZipFile(sys.argv[1]).read("doc.kml"))
            tours = root.findall(".//gx:Tour", ns)
            print("tours", len(tours))
            playlist = tours[0].find("gx:Playlist", ns)
            print("waits", len(playlist.findall("gx:Wait", ns)))
            for fly in playlist.findall("gx:FlyTo", ns):
                look = fly.find("k:LookAt", ns)
                print(look.find("gx:TimeStamp/k:when", ns).text, look.find("k:longitude", ns).text, look.find("k:latitude", ns).text)
            """
        let r = try Self.python(script, [try Self.kmz])
        #expect(r.status == 0, "\(r.stderr)")
        var lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.prefix(2) == ["tours 1", "waits 27"], "\(lines.prefix(2))")
        lines.removeFirst(min(2, lines.count))
        let rows = try DataFile.rows().sorted { $0.closure < $1.closure }
        #expect(lines.count == 1 + 2 * rows.count)
        #expect(lines.first?.hasPrefix("2023-08-02T12:00:00Z") ?? false, "the overview, the day before the first closure: \(lines.first ?? "")")
        for (i, row) in rows.enumerated() where 2 + 2 * i < lines.count {
            let before = lines[1 + 2 * i].split(separator: " "), on = lines[2 + 2 * i].split(separator: " ")
            #expect(on.first.map(String.init) == row.closure + "T12:00:00Z", "\(row.id): \(on)")
            #expect(before.first.map { $0 < on[0] } ?? false, "\(row.id): the last open day first")
            for stop in [before, on] {
                #expect(stop.count == 3 && abs((Double(stop[1]) ?? 0) - row.lon) < 1e-7 && abs((Double(stop[2]) ?? 0) - row.lat) < 1e-7, "\(row.id): \(stop)")
            }
        }
    }

    /// A layer of more closures than a tour visits: the tour plays the first 1,000 by date (input
    /// order among equal dates), and every placemark is still in its group.
    @Test func aLargeLayersTourPlaysItsFirstThousandClosures() throws {
        let dir = try TestSupport.temporaryFolder("minusma-kmz-large")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // 2,500 sites closing on days counted down from 2030, so the input order is the reverse of the dates.
        var csv = "id,name,longitude,latitude,closure_date,phase\n"
        for i in 0..<2_500 {
            let day = 2_500 - i
            csv += "s\(i),Site \(i),\(-8 + Double(i % 100) / 10),\(12 + Double(i / 100) / 5),\(2020 + day / 336)-\(String(format: "%02d", day % 336 / 28 + 1))-\(String(format: "%02d", day % 28 + 1)),\(["1", "2", "liquidation"][i % 3])\n"
        }
        try csv.write(toFile: dir + "/many.csv", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: true)
        let r = try TestSupport.minusma(["export", "--data", dir + "/many.csv", "--format", "kmz", "--out", dir + "/out", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/out") == ["many.kmz"], "no scratch file left")
        let script = """
            import sys, zipfile
            import xml.etree.ElementTree as ET
            ns = {"k": "http://www.opengis.net/kml/2.2", "gx": "http://www.google.com/kml/ext/2.2"}
            root = ET.fromstring(zipfile.ZipFile(sys.argv[1]).read("doc.kml"))
            print(len(root.findall(".//k:Placemark", ns)))
            whens = [e.text for e in root.findall(".//gx:FlyTo/k:LookAt/gx:TimeStamp/k:when", ns)]
            print(len(whens), whens[2], whens[-1], whens == sorted(whens))
            """
        let out = try Self.python(script, [dir + "/out/many.kmz"])
        #expect(out.status == 0, "\(out.stderr)")
        let dates = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[4] }.sorted()
        #expect(out.stdout == "2500\n2001 \(dates[0])T12:00:00Z \(dates[999])T12:00:00Z True\n", "\(out.stdout)")
    }

    /// Same input, same bytes; a user's file gets neutral words, its own folder and no circles.
    @Test func deterministicAndNeutralForAUsersData() throws {
        let dir = try TestSupport.temporaryFolder("minusma-kmz-user")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fixture = TestSupport.path("Tests/Fixtures/health-centres.csv")
        for out in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: dir + "/" + out, withIntermediateDirectories: true)
            let r = try TestSupport.minusma(["export", "--data", fixture, "--format", "kmz", "--out", dir + "/" + out, "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        #expect(try TestSupport.bytes(dir + "/a/health-centres.kmz") == TestSupport.bytes(dir + "/b/health-centres.kmz"))
        let again = try TestSupport.temporaryFolder("minusma-kmz-again")
        defer { try? FileManager.default.removeItem(atPath: again) }
        #expect(try TestSupport.minusma(["export", "--format", "kmz", "--out", again, "--quiet"]).status == 0)
        #expect(try TestSupport.bytes(again + "/minusma-sites.kmz") == TestSupport.bytes(Self.kmz))

        let doc = try Self.python("import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read('doc.kml').decode())", [dir + "/a/health-centres.kmz"])
        #expect(doc.status == 0, "\(doc.stderr)")
        let text = doc.stdout.lowercased()
        for word in ["minusma", "withdrawal", "malian authorities", "2013-07-01"] {
            #expect(!text.contains(word), "\(word) in a user's KMZ")
        }
        #expect(!text.contains("__folder-uncertainty"), "no uncertainty column, no circles")
        #expect(!text.contains("<screenoverlay"), "no categories, no legend")
        if let schema = ProcessInfo.processInfo.environment["MINUSMA_KML_SCHEMA"] {
            let gx = URL(fileURLWithPath: schema).deletingLastPathComponent().appendingPathComponent("kml22gx.xsd").path
            try Data(doc.stdout.utf8).write(to: URL(fileURLWithPath: dir + "/doc.kml"))
            let r = try TestSupport.run("xmllint", ["--noout", "--schema", gx, dir + "/doc.kml"])
            #expect(r.status == 0 && r.stderr.contains("validates"), "\(r.stderr.prefix(2000))")
        }
        #expect(doc.stdout.components(separatedBy: "<Placemark").count - 1 == 54)
        #expect(doc.stdout.contains("<gx:Tour"))
    }
}
