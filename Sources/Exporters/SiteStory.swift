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
    static func withdrawal(_ site: Site) -> RichText {
        var closure: String
        switch (site.handoverDate, site.lastDepartureDate, site.closureDate) {
        case let (handover?, left, _):
            closure = "Handed over to the Malian authorities on \(handover.longDescription)"
            if let left, left != handover { closure += "; the last peacekeepers left on \(left.longDescription)" }
        case let (nil, left?, _):
            closure = "No handover: the last peacekeepers left on \(left.longDescription)"
        case let (nil, nil, closed?):
            closure = "Closed on \(closed.longDescription)"
        case (nil, nil, nil):
            closure = "Closure date unknown"
        }
        var facts: [String] = []
        if let phase = site.phase { facts.append(phase.summary) }
        facts += commonFacts(site, typeLabel: "Site: ", contingentLabel: "Last contingent: ")
        return story(site, headline: closure + ".", facts: facts)
    }

    /// The same facts in words that claim nothing about who the data is about.
    /// For a site with a story (`hasStory`).
    static func neutral(_ site: Site) -> RichText {
        var closure: String? = nil
        switch (site.handoverDate, site.lastDepartureDate, site.closureDate) {
        case let (handover?, left, _):
            closure = "Handed over on \(handover.longDescription)"
            if let left, left != handover { closure! += "; left on \(left.longDescription)" }
        case let (nil, left?, _): closure = "Left on \(left.longDescription)"
        case let (nil, nil, closed?): closure = "Closed on \(closed.longDescription)"
        case (nil, nil, nil): break
        }
        var facts: [String] = []
        if let phase = site.phase { facts.append(phase.title) }
        facts += commonFacts(site, typeLabel: "Type: ", contingentLabel: "Contingent: ")
        return story(site, headline: closure.map { $0 + "." }, facts: facts)
    }

    private static func commonFacts(_ site: Site, typeLabel: String, contingentLabel: String) -> [String] {
        var facts: [String] = []
        if let region = site.region { facts.append("Region: " + region + (site.cercle.map { ", cercle: " + $0 } ?? "")) }
        if let type = site.siteType { facts.append(typeLabel + type) }
        if let contingent = site.contingent { facts.append(contingentLabel + contingent) }
        if site.position != nil, site.coordKind != nil || site.coordUncertaintyM != nil {
            var c = "Coordinate: " + (site.coordKind ?? "position")
            if let u = site.coordUncertaintyM { c += ", uncertain by about \(metres(u))" }
            if let conf = site.coordConfidence { c += " (confidence \(conf))" }
            facts.append(c)
        } else if site.position == nil {
            facts.append("Coordinate: unknown")
        }
        if let conf = site.dateConfidence { facts.append("Confidence in the dates: " + conf) }
        return facts
    }

    private static func story(_ site: Site, headline: String?, facts: [String]) -> RichText {
        var text = RichText()
        if let headline { text.add([.strong(headline)]) }
        text.add(lines: facts)
        if let notes = site.notes { text.add([.text(notes)]) }
        for (label, sources) in [("Date sources: ", site.dateSources), ("Coordinate sources: ", site.coordSources)] where !sources.isEmpty {
            var p: [RichText.Span] = [.text(label)]
            for (i, source) in sources.enumerated() {
                if i > 0 { p.append(.text("; ")) }
                p.append(.linkedText(source))
            }
            text.add(p)
        }
        return text
    }

    static func metres(_ m: Double) -> String {
        m >= 1000 ? Formatting.fixed(m / 1000, decimals: 1) + " km" : Formatting.fixed(m, decimals: 0) + " m"
    }
}
