import Foundation
import Testing
import TestSupport

/// The Excel CSV as a French-locale spreadsheet opens it: LibreOffice imports it with `;`, UTF-8
/// and French number rules (language 1036) into an .xlsx, which openpyxl reads back. Coordinates
/// and integers must arrive as numbers, and cells that looked like formulas as text.
@Suite struct ExcelImportTests {
    static let reader = """
        import json, sys
        try:
            import openpyxl
        except ImportError as e:
            print("missing:", e); sys.exit(3)
        rows = list(openpyxl.load_workbook(sys.argv[1]).active.iter_rows())
        header = [c.value for c in rows[0]]
        out = []
        for row in rows[1:]:
            out.append({h: [type(c.value).__name__, c.data_type, c.value if isinstance(c.value, str) else None]
                        for h, c in zip(header, row)})
        print(json.dumps(out))
        """

    @Test func libreOfficeInAFrenchLocaleReadsNumbersAsNumbers() throws {
        if let missing = TestSupport.requireTool("soffice") {
            Issue.record(Comment(rawValue: missing + " (apt-get install libreoffice-calc-nogui)"))
            return
        }
        let dir = try TestSupport.temporaryFolder("minusma-excel")
        let data = TestSupport.path("Tests/Fixtures/health-centres.csv")
        let export = try TestSupport.minusma(["export", "--data", data, "--format", "csv", "--excel", "--out", dir, "--quiet"])
        #expect(export.status == 0, "\(export.stderr)")
        // A private profile folder: LibreOffice must not touch the user's, nor wait on a lock.
        let convert = try TestSupport.run("soffice", ["-env:UserInstallation=file://\(dir)/profile", "--headless",
                                                      "--infilter=CSV:59,34,76,1,,1036", "--convert-to", "xlsx",
                                                      "--outdir", dir, dir + "/health-centres-excel.csv"],
                                          environment: ["LC_ALL": "fr_FR.UTF-8"])
        #expect(convert.status == 0, "\(convert.stderr)")
        let read = try TestSupport.run("python3", ["-c", Self.reader, dir + "/health-centres-excel.xlsx"])
        if read.status == 3 { Issue.record("openpyxl is not installed (pip install openpyxl): \(read.stdout)"); return }
        #expect(read.status == 0, "\(read.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [[String: [Any]]])
        #expect(rows.count == 54)
        let located = rows.filter { ($0["longitude"]?.first as? String) != "NoneType" }
        #expect(located.count == 53, "one centre has no coordinate")
        for row in located {
            #expect(row["longitude"]?.first as? String == "float", "\(row["longitude"] ?? [])")
            #expect(row["latitude"]?.first as? String == "float", "\(row["latitude"] ?? [])")
        }
        #expect(rows.allSatisfy { ["int", "NoneType"].contains($0["population"]?.first as? String ?? "") })
        #expect(rows.allSatisfy { $0.values.allSatisfy { $0.count > 1 && ($0[1] as? String) != "f" } }, "no cell is a formula")
        let phones = rows.compactMap { $0["phone"]?.last as? String }
        #expect(!phones.isEmpty && phones.allSatisfy { $0.hasPrefix("'+223") }, "\(phones.prefix(3))")
    }
}
