import Gazetteer

/// Every word the page shows, in English and French. The counter speaks of the withdrawal's
/// sites only for the built-in data; a user's gazetteer gets neutral words.
enum PageText {
    /// The texts the script and the static HTML look up by key, in a fixed order.
    static func all(builtIn: Bool) -> [(key: String, text: Localized)] {
        common + (builtIn ? withdrawalCounter : neutralCounter)
    }

    static func lookup(_ key: String, builtIn: Bool) -> Localized {
        all(builtIn: builtIn).first { $0.key == key }?.text ?? Localized(key)
    }

    private static let withdrawalCounter: [(key: String, text: Localized)] = [
        ("openCount", Localized(en: "{n} of {total} still open", fr: "{n} sur {total} encore ouverts")),
        ("closedCount", Localized(en: "{n} closed so far", fr: "{n} fermés jusqu’ici")),
    ]

    private static let neutralCounter: [(key: String, text: Localized)] = [
        ("openCount", Localized(en: "{n} of {total} open on this day", fr: "{n} sur {total} ouverts ce jour-là")),
        ("closedCount", Localized(en: "{n} closed by this day", fr: "{n} fermés à cette date")),
    ]

    private static let common: [(key: String, text: Localized)] = [
        ("months", Localized(en: "January|February|March|April|May|June|July|August|September|October|November|December",
                             fr: "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre")),
        ("dateFormat", Localized("{d} {month} {y}")),
        ("firstDay", Localized(en: "1", fr: "1er")),
        ("thousands", Localized(en: ",", fr: "\u{202F}")),
        ("dayLabel", Localized(en: "Day shown", fr: "Jour affiché")),
        ("sliderLabel", Localized(en: "Day shown on the map", fr: "Jour affiché sur la carte")),
        ("languageLabel", Localized(en: "Language", fr: "Langue")),
        ("mapLabel", Localized(en: "Map of the sites", fr: "Carte des sites")),
        ("openAll", Localized(en: "{n} of {total} shown", fr: "{n} sur {total} affichés")),
        ("play", Localized(en: "Play", fr: "Lecture")),
        ("pause", Localized(en: "Pause", fr: "Pause")),
        ("noDates", Localized(en: "The data has no dates: every site is shown.",
                              fr: "Les données n’ont pas de dates : tous les sites sont affichés.")),
        ("legendPhase", Localized(en: "Colour: phase", fr: "Couleur : phase")),
        ("legendDate", Localized(en: "Colour: closure date", fr: "Couleur : date de fermeture")),
        ("uncertaintyLegend", Localized(en: "Dashed circle: how uncertain the position is",
                                        fr: "Cercle en tirets : incertitude de la position")),
        ("unplaced", Localized(en: "{n} without a position (counted, not drawn)",
                               fr: "{n} sans position (comptés, non dessinés)")),
        ("region", Localized(en: "Region", fr: "Région")),
        ("opened", Localized(en: "Opened", fr: "Ouverture")),
        ("handover", Localized(en: "Handover", fr: "Passation")),
        ("departure", Localized(en: "Last departure", fr: "Dernier départ")),
        ("closed", Localized(en: "Closed", fr: "Fermeture")),
        ("notClosed", Localized(en: "no closure date", fr: "pas de date de fermeture")),
        ("phase", Localized(en: "Phase", fr: "Phase")),
        ("uncertainty", Localized(en: "Position uncertain by", fr: "Incertitude de position")),
        ("notes", Localized(en: "Notes", fr: "Notes")),
        ("events", Localized(en: "Events", fr: "Événements")),
        ("sources", Localized(en: "Sources", fr: "Sources")),
        ("monthOnly", Localized(en: "{date} (month only)", fr: "{date} (mois seulement)")),
        ("approximately", Localized(en: "about {date}", fr: "vers le {date}")),
        ("zoomIn", Localized(en: "Zoom in", fr: "Zoom avant")),
        ("zoomOut", Localized(en: "Zoom out", fr: "Zoom arrière")),
        ("keyboardHint", Localized(
            en: "Keyboard: Tab reaches the buttons, the slider (arrow keys change the day) and each site drawn (Enter opens it); on the map, arrow keys pan and + and − zoom.",
            fr: "Clavier : Tab atteint les boutons, le curseur (les flèches changent le jour) et chaque site dessiné (Entrée l’ouvre) ; sur la carte, les flèches déplacent et + et − zooment.")),
        ("noPhase", Localized(en: "No phase", fr: "Sans phase")),
        ("noClosure", Localized(en: "No closure date", fr: "Sans date de fermeture")),
    ]

    static func phase(_ phase: Phase?) -> Localized {
        guard let phase else { return lookup("noPhase", builtIn: false) }
        switch phase {
        case .one: return Localized("Phase 1")
        case .two: return Localized("Phase 2")
        case .liquidation: return Localized(en: "Liquidation", fr: "Liquidation")
        }
    }

    static func eventKind(_ kind: EventKind) -> Localized {
        switch kind {
        case .handover: return Localized(en: "handover", fr: "passation")
        case .departure: return Localized(en: "departure", fr: "départ")
        case .takeover: return Localized(en: "takeover", fr: "prise de contrôle")
        case .seizure: return Localized(en: "seizure", fr: "saisie")
        case .other: return Localized(en: "other", fr: "autre")
        case .attackOnConvoy: return Localized(en: "attack on a convoy", fr: "attaque contre un convoi")
        case .attackOnCamp: return Localized(en: "attack on the camp", fr: "attaque contre le camp")
        case .equipmentDestroyed: return Localized(en: "equipment destroyed", fr: "matériel détruit")
        case .liquidationMilestone: return Localized(en: "liquidation milestone", fr: "étape de la liquidation")
        }
    }
}
