/// Advice for columns that map to no field but look as if they should: a date read as text
/// means every site counts as open, a coordinate read as text means no position.
enum ColumnAdvice {
    struct Advice {
        let found: String
        let expected: String
    }

    static let dateAliases = "closure_date, opening_date, handover_date or an alias (date_fermeture, fermeture, date_ouverture, ouverture, closed_on, opened_on)"

    /// Advice for an extra column from its name alone.
    static func forName(_ name: String, projected: Bool) -> Advice? {
        let folded = SiteField.fold(name)
        let words = Set(folded.split(whereSeparator: { $0 == "_" || $0 == "." }).map(String.init))
        let dateWords: Set<String> = ["date", "jour", "day", "fermeture", "ouverture", "closure", "opening", "closed", "opened", "depart", "départ"]
        if !words.isDisjoint(with: dateWords) {
            return Advice(found: "a column '\(name)' that looks like a date but maps to no field (read as text)",
                          expected: "\(dateAliases), or the type hint '\(name):date' for a date of your own")
        }
        let coordinateWords: Set<String> = ["lat", "lon", "lng", "long", "latitude", "longitude", "coord", "coordinates", "coordonnees", "coordonnées", "easting", "northing"]
        if !words.isDisjoint(with: coordinateWords) {
            return Advice(found: "a column '\(name)' that looks like a coordinate but maps to no field (read as text)",
                          expected: "the columns latitude and longitude (aliases: lat, lon, lng), in WGS 84 degrees")
        }
        if !projected, folded == "x" || folded == "y" {
            return Advice(found: "a column '\(name)' that looks like a projected coordinate (read as text)",
                          expected: "x and y with --data-crs naming their CRS (e.g. --data-crs EPSG:32630), or latitude and longitude in degrees")
        }
        return nil
    }

    /// Advice for an untyped extra column from its first value.
    static func forValue(_ raw: UnsafeBufferPointer<UInt8>, column: String, isNumber: Bool) -> Advice? {
        let text = String(decoding: raw, as: UTF8.self)
        if CalendarDate(utf8: raw) != nil {
            return Advice(found: "a date (\"\(GazetteerReader.clip(text))\") in a column read as text",
                          expected: "\(dateAliases), or the type hint '\(column):date'")
        }
        if looksLikeDayMonthYear(raw) {
            return Advice(found: "\"\(GazetteerReader.clip(text))\", a date written day/month/year, in a column read as text",
                          expected: "dates as YYYY-MM-DD in a column named \(dateAliases)")
        }
        if text.uppercased().hasPrefix("POINT") {
            return Advice(found: "a WKT point (\"\(GazetteerReader.clip(text))\") in a column read as text",
                          expected: "the coordinates in columns latitude and longitude (aliases: lat, lon), in WGS 84 degrees")
        }
        return nil
    }

    /// `31/12/2023` or `31.12.2023`.
    private static func looksLikeDayMonthYear(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count == 10 else { return false }
        for (i, c) in b.enumerated() {
            let isDigit = c >= 48 && c <= 57
            if i == 2 || i == 5 { if c != UInt8(ascii: "/") && c != UInt8(ascii: ".") { return false } } else if !isDigit { return false }
        }
        return true
    }

    /// What a file with missing required columns should have, with the hint that matters most.
    static func requiredColumns(_ missing: [SiteField], header: [String]) -> String {
        let aliases = missing.map { "\($0.name): \($0.aliases.prefix(4).joined(separator: ", "))" }.joined(separator: "; ")
        var s = "the columns id, name, latitude and longitude (or aliases, \(aliases))"
        if header.count == 1, let only = header.first, only.contains(":") || only.contains("|") {
            s += "; the header is a single column: is the separator one of ',', ';' or tab?"
        }
        if missing.contains(.latitude) && header.contains(where: { ["x", "y"].contains(SiteField.fold($0)) }) {
            s += "; projected x and y columns need --data-crs"
        }
        return s
    }
}
