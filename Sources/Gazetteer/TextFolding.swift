/// Accent- and case-insensitive keys for matching what people type (`menaka`, `Tombouctou`,
/// `mopti sevare`) against names as written in the data (`Ménaka`, `Mopti-Sévaré`).
public enum TextFolding {
    public static func key(_ text: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let base = baseLetter[scalar] {
                out.unicodeScalars.append(base)
            } else if scalar.properties.generalCategory == .nonspacingMark {
                continue
            } else if scalar == " " || scalar == "-" || scalar == "_" || scalar == "'" || scalar == "\u{2019}" {
                out.unicodeScalars.append(" ")
            } else {
                out += String(scalar).lowercased()
            }
        }
        return out.split(separator: " ").joined(separator: " ")
    }

    /// Latin letters with diacritics used in French and Malian names, and their base letters.
    private static let baseLetter: [Unicode.Scalar: Unicode.Scalar] = {
        let pairs: [(String, Character)] = [
            ("àáâãäåÀÁÂÃÄÅ", "a"), ("çÇ", "c"), ("èéêëÈÉÊË", "e"), ("ìíîïÌÍÎÏ", "i"), ("ñÑ", "n"),
            ("òóôõöÒÓÔÕÖ", "o"), ("ùúûüÙÚÛÜ", "u"), ("ýÿÝ", "y"),
        ]
        var table: [Unicode.Scalar: Unicode.Scalar] = [:]
        for (letters, base) in pairs {
            for s in letters.unicodeScalars { table[s] = base.unicodeScalars.first! }
        }
        return table
    }()
}
