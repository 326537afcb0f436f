import Foundation
import Testing
@testable import Exporters
import Gazetteer
import Projection
import TestSupport

/// The XLSX writer at Excel's edges, fed directly (limits made small where reaching Excel's own
/// would take a million rows), read back with openpyxl.
@Suite struct XLSXWriterTests {
    /// A feature holding its values, for layers no gazetteer has.
    struct Row: Feature {
        let featureID: String
        let values: [FieldValue]
        var label: String? { featureID }
        var timeSpan: TimeSpan { TimeSpan() }
        var categoryIndex: Int? { nil }
        var richDescription: RichText? { nil }
        func visitProperties<S: PropertySink>(_ sink: inout S) {
            sink.text("id", featureID)
            for (i, v) in values.enumerated() { sink.value("v\(i)", v) }
        }
    }

    static func info(_ name: String, fields: [LayerField]) -> LayerInfo {
        LayerInfo(metadata: LayerMetadata(name: name, title: name), schema: LayerSchema([LayerField(name: "id", type: .text)] + fields),
                  crs: .wgs84)
    }

    /// Writes `layers` (name, fields, rows) into one workbook and returns its path.
    static func write(_ layers: [(String, [LayerField], [Row])], limits: XLSXLayerSheet.Limits = XLSXLayerSheet.Limits(),
                      into dir: String) throws -> String {
        let files = try ExportFiles(directory: dir)
        let writer = try XLSXWriter(files: files, fileName: "book.xlsx", layerName: layers[0].0, hxl: false, limits: limits)
        for (i, (name, fields, rows)) in layers.enumerated() {
            if i > 0 { try writer.startLayer(named: name) }
            try writer.begin(info(name, fields: fields))
            for row in rows { try writer.write(row, point: XY(x: 1, y: 2)) }
            try writer.finish(LayerSummary(featureCount: rows.count, extent: nil, geographicExtent: nil))
        }
        try files.commit()
        return dir + "/book.xlsx"
    }

    /// Each sheet's name and its rows of [type, value, link].
    static let reader = """
        import json, sys
        try:
            import openpyxl
        except ImportError as e:
            print("missing:", e); sys.exit(3)
        wb = openpyxl.load_workbook(sys.argv[1])
        print(json.dumps([[ws.title, [[[type(c.value).__name__, str(c.value), c.hyperlink.target if c.hyperlink else None]
                                      for c in row] for row in ws.iter_rows()]] for ws in wb.worksheets]))
        """

    static func read(_ path: String) throws -> [(name: String, rows: [[[String?]]])]? {
        let r = try TestSupport.run("python3", ["-c", reader, path])
        if r.status == 3 { Issue.record("openpyxl is not installed (pip install openpyxl): \(r.stdout)"); return nil }
        #expect(r.status == 0, "\(r.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[Any]])
        return root.map { sheet in
            (sheet[0] as? String ?? "", (sheet[1] as? [[[Any]]] ?? []).map { $0.map { $0.map { $0 as? String } } })
        }
    }

    @Test func sheetNamesAreValidUniqueAndDeterministic() {
        var names = XLSXSheetNames(reserved: ["About"])
        #expect(names.claim("a/b:c*d?e[f]g\\h") == "a_b_c_d_e_f_g_h")
        #expect(names.claim("A_B_C_D_E_F_G_H") == "A_B_C_D_E_F_G_H (2)", "Excel compares names ignoring case")
        #expect(names.claim("about") == "about (2)", "the About sheet keeps its name")
        let long = String(repeating: "é", count: 40)
        let first = names.claim(long), second = names.claim(long)
        #expect(first == String(repeating: "é", count: 31))
        #expect(second == String(repeating: "é", count: 27) + " (2)" && second.utf16.count == 31)
        #expect(names.claim("'quoted'") == "quoted")
        #expect(names.claim("") == "Sheet" && names.claim("''") == "Sheet (2)")
    }

    @Test func linksAreTheURLsOfACell() {
        #expect(XLSXLinks.all(in: "TOB siting: https://example.org/a_(b) | see http://x.example/c.") ==
                ["https://example.org/a_(b)", "http://x.example/c"])
        #expect(XLSXLinks.all(in: "(https://example.org/page), then") == ["https://example.org/page"])
        #expect(XLSXLinks.all(in: "no link, https:// alone, httpx://no").isEmpty)
    }

    @Test func aLayerLongerThanASheetGoesOnInTheNext() throws {
        let dir = try TestSupport.temporaryFolder("minusma-xlsx-rows")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rows = (1...5).map { Row(featureID: "f\($0)", values: [.integer($0)]) }
        let path = try Self.write([("layer", [LayerField(name: "v0", type: .integer)], rows)],
                                  limits: XLSXLayerSheet.Limits(rows: 3), into: dir)
        guard let sheets = try Self.read(path) else { return }
        #expect(sheets.map(\.name) == ["layer", "layer (2)", "layer (3)", "About"])
        #expect(sheets.prefix(3).map { $0.rows.compactMap { $0.first?[1] } } == [["id", "f1", "f2"], ["id", "f3", "f4"], ["id", "f5"]])
    }

    @Test func pastTheLinkLimitCellsArePlainText() throws {
        let dir = try TestSupport.temporaryFolder("minusma-xlsx-links")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rows = (1...4).map { Row(featureID: "f\($0)", values: [.text("https://example.org/\($0)")]) }
        let path = try Self.write([("layer", [LayerField(name: "v0", type: .text)], rows)],
                                  limits: XLSXLayerSheet.Limits(links: 2), into: dir)
        guard let sheets = try Self.read(path) else { return }
        let cells = sheets[0].rows.dropFirst().map { $0[1] }
        #expect(cells.map { $0[2] } == ["https://example.org/1", "https://example.org/2", nil, nil])
        #expect(cells.map { $0[1] } == (1...4).map { "https://example.org/\($0)" }, "every text is kept")
    }

    @Test func aValueLongerThanACellIsRefusedNotCut() throws {
        let dir = try TestSupport.temporaryFolder("minusma-xlsx-long")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let long = String(repeating: "x", count: 32_768)
        #expect {
            _ = try Self.write([("layer", [LayerField(name: "v0", type: .text)],
                                 [Row(featureID: "f1", values: [.text(String(long.prefix(32_767)))]),
                                  Row(featureID: "f2", values: [.text(long)])])], into: dir)
        } throws: { error in
            let text = String(describing: error)
            return text.contains("'f2'") && text.contains("'v0'") && text.contains("32768 characters") && text.contains("32767")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix(".") }.isEmpty,
                "nothing is left behind")
    }

    @Test func valuesExcelCannotHoldAsNumbersOrDatesStayExactText() throws {
        let dir = try TestSupport.temporaryFolder("minusma-xlsx-types")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fields = [LayerField(name: "v0", type: .date), LayerField(name: "v1", type: .integer), LayerField(name: "v2", type: .real),
                      LayerField(name: "v3", type: .textList)]
        let rows = [
            Row(featureID: "old", values: [.date(CalendarDate(year: 1900, month: 2, day: 28)!), .integer(1_234_567_890_123_456_789),
                                           .real(.nan), .textList(["a", "b"])]),
            Row(featureID: "new", values: [.date(CalendarDate(year: 1900, month: 3, day: 1)!), .integer(-42), .real(-0.5), .null]),
        ]
        let path = try Self.write([("layer", fields, rows)], into: dir)
        guard let sheets = try Self.read(path) else { return }
        let old = sheets[0].rows[1], new = sheets[0].rows[2]
        #expect(old[1][0...1] == ["str", "1900-02-28"], "Excel cannot count days before 1900-03-01")
        #expect(old[2][0...1] == ["str", "1234567890123456789"], "every digit kept")
        #expect(old[3][0...1] == ["str", "nan"])
        #expect(old[4][0...1] == ["str", "a | b"])
        #expect(new[1][0...1] == ["datetime", "1900-03-01 00:00:00"])
        #expect(new[2][0...1] == ["int", "-42"])
        #expect(new[3][0...1] == ["float", "-0.5"])
        #expect(new.count < 5 || new[4][0] == "NoneType", "an empty list is an empty cell")
    }

    @Test func layersAreSheetsWithFoldedNames() throws {
        let dir = try TestSupport.temporaryFolder("minusma-xlsx-layers")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let one = [Row(featureID: "f1", values: [])]
        let path = try Self.write([("events", [], one), ("Events", [], one), ("contingents/2024", [], one)], into: dir)
        guard let sheets = try Self.read(path) else { return }
        #expect(sheets.map(\.name) == ["events", "Events (2)", "contingents_2024", "About"])
        let about = sheets[3].rows.compactMap { $0.count > 1 ? $0[1][1] : nil }
        #expect(about.contains("Events (2): 1 feature (Events)"))
    }

    /// XML cannot hold most control characters: libxlsxwriter writes them as OOXML's `_xHHHH_`,
    /// which Excel turns back into the character and openpyxl shows as written. The file stays
    /// well-formed and the rest of the text exact.
    @Test func markupAndControlCharactersKeepTheFileWellFormed() throws {
        let dir = try TestSupport.temporaryFolder("minusma-xlsx-control")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = "bell\u{7} tab\t <&> \"quoted\" ]]> end"
        let path = try Self.write([("layer", [LayerField(name: "v0", type: .text)], [Row(featureID: "f1", values: [.text(text)])])],
                                  into: dir)
        guard let sheets = try Self.read(path) else { return }
        #expect(sheets[0].rows[1][1][1] == text.replacingOccurrences(of: "\u{7}", with: "_x0007_"))
    }
}
