import Cartography
import Gazetteer

/// The words of a map that speak about its data: title, credits, notes, and where the timeline
/// starts. MINUSMA's words belong to the built-in gazetteer only; a user's file gets neutral words
/// from its own name (a map of health centres must not credit "UN statements").
public struct MapWording: Sendable, Equatable {
    /// The title of the map of the whole data.
    public var title: String
    /// The title of a map of one day is this followed by the day ("MINUSMA's sites in Mali on");
    /// nil gives "<title>, <day>".
    public var dayTitlePrefix: String?
    /// Who the data comes from, as a sentence; the base map's credit follows it.
    public var attribution: String
    /// What the points are, under the legend, when known.
    public var positionNote: String?
    /// The first day of the timeline strip; nil starts it at the first closure.
    public var timelineStart: CalendarDate?
    /// The data is MINUSMA's withdrawal: phases with their UN time frames, the handover footnote.
    public var describesWithdrawal: Bool
    /// The language of every word the map writes (the data's names stay as they are).
    public var language: Language

    public init(title: String, dayTitlePrefix: String? = nil, attribution: String, positionNote: String? = nil,
                timelineStart: CalendarDate? = nil, describesWithdrawal: Bool = false, language: Language = .en) {
        self.language = language
        self.title = title
        self.dayTitlePrefix = dayTitlePrefix
        self.attribution = attribution
        self.positionNote = positionNote
        self.timelineStart = timelineStart
        self.describesWithdrawal = describesWithdrawal
    }

    /// The built-in gazetteer of MINUSMA's 13 sites, read from `source`.
    public static func minusma(source: String, language: Language = .en) -> MapWording {
        guard language == .fr else {
            return MapWording(
                title: "MINUSMA's withdrawal from Mali, 2023–2024",
                dayTitlePrefix: "MINUSMA's sites in Mali on",
                attribution: "Data: \(source) — closure dates and positions from UN statements and press reports, each with its source.",
                positionNote: "Points are the camps' best known positions: camp compounds, town centres or airfields, uncertain by 300 m to 4 km (see minusma show).",
                timelineStart: Timeline.withdrawalStart,
                describesWithdrawal: true)
        }
        let colon = Punctuation.colon(language)
        return MapWording(
            title: "Le retrait de la MINUSMA du Mali, 2023–2024",
            dayTitlePrefix: "Les sites de la MINUSMA au Mali le",
            attribution: "Données\(colon)\(source) — dates de fermeture et positions d’après les communiqués de l’ONU et la presse, chacune avec sa source.",
            positionNote: "Les points sont les positions les mieux connues des camps\(colon)enceintes, centres-villes ou aérodromes, à 300 m à 4 km près (voir minusma show).",
            timelineStart: Timeline.withdrawalStart,
            describesWithdrawal: true, language: language)
    }

    /// Any other gazetteer: the file's name as the title and the credit, nothing else claimed.
    public static func neutral(source: String, language: Language = .en) -> MapWording {
        let file = fileName(source, language)
        let data = language == .fr ? "Données" : "Data"
        return MapWording(title: stem(file), attribution: "\(data)\(Punctuation.colon(language))\(file).", language: language)
    }

    /// The same wording with the user's title and attribution where given. A title of the user's
    /// replaces the day title too, so no built-in words remain.
    public func overriding(title: String?, attribution: String?) -> MapWording {
        var w = self
        if let title {
            w.title = title
            w.dayTitlePrefix = nil
        }
        if let attribution {
            let trimmed = attribution.trimmingSpaces
            w.attribution = trimmed.last.map { ".!?".contains($0) } ?? true ? trimmed : trimmed + "."
        }
        return w
    }

    func dayTitle(_ day: CalendarDate) -> String {
        let date = day.longDescription(language)
        return dayTitlePrefix.map { "\($0) \(date)" } ?? "\(title), \(date)"
    }

    /// The credit line: the data's attribution, then the base map's (true of every map).
    var creditLine: String {
        let separator = attribution.isEmpty ? "" : " "
        let base = language == .fr ? "Fond de carte\(Punctuation.colon(language))\(Basemap.credit(language)), régions de 2012."
            : "Base map: \(Basemap.credit), 2012 regions."
        return "\(attribution)\(separator)\(base)"
    }

    /// "health-centres.csv" for "/data/health-centres.csv"; standard input by its name.
    static func fileName(_ source: String, _ language: Language = .en) -> String {
        if source == "<stdin>" || source == "-" { return language == .fr ? "entrée standard" : "standard input" }
        let name = source.split(separator: "/").last.map(String.init) ?? source
        return name.isEmpty ? source : name
    }

    /// The file name without its extension ("health-centres").
    static func stem(_ file: String) -> String {
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }
}
