import ArgumentParser
import Gazetteer

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Every field of one site, with its sources (and for a built-in site its events and contingents).",
        discussion: """
        The site is named by its id or by any of its names (case and accents ignored).

        Examples:
          minusma show gao
          minusma show "Mopti-Sévaré"
          minusma show timbuktu
        """
    )

    @OptionGroup var data: DataOptions
    @OptionGroup var lang: LanguageOption

    @Argument(help: ArgumentHelp("The site's id or name.", valueName: "site"))
    var site: String

    func run() throws {
        // One pass that keeps only the candidates, not the rows.
        let (found, scan) = try SiteLookup.find([site], in: data)
        let s = found[0]
        let fr = lang.language == .fr
        let words = SiteWords(lang.language)
        var lines: [(String, String)] = []
        func add(_ label: String, _ value: String?, field: SiteField? = nil) {
            // A user's gazetteer shows its own columns only, not the rows of MINUSMA's model
            // (closure order, cercle, last contingent...) it does not have.
            if let field, !data.usesBuiltIn, !scan.schema.contains(field) { return }
            // "Rétrocession" is the withdrawal's word; a user's site is handed over ("remise").
            let french = label == "handover" && !data.usesBuiltIn ? "remise" : Self.frenchLabels[label] ?? label
            lines.append((fr ? french : label, value ?? (fr ? "(inconnu)" : "(unknown)")))
        }
        add("id", s.id)
        add("closure order", s.closureOrder.map { fr ? "\($0) sur \(scan.siteCount)" : "\($0) of \(scan.siteCount)" }, field: .closureOrder)
        add("name", s.name)
        add("English name", s.nameEn, field: .nameEn)
        add("other names", s.altNames.isEmpty ? nil : s.altNames.joined(separator: "; "), field: .altNames)
        add("region", s.region, field: .region)
        add("cercle", s.cercle, field: .cercle)
        add("site type", s.siteType, field: .siteType)
        add("last contingent", s.contingent, field: .contingent)
        add("longitude, latitude", s.position.map { "\($0.longitude), \($0.latitude) (WGS 84)" })
        add("coordinate", s.coordKind, field: .coordKind)
        add("uncertainty", s.coordUncertaintyM.map { "\(Int($0.rounded())) m" }, field: .coordUncertaintyM)
        add("coordinate confidence", s.coordConfidence, field: .coordConfidence)
        add("opened", s.openingDate.map { "\($0)" }, field: .openingDate)
        add("handover", s.handoverDate.map { "\($0)" }
            ?? (s.lastDepartureDate != nil ? (fr ? (data.usesBuiltIn ? "aucune (pas de rétrocession officielle)" : "aucune") : "none (no formal handover)") : nil),
            field: .handoverDate)
        add("last departure", s.lastDepartureDate.map { "\($0)" }, field: .lastDepartureDate)
        add("closure date (maps)", s.closureDate.map { "\($0)" })
        // The withdrawal's words for the built-in sites only; a user's sites in words of their own.
        add("how it closed", s.closureDate == nil && s.handoverDate == nil && s.lastDepartureDate == nil ? nil
            : words.closure(of: s, withdrawal: data.usesBuiltIn))
        add("phase", s.phase.map { data.usesBuiltIn ? $0.summary(lang.language) : $0.title(lang.language) }, field: .phase)
        add("date confidence", s.dateConfidence, field: .dateConfidence)
        for (i, extra) in scan.schema.extras.enumerated() {
            add(extra.name, i < s.extras.count ? s.extras[i] : nil)
        }
        let width = lines.map(\.0.count).max() ?? 0
        var out = "\(s.name) (\(s.id))\n\n"
        for (label, value) in lines { out += "  \(label.padding(to: width))  \(value)\n" }
        let colon = Punctuation.colon(lang.language).dropLast()
        if let notes = s.notes { out += "\nNotes\(colon)\n" + Self.wrap(notes, width: 96, indent: "  ") }
        if !s.dateSources.isEmpty {
            out += "\n\(fr ? "Sources des dates" : "Sources of the dates")\(colon)\n" + s.dateSources.map { "  - \($0)\n" }.joined()
        }
        if !s.coordSources.isEmpty {
            out += "\n\(fr ? "Sources des coordonnées" : "Sources of the coordinate")\(colon)\n" + s.coordSources.map { "  - \($0)\n" }.joined()
        }
        out += fr ? "\nFichier source\(colon) \(scan.source), ligne \(s.line)\n" : "\nSource file: \(scan.source), line \(s.line)\n"
        if data.usesBuiltIn { out += try SiteStoryText.text(siteID: s.id, language: lang.language) }
        try Console.emit(out)
    }

    /// The labels in French (the English ones are the keys).
    static let frenchLabels: [String: String] = [
        "closure order": "ordre de fermeture", "name": "nom", "English name": "nom anglais", "other names": "autres noms",
        "region": "région", "site type": "type de site", "last contingent": "dernier contingent",
        "coordinate": "coordonnées", "uncertainty": "incertitude", "coordinate confidence": "confiance (coordonnées)",
        "opened": "ouverture", "handover": "rétrocession", "last departure": "dernier départ",
        "closure date (maps)": "date de fermeture (cartes)", "how it closed": "fermeture", "date confidence": "confiance (dates)",
    ]

    static func wrap(_ text: String, width: Int, indent: String) -> String {
        var out = "", line = indent
        for word in text.split(separator: " ") {
            if line.count + word.count + 1 > width && line.count > indent.count {
                out += line + "\n"
                line = indent
            }
            line += (line.count > indent.count ? " " : "") + word
        }
        return out + line + "\n"
    }
}
