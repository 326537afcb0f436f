import Foundation
import Testing
import TestSupport

/// Reads layers back with GDAL's ogrinfo, a reader we did not write.
enum OGR {
    struct Feature {
        var fields: [String: String] = [:]
        var geometry: String?
    }

    /// Every feature of every layer of `path` (`ogrinfo -al`).
    static func features(_ path: String, layer: String? = nil) throws -> [Feature] {
        var arguments = ["-al", "-q", "-nomd", path]
        if let layer { arguments = ["-q", "-nomd", path, layer] }
        let result = try TestSupport.run("ogrinfo", arguments)
        #expect(result.status == 0, "ogrinfo \(path): \(result.stderr)")
        var out: [Feature] = []
        for line in result.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("OGRFeature(") { out.append(Feature()); continue }
            guard !out.isEmpty else { continue }
            let trimmed = line.drop { $0 == " " }
            if let eq = trimmed.range(of: ") = ") , let open = trimmed.firstIndex(of: "(") , open < eq.lowerBound {
                let name = String(trimmed[..<open]).trimmingCharacters(in: .whitespaces)
                out[out.count - 1].fields[name] = String(trimmed[eq.upperBound...])
            } else if trimmed.hasPrefix("POINT") || trimmed.hasPrefix("MULTIPOLYGON") || trimmed.hasPrefix("POLYGON") {
                out[out.count - 1].geometry = String(trimmed)
            }
        }
        return out
    }

    /// `name: Type` of every field of the first layer (or of `layer`), from `ogrinfo -so`.
    static func fieldTypes(_ path: String, layer: String? = nil) throws -> [String: String] {
        let result = try TestSupport.run("ogrinfo", layer.map { ["-so", path, $0] } ?? ["-so", "-al", path])
        var types: [String: String] = [:]
        for line in result.stdout.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let paren = parts[1].firstIndex(of: "(") else { continue }
            types[String(parts[0])] = parts[1][..<paren].trimmingCharacters(in: .whitespaces)
        }
        return types
    }

    static func summary(_ path: String, layer: String? = nil) throws -> String {
        try TestSupport.run("ogrinfo", layer.map { ["-so", path, $0] } ?? ["-so", "-al", path]).stdout
    }

    /// (x, y) of a `POINT (x y)`.
    static func point(_ wkt: String?) -> (Double, Double)? {
        guard let wkt, let open = wkt.firstIndex(of: "("), let close = wkt.firstIndex(of: ")") else { return nil }
        let numbers = wkt[wkt.index(after: open)..<close].split(separator: " ").compactMap { Double($0) }
        return numbers.count >= 2 ? (numbers[0], numbers[1]) : nil
    }
}

/// The built-in sites as written in Data/minusma-sites.csv, read with Foundation's own CSV-free
/// means: a tiny RFC 4180 split that is independent of the product's reader.
enum DataFile {
    struct Row { let id: String; let lon: Double; let lat: Double; let closure: String; let handover: String }

    static func rows() throws -> [Row] {
        let text = try TestSupport.read(TestSupport.path("Data/minusma-sites.csv"))
        var records: [[String]] = [], field = "", record: [String] = [], quoted = false
        var chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" { if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false } }
                else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { record.append(field); field = "" }
            else if c == "\n" { record.append(field); records.append(record); record = []; field = "" }
            else { field.append(c) }
            i += 1
        }
        chars = []
        let header = records.removeFirst()
        func col(_ name: String) -> Int { header.firstIndex(of: name)! }
        return records.map { r in
            Row(id: r[col("id")], lon: Double(r[col("longitude")])!, lat: Double(r[col("latitude")])!,
                closure: r[col("closure_date")], handover: r[col("handover_date")])
        }
    }
}
