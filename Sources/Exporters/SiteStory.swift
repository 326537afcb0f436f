import FeatureCore
import Gazetteer
import TextOutput

/// A site's description for people (KML balloons): how it closed, the facts behind its position,
/// its notes and sources. The withdrawal's words only for the built-in MINUSMA data.
enum SiteStory {
    /// Whether a site has more to tell than its fields (which Google Earth shows as a table in the
    /// balloon anyway). Rows of a plain user file (id, name, position, date) get no description,
    /// which keeps large files small.
    /// Read field by field through the pointer: asked of every feature, it must not copy sites.
    static func hasStory(_ site: UnsafePointer<Site>) -> Bool {
        site.pointee.handoverDate != nil || site.pointee.lastDepartureDate != nil || site.pointee.notes != nil
            || site.pointee.coordKind != nil || site.pointee.coordUncertaintyM != nil || !site.pointee.dateSources.isEmpty
            || !site.pointee.coordSources.isEmpty || site.pointee.siteType != nil || site.pointee.contingent != nil
    }

    /// For a site with a story (`hasStory`).
    static func withdrawal(_ site: Site, _ language: Language = .en) -> RichText {
        let w = SiteWords(language)
        var facts: [String] = []
        if let phase = site.phase { facts.append(phase.summary(language)) }
        facts += commonFacts(site, w, typeLabel: w.siteLabel, contingentLabel: w.lastContingentLabel)
        return story(site, w, headline: w.closure(of: site, withdrawal: true), facts: facts)
    }

    /// The same facts in words that claim nothing about who the data is about.
    /// For a site with a story (`hasStory`).
    static func neutral(_ site: Site, _ language: Language = .en) -> RichText {
        let w = SiteWords(language)
        var facts: [String] = []
        if let phase = site.phase { facts.append(phase.title(language)) }
        facts += commonFacts(site, w, typeLabel: w.typeLabel, contingentLabel: w.contingentLabel)
        return story(site, w, headline: w.closure(of: site, withdrawal: false), facts: facts)
    }

    private static func commonFacts(_ site: Site, _ w: SiteWords, typeLabel: String, contingentLabel: String) -> [String] {
        var facts: [String] = []
        if let region = site.region { facts.append(w.regionLabel + region + (site.cercle.map { w.cercleLabel + $0 } ?? "")) }
        if let type = site.siteType { facts.append(typeLabel + type) }
        if let contingent = site.contingent { facts.append(contingentLabel + contingent) }
        if site.position != nil, site.coordKind != nil || site.coordUncertaintyM != nil {
            var c = w.coordinateLabel + (site.coordKind ?? w.position)
            if let u = site.coordUncertaintyM { c += w.uncertainBy + metres(u, w.language) }
            if let conf = site.coordConfidence { c += w.confidence(conf) }
            facts.append(c)
        } else if site.position == nil {
            facts.append(w.coordinateLabel + w.unknown)
        }
        if let conf = site.dateConfidence { facts.append(w.dateConfidenceLabel + conf) }
        return facts
    }

    private static func story(_ site: Site, _ w: SiteWords, headline: String?, facts: [String]) -> RichText {
        var text = RichText()
        if let headline { text.add([.strong(headline)]) }
        text.add(lines: facts)
        if let notes = site.notes { text.add([.text(notes)]) }
        for (label, sources) in [(w.dateSourcesLabel, site.dateSources), (w.coordinateSourcesLabel, site.coordSources)] where !sources.isEmpty {
            var p: [RichText.Span] = [.text(label)]
            for (i, source) in sources.enumerated() {
                if i > 0 { p.append(.text(w.semicolon)) }
                p.append(.linkedText(source))
            }
            text.add(p)
        }
        return text
    }

    /// "1.8 km" / "1,8 km", "300 m".
    static func metres(_ m: Double, _ language: Language = .en) -> String {
        m >= 1000 ? DateWording.decimal(Formatting.fixed(m / 1000, decimals: 1), language) + " km"
            : Formatting.fixed(m, decimals: 0) + " m"
    }
}
