import Foundation
import Testing
import TestSupport

/// `--format xlsx`, read back by readers we did not write: openpyxl (cells, types, frozen header,
/// autofilter, links, the About sheet), LibreOffice headless (converted to CSV) and libhxl (the
/// hashtag row).
@Suite struct XLSXTests {
    static let health = TestSupport.path("Tests/Fixtures/health-centres.csv")

    /// Every sheet of a workbook as JSON: its name, frozen cell, autofilter range, column widths,
    /// and each cell's [type, value, number format, link target].
    static let reader = """
        import datetime, json, sys
        try:
            import openpyxl
        except ImportError as e:
            print("missing:", e); sys.exit(3)
        wb = openpyxl.load_workbook(sys.argv[1])
        out = []
        for ws in wb.worksheets:
            rows = []
            for row in ws.iter_rows():
                cells = []
                for c in row:
                    v = c.value
                    if isinstance(v, (datetime.datetime, datetime.date)):
                        v = v.strftime("%Y-%m-%d")
                    cells.append([type(c.value).__name__, v, c.number_format, c.hyperlink.target if c.hyperlink else None,
                                  bool(c.font and c.font.b)])
                rows.append(cells)
            widths = {k: d.width for k, d in ws.column_dimensions.items()}
            out.append({"name": ws.title, "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref, "rows": rows, "widths": widths})
        print(json.dumps(out))
        """

    struct Cell {
        let type: String
        let value: Any?
        let format: String
        let link: String?
        let bold: Bool
        var text: String? { value as? String }
    }

    struct Sheet {
        let name: String
        let freeze: String?
        let filter: String?
        let rows: [[Cell]]
        let widths: [String: Double]

        /// The data rows as dictionaries keyed by the header.
        func records(headerRows: Int = 1) -> [[String: Cell]] {
            guard let header = rows.first else { return [] }
            let names = header.map { $0.text ?? "" }
            return rows.dropFirst(headerRows).map { row in
                Dictionary(uniqueKeysWithValues: zip(names, row).map { ($0, $1) })
            }
        }
    }

    func export(_ flags: [String], into dir: String) throws {
        let r = try TestSupport.minusma(["export", "--format", "xlsx", "--out", dir, "--quiet"] + flags)
        #expect(r.status == 0, "\(r.stderr)")
    }

    /// The sheets of `path`, or nil (with an issue recorded) when openpyxl is missing.
    func sheets(_ path: String) throws -> [Sheet]? {
        let r = try TestSupport.run("python3", ["-c", Self.reader, path])
        if r.status == 3 { Issue.record("openpyxl is not installed (pip install openpyxl): \(r.stdout)"); return nil }
        #expect(r.status == 0, "\(r.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        return root.map { sheet in
            let rows = (sheet["rows"] as? [[[Any]]] ?? []).map { row in
                row.map { c in
                    Cell(type: c[0] as? String ?? "", value: c[1] is NSNull ? nil : c[1], format: c[2] as? String ?? "",
                         link: c[3] as? String, bold: c[4] as? Bool ?? false)
                }
            }
            return Sheet(name: sheet["name"] as? String ?? "", freeze: sheet["freeze"] as? String,
                         filter: sheet["filter"] as? String, rows: rows,
                         widths: (sheet["widths"] as? [String: Double]) ?? [:])
        }
    }

    @Test func openpyxlReadsTypedCellsUnderAFrozenFilteredHeader() throws {
        let dir = try TestSupport.temporaryFolder("minusma-xlsx")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try export([], into: dir)
        guard let sheets = try sheets(dir + "/minusma-sites.xlsx") else { return }
        #expect(sheets.map(\.name) == ["minusma-sites", "minusma-events", "minusma-contingents", "About"],
                "the built-in data's events and contingents are sheets of the same workbook")
        let sites = try #require(sheets.first)
        #expect(sites.rows.count == 14, "a header and 13 sites")
        #expect(sites.freeze == "A2", "the header row is frozen")
        #expect(sites.filter == "A1:V14", "the autofilter covers the header and every site")
        #expect(sites.rows[0].allSatisfy { $0.bold }, "the header is bold")
        let records = sites.records()
        let byID = Dictionary(uniqueKeysWithValues: records.compactMap { r in r["id"]?.text.map { ($0, r) } })
        for (id, closure) in [("ogossagou-tob", "2023-08-03"), ("kidal", "2023-10-31"), ("bamako-hq", "2024-11-15")] {
            let cell = try #require(byID[id]?["closure_date"], "\(id)")
            #expect(cell.type == "datetime" && cell.text == closure && cell.format == "yyyy-mm-dd", "\(id): \(cell)")
        }
        let gao = try #require(byID["gao"])
        #expect(gao["latitude"]?.type == "float" && gao["longitude"]?.type == "float")
        #expect(gao["closure_order"]?.type == "int" && gao["closure_order"]?.value as? Int == 12)
        #expect(gao["coord_uncertainty_m"]?.type == "int")
        // Sites without a handover (Tessalit, Aguelhok, Kidal): an empty cell, not "" or 0.
        let kidal = try #require(byID["kidal"])
        #expect(kidal["handover_date"]?.type == "NoneType", "\(String(describing: kidal["handover_date"]))")
        let sources = try #require(gao["date_sources"])
        #expect(sources.link.map { $0.hasPrefix("http") && (sources.text ?? "").hasPrefix($0) } == true,
                "the first source is a link, the whole list is shown: \(sources)")
        #expect((sources.text ?? "").contains(" | "), "lists are joined as in the CSV")
        // The events' yes/no field is an Excel boolean.
        let events = try #require(sheets.first { $0.name == "minusma-events" }).records()
        let contested = events.compactMap { $0["contested"]?.type }
        #expect(contested.contains("bool") && contested.allSatisfy { ["bool", "NoneType"].contains($0) }, "\(Set(contested))")
        // Widths follow the values: `id` is narrow, `notes` is capped.
        #expect((sites.widths["A"] ?? 0) < 20 && (sites.widths["T"] ?? 0) <= 62, "\(sites.widths)")
    }

    @Test func libreOfficeConvertsItToTheSameSites() throws {
        if let missing = TestSupport.requireTool("soffice") {
            Issue.record(Comment(rawValue: missing + " (apt-get install libreoffice-calc-nogui)"))
            return
        }
        let dir = try TestSupport.temporaryFolder("minusma-xlsx-lo")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try export([], into: dir)
        // A private profile folder: LibreOffice must not touch the user's, nor wait on a lock. The
        // filter's options: `,` separator, `"` quotes, UTF-8 (76).
        let convert = try TestSupport.run("soffice", ["-env:UserInstallation=file://\(dir)/profile", "--headless",
                                                      "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir + "/csv", dir + "/minusma-sites.xlsx"])
        #expect(convert.status == 0, "\(convert.stderr)")
        let csv = try TestSupport.read(dir + "/csv/minusma-sites.csv")
        let ids = csv.split(separator: "\n").dropFirst().map { line in String(line.prefix { $0 != "," }) }
        let expected = try TestSupport.read(TestSupport.path("Data/minusma-sites.csv")).split(separator: "\n").dropFirst()
            .map { line in String(line.prefix { $0 != "," }) }
        #expect(ids.count == 13 && ids == expected, "\(ids)")
        let header = csv.prefix { $0 != "\n" }
        #expect(header.hasPrefix("id,closure_order,name,"), "\(header)")
        // The first sheet's dates come out in the sheet's own yyyy-mm-dd display.
        #expect(csv.contains(",2024-11-15,"))
    }

    @Test func theAboutSheetStatesTheLicenceOnlyWhereTheDataHasOne() throws {
        let dir = try TestSupport.temporaryFolder("minusma-xlsx-about")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try export([], into: dir)
        try export(["--data", Self.health], into: dir)
        guard let builtIn = try sheets(dir + "/minusma-sites.xlsx"), let user = try sheets(dir + "/health-centres.xlsx") else { return }
        func about(_ sheets: [Sheet]) -> [String: String] {
            var rows: [String: String] = [:]
            for row in sheets.last?.rows ?? [] {
                if let label = row.first?.text, row.count > 1, let value = row[1].text { rows[label] = value }
            }
            return rows
        }
        #expect(builtIn.last?.name == "About" && user.last?.name == "About")
        let mine = about(builtIn), theirs = about(user)
        #expect(mine["Licence"] == "CC-BY-4.0")
        #expect(theirs["Licence"] == "none stated", "no licence is made up for a user's data: \(theirs)")
        #expect(mine["Title"] == "MINUSMA sites: the withdrawal from Mali, 2023-2024")
        #expect(theirs["Title"] == "health-centres")
        #expect(mine["Tool version"]?.isEmpty == false)
        #expect(mine["CRS"]?.contains("OGC:CRS84") == true)
        #expect(mine["Sheets"] == "minusma-sites: 13 features (MINUSMA sites: the withdrawal from Mali, 2023-2024)")
        #expect(theirs["Sheets"] == "health-centres: 54 features (health-centres)", "a user's data has no events")
        let cited = builtIn.last?.rows.compactMap { $0.count > 1 ? $0[1].link : nil } ?? []
        #expect(cited.count > 13 && Set(cited).count == cited.count, "every cited link once: \(cited.count)")
        #expect(theirs["Links cited"] == "none in the data")
        // --license is the user's word, and the About sheet carries it.
        try export(["--data", Self.health, "--license", "CC0-1.0", "--name", "licensed"], into: dir)
        guard let licensed = try sheets(dir + "/licensed.xlsx") else { return }
        #expect(about(licensed)["Licence"] == "CC0-1.0")
    }

    @Test func twoRunsGiveTheSameBytes() throws {
        var files: [Data] = []
        for flags in [[], [], ["--data", Self.health, "--crs", "EPSG:32630", "--hxl"], ["--data", Self.health, "--crs", "EPSG:32630", "--hxl"]] {
            let dir = try TestSupport.temporaryFolder("minusma-xlsx-bytes")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            try export(flags + ["--name", "same"], into: dir)
            files.append(try TestSupport.bytes(dir + "/same.xlsx"))
            // A second later: a clock time in the file would differ.
            sleep(1)
        }
        #expect(!files[0].isEmpty && files[0] == files[1], "the built-in sites, twice")
        #expect(files[2] == files[3] && files[2] != files[0], "the health centres in UTM with HXL, twice")
    }

    @Test func aUsersWorkbookSaysNothingOfMINUSMA() throws {
        let dir = try TestSupport.temporaryFolder("minusma-xlsx-user")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try export(["--data", Self.health], into: dir)
        // Every part of the package, unzipped.
        let unzip = try TestSupport.run("python3", ["-c", """
            import sys, zipfile
            z = zipfile.ZipFile(sys.argv[1])
            sys.stdout.write("".join(z.read(n).decode("utf-8") for n in z.namelist()))
            """, dir + "/health-centres.xlsx"])
        #expect(unzip.status == 0, "\(unzip.stderr)")
        let text = unzip.stdout
        #expect(text.contains("CSCom de Sébénikoro"))
        for word in ["minusma", "withdrawal", "malian authorities", "2023-2024", "2013-07-01", "2024-11-15", "2023-08-03"] {
            #expect(!text.lowercased().contains(word), "user data is theirs: found \(word)")
        }
        guard let sheets = try sheets(dir + "/health-centres.xlsx") else { return }
        let records = try #require(sheets.first).records()
        #expect(records.count == 54)
        let open = records.filter { $0["closure_date"]?.type == "NoneType" }
        #expect(!open.isEmpty, "open centres have an empty closure cell")
        #expect(records.filter { $0["longitude"]?.type == "NoneType" }.count == 1, "one centre has no coordinate")
        #expect(records.allSatisfy { ["int", "NoneType"].contains($0["population"]?.type ?? "") })
        #expect(records.compactMap { $0["opening_date"] }.allSatisfy { $0.type == "datetime" || $0.type == "NoneType" })
    }

    @Test func libhxlReadsTheHashtagRow() throws {
        let dir = try TestSupport.temporaryFolder("minusma-xlsx-hxl")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try export(["--data", Self.health, "--hxl"], into: dir)
        let r = try TestSupport.run("python3", ["-c", """
            import json, sys
            try:
                import hxl
            except ImportError as e:
                print("missing:", e); sys.exit(3)
            source = hxl.data(sys.argv[1], hxl.InputOptions(allow_local=True))
            tags = [c.display_tag for c in source.columns]
            rows = [[r.get("#loc+code"), r.get("#loc+name"), r.get("#date+closed"), r.get("#geo+lat")] for r in source]
            print(json.dumps({"tags": tags, "rows": rows}))
            """, dir + "/health-centres.xlsx"])
        if r.status == 3 { Issue.record("libhxl is not installed (pip install libhxl): \(r.stdout)"); return }
        #expect(r.status == 0, "\(r.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(root["tags"] as? [String] == ["#loc+code", "#loc+name", "#adm1+name", "#geo+lon", "#geo+lat", "#date+opened",
                                               "#date+closed", "#description+notes", "#population", "#contact+phone"])
        let rows = try #require(root["rows"] as? [[Any]])
        #expect(rows.count == 54)
        #expect(rows.first?[0] as? String == "hc-001" && rows.first?[1] as? String == "CSCom de Sébénikoro")
        #expect((rows.first?[2] as? String)?.hasPrefix("2019-01-01") == true, "\(rows.first ?? [])")
        guard let sheets = try sheets(dir + "/health-centres.xlsx") else { return }
        let sheet = try #require(sheets.first)
        #expect(sheet.freeze == "A3", "the names and the hashtags stay in view")
        #expect(sheet.filter?.hasPrefix("A2:") == true, "the filter sits on the hashtag row, so sorting keeps it on top")
    }

    @Test func theTimelineIsOneWorkbookWithASheetPerStep() throws {
        let dir = try TestSupport.temporaryFolder("minusma-xlsx-timeline")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try TestSupport.minusma(["timeline", "--format", "xlsx", "--out", dir])
        #expect(r.status == 0, "\(r.stderr)")
        guard let sheets = try sheets(dir + "/minusma-timeline.xlsx") else { return }
        #expect(sheets.count == 18 && sheets.first?.name == "open_2023_07_01" && sheets.last?.name == "About", "\(sheets.map(\.name))")
        #expect(sheets.first?.rows.count == 14 && sheets[16].rows.count == 2, "13 sites open in July 2023, Bamako alone in November 2024")
        #expect(sheets.dropLast().allSatisfy { $0.freeze == "A2" && $0.filter?.hasPrefix("A1:") == true })
    }

    @Test func aProjectedExportHasTheCSVsColumns() throws {
        let dir = try TestSupport.temporaryFolder("minusma-xlsx-utm")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try export(["--data", Self.health, "--crs", "EPSG:32630", "--format", "csv"], into: dir)
        guard let sheets = try sheets(dir + "/health-centres.xlsx") else { return }
        let sheet = try #require(sheets.first)
        let header = sheet.rows.first?.compactMap(\.text) ?? []
        let csvHeader = try TestSupport.read(dir + "/health-centres.csv").prefix { $0 != "\n" }.split(separator: ",").map(String.init)
        #expect(header == csvHeader, "\(header)")
        let records = sheet.records()
        let located = records.filter { $0["x"]?.type == "float" && $0["y"]?.type == "float" }
        #expect(located.count == 53 && records.count == 54, "the centre without a coordinate has empty x and y")
        #expect(located.allSatisfy { $0["wkt"]?.text?.hasPrefix("POINT (") == true })
    }

    @Test func aValueLongerThanACellIsRefusedNamingItsPlace() throws {
        let dir = try TestSupport.temporaryFolder("minusma-xlsx-long")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/long.csv"
        try "id,name,longitude,latitude,notes\na,A,1,12,short\nb,B,2,13,\(String(repeating: "y", count: 40_000))\n"
            .write(toFile: input, atomically: false, encoding: .utf8)
        let r = try TestSupport.minusma(["export", "--data", input, "--format", "xlsx", "--out", dir, "--quiet"])
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains("long.xlsx") && r.stderr.contains("feature 'b', field 'notes'") && r.stderr.contains("40000 characters")
                && r.stderr.contains("32767"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/long.xlsx"))
    }

    @Test func theAboutSheetSpeaksTheExportsLanguage() throws {
        let dir = try TestSupport.temporaryFolder("minusma-xlsx-fr")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try export(["--data", Self.health, "--lang", "fr"], into: dir)
        guard let sheets = try sheets(dir + "/health-centres.xlsx") else { return }
        let labels = Dictionary(sheets.last?.rows.compactMap { row in
            row.count > 1 ? row[0].text.flatMap { label in row[1].text.map { (label, $0) } } : nil
        } ?? [], uniquingKeysWith: { a, _ in a })
        #expect(labels["Titre"] == "health-centres" && labels["Licence"] == "non indiquée", "\(labels)")
        #expect(labels["Feuilles"] == "health-centres\u{00A0}: 54 entités (health-centres)")
        #expect(labels["Liens cités"] == "aucun dans les données" && labels["Title"] == nil)
    }
}
