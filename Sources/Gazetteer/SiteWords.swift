/// The words about a site in one language, for its description (KML balloons, GeoPackage) and
/// `minusma show`. The English ones are those the outputs always had; the French ones are the
/// French press's ("rétrocession", "Casques bleus"), with a non-breaking space before double
/// punctuation. The withdrawal's words (`handedOverToAuthorities`, `lastPeacekeepersLeft`,
/// `noHandover`) are for the built-in data only.
public struct SiteWords: Sendable {
    public let language: Language
    private var fr: Bool { language == .fr }

    public init(_ language: Language) { self.language = language }

    /// How the site closed, in a sentence: the withdrawal's words (`withdrawal`) or words that
    /// claim nothing about whose sites they are; nil when nothing is known of it (neutral only).
    public func closure(of site: Site, withdrawal: Bool) -> String? {
        switch (site.handoverDate, site.lastDepartureDate, site.closureDate) {
        case let (handover?, left, _):
            var s = withdrawal ? handedOverToAuthorities(handover) : handedOver(handover)
            if let left, left != handover { s += semicolon + (withdrawal ? lastPeacekeepersLeft(left) : self.left(left, capitalised: false)) }
            return s + "."
        case let (nil, left?, _):
            return (withdrawal ? noHandover + lastPeacekeepersLeft(left) : self.left(left, capitalised: true)) + "."
        case let (nil, nil, closed?):
            return self.closed(closed) + "."
        case (nil, nil, nil):
            return withdrawal ? closureUnknown + "." : nil
        }
    }

    private func date(_ d: CalendarDate) -> String { d.longDescription(language) }
    private func label(_ en: String, _ french: String) -> String { (fr ? french : en) + Punctuation.colon(language) }

    public var semicolon: String { Punctuation.semicolon(language) }

    public func handedOverToAuthorities(_ d: CalendarDate) -> String {
        fr ? "Rétrocession aux autorités maliennes le \(date(d))" : "Handed over to the Malian authorities on \(date(d))"
    }
    public func lastPeacekeepersLeft(_ d: CalendarDate) -> String {
        fr ? "départ des derniers Casques bleus le \(date(d))" : "the last peacekeepers left on \(date(d))"
    }
    public var noHandover: String { label("No handover", "Pas de rétrocession") }
    public func closed(_ d: CalendarDate) -> String { fr ? "Fermeture le \(date(d))" : "Closed on \(date(d))" }
    public var closureUnknown: String { fr ? "Date de fermeture inconnue" : "Closure date unknown" }

    public func handedOver(_ d: CalendarDate) -> String { fr ? "Remise le \(date(d))" : "Handed over on \(date(d))" }
    public func left(_ d: CalendarDate, capitalised: Bool) -> String {
        let word = fr ? "départ le" : "left on"
        return (capitalised ? word.prefix(1).uppercased() + word.dropFirst() : word) + " \(date(d))"
    }

    public var siteLabel: String { label("Site", "Site") }
    public var lastContingentLabel: String { label("Last contingent", "Dernier contingent") }
    public var typeLabel: String { label("Type", "Type") }
    public var contingentLabel: String { label("Contingent", "Contingent") }
    public var regionLabel: String { label("Region", "Région") }
    public var cercleLabel: String { ", " + label("cercle", "cercle") }
    public var coordinateLabel: String { label("Coordinate", "Coordonnées") }
    public var position: String { "position" }
    public var unknown: String { fr ? "inconnues" : "unknown" }
    public var uncertainBy: String { fr ? ", incertitude d’environ " : ", uncertain by about " }
    public func confidence(_ c: String) -> String { fr ? " (confiance \(c))" : " (confidence \(c))" }
    public var dateConfidenceLabel: String { label("Confidence in the dates", "Confiance dans les dates") }
    public var dateSourcesLabel: String { label("Date sources", "Sources des dates") }
    public var coordinateSourcesLabel: String { label("Coordinate sources", "Sources des coordonnées") }
}
