import Cartography

/// The page's title and credits when the user gives none: MINUSMA's story for the built-in
/// data, the file's name for a user's.
public struct PageWording: Sendable {
    public var title: Localized
    /// Who the data is from, before the base map's credit.
    public var dataCredit: Localized

    public static func minusma(source: String) -> PageWording {
        PageWording(
            title: Localized(en: "MINUSMA’s withdrawal from Mali, 2023–2024", fr: "Le retrait de la MINUSMA du Mali, 2023–2024"),
            dataCredit: Localized(
                en: "Data: \(source) — closure dates and positions from UN statements and press reports, each with its source.",
                fr: "Données : \(source) — dates de fermeture et positions tirées de déclarations de l’ONU et d’articles de presse, chacune avec sa source."))
    }

    public static func neutral(source: String) -> PageWording {
        let file = source.split(separator: "/").last.map(String.init) ?? source
        var stem = Substring(file)
        if let dot = stem.lastIndex(of: "."), dot != stem.startIndex { stem = stem[..<dot] }
        return PageWording(title: Localized(String(stem)),
                           dataCredit: Localized(en: "Data: \(file).", fr: "Données : \(file)."))
    }

    /// The credits line: the user's attribution (else the data's), then the base map's.
    public func credits(attribution: String?) -> Localized {
        let data = attribution.map { Localized($0) } ?? dataCredit
        return Localized(en: data.en + "\nBase map: \(Basemap.credit).",
                         fr: data.fr + "\nFond de carte : Natural Earth 1:10m (domaine public).")
    }
}
