import FeatureCore
import TextOutput

/// A layer's `LayerStyle` as QGIS styles it: one marker per category (or a single marker) and
/// labels. Written as the `.qml` beside a GeoJSON and as the default style in a GeoPackage.
enum QGISLayerStyle {
    static func qml(_ style: LayerStyle) -> String {
        var s = QGISStyle.header + "<qgis version=\"3.22.16-Białowieża\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\"\(style.labelField == nil ? 0 : 1)\">\n"
        s += rendererXML(style)
        if let field = style.labelField { s += QGISStyle.labelingXML(field: field) }
        s += "</qgis>\n"
        return s
    }

    /// The `renderer-v2` element.
    static func rendererXML(_ style: LayerStyle) -> String {
        guard let field = style.categoryField, !style.categories.isEmpty else {
            return "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <symbols>\n"
                + QGISStyle.markerSymbol(name: "0", fill: style.fallback.color) + "    </symbols>\n  </renderer-v2>\n"
        }
        var s = "  <renderer-v2 type=\"categorizedSymbol\" attr=\"\(Formatting.xmlEscaped(field))\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <categories>\n"
        let all = style.allCategories
        for (i, category) in all.enumerated() {
            s += "      <category value=\"\(Formatting.xmlEscaped(category.value ?? ""))\" symbol=\"\(i)\" label=\"\(Formatting.xmlEscaped(category.label))\" render=\"true\"/>\n"
        }
        s += "    </categories>\n    <symbols>\n"
        for (i, category) in all.enumerated() {
            s += QGISStyle.markerSymbol(name: "\(i)", fill: category.color)
        }
        s += "    </symbols>\n    <source-symbol>\n" + QGISStyle.markerSymbol(name: "0", fill: style.fallback.color)
        s += "    </source-symbol>\n  </renderer-v2>\n"
        return s
    }
}
