import Cartography
import Gazetteer
import WithdrawalMap

/// The JSON the page's script reads: its texts, the base map, the sites with their days, colours,
/// sources and events. Keys and values are written in a fixed order, so the bytes are reproducible.
struct PageData {
    let page: WebPage
    let texts: [(key: String, text: Localized)]

    /// Base map coordinates to 4 decimals (about 10 m): finer than Natural Earth's 1:10m lines.
    static let basemapDecimals = 4
    /// Site positions to 7 decimals (about 1 cm), as every export writes them.
    static let siteDecimals = 7

    var json: String {
        let out = PageJSON()
        out.beginObject()
        out.key("lang"); out.string(page.language.rawValue)
        out.key("builtIn"); out.bool(page.builtIn)
        out.key("title"); out.localized(page.title)
        out.key("attribution"); out.localized(page.attribution)
        out.key("colorBy"); out.string(page.colorBy.rawValue)
        out.key("tiles"); out.string(page.tiles)
        out.key("range")
        if let range = page.range {
            out.beginObject()
            out.key("start"); out.string(range.start.description)
            out.key("end"); out.string(range.end.description)
            out.endObject()
        } else { out.null() }
        writeTexts(out)
        writeLegend(out)
        writeBasemap(out)
        writeSites(out)
        out.endObject()
        return out.scriptSafeText
    }

    private func writeTexts(_ out: PageJSON) {
        out.key("texts")
        out.beginObject()
        for language in [Language.en, .fr] {
            out.key(language.rawValue)
            out.beginObject()
            for (key, text) in texts {
                out.key(key); out.string(language == .fr ? text.fr : text.en)
            }
            out.endObject()
        }
        out.endObject()
    }

    // MARK: Colours

    /// The distinct closure days, in order: the date colours go by rank, as on the SVG map, so
    /// that closures weeks apart do not share nearly one colour.
    private var closureDays: [CalendarDate] { Array(Set(page.sites.compactMap(\.closureDate))).sorted() }

    func color(_ site: Site, closureDays: [CalendarDate]) -> String {
        switch page.colorBy {
        case .phase: return PhasePalette.hex(site.phase)
        case .date:
            guard let day = site.closureDate, let rank = closureDays.firstIndex(of: day) else { return PhasePalette.hex(nil) }
            return DatePalette.hex(at: closureDays.count > 1 ? Double(rank) / Double(closureDays.count - 1) : 0)
        }
    }

    private func writeLegend(_ out: PageJSON) {
        let days = closureDays
        out.key("gradient")
        if page.colorBy == .date, let first = days.first, let last = days.last {
            out.beginObject()
            out.key("colors")
            out.beginArray()
            for i in 0..<10 { out.string(DatePalette.hex(at: Double(i) / 9)) }
            out.endArray()
            out.key("from"); out.string(first.description)
            out.key("to"); out.string(last.description)
            out.endObject()
        } else { out.null() }
        out.key("legend")
        out.beginArray()
        switch page.colorBy {
        case .phase:
            let present = Set(page.sites.map(\.phase))
            for phase in PhasePalette.legendOrder where present.contains(phase) {
                legendItem(out, color: PhasePalette.hex(phase), label: PageText.phase(phase))
            }
        case .date:
            if page.sites.contains(where: { $0.closureDate == nil }) {
                legendItem(out, color: PhasePalette.hex(nil), label: PageText.lookup("noClosure", builtIn: page.builtIn))
            }
        }
        out.endArray()
    }

    private func legendItem(_ out: PageJSON, color: String, label: Localized) {
        out.beginObject()
        out.key("color"); out.string(color)
        out.key("label"); out.localized(label)
        out.endObject()
    }

    // MARK: Base map

    /// Neighbours, then Mali, then its regions' lines on top; Mali's outline frames the view of
    /// the built-in sites.
    private func writeBasemap(_ out: PageJSON) {
        let layers: [(BasemapLayer, style: [(String, String)], frames: Bool)] = [
            (Basemap.neighbours(), [("color", "#9a9484"), ("weight", "1"), ("fillColor", "#ebe6da"), ("fillOpacity", "1")], false),
            (Basemap.maliOutline(), [("color", "#4d4a42"), ("weight", "1.5"), ("fillColor", "#fbf9f4"), ("fillOpacity", "1")], page.builtIn),
            (Basemap.maliRegions(), [("color", "#b3ad9f"), ("weight", "0.8"), ("fill", "false")], false),
        ]
        out.key("basemap")
        out.beginArray()
        for (layer, style, frames) in layers {
            out.beginObject()
            out.key("name"); out.string(layer.name)
            out.key("frames"); out.bool(frames)
            out.key("style")
            out.beginObject()
            for (name, value) in style {
                out.key(name)
                if value == "false" { out.bool(false) } else if value.hasPrefix("#") { out.string(value) } else {
                    out.number(Double(value), decimals: value.contains(".") ? 1 : 0)
                }
            }
            out.endObject()
            out.key("geojson")
            writeFeatureCollection(out, layer)
            out.endObject()
        }
        out.endArray()
    }

    private func writeFeatureCollection(_ out: PageJSON, _ layer: BasemapLayer) {
        out.beginObject()
        out.key("type"); out.string("FeatureCollection")
        out.key("features")
        out.beginArray()
        for feature in layer.features {
            out.beginObject()
            out.key("type"); out.string("Feature")
            out.key("properties"); out.beginObject(); out.endObject()
            out.key("geometry")
            out.beginObject()
            out.key("type"); out.string("MultiPolygon")
            out.key("coordinates")
            out.beginArray()
            for polygon in feature.polygons {
                out.beginArray()
                for ring in polygon {
                    out.beginArray()
                    for p in ring {
                        out.beginArray()
                        out.number(p.longitude, decimals: Self.basemapDecimals)
                        out.number(p.latitude, decimals: Self.basemapDecimals)
                        out.endArray()
                    }
                    out.endArray()
                }
                out.endArray()
            }
            out.endArray()
            out.endObject()
            out.endObject()
        }
        out.endArray()
        out.endObject()
    }
}
