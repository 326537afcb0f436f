@testable import Gazetteer

/// The header of Data/minusma-sites.csv.
let fullHeader = "id,closure_order,name,name_en,alt_names,region,cercle,site_type,contingent,longitude,latitude,coord_kind,coord_uncertainty_m,coord_confidence,handover_date,last_departure_date,closure_date,phase,date_confidence,notes,date_sources,coord_sources"

func read(_ text: String, profile: ValidationProfile = .generic, skipInvalid: Bool = false, name: String = "test.csv") throws(GazetteerError) -> Gazetteer {
    try Gazetteer.read(from: MemorySource(text, displayName: name), options: ReadOptions(profile: profile, skipInvalid: skipInvalid))
}

/// The report of a file that must be rejected.
func rejection(_ text: String, profile: ValidationProfile = .generic, name: String = "bad.csv") -> ValidationReport? {
    do {
        _ = try read(text, profile: profile, name: name)
        return nil
    } catch {
        if case .rejected(let report) = error { return report }
        return nil
    }
}

/// The built-in file with one line changed by `edit` (line 1 is the header).
func builtInEdited(line: Int, _ edit: (String) -> String) -> String {
    var lines = BuiltInText.lines
    lines[line - 1] = edit(lines[line - 1])
    return lines.joined(separator: "\n") + "\n"
}

enum BuiltInText {
    static var lines: [String] {
        var text = Gazetteer.builtInText
        if text.hasSuffix("\n") { text.removeLast() }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}

extension Gazetteer {
    static var builtInText: String {
        var source = builtInSource()
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = (try? chunk.withUnsafeMutableBytes { try source.read(into: $0) }) ?? 0
            if n == 0 { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
