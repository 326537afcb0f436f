import Cartography
import Gazetteer
import TextOutput

/// QGIS layer styles (`.qml`, QGIS 3.22): the sites coloured by withdrawal phase with their names
/// as labels, and quiet styles for the base map. QGIS loads `<name>.qml` automatically beside
/// `<name>.geojson`, and the GeoPackage carries the same styles in `layer_styles`.
///
/// A `.qml` carries symbols and labels; QGIS 3.22 does not restore temporal settings from it, so
/// the time-enabled layer comes with the QGIS project (`minusma qgis-project`).
public enum QGISStyle {
    static let header = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"

    static func rgba(_ hex: String, alpha: Int = 255) -> String {
        let h = Array(hex.utf8.dropFirst())
        func nibble(_ c: UInt8) -> Int { Int(c >= 97 ? c - 87 : c >= 65 ? c - 55 : c - 48) }
        func byte(_ i: Int) -> Int { nibble(h[i]) * 16 + nibble(h[i + 1]) }
        return "\(byte(0)),\(byte(2)),\(byte(4)),\(alpha)"
    }

    static func markerSymbol(name: String, fill: String, size: String = "3.4") -> String {
        """
              <symbol type="marker" name="\(name)" alpha="1" clip_to_extent="1" force_rhr="0">
                <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
                  <prop k="angle" v="0"/>
                  <prop k="color" v="\(rgba(fill))"/>
                  <prop k="joinstyle" v="bevel"/>
                  <prop k="name" v="circle"/>
                  <prop k="offset" v="0,0"/>
                  <prop k="offset_unit" v="MM"/>
                  <prop k="outline_color" v="35,35,35,255"/>
                  <prop k="outline_style" v="solid"/>
                  <prop k="outline_width" v="0.4"/>
                  <prop k="outline_width_unit" v="MM"/>
                  <prop k="scale_method" v="diameter"/>
                  <prop k="size" v="\(size)"/>
                  <prop k="size_unit" v="MM"/>
                  <prop k="vertical_anchor_point" v="1"/>
                </layer>
              </symbol>

        """
    }

    static func fillSymbol(name: String, fill: String, fillAlpha: Int, outline: String, width: String) -> String {
        """
              <symbol type="fill" name="\(name)" alpha="1" clip_to_extent="1" force_rhr="0">
                <layer class="SimpleFill" enabled="1" locked="0" pass="0">
                  <prop k="border_width_unit" v="MM"/>
                  <prop k="color" v="\(rgba(fill, alpha: fillAlpha))"/>
                  <prop k="joinstyle" v="bevel"/>
                  <prop k="offset" v="0,0"/>
                  <prop k="offset_unit" v="MM"/>
                  <prop k="outline_color" v="\(rgba(outline))"/>
                  <prop k="outline_style" v="solid"/>
                  <prop k="outline_width" v="\(width)"/>
                  <prop k="outline_width_unit" v="MM"/>
                  <prop k="style" v="solid"/>
                </layer>
              </symbol>

        """
    }

    /// The sites: categorised by `phase` when the data has it (one colour per phase, as in the
    /// KML and the map), else one symbol; labelled with `name`.
    public static func sitesQML(for schema: GazetteerSchema) -> String {
        var s = header + "<qgis version=\"3.22.16-Białowieża\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\"1\">\n"
        s += rendererXML(for: schema)
        s += labelingXML(field: "name")
        s += "</qgis>\n"
        return s
    }

    /// The `renderer-v2` element of the sites layer (also used inside the QGIS project).
    static func rendererXML(for schema: GazetteerSchema, language: Language = .en) -> String {
        guard schema.contains(.phase) else {
            return "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <symbols>\n"
                + markerSymbol(name: "0", fill: PhasePalette.hex(nil)) + "    </symbols>\n  </renderer-v2>\n"
        }
        var s = "  <renderer-v2 type=\"categorizedSymbol\" attr=\"phase\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <categories>\n"
        for (i, phase) in PhasePalette.legendOrder.enumerated() {
            let label = phase.map { $0.summary(language) } ?? PhasePalette.title(nil, language)
            s += "      <category value=\"\(phase?.code ?? "")\" symbol=\"\(i)\" label=\"\(Formatting.xmlEscaped(label))\" render=\"true\"/>\n"
        }
        s += "    </categories>\n    <symbols>\n"
        for (i, phase) in PhasePalette.legendOrder.enumerated() {
            s += markerSymbol(name: "\(i)", fill: PhasePalette.hex(phase))
        }
        s += "    </symbols>\n    <source-symbol>\n" + markerSymbol(name: "0", fill: PhasePalette.hex(nil))
        s += "    </source-symbol>\n  </renderer-v2>\n"
        return s
    }

    /// Labels beside the points, with a white halo so they read over any base map. QGIS's label
    /// engine places them: the first free position around the point in the cartographic order,
    /// and a label that would collide with another label or a site marker is left out rather
    /// than piled up (no `displayAll`), since user gazetteers can be dense. The markers are
    /// obstacles, so no label covers a site.
    static func labelingXML(field: String) -> String {
        """
          <labeling type="simple">
            <settings calloutType="simple">
              <text-style fieldName="\(Formatting.xmlEscaped(field))" isExpression="0" fontFamily="Sans Serif" fontSize="9" fontSizeUnit="Point" fontWeight="50" textColor="35,35,35,255" textOpacity="1" namedStyle="Regular" multilineHeight="1" previewBkgrdColor="255,255,255,255" capitalization="0" allowHtml="0">
                <text-buffer bufferDraw="1" bufferSize="1" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="0.8" bufferJoinStyle="128" bufferNoFill="1" bufferBlendMode="0"/>
              </text-style>
              <text-format wrapChar="" autoWrapLength="0" useMaxLineLengthForAutoWrap="1" multilineAlign="3" addDirectionSymbol="0" formatNumbers="0" decimals="3" plussign="0"/>
              <placement placement="6" predefinedPositionOrder="\(labelPositionOrder)" dist="1.5" distUnits="MM" quadOffset="4" priority="5" centroidWhole="0" centroidInside="0" fitInPolygonOnly="0" offsetType="0" xOffset="0" yOffset="0" offsetUnits="MM" rotationAngle="0" maxCurvedCharAngleIn="25" maxCurvedCharAngleOut="-25" repeatDistance="0" repeatDistanceUnits="MM" overrunDistance="0" overrunDistanceUnit="MM" layerType="PointGeometry"/>
              <rendering obstacle="1" obstacleFactor="1" obstacleType="1" displayAll="0" upsidedownLabels="0" labelPerPart="0" mergeLines="0" minFeatureSize="0" limitNumLabels="0" maxNumLabels="2000" scaleVisibility="0" scaleMin="0" scaleMax="0" fontLimitPixelSize="0" fontMinPixelSize="3" fontMaxPixelSize="10000" zIndex="0" drawLabels="1" unplacedVisibility="0"/>
            </settings>
          </labeling>

        """
    }

    /// The positions tried around a point, best first: upper right, upper left, lower right,
    /// lower left, then right, left and the slightly shifted right positions (QGIS's
    /// cartographic order, written out so the choice does not depend on QGIS's defaults).
    static let labelPositionOrder = "TR,TL,BR,BL,R,L,TSR,BSR"

    /// Base map layers: Mali in a light fill, its regions as thin lines, neighbours in grey.
    public static func basemapQML(_ layer: String) -> String {
        header + "<qgis version=\"3.22.16-Białowieża\" styleCategories=\"Symbology\" labelsEnabled=\"0\">\n" + basemapRenderer(layer) + "</qgis>\n"
    }

    static func basemapRenderer(_ layer: String) -> String {
        let symbol: String
        switch layer {
        case "mali_admin0": symbol = fillSymbol(name: "0", fill: "#F6F1E7", fillAlpha: 255, outline: "#5A5A5A", width: "0.5")
        case "mali_admin1": symbol = fillSymbol(name: "0", fill: "#FFFFFF", fillAlpha: 0, outline: "#9A9A9A", width: "0.25")
        default: symbol = fillSymbol(name: "0", fill: "#E4E4E4", fillAlpha: 255, outline: "#B0B0B0", width: "0.3")
        }
        return "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <symbols>\n"
            + symbol + "    </symbols>\n  </renderer-v2>\n"
    }
}
