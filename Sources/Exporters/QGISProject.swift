import Cartography
import FeatureCore
import Gazetteer
import SQLiteDB
import TextOutput

/// A QGIS 3.22 project (`.qgs`) that opens with the sites ready to animate: the sites from the
/// GeoPackage, coloured by phase and labelled, over the Natural Earth base map, with the Temporal
/// Controller's range set to the data's dates, one frame a day (for the built-in data, the
/// withdrawal: 1 July 2023 to 15 November 2024).
///
/// Time: each site is shown from its opening day (when the data has one; else from
/// `sitesOpenFrom`, or always) until its closure date, with the end excluded: on its closure
/// day a site is no longer drawn. That is `minusma export --as-of` and KML's `<end>`. The range
/// comes from expressions that turn the DATE columns into date-times, since QGIS 3.22 compares a
/// bare date column with a frame's date-time as text.
///
/// Layers refer to the GeoPackage by a relative path (`./<name>.gpkg`), so the folder can move.
public struct QGISProject: Sendable {
    public struct Layer: Sendable {
        public let id: String
        public let title: String
        /// GeoPackage table.
        public let table: String
        public let geometry: String      // "Point" or "Polygon"
        public let wkbType: String       // "Point" or "MultiPolygon"
        public let extent: GeoBox        // in the layer's CRS (EPSG:4326)
    }

    public let title: String
    public let geoPackageFile: String
    public let projectCRS: OutputCRS
    /// The view's extent in the project CRS.
    public let viewExtent: (minX: Double, minY: Double, maxX: Double, maxY: Double)
    public let sites: Layer
    public let sitesSchema: GazetteerSchema
    public let basemap: [Layer]
    /// The Temporal Controller's range, its end excluded; nil when the data has no dates.
    public let timeRange: (start: CalendarDate, endExclusive: CalendarDate)?
    /// The day a site without an opening date is drawn from; nil: from the beginning of time,
    /// as `--as-of` counts it. The built-in data uses the mission's start (1 July 2013).
    public let sitesOpenFrom: CalendarDate?
    /// The events beside the sites (the built-in data's), drawn each on its day; nil: none.
    public var events: Layer? = nil
    /// The language of the events layer's legend.
    public var eventsLanguage: Language = .en
    /// The language of the legend's labels (layer titles come in the language already).
    public var language: Language = .en

    public init(title: String, geoPackageFile: String, projectCRS: OutputCRS,
                viewExtent: (minX: Double, minY: Double, maxX: Double, maxY: Double),
                sites: Layer, sitesSchema: GazetteerSchema, basemap: [Layer],
                timeRange: (start: CalendarDate, endExclusive: CalendarDate)?,
                sitesOpenFrom: CalendarDate? = Timeline.missionStart) {
        self.title = title
        self.geoPackageFile = geoPackageFile
        self.projectCRS = projectCRS
        self.viewExtent = viewExtent
        self.sites = sites
        self.sitesSchema = sitesSchema
        self.basemap = basemap
        self.timeRange = timeRange
        self.sitesOpenFrom = sitesOpenFrom
    }

    /// Builds the project's layer list from the GeoPackage's tables: points are the sites,
    /// polygons the base map.
    public static func layer(table: String, title: String, polygons: Bool, extent: GeoBox) -> Layer {
        Layer(id: layerID(table: table, sites: !polygons), title: title, table: table,
              geometry: polygons ? "Polygon" : "Point", wkbType: polygons ? "MultiPolygon" : "Point", extent: extent)
    }

    /// The events' point layer (`minusma_events`).
    public static func eventsLayer(table: String, title: String, extent: GeoBox) -> Layer {
        Layer(id: "events_layer_" + table, title: title, table: table, geometry: "Point", wkbType: "Point", extent: extent)
    }

    /// An event is an instant (its `date` field), and the layer accumulates: a frame draws every
    /// event up to its end, so the 14 Nov 2023 retaking of Kidal is still on the map on 15 Nov
    /// (what followed a closure stays visible, as the closures do). The range includes its end, so
    /// an event is drawn from the frame of its own day.
    var eventsTemporal: String {
        """
        <temporal enabled="\(timeRange == nil ? 0 : 1)" mode="1" limitMode="1" accumulate="1" startField="date" endField="" durationField="" durationUnit="min" fixedDuration="0" startExpression="" endExpression="">
        <fixedRange><start></start><end></end></fixedRange>
        </temporal>
        """
    }

    /// A layer's id: its role and its table. QGIS replaces an id of 10 characters or fewer with
    /// a random one when it reads the project (and the layer tree then loses the layer), so every
    /// id is longer than that whatever the table's name; the role prefix keeps the sites' id
    /// apart from the base map's even when `--name` gives the sites a base map table's name.
    public static func layerID(table: String, sites: Bool) -> String {
        (sites ? "sites_layer_" : "basemap_layer_") + table
    }

    /// The start expression: the opening day when the data has the column (and a value), else
    /// `sitesOpenFrom`, else 0001-01-01 (open since before any date, as `--as-of` counts it).
    var startExpression: String {
        let start = sitesOpenFrom ?? Self.earliestDay
        let fallback = "make_datetime(\(start.year),\(start.month),\(start.day),0,0,0)"
        return sitesSchema.contains(.openingDate) ? "coalesce(to_datetime(\"opening_date\"), \(fallback))" : fallback
    }

    /// 0001-01-01 (719,162 days before 1970-01-01): no date a gazetteer holds is earlier.
    static let earliestDay = CalendarDate.earliest

    /// The end expression: the closure day at 00:00; sites that have not closed never end.
    var endExpression: String {
        sitesSchema.contains(.closureDate)
            ? "coalesce(to_datetime(\"closure_date\"), make_datetime(9999,12,31,0,0,0))"
            : "make_datetime(9999,12,31,0,0,0)"
    }

    static func x(_ s: String) -> String { Formatting.xmlEscaped(s) }

    static func number(_ v: Double) -> String { Formatting.fixed(v, decimals: 6) }

    private func spatialRefSys(_ crs: OutputCRS) -> String {
        var s = "<spatialrefsys nativeFormat=\"Wkt\">\n"
        s += "<wkt>\(Self.x(crs.wkt2))</wkt>\n"
        if let epsg = crs.epsgCode { s += "<srid>\(epsg)</srid>\n" }
        if let authority = crs.authority { s += "<authid>\(Self.x(authority))</authid>\n" }
        s += "<description>\(Self.x(crs.name))</description>\n"
        s += "<geographicflag>\(crs.isGeographic ? "true" : "false")</geographicflag>\n"
        s += "</spatialrefsys>"
        return s
    }

    /// EPSG:4326 as QGIS names it: the CRS of every layer in the GeoPackage export.
    private var layerCRS: String {
        """
        <spatialrefsys nativeFormat="Wkt">
        <wkt>\(Self.x(OutputCRS.epsg4326WKT2))</wkt>
        <srid>4326</srid>
        <authid>EPSG:4326</authid>
        <description>WGS 84</description>
        <geographicflag>true</geographicflag>
        </spatialrefsys>
        """
    }

    private func datetime(_ d: CalendarDate) -> String { "\(d)T00:00:00Z" }

    private func mapLayer(_ layer: Layer, renderer: String, labeling: String, temporal: String) -> String {
        let e = layer.extent
        return """
        <maplayer type="vector" geometry="\(layer.geometry)" wkbType="\(layer.wkbType)" labelsEnabled="\(labeling.isEmpty ? 0 : 1)" styleCategories="AllStyleCategories" hasScaleBasedVisibilityFlag="0" minScale="100000000" maxScale="0" readOnly="0" autoRefreshEnabled="0" autoRefreshTime="0" refreshOnNotifyEnabled="0" refreshOnNotifyMessage="" simplifyAlgorithm="0" simplifyDrawingHints="1" simplifyDrawingTol="1" simplifyLocal="1" simplifyMaxScale="1">
        <extent><xmin>\(Self.number(e.west))</xmin><ymin>\(Self.number(e.south))</ymin><xmax>\(Self.number(e.east))</xmax><ymax>\(Self.number(e.north))</ymax></extent>
        <id>\(Self.x(layer.id))</id>
        <datasource>./\(Self.x(geoPackageFile))|layername=\(Self.x(layer.table))</datasource>
        <layername>\(Self.x(layer.title))</layername>
        <srs>
        \(layerCRS)
        </srs>
        <provider encoding="UTF-8">ogr</provider>
        \(temporal)
        \(renderer)\(labeling)<blendMode>0</blendMode>
        <featureBlendMode>0</featureBlendMode>
        <layerOpacity>1</layerOpacity>
        </maplayer>

        """
    }

    /// The project as QGIS 3.22 writes it (the elements it needs; QGIS fills in the rest).
    public var xml: String {
        let all = (events.map { [$0] } ?? []) + [sites] + basemap
        var s = QGISStyle.header
        s += "<qgis projectname=\"\(Self.x(title))\" version=\"3.22.16-Białowieża\">\n"
        s += "<homePath path=\"\"/>\n<title>\(Self.x(title))</title>\n"
        s += "<projectCrs>\n\(spatialRefSys(projectCRS))\n</projectCrs>\n"
        s += "<layer-tree-group>\n<customproperties/>\n"
        for layer in all {
            s += "<layer-tree-layer id=\"\(Self.x(layer.id))\" name=\"\(Self.x(layer.title))\" source=\"./\(Self.x(geoPackageFile))|layername=\(Self.x(layer.table))\" providerKey=\"ogr\" checked=\"Qt::Checked\" expanded=\"\(layer.id == sites.id ? 1 : 0)\">\n<customproperties/>\n</layer-tree-layer>\n"
        }
        s += "</layer-tree-group>\n"
        let v = viewExtent
        s += """
        <mapcanvas name="theMapCanvas" annotationsVisible="1">
        <units>\(projectCRS.isGeographic ? "degrees" : "meters")</units>
        <extent><xmin>\(Self.number(v.minX))</xmin><ymin>\(Self.number(v.minY))</ymin><xmax>\(Self.number(v.maxX))</xmax><ymax>\(Self.number(v.maxY))</ymax></extent>
        <rotation>0</rotation>
        <destinationsrs>
        \(spatialRefSys(projectCRS))
        </destinationsrs>
        <rendermaptile>0</rendermaptile>
        </mapcanvas>

        """
        s += "<projectlayers>\n"
        // Without dates there is nothing to animate: the layer is then drawn whole at any time.
        let temporal = """
        <temporal enabled="\(timeRange == nil ? 0 : 1)" mode="4" limitMode="0" accumulate="0" startField="" endField="" durationField="" durationUnit="min" fixedDuration="0" startExpression="\(Self.x(startExpression))" endExpression="\(Self.x(endExpression))">
        <fixedRange><start></start><end></end></fixedRange>
        </temporal>
        """
        if let events {
            s += mapLayer(events, renderer: QGISLayerStyle.rendererXML(EventLayer.style(eventsLanguage)), labeling: "",
                          temporal: eventsTemporal)
        }
        s += mapLayer(sites, renderer: QGISStyle.rendererXML(for: sitesSchema, language: language), labeling: QGISStyle.labelingXML(field: "name"), temporal: temporal)
        for layer in basemap {
            s += mapLayer(layer, renderer: QGISStyle.basemapRenderer(layer.table), labeling: "", temporal: "")
        }
        s += "</projectlayers>\n<layerorder>\n"
        for layer in all { s += "<layer id=\"\(Self.x(layer.id))\"/>\n" }
        s += "</layerorder>\n"
        s += """
        <properties>
        <Paths><Absolute type="bool">false</Absolute></Paths>
        <SpatialRefSys><ProjectionsEnabled type="int">1</ProjectionsEnabled>\(projectCRS.authority.map { "<ProjectCrs type=\"QString\">\(Self.x($0))</ProjectCrs>" } ?? "")</SpatialRefSys>
        </properties>
        \(timeSettings)
        </qgis>

        """
        return s
    }

    /// The Temporal Controller's range (none when the data has no dates).
    private var timeSettings: String {
        var s = "<ProjectTimeSettings timeStepUnit=\"d\" timeStep=\"1\" frameRate=\"4\" cumulativeTemporalRange=\"0\">\n"
        if let timeRange {
            s += "<TemporalRange>\n<start>\(datetime(timeRange.start))</start>\n<end>\(datetime(timeRange.endExclusive))</end>\n</TemporalRange>\n"
        }
        return s + "</ProjectTimeSettings>"
    }
}

/// The dates that take sites in and out of the Temporal Controller's frames: the opening and
/// closure days (hand-overs and departures only explain a closure date, they move nothing).
public struct SiteDateSpan: Sendable, Equatable {
    public var openings: ClosedRange<CalendarDate>?
    public var closures: ClosedRange<CalendarDate>?

    public init(openings: ClosedRange<CalendarDate>? = nil, closures: ClosedRange<CalendarDate>? = nil) {
        self.openings = openings
        self.closures = closures
    }

    /// Widens the span to a site's dates.
    public mutating func add(opening: CalendarDate?, closure: CalendarDate?) {
        func widen(_ range: inout ClosedRange<CalendarDate>?, _ day: CalendarDate?) {
            guard let day else { return }
            range = range.map { min($0.lowerBound, day)...max($0.upperBound, day) } ?? day...day
        }
        widen(&openings, opening)
        widen(&closures, closure)
    }

    /// From the first day anything changes to the day after the last change, the end excluded;
    /// nil without dates. The first frame is the day before the first closure (when no opening
    /// comes earlier), so that every closure is seen happening; the last frame is the day of the
    /// last change. A change on 9999-12-31 has no day after it: the range then ends on that day.
    public var temporalRange: (start: CalendarDate, endExclusive: CalendarDate)? {
        let firsts = [openings?.lowerBound, closures.map { $0.lowerBound.dayBefore ?? $0.lowerBound }].compactMap { $0 }
        let lasts = [openings?.upperBound, closures?.upperBound].compactMap { $0 }
        guard let start = firsts.min(), let last = lasts.max() else { return nil }
        return (start, last.dayAfter ?? last)
    }
}

extension CalendarDate {
    /// The next day; nil after 9999-12-31, the last day a `CalendarDate` holds.
    var dayAfter: CalendarDate? {
        month == 12 && day == 31 && year >= 9999 ? nil : adding(days: 1)
    }

    /// The previous day; nil before 0001-01-01.
    var dayBefore: CalendarDate? {
        month == 1 && day == 1 && year <= 1 ? nil : adding(days: -1)
    }
}
