import Foundation
import Testing
@testable import Exporters
import Gazetteer
import TestSupport

/// The Excel CSV profile: decimal commas, and cells a spreadsheet would run as formulas turned
/// into text (OWASP's CSV injection advice), while numbers, negative ones included, stay numbers.
@Suite struct ExcelCSVTests {
    static let hostile = """
        id,name,longitude,latitude,notes,phone,handle,score:real,count:integer
        p1,Puits,-3.5,14.25,"=HYPERLINK(""https://example.org"",""x"")",+1,@x,-3.5,-2
        p2,-dash,-4.125,13.5,\u{09}tab,,plain,2.25,7

        """

    /// The export's plain and Excel CSV as rows of cells (no cell here holds `;` or a line break).
    func export() throws -> (plain: String, excel: String) {
        let dir = try TestSupport.temporaryFolder()
        let input = dir + "/hostile.csv"
        try Self.hostile.write(toFile: input, atomically: true, encoding: .utf8)
        let reader = try GazetteerReader(source: FileSource(path: input))
        _ = try Exporter.run(reader: reader, request: ExportRequest(formats: [.csv], directory: dir, baseName: "out", excelCSV: true))
        return (try TestSupport.read(dir + "/out.csv"), try TestSupport.read(dir + "/out-excel.csv"))
    }

    func cells(_ text: String, separator: Character) -> [[String: String]] {
        let lines = text.replacingOccurrences(of: "\u{FEFF}", with: "").replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n").map { $0.split(separator: separator, omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [] }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    @Test func formulasBecomeTextAndNumbersTakeADecimalComma() throws {
        let rows = cells(try export().excel, separator: ";")
        #expect(rows.count == 2)
        let a = try #require(rows.first)
        #expect(a["notes"] == #""'=HYPERLINK(""https://example.org"",""x"")""#)
        #expect(a["phone"] == "'+1")
        #expect(a["handle"] == "'@x")
        #expect(a["score"] == "-3,5", "a negative number stays a number, with a decimal comma")
        #expect(a["count"] == "-2")
        #expect(a["longitude"] == "-3,5")
        #expect(a["latitude"] == "14,25")
        let b = try #require(rows.last)
        #expect(b["name"] == "'-dash", "text starting with '-' is not a number")
        #expect(b["notes"] == "'\ttab")
        #expect(b["handle"] == "plain")
        #expect(b["longitude"] == "-4,125")
    }

    @Test func thePlainCSVStaysFaithfulToTheData() throws {
        let rows = cells(try export().plain, separator: ",")
        let b = try #require(rows.last)
        #expect(b["name"] == "-dash")
        #expect(b["notes"] == "\ttab")
        #expect(b["longitude"] == "-4.125")
        #expect(try export().plain.contains(#""=HYPERLINK(""https://example.org"",""x"")",+1,@x,-3.5,-2"#))
    }
}
