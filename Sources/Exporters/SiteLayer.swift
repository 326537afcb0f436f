import Cartography
import FeatureCore
import Gazetteer

/// The gazetteer side of an export: how a gazetteer's sites become a layer that any writer can
/// take. The human text (titles, legends, closure sentences) depends on whose data it is: the
/// built-in MINUSMA gazetteer tells the withdrawal's story; a user's gazetteer gets neutral words
/// and the titles and credits its user gives.
public final class SiteLayer {
    public let schema: GazetteerSchema
    public let layerSchema: LayerSchema
    public let metadata: LayerMetadata
    /// The built-in MINUSMA data: the withdrawal's words are true of it.
    public let tellsWithdrawal: Bool
    /// The language of the titles, legends and descriptions.
    public let language: Language
    /// `Text.contingents` by site id.
    let contingentsBySite: [String: [Contingent]]
    private let categorised: Bool

    /// What a layer's text is made of.
    public struct Text: Sendable {
        /// Layer name (file base name).
        public var name: String
        /// A title given by the user; else the built-in data's, or `defaultTitle`.
        public var title: String?
        /// The title when none is given and the data is not the built-in one (e.g. the file's name).
        public var defaultTitle: String
        /// Where the data comes from, in a sentence or two.
        public var sourceDescription: String
        public var attribution: String?
        /// The licence the user states (`--license`); the built-in data has its own.
        public var license: String?
        public var language: Language
        /// The troop-contributing countries the research datasets give for the sites (the
        /// built-in data's), told in each site's description; none for a user's gazetteer.
        public var contingents: [Contingent]

        public init(name: String, title: String? = nil, defaultTitle: String, sourceDescription: String, attribution: String? = nil,
                    license: String? = nil, language: Language = .en, contingents: [Contingent] = []) {
            self.contingents = contingents
            self.name = name
            self.title = title
            self.defaultTitle = defaultTitle
            self.sourceDescription = sourceDescription
            self.attribution = attribution
            self.license = license
            self.language = language
        }
    }

    public init(schema: GazetteerSchema, profile: ValidationProfile, text: Text) {
        self.schema = schema
        tellsWithdrawal = profile == .minusma
        layerSchema = SiteLayer.layerSchema(schema)
        categorised = schema.contains(.phase)
        let minusma = tellsWithdrawal
        let language = text.language
        self.language = language
        contingentsBySite = Dictionary(grouping: text.contingents, by: \.siteID)
        let fr = language == .fr
        var description = [text.sourceDescription]
        if schema.contains(.closureDate) {
            description.append(minusma
                ? (fr ? "Chaque site disparaît du curseur temporel le jour de sa fermeture (la rétrocession, ou le dernier départ là où il n’y a pas eu de rétrocession)."
                      : "Each site disappears from the time slider on its closure day (the handover, or the last departure where there was no handover).")
                : (fr ? "Chaque site disparaît du curseur temporel le jour de sa fermeture."
                      : "Each site disappears from the time slider on its closure day."))
        }
        if let attribution = text.attribution { description.append("Source\(Punctuation.colon(language))\(attribution)") }
        let builtInTitle = fr ? "Sites de la MINUSMA\(Punctuation.colon(language))le retrait du Mali, 2023-2024"
            : "MINUSMA sites: the withdrawal from Mali, 2023-2024"
        let title = text.title ?? (minusma ? builtInTitle : text.defaultTitle)
        // The built-in gazetteer is CC-BY-4.0 (Data/SOURCES.md); a user's data has only the licence they state.
        metadata = LayerMetadata(name: text.name, title: title, description: description, attribution: text.attribution,
                                 license: text.license ?? (minusma ? "CC-BY-4.0" : nil),
                                 style: SiteLayer.style(categorised: schema.contains(.phase), minusma: minusma, language: language))
    }

    static func layerSchema(_ schema: GazetteerSchema) -> LayerSchema {
        var fields = schema.fields.map { field in
            LayerField(name: field.name, type: field.valueType,
                       coordinate: field == .longitude ? .longitude : field == .latitude ? .latitude : nil,
                       isNarrowInteger: field == .closureOrder)
        }
        fields += schema.extras.map { LayerField(name: $0.name, type: $0.valueType) }
        return LayerSchema(fields)
    }

    /// One symbol per phase when the data has phases, in the phase palette.
    static func style(categorised: Bool, minusma: Bool, language: Language = .en) -> LayerStyle {
        guard categorised else { return .single(labelField: SiteField.name.name) }
        let fr = language == .fr
        let categories = Phase.allCases.map { phase in
            FeatureCategory(key: "\(PhasePalette.key(phase))", value: phase.code,
                            label: minusma ? phase.summary(language) : phase.title(language), color: PhasePalette.hex(phase))
        }
        let title = minusma ? (fr ? "Sites par phase du retrait" : "Sites by withdrawal phase") : (fr ? "Sites par phase" : "Sites by phase")
        let none = minusma ? (fr ? "Hors phase du retrait" : "No withdrawal phase") : (fr ? "Sans phase" : "No phase")
        return LayerStyle(
            title: title, categories: categories,
            categoryField: SiteField.phase.name,
            fallback: FeatureCategory(key: "\(PhasePalette.key(nil))", value: nil,
                                      label: none, color: PhasePalette.hex(nil)),
            labelField: SiteField.name.name)
    }

    /// The site as a feature of this layer, for the time of `body` (the site is not copied).
    @inline(__always)
    public func withFeature<R, E: Error>(_ site: UnsafePointer<Site>, _ body: (SiteFeature) throws(E) -> R) throws(E) -> R {
        try body(SiteFeature(site: site, layer: self))
    }

    func categoryIndex(_ phase: Phase?) -> Int? {
        guard categorised, let phase else { return nil }
        return Phase.allCases.firstIndex(of: phase)
    }
}

/// A site seen through its layer: what every writer reads.
public struct SiteFeature: Feature {
    let site: UnsafePointer<Site>
    let layer: SiteLayer

    public var featureID: String { site.pointee.id }
    public var label: String? { site.pointee.name }
    public var timeSpan: TimeSpan { TimeSpan(begin: site.pointee.openingDate, end: site.pointee.closureDate) }
    public var categoryIndex: Int? { layer.categoryIndex(site.pointee.phase) }

    @inline(__always)
    public func visitProperties<S: PropertySink>(_ sink: inout S) {
        site.visitProperties(layer.schema, &sink)
    }

    /// The data's `coord_uncertainty_m` around the site's position.
    public var positionUncertainty: PositionUncertainty? {
        guard let p = site.pointee.position, let r = site.pointee.coordUncertaintyM else { return nil }
        return PositionUncertainty(center: p, radiusMetres: r)
    }

    public var richDescription: RichText? {
        guard SiteStory.hasStory(site) else { return nil }
        return layer.tellsWithdrawal
            ? SiteStory.withdrawal(site.pointee, layer.language, contingents: layer.contingentsBySite[site.pointee.id] ?? [])
            : SiteStory.neutral(site.pointee, layer.language)
    }
}
