import FeatureCore
import Gazetteer

/// The events of Data/events.csv as a point layer any writer can take: each event at its site's
/// point, an instant in time (its day), coloured by kind. Only the built-in data has events, so
/// the layer's words are MINUSMA's.
public final class EventLayer {
    public let metadata: LayerMetadata
    public let layerSchema: LayerSchema
    public let language: Language

    /// The fields, in the order every event visits them.
    public static let schema = LayerSchema([
        LayerField(name: "event_id", type: .text),
        LayerField(name: "site_id", type: .text),
        LayerField(name: "site_name", type: .text),
        LayerField(name: "date", type: .date),
        LayerField(name: "date_precision", type: .text),
        LayerField(name: "kind", type: .text),
        LayerField(name: "actor", type: .text),
        LayerField(name: "summary", type: .text),
        LayerField(name: "casualties", type: .text),
        LayerField(name: "confidence", type: .text),
        .boolean("contested"),
        LayerField(name: "version_a", type: .text),
        LayerField(name: "version_b", type: .text),
        LayerField(name: "sources", type: .textList),
        // Copies of the site's WGS 84 point, so that a CSV is a point layer too.
        LayerField(name: "longitude", type: .real, coordinate: .longitude),
        LayerField(name: "latitude", type: .real, coordinate: .latitude),
    ])

    /// `name` is the layer's machine name (file base name or GeoPackage table).
    public init(name: String, language: Language = .en) {
        self.language = language
        layerSchema = Self.schema
        var metadata = LayerMetadata(
            name: name, title: EventWording.title(language), description: EventWording.description(language),
            style: Self.style(language))
        metadata.folder = EventWording.folder(language)
        self.metadata = metadata
    }

    /// One symbol per kind of event.
    static func style(_ language: Language) -> LayerStyle {
        let categories = EventKind.allCases.map { kind in
            FeatureCategory(key: "event-" + kind.rawValue.replacingUnderscores(), value: kind.rawValue,
                            label: EventWording.kind(kind, language), color: EventWording.color(kind))
        }
        return LayerStyle(title: EventWording.styleTitle(language), categories: categories, categoryField: "kind",
                          fallback: FeatureCategory(key: "event-none", value: nil, label: "?", color: "#999999"),
                          labelField: nil)
    }

    /// The event as a feature of this layer. `site` is its site's name and WGS 84 position (nil
    /// when the site has no point).
    public func feature(_ event: SiteEvent, siteName: String, position: GeoPosition?) -> EventFeature {
        EventFeature(event: event, siteName: siteName, position: position, language: language)
    }
}

/// One event seen through its layer.
public struct EventFeature: Feature {
    public let event: SiteEvent
    public let siteName: String
    public let position: GeoPosition?
    public let language: Language

    public var featureID: String { event.id }
    public var label: String? { "\(siteName): \(EventWording.kind(event.kind, language))" }
    public var timeSpan: TimeSpan { .instant(event.date) }
    public var categoryIndex: Int? { EventKind.allCases.firstIndex(of: event.kind) }

    public var summary: String { language == .fr ? event.summaryFR : event.summaryEN }

    public func visitProperties<S: PropertySink>(_ sink: inout S) {
        sink.text("event_id", event.id)
        sink.text("site_id", event.siteID)
        sink.text("site_name", siteName)
        sink.date("date", event.date)
        sink.text("date_precision", event.datePrecision.rawValue)
        sink.text("kind", event.kind.rawValue)
        sink.text("actor", event.actor)
        sink.text("summary", summary)
        if let casualties = event.casualties { sink.text("casualties", casualties) } else { sink.null("casualties") }
        sink.text("confidence", event.confidence.rawValue)
        sink.boolean("contested", event.versions != nil)
        if let versions = event.versions {
            sink.text("version_a", versions.first)
            sink.text("version_b", versions.second)
        } else {
            sink.null("version_a")
            sink.null("version_b")
        }
        sink.list("sources", event.sources)
        if let position {
            sink.real("longitude", position.longitude, coordinate: true)
            sink.real("latitude", position.latitude, coordinate: true)
        } else {
            sink.null("longitude")
            sink.null("latitude")
        }
    }

    public var richDescription: RichText? {
        var text = RichText()
        text.add([.strong(EventWording.dateLine(event, language))])
        text.add([.text(summary)])
        if let casualties = event.casualties { text.add([.strong(EventWording.casualties(language)), .text(casualties)]) }
        if let versions = event.versions {
            text.add([.strong(EventWording.contested(language)), .lineBreak, .text(versions.first), .lineBreak, .text(versions.second)])
        }
        text.add([.strong(EventWording.confidence(language)), .text(event.confidence.rawValue)])
        var sources: [RichText.Span] = [.strong(EventWording.sources(language))]
        for source in event.sources { sources += [.lineBreak, .linkedText(source)] }
        text.add(sources)
        return text
    }
}

/// The words of the events layer, in English and French.
enum EventWording {
    static func title(_ l: Language) -> String {
        l == .fr ? "Événements aux sites de la MINUSMA, 2023-2024" : "Events at the MINUSMA sites, 2023-2024"
    }

    static func folder(_ l: Language) -> String { l == .fr ? "Événements" : "Events" }

    static func styleTitle(_ l: Language) -> String { l == .fr ? "Événements par type" : "Events by kind" }

    static func description(_ l: Language) -> [String] {
        l == .fr
            ? ["Les événements datés de Data/events.csv : remises, départs, prises des camps, attaques contre les convois et les camps, matériel détruit, étapes de la liquidation, chacun avec sa précision de date, son degré de confiance et ses sources. Chaque événement est placé au point de son site.",
               "Un fait contesté porte ses deux versions (version_a, version_b)."]
            : ["The dated events of Data/events.csv: handovers, departures, who took each camp, attacks on the convoys and camps, equipment destroyed, liquidation milestones, each with its date precision, confidence and sources. Each event is placed at its site's point.",
               "A contested fact carries both versions (version_a, version_b)."]
    }

    static func kind(_ kind: EventKind, _ l: Language) -> String {
        switch (kind, l) {
        case (.handover, .en): return "handover"
        case (.handover, .fr): return "rétrocession"
        case (.departure, .en): return "departure"
        case (.departure, .fr): return "départ"
        case (.takeover, .en): return "takeover"
        case (.takeover, .fr): return "prise de contrôle"
        case (.seizure, .en): return "seizure"
        case (.seizure, .fr): return "occupation"
        case (.other, .en): return "other"
        case (.other, .fr): return "autre"
        case (.attackOnConvoy, .en): return "attack on a convoy"
        case (.attackOnConvoy, .fr): return "attaque contre un convoi"
        case (.attackOnCamp, .en): return "attack on the camp"
        case (.attackOnCamp, .fr): return "attaque contre le camp"
        case (.equipmentDestroyed, .en): return "equipment destroyed"
        case (.equipmentDestroyed, .fr): return "matériel détruit"
        case (.liquidationMilestone, .en): return "liquidation milestone"
        case (.liquidationMilestone, .fr): return "étape de la liquidation"
        }
    }

    /// Attacks in reds, the camp changing hands in blues and purple, the mission's own steps in
    /// green and wine; none of the phase colours (orange, blue, reddish purple, grey), so that an
    /// event drawn over its site is not read as a site.
    static func color(_ kind: EventKind) -> String {
        switch kind {
        case .handover: return "#009E73"
        case .departure: return "#56B4E9"
        case .takeover: return "#332288"
        case .seizure: return "#6A3D9A"
        case .attackOnConvoy: return "#D55E00"
        case .attackOnCamp: return "#B2182B"
        case .equipmentDestroyed: return "#F0E442"
        case .liquidationMilestone: return "#882255"
        case .other: return "#DDDDDD"
        }
    }

    static func dateLine(_ event: SiteEvent, _ l: Language) -> String {
        let precision: String
        switch (event.datePrecision, l) {
        case (.day, _): precision = ""
        case (.month, .en): precision = " (month only)"
        case (.month, .fr): precision = " (mois seulement)"
        case (.approx, .en): precision = " (approximate)"
        case (.approx, .fr): precision = " (approximative)"
        }
        return "\(event.date)\(precision), \(kind(event.kind, l)), \(event.actor)"
    }

    static func casualties(_ l: Language) -> String { (l == .fr ? "Victimes" : "Casualties") + Punctuation.colon(l) }
    static func contested(_ l: Language) -> String { (l == .fr ? "Fait contesté" : "Contested") + Punctuation.colon(l).dropLast() }
    static func confidence(_ l: Language) -> String { (l == .fr ? "Confiance" : "Confidence") + Punctuation.colon(l) }
    static func sources(_ l: Language) -> String { "Sources" + Punctuation.colon(l).dropLast() }
}

extension String {
    func replacingUnderscores() -> String { String(map { $0 == "_" ? "-" : $0 }) }
}
