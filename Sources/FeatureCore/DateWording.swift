/// Dates and numbers written for people in one language: "21 October 2023" or "21 octobre 2023",
/// "1er août 2023" (French writes the first day as an ordinal), "1.8 km" or "1,8 km". The one
/// place that holds month names, so every output says a date the same way.
public enum DateWording {
    static let englishMonths = ["January", "February", "March", "April", "May", "June", "July",
                                "August", "September", "October", "November", "December"]
    static let frenchMonths = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet",
                               "août", "septembre", "octobre", "novembre", "décembre"]
    /// The abbreviations the French press uses (short months are not abbreviated).
    static let frenchAbbreviations = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.",
                                      "août", "sept.", "oct.", "nov.", "déc."]

    /// "August" / "août".
    public static func monthName(_ month: Int, _ language: Language) -> String {
        let names = language == .fr ? frenchMonths : englishMonths
        return names[min(max(month, 1), 12) - 1]
    }

    /// "Aug" / "août", "oct.".
    public static func monthAbbreviation(_ month: Int, _ language: Language) -> String {
        let m = min(max(month, 1), 12) - 1
        return language == .fr ? frenchAbbreviations[m] : String(englishMonths[m].prefix(3))
    }

    /// "1er" for the first day in French, else the number.
    static func dayNumber(_ day: Int, _ language: Language) -> String {
        language == .fr && day == 1 ? "1er" : String(day)
    }

    /// "3 August 2023" / "3 août 2023", "1er août 2023".
    public static func long(_ date: CalendarDate, _ language: Language) -> String {
        "\(dayNumber(date.day, language)) \(monthName(date.month, language)) \(date.year)"
    }

    /// "3 Aug 2023" / "3 août 2023", "21 oct. 2023": for labels where room is short.
    public static func short(_ date: CalendarDate, _ language: Language) -> String {
        "\(dayNumber(date.day, language)) \(monthAbbreviation(date.month, language)) \(date.year)"
    }

    /// "31 Oct" / "31 oct.", "1er août": a day in a list that names the year elsewhere.
    public static func dayAndMonth(_ date: CalendarDate, _ language: Language) -> String {
        "\(dayNumber(date.day, language)) \(monthAbbreviation(date.month, language))"
    }

    /// "July 2023" / "juillet 2023".
    public static func monthAndYear(_ date: CalendarDate, _ language: Language) -> String {
        "\(monthName(date.month, language)) \(date.year)"
    }

    /// A number in prose with its decimal separator: "1.8" / "1,8". `text` is already formatted
    /// with a point (Formatting.fixed and friends).
    public static func decimal(_ text: String, _ language: Language) -> String {
        language == .fr ? String(text.map { $0 == "." ? "," : $0 }) : text
    }
}

extension CalendarDate {
    /// "3 August 2023" / "3 août 2023": for text meant to be read.
    public func longDescription(_ language: Language) -> String { DateWording.long(self, language) }
}

/// Punctuation between words in one language: French puts a non-breaking space before `:` `;`
/// `?` `!` (so a line never starts with one); English puts none.
public enum Punctuation {
    /// U+00A0, the non-breaking space French typography puts before double punctuation.
    public static let nbsp = "\u{00A0}"

    /// ": " or " : " (non-breaking) after a label.
    public static func colon(_ language: Language) -> String { language == .fr ? nbsp + ": " : ": " }

    /// "; " or " ; " (non-breaking) between clauses.
    public static func semicolon(_ language: Language) -> String { language == .fr ? nbsp + "; " : "; " }
}
