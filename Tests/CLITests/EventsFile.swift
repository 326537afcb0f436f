import Foundation
import TestSupport

/// Data/events.csv read by the tests' own small RFC 4180 split, independent of the product's
/// reader, so that counts the tests expect are computed from the file itself.
enum EventsFile {
    struct Event {
        let id: String
        let site: String
        let date: String
        let kind: String
        let contested: Bool
        let sources: [String]
    }

    static func records(_ relative: String) throws -> [[String: String]] {
        let text = try TestSupport.read(TestSupport.path(relative))
        var records: [[String]] = [], field = "", record: [String] = [], quoted = false
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { record.append(field); field = "" }
            else if c == "\n" { record.append(field); records.append(record); record = []; field = "" }
            else if c != "\r" { field.append(c) }
            i += 1
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        let header = records.removeFirst()
        return records.filter { $0.count == header.count }.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    static func events() throws -> [Event] {
        try records("Data/events.csv").map { r in
            Event(id: r["event_id"] ?? "", site: r["site_id"] ?? "", date: r["date"] ?? "", kind: r["kind"] ?? "",
                  contested: r["contested"] == "yes",
                  sources: (r["sources"] ?? "").components(separatedBy: " | ").filter { !$0.isEmpty })
        }
    }
}
