// The data files of Data/, embedded at build time by the EmbedData plugin into `EmbeddedFiles`
// (a generated file). This module only re-exposes them under names that say what they are.

/// The files behind the built-in gazetteer and the base map, as they were in `Data/` at build time.
package enum BundledData {
    /// `Data/minusma-sites.csv`: the 13 MINUSMA sites.
    package static var sitesCSV: String { EmbeddedFiles.sitesCSV }
    /// The path the built-in gazetteer is reported under in messages.
    package static let sitesPath = "Data/minusma-sites.csv"
    /// `Data/events.csv`: the dated events at the sites, with sources and confidence.
    package static var eventsCSV: String { EmbeddedFiles.eventsCSV }
    package static let eventsPath = "Data/events.csv"
    /// `Data/contingents.csv`: troop-contributing countries per site, as research datasets estimate them.
    package static var contingentsCSV: String { EmbeddedFiles.contingentsCSV }
    package static let contingentsPath = "Data/contingents.csv"
    /// `Data/coords-check.csv`: a second point for each site and its distance from the gazetteer's.
    package static var coordsCheckCSV: String { EmbeddedFiles.coordsCheckCSV }
    package static let coordsCheckPath = "Data/coords-check.csv"
    /// `Data/basemap/mali_admin0.geojson`: Mali's outline (Natural Earth 1:10m, public domain).
    package static var maliAdmin0: EmbeddedPolygonLayer { EmbeddedFiles.maliAdmin0 }
    /// `Data/basemap/mali_admin1.geojson`: Mali's regions as Natural Earth draws them.
    package static var maliAdmin1: EmbeddedPolygonLayer { EmbeddedFiles.maliAdmin1 }
    /// `Data/basemap/neighbours_admin0.geojson`: the seven neighbouring countries.
    package static var neighboursAdmin0: EmbeddedPolygonLayer { EmbeddedFiles.neighboursAdmin0 }
}
