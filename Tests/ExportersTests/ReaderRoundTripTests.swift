import Foundation
import Testing
@testable import Exporters
import Gazetteer
import TestSupport

/// For every readable format: export, read that file back with `--data`, export again: the files
/// must be byte for byte the same, for the 13 sites (read as a user's file) and for a fixture with
/// accents, nulls, typed extra columns, French column names and a missing coordinate.
@Suite struct ReaderRoundTripTests {
    static let inputs = ["Data/minusma-sites.csv", "Tests/ExportersTests/Fixtures/readers.csv", "Tests/Fixtures/health-centres.csv"]
    static let outputs = ["sites.geojson", "sites.qml", "sites.kml", "sites.csv", "sites.csvt", "sites.prj", "sites.gpkg"]

    func export(_ path: String, into dir: String) throws -> ExportOutcome {
        let reader = try InputFormat.open(path: path, options: ReadOptions(profile: .generic))
        let request = ExportRequest(formats: ExportFormat.all, directory: dir, baseName: "sites", title: "Round trip",
                                    sourceDescription: "A round trip.")
        return try Exporter.run(reader: reader, request: request)
    }

    /// Rewrites a CSV in another dialect with Python's csv module (a writer we did not write):
    /// `;` with decimal commas in the numeric columns, or tab.
    func convert(_ csv: String, to target: String, dialect: String) throws {
        let script = """
        import csv, sys
        src, dst, dialect = sys.argv[1:4]
        rows = list(csv.reader(open(src, encoding='utf-8', newline='')))
        types = next(csv.reader(open(src[:-4] + '.csvt', encoding='utf-8')))
        out = open(dst, 'w', encoding='utf-8', newline='')
        if dialect == 'semicolon':
            w = csv.writer(out, delimiter=';', lineterminator='\\r\\n')
            w.writerow(rows[0])
            for r in rows[1:]:
                w.writerow([c.replace('.', ',') if t in ('Real', 'CoordX', 'CoordY') else c for c, t in zip(r, types)])
        else:
            w = csv.writer(out, delimiter='\\t', lineterminator='\\n')
            w.writerows(rows)
        """
        let result = try TestSupport.run("python3", ["-c", script, csv, target, dialect])
        #expect(result.status == 0, "\(result.stderr)")
        try FileManager.default.copyItem(atPath: String(csv.dropLast(4)) + ".csvt", toPath: String(target.dropLast(4)) + ".csvt")
    }

    /// The file of `first` that is read back, in the dialect asked for.
    func input(_ variant: String, from first: String, scratch: String) throws -> String {
        switch variant {
        case "csv-semicolon", "csv-tab":
            let target = scratch + "/input.csv"
            try convert(first + "/sites.csv", to: target, dialect: variant == "csv-tab" ? "tab" : "semicolon")
            return target
        case "csv": return first + "/sites.csv"
        case "gpkg": return first + "/sites.gpkg"
        default: return first + "/sites.geojson"
        }
    }

    @Test(arguments: ["csv", "csv-semicolon", "csv-tab", "geojson", "gpkg"], inputs)
    func exportReadExportIsByteIdentical(_ variant: String, _ source: String) throws {
        let first = try TestSupport.temporaryFolder(), second = try TestSupport.temporaryFolder()
        let scratch = try TestSupport.temporaryFolder()
        let a = try export(TestSupport.path(source), into: first)
        let file = try input(variant, from: first, scratch: scratch)
        let b = try export(file, into: second)
        #expect(a.summary.featureCount == b.summary.featureCount && a.summary.featureCount > 0)
        for name in Self.outputs {
            let x = try TestSupport.bytes(first + "/" + name), y = try TestSupport.bytes(second + "/" + name)
            #expect(x == y, "\(variant) of \(source): \(name) differs after the round trip")
        }
    }

    @Test func theSemicolonFileReallyHasDecimalCommas() throws {
        let first = try TestSupport.temporaryFolder(), scratch = try TestSupport.temporaryFolder()
        _ = try export(TestSupport.path("Tests/ExportersTests/Fixtures/readers.csv"), into: first)
        let file = try input("csv-semicolon", from: first, scratch: scratch)
        let text = try TestSupport.read(file)
        #expect(text.contains(";-11,2345678;12,8412;"), "\(text.prefix(400))")
        let reader = try InputFormat.open(path: file)
        #expect(reader.formatDescription.contains("';'"))
        let site = try #require(try reader.next())
        #expect(site.position?.longitude == -11.2345678)
    }
}
