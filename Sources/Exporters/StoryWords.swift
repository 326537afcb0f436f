import FeatureCore

/// The words of a site's description in one language. The English ones are those the KML and
/// GeoPackage always had; the French ones are the French press's ("rétrocession", "Casques
/// bleus"), with a non-breaking space before double punctuation. The withdrawal's words
/// (`handedOverToAuthorities`, `lastPeacekeepersLeft`, `noHandover`) are for the built-in data only.
struct StoryWords {
    let language: Language
    private var fr: Bool { language == .fr }

    init(_ language: Language) { self.language = language }

    private func date(_ d: CalendarDate) -> String { d.longDescription(language) }
    private func label(_ en: String, _ french: String) -> String { (fr ? french : en) + Punctuation.colon(language) }

    var semicolon: String { Punctuation.semicolon(language) }

    func handedOverToAuthorities(_ d: CalendarDate) -> String {
        fr ? "Rétrocession aux autorités maliennes le \(date(d))" : "Handed over to the Malian authorities on \(date(d))"
    }
    func lastPeacekeepersLeft(_ d: CalendarDate) -> String {
        fr ? "départ des derniers Casques bleus le \(date(d))" : "the last peacekeepers left on \(date(d))"
    }
    var noHandover: String { label("No handover", "Pas de rétrocession") }
    func closed(_ d: CalendarDate) -> String { fr ? "Fermeture le \(date(d))" : "Closed on \(date(d))" }
    var closureUnknown: String { fr ? "Date de fermeture inconnue" : "Closure date unknown" }

    func handedOver(_ d: CalendarDate) -> String { fr ? "Remise le \(date(d))" : "Handed over on \(date(d))" }
    func left(_ d: CalendarDate, capitalised: Bool) -> String {
        let word = fr ? "départ le" : "left on"
        return (capitalised ? word.prefix(1).uppercased() + word.dropFirst() : word) + " \(date(d))"
    }

    var siteLabel: String { label("Site", "Site") }
    var lastContingentLabel: String { label("Last contingent", "Dernier contingent") }
    var typeLabel: String { label("Type", "Type") }
    var contingentLabel: String { label("Contingent", "Contingent") }
    var regionLabel: String { label("Region", "Région") }
    var cercleLabel: String { ", " + label("cercle", "cercle") }
    var coordinateLabel: String { label("Coordinate", "Coordonnées") }
    var position: String { "position" }
    var unknown: String { fr ? "inconnues" : "unknown" }
    var uncertainBy: String { fr ? ", incertitude d’environ " : ", uncertain by about " }
    func confidence(_ c: String) -> String { fr ? " (confiance \(c))" : " (confidence \(c))" }
    var dateConfidenceLabel: String { label("Confidence in the dates", "Confiance dans les dates") }
    var dateSourcesLabel: String { label("Date sources", "Sources des dates") }
    var coordinateSourcesLabel: String { label("Coordinate sources", "Sources des coordonnées") }
}
