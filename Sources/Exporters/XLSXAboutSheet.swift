import FeatureCore
import XLSXDocument

/// The workbook's last sheet, for a reader who opens the file without its documentation: the
/// title, the description, who to credit, the licence, the sheets, the CRS, the links the data
/// cites and the version of the tool. Every text comes from the layer's metadata or the data:
/// no licence or credit is stated that the data's owner did not state.
enum XLSXAboutSheet {
    static let name = "About"

    /// A layer's sheet, as the About sheet lists it.
    struct Layer {
        let sheet: String
        let title: String
        let features: Int
    }

    static let noneStated = "none stated"
    /// The values' column, in characters.
    static let valueWidth = 90
    private static let label = CellStyle(bold: true, top: true)
    private static let paragraph = CellStyle(wrap: true, top: true)
    private static let link = CellStyle(link: true, wrap: true, top: true)

    static func write(_ sheet: Worksheet, info: LayerInfo, layers: [Layer], cited: CitedLinks, language: Language) throws(XLSXError) {
        let w = Wording(language)
        var rows = Rows(sheet: sheet)
        try sheet.setColumn(0, width: 18)
        try sheet.setColumn(1, width: Double(valueWidth))
        try sheet.printLandscapeOnePageWide()
        try rows.add(w.title, [info.title])
        try rows.add("Description", info.metadata.description)
        try rows.add("Attribution", [info.metadata.attribution ?? w.noneStated])
        try rows.add("Licence", [info.metadata.license ?? w.noneStated])
        try rows.add(w.sheets, layers.map { w.sheetLine($0) })
        try rows.add(w.crs, [w.crsLine(info.crs)])
        if cited.links.isEmpty {
            try rows.add(w.linksCited, [w.noLinks])
        } else {
            try rows.addLinks(w.linksCited, cited.links)
            if cited.more { try rows.add("", [w.moreLinks]) }
        }
        try rows.add(w.toolVersion, [ToolVersion.current])
    }

    /// The sheet's own words, in the export's language.
    struct Wording {
        let fr: Bool
        let language: Language
        init(_ language: Language) {
            self.language = language
            fr = language == .fr
        }

        var title: String { fr ? "Titre" : "Title" }
        var sheets: String { fr ? "Feuilles" : "Sheets" }
        var crs: String { fr ? "SCR" : "CRS" }
        var linksCited: String { fr ? "Liens cités" : "Links cited" }
        var toolVersion: String { fr ? "Version de l'outil" : "Tool version" }
        var noneStated: String { fr ? "non indiquée" : XLSXAboutSheet.noneStated }
        var noLinks: String { fr ? "aucun dans les données" : "none in the data" }
        var moreLinks: String {
            fr ? "... et d'autres\(Punctuation.colon(language))les feuilles de données les donnent tous"
                : "... and more: the data sheets link every one"
        }

        func sheetLine(_ layer: Layer) -> String {
            let n = layer.features
            let what = fr ? (n > 1 ? "entités" : "entité") : (n == 1 ? "feature" : "features")
            return "\(layer.sheet)\(Punctuation.colon(language))\(n) \(what) (\(layer.title))"
        }

        /// The CRS's name and code, and which columns hold the coordinates.
        func crsLine(_ crs: OutputCRS) -> String {
            let name = crs.name + (crs.authority.map { " (\($0))" } ?? "")
            let colon = Punctuation.colon(language)
            guard CSVWriter.addsProjectedColumns(crs) else {
                return name + colon + (fr ? "longitude et latitude en degrés" : "longitude and latitude in degrees")
            }
            return name + colon + (fr
                ? "les colonnes x, y et wkt\(Punctuation.semicolon(language))les colonnes longitude et latitude restent en degrés WGS 84"
                : "the x, y and wkt columns; the longitude and latitude columns stay in WGS 84 degrees")
        }
    }

    /// Rows written in order: a bold label beside the first of its values.
    private struct Rows {
        let sheet: Worksheet
        var row = 0

        mutating func add(_ label: String, _ values: [String]) throws(XLSXError) {
            if !label.isEmpty { try sheet.write(text: label, row: row, column: 0, style: XLSXAboutSheet.label) }
            if values.isEmpty { row += 1 }
            for value in values {
                // Readers do not all grow a row to its wrapped text: give it the height of its lines.
                let lines = (value.unicodeScalars.count + XLSXAboutSheet.valueWidth - 6) / (XLSXAboutSheet.valueWidth - 5)
                if lines > 1 { try sheet.setRow(row, height: 15 * Double(min(lines, 27))) }
                try sheet.write(text: Self.fitted(value), row: row, column: 1, style: XLSXAboutSheet.paragraph)
                row += 1
            }
        }

        mutating func addLinks(_ label: String, _ links: [String]) throws(XLSXError) {
            try sheet.write(text: label, row: row, column: 0, style: XLSXAboutSheet.label)
            for link in links {
                try sheet.write(url: link, text: link, row: row, column: 1, style: XLSXAboutSheet.link)
                row += 1
            }
        }

        /// A paragraph longer than a cell is cut there, saying so (the About sheet only describes
        /// the data, which the data sheets hold whole).
        static func fitted(_ text: String) -> String {
            guard text.utf16.count > XLSXLimits.cellCharacters else { return text }
            let mark = " [...]"
            return XLSXSheetNames.cut(text, to: XLSXLimits.cellCharacters - mark.utf16.count) + mark
        }
    }
}
