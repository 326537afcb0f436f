import Foundation
import Testing
import TestSupport

/// `--lang fr`: the map, the KML and GeoPackage descriptions and the QGIS project speak French,
/// read back by rsvg-convert, xmllint, sqlite3 and QGIS; `--lang en` changes nothing; a user's
/// data in French still says nothing of MINUSMA.
@Suite struct LanguageCommandTests {
    /// A folder removed when `body` returns.
    static func inFolder(_ body: (String) throws -> Void) throws {
        let dir = try TestSupport.temporaryFolder("minusma-lang")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try body(dir)
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// The sites of Data/events.csv with a takeover or a seizure, and the number of attacks, as
    /// Python's csv module reads the file.
    static func eventCounts() throws -> (takenSites: Int, attacks: Int) {
        let script = """
        import csv, sys
        rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
        print(len({r["site_id"] for r in rows if r["kind"] in ("takeover", "seizure")}))
        print(sum(1 for r in rows if r["kind"] in ("attack_on_convoy", "attack_on_camp")))
        """
        let r = try TestSupport.run("python3", ["-c", script, TestSupport.path("Data/events.csv")])
        let numbers = r.stdout.split(separator: "\n").compactMap { Int($0) }
        #expect(numbers.count == 2, "python3: \(r.stderr)")
        return (numbers.first ?? -1, numbers.last ?? -1)
    }

    @Test func theMapInFrench() throws {
        if TestSupport.requireTool("rsvg-convert") != nil {
            Issue.record("rsvg-convert is not installed (Debian package librsvg2-bin; `make test` installs it)")
            return
        }
        try Self.inFolder { dir in
            let r = try TestSupport.minusma(["map", "--lang", "fr", "--png", "--out", dir])
            #expect(r.status == 0, "\(r.stderr)")
            let png = try TestSupport.bytes(dir + "/minusma-withdrawal.png")
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "rsvg-convert wrote a PNG")
            let svg = try TestSupport.read(dir + "/minusma-withdrawal.svg")
            #expect(svg.contains("<title>Le retrait de la MINUSMA du Mali, 2023–2024</title>"))
            #expect(svg.contains("13 sites fermés entre le 3 août 2023 et le 15 novembre 2024"))
            // The neighbours' names follow the language too (Natural Earth's name_fr, else name).
            #expect(svg.contains(">ALGÉRIE<") && svg.contains(">MAURITANIE<") && !svg.contains(">ALGERIA<"))
            let english = try TestSupport.read(TestSupport.path("Output/minusma-withdrawal.svg"))
            #expect(english.contains(">ALGERIA<") && english.contains(">MAURITANIA<") && !english.contains(">ALGÉRIE<"))
            #expect(svg.contains(">Sites, par ordre de fermeture</text>"))
            #expect(svg.contains(">15 nov. 2024</text>"), "the Bamako label's date")
            #expect(svg.contains("Phase 2 (octobre à décembre 2023)") || svg.contains(">Phase 2</text>"))
            #expect(svg.contains("Fond de carte\u{00A0}: Natural Earth"))
            #expect(svg.contains("Sites encore ouverts, de juillet 2023 à novembre 2024"))
            for english in ["Phase 2 (October", "Liquidation sites", "Colour:", "Sites still open", "in order of closure",
                            "Base map:", "Nov 2024", "Who took", "attack on"] {
                #expect(!svg.contains(english), "English left on the French map: \(english)")
            }
            let (taken, attacks) = try Self.eventCounts()
            #expect(taken >= 5 && attacks >= 10)
            #expect(Self.count("class=\"takeover-mark\"", in: svg) == taken, "a mark by each site someone took")
            #expect(Self.count("class=\"attack\"", in: svg) == attacks, "a tick per attack on the strip")
            #expect(svg.contains("Qui a pris le camp après la fermeture"))
            #expect(svg.contains("l’armée malienne et Wagner") && svg.contains("un groupe armé"))
            if TestSupport.requireTool("xmllint") == nil {
                #expect(try TestSupport.run("xmllint", ["--noout", dir + "/minusma-withdrawal.svg"]).status == 0)
            }
        }
    }

    @Test func theKMLAndGeoPackageDescriptionsInFrench() throws {
        try Self.inFolder { dir in
            let r = try TestSupport.minusma(["export", "--lang", "fr", "--format", "kml,kmz,gpkg", "--out", dir])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.hasPrefix("Écrits\u{00A0}: 13 sites et 84 événements (tous les sites) en WGS 84"), "the summary in French: \(r.stdout)")
            // The KMZ stores its doc.kml uncompressed: its own words are readable in the archive.
            let kmz = String(decoding: try TestSupport.bytes(dir + "/minusma-sites.kmz"), as: UTF8.self)
            #expect(kmz.contains("<name>Légende</name>") && kmz.contains("<name>Incertitude</name>")
                    && kmz.contains("Les fermetures dans l’ordre des dates") && !kmz.contains("Closures in date order"))
            let kml = dir + "/minusma-sites.kml"
            if let schema = ProcessInfo.processInfo.environment["MINUSMA_KML_SCHEMA"], FileManager.default.fileExists(atPath: schema) {
                let valid = try TestSupport.run("xmllint", ["--noout", "--schema", schema, kml])
                #expect(valid.status == 0 && valid.stderr.contains("validates"), "\(valid.stderr)")
            } else {
                Issue.record("MINUSMA_KML_SCHEMA is not set to ogckml22.xsd; run the tests with `make test`, which fetches it")
            }
            // The balloons as a KML reader sees them: xmllint unescapes the description's HTML.
            let balloons = try TestSupport.run("xmllint", ["--nonet", "--xpath",
                "//*[local-name()='Placemark']/*[local-name()='description']/text()", kml]).stdout
            #expect(balloons.contains("Rétrocession aux autorités maliennes le 3 août 2023"))
            #expect(balloons.contains("Pas de rétrocession\u{00A0}: départ des derniers Casques bleus le"))
            #expect(balloons.contains("Région\u{00A0}: "))
            #expect(balloons.contains("incertitude d’environ 1,8 km"), "Tessalit's 1800 m with a decimal comma")
            // The data's own notes stay as written (in English); only the sentences the tool adds change.
            #expect(!balloons.contains("Handed over to the Malian authorities") && !balloons.contains("Region: "))
            let document = try TestSupport.run("xmllint", ["--nonet", "--xpath",
                "/*[local-name()='kml']/*[local-name()='Document']/*[local-name()='description']/text()", kml]).stdout
            #expect(document.contains("Mission multidimensionnelle intégrée des Nations unies pour la stabilisation au Mali (MINUSMA)"))
            #expect(document.contains("Phase 1 (août 2023)"))
            if TestSupport.requireTool("sqlite3") != nil {
                Issue.record("sqlite3 is not installed (Debian package sqlite3; `make test` installs it)")
                return
            }
            let contents = try TestSupport.run("sqlite3", [dir + "/minusma-sites.gpkg",
                "SELECT identifier FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name"]).stdout
            #expect(contents.split(separator: "\n") == ["Mali", "Régions du Mali (Natural Earth, découpage de 2012)",
                                                        "Événements aux sites de la MINUSMA, 2023-2024",
                                                        "Sites de la MINUSMA\u{00A0}: le retrait du Mali, 2023-2024",
                                                        "Cercles d’incertitude\u{00A0}: Sites de la MINUSMA\u{00A0}: le retrait du Mali, 2023-2024", "Pays voisins"])
            let styles = try TestSupport.run("sqlite3", [dir + "/minusma-sites.gpkg",
                "SELECT description FROM gpkg_contents WHERE table_name = 'layer_styles'; SELECT styleName FROM layer_styles ORDER BY f_table_name"]).stdout
            #expect(styles.split(separator: "\n") == ["Styles QGIS des couches", "Mali", "Régions du Mali (Natural Earth, découpage de 2012)",
                                                      "Événements par type", "Sites par phase du retrait",
                                                      "Cercles d’incertitude\u{00A0}: Sites de la MINUSMA\u{00A0}: le retrait du Mali, 2023-2024", "Pays voisins"])
        }
    }

    /// The layer tree QGIS itself shows for the French project.
    @Test func theQGISProjectsLayersInFrench() throws {
        try Self.inFolder { dir in
            let r = try TestSupport.minusma(["qgis-project", "--lang", "fr", "--out", dir])
            #expect(r.status == 0, "\(r.stderr)")
            guard FileManager.default.fileExists(atPath: "/usr/bin/python3"),
                  try TestSupport.run("/usr/bin/python3", ["-c", "import qgis.core"]).status == 0 else {
                Issue.record("QGIS's Python API is missing (Debian package python3-qgis; `make test` installs it)")
                return
            }
            let script = """
            import os, sys, tempfile
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp())
            from qgis.core import QgsApplication, QgsProject
            app = QgsApplication([], False)
            app.initQgis()
            project = QgsProject.instance()
            assert project.read(sys.argv[1]), "QGIS cannot read the project"
            print(project.title())
            for layer in project.layerTreeRoot().findLayers():
                print(layer.name(), layer.layer().isValid())
            """
            let q = try TestSupport.run("/usr/bin/python3", ["-c", script, dir + "/minusma.qgs"])
            #expect(q.status == 0, "\(q.stderr)")
            #expect(q.stdout.split(separator: "\n") == [
                "Le retrait de la MINUSMA du Mali, 2023-2024", "Événements de la MINUSMA True", "Sites de la MINUSMA True",
                "Régions du Mali (Natural Earth, découpage de 2012) True", "Mali True", "Pays voisins True"])
            let qgs = try TestSupport.read(dir + "/minusma.qgs")
            #expect(qgs.contains("label=\"Phase 2 (octobre à décembre 2023)\""))
        }
    }

    /// `--lang en` is the default: the same bytes for the built-in exports, map and project.
    @Test func englishIsTheDefaultByteForByte() throws {
        try Self.inFolder { dir in
            for lang in ["default", "en"] {
                let out = dir + "/" + lang
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                let flag = lang == "en" ? ["--lang", "en"] : []
                #expect(try TestSupport.minusma(["export", "--out", out, "--quiet"] + flag).status == 0)
                #expect(try TestSupport.minusma(["map", "--out", out] + flag).status == 0)
                #expect(try TestSupport.minusma(["qgis-project", "--out", out, "--name", "project"] + flag).status == 0)
            }
            let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/default").sorted()
            #expect(files.count >= 9)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/en").sorted() == files)
            for file in files {
                #expect(try TestSupport.bytes(dir + "/default/" + file) == TestSupport.bytes(dir + "/en/" + file), "\(file) differs with --lang en")
            }
        }
    }

    @Test func showListAndTimelineInFrench() throws {
        let show = try TestSupport.minusma(["show", "kidal", "--lang", "fr"])
        #expect(show.status == 0)
        #expect(show.stdout.contains("Pas de rétrocession\u{00A0}: départ des derniers Casques bleus le 31 octobre 2023."))
        #expect(show.stdout.contains("Sources des dates\u{00A0}:\n") && show.stdout.contains("ordre de fermeture          8 sur 13"))
        let list = try TestSupport.minusma(["list", "--lang", "fr", "--as-of", "2023-10-22"])
        #expect(list.stdout.hasPrefix("ordre  id "))
        #expect(list.stdout.contains("7 sites sur 13 (ouverts le 22 octobre 2023)\u{00A0}; source\u{00A0}: Data/minusma-sites.csv"))
        let user = try TestSupport.minusma(["show", "hc-002", "--lang", "fr", "--data", TestSupport.path("Tests/Fixtures/health-centres.csv")])
        #expect(user.stdout.contains("Fermeture le 12 juin 2020."))
        #expect(!user.stdout.contains("rétrocession") && !user.stdout.contains("Casques bleus"))
        try Self.inFolder { dir in
            let r = try TestSupport.minusma(["timeline", "--lang", "fr", "--format", "gpkg", "--out", dir])
            #expect(r.stdout.contains("Bamako (quartier général, Sénou) (15 nov.)"))
            #expect(r.stdout.contains("17 mois depuis le 1er juillet 2023, 13 fermetures"))
            let titles = try TestSupport.run("sqlite3", [dir + "/minusma-timeline.gpkg",
                "SELECT identifier FROM gpkg_contents WHERE table_name LIKE 'open_%' ORDER BY table_name"]).stdout
            #expect(titles.hasPrefix("Sites de la MINUSMA ouverts le 1er juillet 2023\n"), "\(titles)")
        }
        // English is the default, byte for byte.
        for command in [["show", "kidal"], ["list", "--from", "gao"], ["timeline", "--no-layers"]] {
            #expect(try TestSupport.minusma(command).stdout == TestSupport.minusma(command + ["--lang", "en"]).stdout)
        }
    }

    /// A user's gazetteer in French: French words, none of MINUSMA's, in any language.
    @Test func userDataInFrenchSaysNothingOfMINUSMA() throws {
        try Self.inFolder { dir in
            let data = TestSupport.path("Tests/Fixtures/health-centres.csv")
            for command in [["export", "--quiet"], ["map"], ["qgis-project"]] {
                let r = try TestSupport.minusma(command + ["--data", data, "--lang", "fr", "--out", dir])
                #expect(r.status == 0, "\(command): \(r.stderr)")
            }
            var all = ""
            for file in try FileManager.default.contentsOfDirectory(atPath: dir) where !file.hasSuffix(".gpkg") {
                // Binary files too (the KMZ stores its doc.kml as is, the DBF its text).
                all += String(decoding: try TestSupport.bytes(dir + "/" + file), as: UTF8.self)
            }
            // The workbook is a ZIP of XML parts: its text is read unzipped.
            let xlsx = try TestSupport.run("python3", ["-c", """
                import sys, zipfile
                z = zipfile.ZipFile(sys.argv[1])
                sys.stdout.write("".join(z.read(n).decode("utf-8") for n in z.namelist()))
                """, dir + "/health-centres.xlsx"])
            #expect(xlsx.status == 0 && xlsx.stdout.contains("health-centres"), "\(xlsx.stderr)")
            all += xlsx.stdout
            let gpkg = try TestSupport.run("sqlite3", [dir + "/health-centres.gpkg",
                "SELECT identifier || ' ' || description FROM gpkg_contents; SELECT styleName FROM layer_styles"]).stdout
            all += gpkg
            for word in ["MINUSMA", "withdrawal", "Malian authorities", "retrait", "autorités maliennes", "rétrocession",
                         "Casques bleus", "2013-07-01", "Nations unies"] {
                #expect(!all.localizedCaseInsensitiveContains(word), "\(word) in the French export of a user's data")
            }
            #expect(all.contains("Fermeture le 6 avril 2022"))
            #expect(all.contains("54 sites\u{00A0}: 52 fermés entre le 1er janvier 2019 et"))
            #expect(all.contains("Données\u{00A0}: health-centres.csv."))
            #expect(gpkg.contains("Pays voisins"))
        }
    }
}
