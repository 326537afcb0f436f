import Gazetteer

/// The base map's words in each language (English is `Basemap.credit` and `BasemapLayer.title`).
extension Basemap {
    public static func credit(_ language: Language) -> String {
        language == .fr ? "Natural Earth 1:10m (domaine public)" : credit
    }
}

extension BasemapLayer {
    /// The layer's title for people, as a QGIS layer tree shows it.
    public func title(_ language: Language) -> String {
        guard language == .fr else { return title }
        switch name {
        case "mali_admin0": return "Mali"
        case "mali_admin1": return "Régions du Mali (Natural Earth, découpage de 2012)"
        case "neighbours_admin0": return "Pays voisins"
        default: return title
        }
    }
}
