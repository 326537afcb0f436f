import Gazetteer

extension PageData {
    /// Each site with the two days the `--as-of` rule reads (`open`: the opening day, null when
    /// unknown; `close`: the closure day, null when none), in the order given.
    func writeSites(_ out: PageJSON) {
        let days = Array(Set(page.sites.compactMap(\.closureDate))).sorted()
        var eventsBySite: [String: [SiteEvent]] = [:]
        for event in page.events { eventsBySite[event.siteID, default: []].append(event) }
        out.key("sites")
        out.beginArray()
        for site in page.sites {
            out.beginObject()
            out.key("id"); out.string(site.id)
            out.key("name"); out.localized(page.builtIn ? Localized(en: site.nameEn ?? site.name, fr: site.name) : Localized(site.name))
            out.key("lat"); out.number(site.position?.latitude, decimals: Self.siteDecimals)
            out.key("lon"); out.number(site.position?.longitude, decimals: Self.siteDecimals)
            out.key("open"); out.string(site.openingDate?.description)
            out.key("close"); out.string(site.closureDate?.description)
            out.key("handover"); out.string(site.handoverDate?.description)
            out.key("departure"); out.string(site.lastDepartureDate?.description)
            out.key("phase"); out.localized(site.phase.map { PageText.phase($0) })
            out.key("uncertainty"); out.number(site.coordUncertaintyM, decimals: 0)
            out.key("color"); out.string(color(site, closureDays: days))
            out.key("region"); out.string(site.region)
            out.key("notes"); out.string(site.notes)
            out.key("sources")
            out.beginArray()
            var seen: Set<String> = []
            for source in site.dateSources + site.coordSources where seen.insert(source).inserted { out.string(source) }
            out.endArray()
            writeEvents(out, eventsBySite[site.id] ?? [])
            out.endObject()
        }
        out.endArray()
    }

    /// A site's events by date (then id), each with its kind and summary in both languages.
    private func writeEvents(_ out: PageJSON, _ events: [SiteEvent]) {
        out.key("events")
        out.beginArray()
        for event in events.sorted(by: { ($0.date, $0.id) < ($1.date, $1.id) }) {
            out.beginObject()
            out.key("date"); out.string(event.date.description)
            out.key("precision"); out.string(event.datePrecision.rawValue)
            out.key("kind"); out.localized(PageText.eventKind(event.kind))
            out.key("summary"); out.localized(Localized(en: event.summaryEN, fr: event.summaryFR))
            out.endObject()
        }
        out.endArray()
    }
}
