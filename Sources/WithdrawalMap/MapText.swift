import Cartography
import Gazetteer

/// The map's own words (headings, keys, notes, the strip's captions) in its language. They claim
/// nothing about the data: what is MINUSMA's comes from `MapWording`. English is what the map
/// always said; French follows the French press, with non-breaking spaces before `:` and `;`.
struct MapText {
    let language: Language
    private var fr: Bool { language == .fr }

    init(_ language: Language) { self.language = language }

    var colon: String { Punctuation.colon(language) }
    var semicolon: String { Punctuation.semicolon(language) }

    func long(_ d: CalendarDate) -> String { d.longDescription(language) }
    func short(_ d: CalendarDate) -> String { DateWording.short(d, language) }
    func monthAbbreviation(_ d: CalendarDate) -> String { DateWording.monthAbbreviation(d.month, language) }
    func monthAndYear(_ d: CalendarDate) -> String { DateWording.monthAndYear(d, language) }
    /// "17.5" / "17,5".
    func decimal(_ text: String) -> String { DateWording.decimal(text, language) }

    // Header.
    func openOn(_ open: Int, of total: Int, day: CalendarDate, closed: Int) -> String {
        guard fr else { return "\(open) of \(total) sites still open on \(long(day)); \(closed) closed" }
        let stillOpen = open == 1 ? "encore ouvert" : "encore ouverts"
        return "\(open) site\(open == 1 ? "" : "s") sur \(total) \(stillOpen) le \(long(day))\(semicolon)\(closed) fermé\(closed == 1 ? "" : "s")"
    }
    func closedBetween(_ span: ClosedRange<CalendarDate>) -> String {
        fr ? "entre le \(long(span.lowerBound)) et le \(long(span.upperBound))"
            : "between \(long(span.lowerBound)) and \(long(span.upperBound))"
    }
    func allClosed(_ count: Int, _ range: String) -> String {
        fr ? "\(count) sites fermés \(range)" : "\(count) sites closed \(range)"
    }
    func someClosed(_ count: Int, closed: Int, _ range: String) -> String {
        fr ? "\(count) sites\(colon)\(closed) fermé\(closed == 1 ? "" : "s") \(range), \(count - closed) sans date de fermeture"
            : "\(count) sites: \(closed) closed \(range), \(count - closed) with no closure date"
    }
    func noneClosed(_ count: Int) -> String {
        if count == 1 { return fr ? "1 site, sans date de fermeture" : "1 site, with no closure date" }
        return fr ? "\(count) sites, aucun avec une date de fermeture" : "\(count) sites, none with a closure date"
    }
    func unplaced(_ count: Int) -> String {
        fr ? "\(semicolon)\(count) sans position (listé\(count == 1 ? "" : "s"), non dessiné\(count == 1 ? "" : "s"))"
            : "; \(count) with no position (listed, not drawn)"
    }

    // Map.
    /// "4°W" / "4°O".
    func longitude(_ degrees: Int) -> String {
        degrees == 0 ? "0°" : "\(abs(degrees))°\(degrees < 0 ? (fr ? "O" : "W") : "E")"
    }
    var notClosed: String { fr ? "ouvert" : "open" }
    func projection(defaultLCC: Bool, other: String) -> String {
        let name = defaultLCC
            ? (fr ? "conique conforme de Lambert sur le Mali (parallèles standard 12°N et 22°N, centre \(decimal("17.5"))°N 4°O)"
                  : "Lambert conformal conic on Mali (standard parallels 12°N and 22°N, centre 17.5°N 4°W)")
            : other
        return fr ? "Projection\(colon)\(name), datum WGS 84. Graticule tous les 2°."
            : "Projection: \(name), datum WGS 84. Graticule every 2°."
    }

    // Legend.
    var sitesHeading: String { "Sites" }
    var sitesInClosureOrder: String { fr ? "Sites, par ordre de fermeture" : "Sites, in order of closure" }
    func andMore(_ count: Int) -> String { fr ? "… et \(count) autre\(count == 1 ? "" : "s")" : "… and \(count) more" }
    var noHandoverFootnote: String {
        fr ? "* pas de rétrocession officielle\(colon)la date est celle du dernier départ"
            : "* no formal handover: the date is the last departure"
    }
    func closedBy(_ day: CalendarDate) -> String { fr ? "fermés au \(long(day))" : "closed by \(long(day))" }
    var colourNoDates: String { fr ? "Couleur\(colon)gris, pas de date de fermeture" : "Colour: grey, no closure dates" }
    var colourByDate: String { fr ? "Couleur\(colon)date de fermeture" : "Colour: closure date, earliest to last" }
    func colourByPhase(withdrawal: Bool) -> String {
        withdrawal ? (fr ? "Couleur\(colon)phase du retrait" : "Colour: withdrawal phase") : (fr ? "Couleur\(colon)phase" : "Colour: phase")
    }
    var noPhase: String { fr ? "sans phase" : "no phase" }

    // What followed the closures.
    var takeoverHeading: String { fr ? "Qui a pris le camp après la fermeture" : "Who took the camp after closure" }
    var takeoverOrder: String { fr ? "dans l’ordre des dates, de gauche à droite" : "in date order, from left to right" }
    func taker(_ t: Aftermath.Taker) -> String {
        switch t {
        case .army: return fr ? "l’armée malienne (FAMa)" : "the Malian army (FAMa)"
        case .armyWithWagner: return fr ? "l’armée malienne et Wagner" : "the Malian army with Wagner"
        // Who the group was is contested at Aguelhok (the sources differ): the key names none.
        case .armedGroup: return fr ? "un groupe armé" : "an armed group"
        }
    }
    var attackKey: String { fr ? "attaque contre un convoi ou un camp" : "attack on a convoy or camp" }

    // Timeline strip.
    var noTimeline: String { fr ? "Pas de frise\(colon)aucun site n’a de date de fermeture" : "No timeline: no site has a closure date" }
    func stillOpen(from start: CalendarDate, to end: CalendarDate) -> String {
        fr ? "Sites encore ouverts, de \(monthAndYear(start)) à \(monthAndYear(end))"
            : "Sites still open, \(monthAndYear(start)) to \(monthAndYear(end))"
    }
    var openAxis: String { fr ? "ouverts" : "open" }
    /// The cursor's day on a map of one day: ISO in English (as it always was), the press's way in French.
    func cursorDay(_ d: CalendarDate) -> String { fr ? short(d) : d.description }
}
