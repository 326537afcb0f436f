import Cartography
import Gazetteer
import Projection
import TextOutput

/// How the map is drawn.
public struct MapOptions: Sendable {
    public enum ColorBy: String, CaseIterable, Sendable {
        /// A sequential palette from the first closure (dark) to the last (light).
        case date
        /// One colour per withdrawal phase, as in the KML and the QGIS style.
        case phase
    }

    /// Lambert conformal conic on Mali (standard parallels 12°N and 22°N, centred on 17.5°N 4°W):
    /// conformal, so shapes are true, with a scale error under 1 % over the whole country.
    public static let defaultCRS = "+proj=lcc +lat_0=17.5 +lon_0=-4 +lat_1=12 +lat_2=22 +datum=WGS84 +units=m +no_defs +type=crs"

    public var colorBy: ColorBy
    public var crs: String
    /// The title, credits and notes, and the language of every word; nil gives neutral English
    /// ones from the source's file name.
    public var wording: MapWording?
    /// The events at the sites (the built-in data's Data/events.csv; none for a user's file): who
    /// took each camp after it closed is marked by the site, attacks on the timeline strip.
    public var events: [SiteEvent]

    public init(colorBy: ColorBy = .date, crs: String = MapOptions.defaultCRS, wording: MapWording? = nil,
                events: [SiteEvent] = []) {
        self.colorBy = colorBy
        self.crs = crs
        self.wording = wording
        self.events = events
    }
}

/// The SVG map of the withdrawal: Mali, its regions and neighbours, the sites coloured by closure
/// date (or phase) with their names and dates, a legend, a scale bar, a graticule, the CRS and the
/// sources; under it, a timeline strip with a mark per closure, the phases, and the number of sites
/// still open. Everything that does not depend on the day shown is projected and placed once, so
/// drawing many frames is cheap.
public final class WithdrawalMapRenderer {
    public static let pageWidth = 1200.0
    static let margin = 24.0
    static let headerHeight = 92.0
    static let mapWidth = 820.0
    static let stripHeight = 200.0
    static let symbolRadius = 6.5
    /// The legend needs this much height beside the map even when a projection makes the map flat.
    static let minimumBodyHeight = 420.0

    public let frame: MapFrame
    public let pageHeight: Double
    let options: MapOptions
    let sites: [Site]
    let source: String
    let base: ProjectedBase
    let wording: MapWording
    /// The map's own words, in the wording's language.
    let words: MapText
    /// Who took each site after its closure, and the attacks, from `options.events`.
    let aftermath: Aftermath
    /// The first and last closure dates; nil when no site has one.
    let closureSpan: ClosedRange<CalendarDate>?
    /// The timeline strip's range and ticks; nil when no site has a closure date.
    let timeAxis: TimeAxis?
    /// The bottom of the map and the legend beside it; the timeline strip starts below.
    let bodyBottom: Double
    /// The credit lines at the foot of the page, wrapped to its width.
    let creditLines: [String]

    // Drawn once.
    private var basemapSVG = ""
    private(set) var siteLabels: [(site: Site, point: (Double, Double), placement: LabelPlacer.Placement?)] = []
    /// Where each site's row of takeover symbols starts (left edge, centre line), by site id.
    private(set) var takeoverRows: [String: (x: Double, y: Double)] = [:]
    private var scaleBarSVG = ""
    private var regionLabelsSVG = ""

    /// `sites` in closure order; `source` names the data for the credit line.
    public init(sites: [Site], source: String, options: MapOptions) throws {
        self.options = options
        self.source = source
        self.sites = sites
        wording = options.wording ?? .neutral(source: source)
        words = MapText(wording.language)
        aftermath = Aftermath(events: options.events, sites: sites)
        let closures = sites.compactMap(\.closureDate)
        closureSpan = closures.min().flatMap { first in closures.max().map { first...$0 } }
        timeAxis = TimeAxis(closures: closures, fixedStart: wording.timelineStart,
                            width: Self.pageWidth - 2 * Self.margin - 56, language: wording.language)
        base = try ProjectedBase(definition: options.crs)

        // The extent: Mali's outline and every site, with a margin.
        let outline = Basemap.maliOutline()
        var box = BoxAccumulator()
        for f in outline.features { for p in f.polygons { for (x, y) in try base.project(p[0]) { box.add(x: x, y: y) } } }
        for (x, y) in try base.project(sites.compactMap(\.position)) { box.add(x: x, y: y) }
        let padX = (box.maxX - box.minX) * 0.05, padY = (box.maxY - box.minY) * 0.05
        frame = MapFrame(extent: (box.minX - padX, box.minY - padY, box.maxX + padX, box.maxY + padY),
                         left: Self.margin, top: Self.headerHeight, width: Self.mapWidth)
        bodyBottom = frame.top + max(frame.height, Self.minimumBodyHeight)
        creditLines = Self.credits(wording: wording, words: words, crs: options.crs, crsName: base.crsName)
        pageHeight = (bodyBottom + 36 + Self.stripHeight + 70 + 16 * Double(max(0, creditLines.count - 2))).rounded()
        try prepareBasemap(outline: outline)
        try placeLabels()
        prepareScaleBar()
    }

    // MARK: - Once per map

    private func pixels(_ ring: [GeoPosition]) throws -> [(Double, Double)] {
        try base.project(ring).map { frame.pixel(x: $0.0, y: $0.1) }
    }

    private func prepareBasemap(outline: BasemapLayer) throws {
        let f = frame
        var s = "<clipPath id=\"map-clip\"><rect x=\"\(SVG.n(f.left))\" y=\"\(SVG.n(f.top))\" width=\"\(SVG.n(f.width))\" height=\"\(SVG.n(f.height))\"/></clipPath>\n"
        s += "<g clip-path=\"url(#map-clip)\">\n"
        s += "<rect x=\"\(SVG.n(f.left))\" y=\"\(SVG.n(f.top))\" width=\"\(SVG.n(f.width))\" height=\"\(SVG.n(f.height))\" fill=\"#e9e9e5\"/>\n"
        let neighbours = Basemap.neighbours()
        var countryNames = ""
        for feature in neighbours.features {
            let rings = try feature.polygons.flatMap { try $0.map(pixels) }
            s += "<path d=\"\(SVG.path(rings))\" fill=\"#e3e3e0\" stroke=\"#b9b9b4\" stroke-width=\"0.7\" fill-rule=\"evenodd\"/>\n"
            // The name at a fixed point well inside the country, if the frame shows it.
            if let iso = feature.text("iso_a3"), let anchor = Self.countryAnchors[iso],
               let name = (wording.language == .fr ? feature.text("name_fr") : nil) ?? feature.text("name"),
               let p = try pixels([anchor]).first, f.contains(p, margin: 40) {
                countryNames += "<text x=\"\(SVG.n(p.0))\" y=\"\(SVG.n(p.1))\" text-anchor=\"middle\" font-size=\"13\" letter-spacing=\"2\" fill=\"#9a9a94\">\(SVG.text(name.uppercased()))</text>\n"
            }
        }
        s += try graticule()
        for feature in outline.features {
            let rings = try feature.polygons.flatMap { try $0.map(pixels) }
            s += "<path d=\"\(SVG.path(rings))\" fill=\"#fbf7ee\" stroke=\"none\" fill-rule=\"evenodd\"/>\n"
        }
        let regions = Basemap.maliRegions()
        for feature in regions.features {
            let rings = try feature.polygons.flatMap { try $0.map(pixels) }
            s += "<path d=\"\(SVG.path(rings))\" fill=\"none\" stroke=\"#b5aea0\" stroke-width=\"0.7\" stroke-dasharray=\"3 2\"/>\n"
            if let name = feature.text("name"), let biggest = rings.max(by: { $0.count < $1.count }) {
                regionAnchors.append((name, Self.centroid(biggest)))
            }
        }
        for feature in outline.features {
            let rings = try feature.polygons.flatMap { try $0.map(pixels) }
            s += "<path d=\"\(SVG.path(rings))\" fill=\"none\" stroke=\"#4d4d4d\" stroke-width=\"1.3\"/>\n"
        }
        s += countryNames
        s += "</g>\n"
        basemapSVG = s
    }

    /// Region names and the centroids they are drawn at (moved off the sites when needed).
    private var regionAnchors: [(String, (Double, Double))] = []

    /// Where each neighbour's name goes (longitude, latitude): inside the country, near Mali.
    static let countryAnchors: [String: GeoPosition] = [
        "DZA": GeoPosition(longitude: 1.5, latitude: 23.6), "MRT": GeoPosition(longitude: -9.2, latitude: 19.8),
        "NER": GeoPosition(longitude: 3.6, latitude: 14.2), "BFA": GeoPosition(longitude: -1.6, latitude: 12.4),
        "CIV": GeoPosition(longitude: -5.6, latitude: 9.3), "GIN": GeoPosition(longitude: -10.4, latitude: 10.9),
        "SEN": GeoPosition(longitude: -13.1, latitude: 14.3),
    ]

    /// Area-weighted centroid of a ring in pixels.
    static func centroid(_ ring: [(Double, Double)]) -> (Double, Double) {
        var a = 0.0, cx = 0.0, cy = 0.0
        for i in 0..<ring.count {
            let (x0, y0) = ring[i], (x1, y1) = ring[(i + 1) % ring.count]
            let cross = x0 * y1 - x1 * y0
            a += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        }
        guard abs(a) > 1e-9 else { return ring.first ?? (0, 0) }
        return (cx / (3 * a), cy / (3 * a))
    }

    /// Meridians and parallels every 2 degrees, with their labels on the frame's left and bottom.
    private func graticule() throws -> String {
        var lines: [[(Double, Double)]] = []
        var labels = ""
        for lon in stride(from: -16, through: 8, by: 2) {
            let ring = stride(from: 4.0, through: 30.0, by: 0.25).map { GeoPosition(longitude: Double(lon), latitude: $0) }
            let px = try pixels(ring)
            lines.append(px)
            // Labelled where the meridian meets the top of the frame.
            if let top = px.first(where: { $0.1 >= frame.top && $0.1 <= frame.top + frame.height }), top.0 > frame.left + 30, top.0 < frame.left + frame.width - 30 {
                let label = words.longitude(lon)
                labels += "<text x=\"\(SVG.n(top.0 + 3))\" y=\"\(SVG.n(frame.top + 11))\" font-size=\"9\" fill=\"#8d99a6\">\(label)</text>\n"
            }
        }
        for lat in stride(from: 6, through: 28, by: 2) {
            let ring = stride(from: -18.0, through: 10.0, by: 0.25).map { GeoPosition(longitude: $0, latitude: Double(lat)) }
            let px = try pixels(ring)
            lines.append(px)
            if let left = px.first(where: { $0.0 >= frame.left }), left.1 > frame.top + 14, left.1 < frame.top + frame.height - 20 {
                labels += "<text x=\"\(SVG.n(frame.left + 4))\" y=\"\(SVG.n(left.1 - 3))\" font-size=\"9\" fill=\"#8d99a6\">\(lat)°N</text>\n"
            }
        }
        return "<path d=\"\(SVG.path(lines, tolerance: 0.3, closed: false))\" fill=\"none\" stroke=\"#c8d1da\" stroke-width=\"0.5\"/>\n" + labels
    }

    /// The label of a site on the map: its name without parentheses, and its closure date.
    static func label(_ site: Site, _ words: MapText = MapText(.en)) -> (name: String, date: String) {
        var name = site.name
        if let paren = name.firstIndex(of: "(") { name = String(name[..<paren]).trimmingSpaces }
        return (name, site.closureDate.map(words.short) ?? words.notClosed)
    }

    private func placeLabels() throws {
        let f = frame
        var placer = LabelPlacer(frame: LabelPlacer.Box(x: f.left, y: f.top, w: f.width, h: f.height))
        let positioned = sites.filter { $0.position != nil }
        let points = try base.project(positioned.compactMap(\.position)).map { f.pixel(x: $0.0, y: $0.1) }
        let r = Self.symbolRadius
        for p in points { placer.reserve(LabelPlacer.Box(x: p.0 - r, y: p.1 - r, w: 2 * r, h: 2 * r)) }
        // The scale bar's corner stays clear.
        placer.reserve(LabelPlacer.Box(x: f.left, y: f.top + f.height - 52, w: 250, h: 52))
        // The date readout's box stays clear too (drawn on the maps of one day and the animated map).
        placer.reserve(readoutBox)
        // What followed each closure sits right by its site, before any label takes the room.
        placeTakeoverRows(positioned, points: points, placer: &placer)
        // Site labels first, the most crowded sites first (they have the fewest free places);
        // ties in closure order, so the placement is always the same.
        let neighbours = points.map { p in points.filter { q in abs(q.0 - p.0) < 80 && abs(q.1 - p.1) < 60 }.count }
        let order = positioned.indices.sorted { (neighbours[$0], -$0) > (neighbours[$1], -$1) }
        var placements: [Int: LabelPlacer.Placement] = [:]
        for i in order {
            let (name, date) = Self.label(positioned[i], words)
            let w = max(SVG.width(name, size: 12.5, bold: true), SVG.width(date, size: 11)) + 6
            placements[i] = placer.place(point: points[i], w: w, h: 30, radius: r)
        }
        for i in positioned.indices { siteLabels.append((positioned[i], points[i], placements[i])) }

        // Region names where they fit: nudged up or down off sites and their labels, else left out.
        let symbols = points.map { LabelPlacer.Box(x: $0.0 - r, y: $0.1 - r, w: 2 * r, h: 2 * r) }
        var regionLabels = ""
        for (name, (cx, cy)) in regionAnchors {
            let w = SVG.width(name, size: 11)
            for dy in [0.0, 14, -14, 28, -28] {
                let box = LabelPlacer.Box(x: cx - w / 2, y: cy + dy - 10, w: w, h: 13)
                guard !symbols.contains(where: { $0.overlaps(box, padding: 3) }),
                      !placer.obstacles.contains(where: { $0.overlaps(box, padding: 1) }) else { continue }
                placer.reserve(box)
                regionLabels += "<text x=\"\(SVG.n(cx))\" y=\"\(SVG.n(cy + dy))\" text-anchor=\"middle\" font-size=\"11\" font-style=\"italic\" fill=\"#a39a86\">\(SVG.text(name))</text>\n"
                break
            }
        }
        regionLabelsSVG = regionLabels
    }

    /// A row of symbols by each site that someone took after its closure: left of the symbol,
    /// else below, above or right, wherever it covers no other site.
    private func placeTakeoverRows(_ sites: [Site], points: [(Double, Double)], placer: inout LabelPlacer) {
        let r = Self.symbolRadius, size = TakeoverSymbol.size
        let symbols = points.map { LabelPlacer.Box(x: $0.0 - r, y: $0.1 - r, w: 2 * r, h: 2 * r) }
        var rows: [LabelPlacer.Box] = []
        for (site, p) in zip(sites, points) {
            let count = aftermath.takeovers(of: site, on: nil).count
            guard count > 0 else { continue }
            let w = TakeoverSymbol.rowWidth(count)
            let candidates = [(p.0 - r - 3 - w, p.1 - size / 2), (p.0 - w / 2, p.1 + r + 3),
                              (p.0 - w / 2, p.1 - r - 3 - size), (p.0 + r + 3, p.1 - size / 2)]
            let boxes = candidates.map { LabelPlacer.Box(x: $0.0, y: $0.1, w: w, h: size) }
            let free = boxes.first { box in
                !symbols.contains { $0.overlaps(box, padding: 1) } && !rows.contains { $0.overlaps(box, padding: 1) }
            } ?? boxes[0]
            rows.append(free)
            placer.reserve(free)
            takeoverRows[site.id] = (free.x, free.y + size / 2)
        }
    }

    /// The site's takeover symbols known on `asOf`, in date order from left to right; animated,
    /// each appears on its day.
    private func appendTakeovers(_ out: OutputBuffer, site: Site, asOf: CalendarDate?, animated: Bool) {
        guard let row = takeoverRows[site.id] else { return }
        let takeovers = aftermath.takeovers(of: site, on: asOf)
        guard !takeovers.isEmpty else { return }
        out.append(string: "<g class=\"takeover-mark\" id=\"takeover-\(SVG.text(site.id))\">")
        for (i, t) in takeovers.enumerated() {
            let x = row.x + TakeoverSymbol.size / 2 + Double(i) * (TakeoverSymbol.size + TakeoverSymbol.gap)
            guard animated else {
                out.append(string: TakeoverSymbol.svg(t.taker, x: x, y: row.y))
                continue
            }
            let at = min(1, max(0, seconds(t.date) / animationDuration))
            out.append(string: "<g><animate attributeName=\"opacity\" values=\"0;1\" keyTimes=\"0;\(Formatting.fixed(at, decimals: 4))\" calcMode=\"discrete\" dur=\"\(SVG.n(animationDuration))s\" repeatCount=\"indefinite\"/>")
            out.append(string: TakeoverSymbol.svg(t.taker, x: x, y: row.y) + "</g>")
        }
        out.append(string: "</g>")
    }

    /// A 0-100-200 km bar (or what fits), measured at the map's centre on the ellipsoid.
    private func prepareScaleBar() {
        let centre = GeoPosition(longitude: -4, latitude: 17.5)
        let east = GeoPosition(longitude: -3, latitude: 17.5)
        guard let projected = try? base.project([centre, east]) else { return }
        let metres = Geodesic.inverse(fromLongitude: centre.longitude, latitude: centre.latitude,
                                      toLongitude: east.longitude, latitude: east.latitude).distanceMetres
        let pixelsPerMetre = abs(projected[1].0 - projected[0].0) * frame.scale / metres
        let km = [500.0, 400, 300, 200, 100].first { $0 * 1000 * pixelsPerMetre <= 210 } ?? 100
        let length = km * 1000 * pixelsPerMetre
        let x = frame.left + 16, y = frame.top + frame.height - 22
        var s = "<g font-size=\"10\" fill=\"#333\">\n"
        s += "<rect x=\"\(SVG.n(x - 6))\" y=\"\(SVG.n(y - 20))\" width=\"\(SVG.n(length + 40))\" height=\"34\" fill=\"#ffffff\" fill-opacity=\"0.75\"/>\n"
        s += "<rect x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" width=\"\(SVG.n(length / 2))\" height=\"5\" fill=\"#333\"/>\n"
        s += "<rect x=\"\(SVG.n(x + length / 2))\" y=\"\(SVG.n(y))\" width=\"\(SVG.n(length / 2))\" height=\"5\" fill=\"#fff\" stroke=\"#333\" stroke-width=\"0.8\"/>\n"
        s += "<text x=\"\(SVG.n(x))\" y=\"\(SVG.n(y - 4))\" text-anchor=\"middle\">0</text>\n"
        s += "<text x=\"\(SVG.n(x + length / 2))\" y=\"\(SVG.n(y - 4))\" text-anchor=\"middle\">\(Int(km / 2))</text>\n"
        s += "<text x=\"\(SVG.n(x + length))\" y=\"\(SVG.n(y - 4))\" text-anchor=\"middle\">\(Int(km)) km</text>\n"
        s += "</g>\n"
        scaleBarSVG = s
    }

    // MARK: - Per picture

    /// The site's colour.
    func color(_ site: Site) -> String {
        switch options.colorBy {
        case .phase: return PhasePalette.hex(site.phase)
        case .date:
            // By the rank of its closure day among the distinct closure days: the 2023 closures are
            // weeks apart and the last two months apart, and a linear time scale would give eleven
            // sites nearly the same colour. Sites that closed the same day share a colour.
            guard let d = site.closureDate, let rank = closureDays.firstIndex(of: d) else { return "#999999" }
            return DatePalette.hex(at: closureDays.count > 1 ? Double(rank) / Double(closureDays.count - 1) : 0)
        }
    }

    /// The distinct closure days, in order.
    private var closureDays: [CalendarDate] { Array(Set(sites.compactMap(\.closureDate))).sorted() }

    /// The map of the whole withdrawal (`asOf` nil), or of one day: sites closed by then are drawn
    /// as grey rings. `animated` adds SMIL animation (no script): the sites fade at their closure
    /// dates while a cursor runs along the timeline, 1 second per month, looping.
    public func svg(asOf: CalendarDate? = nil, animated: Bool = false) -> String {
        let out = OutputBuffer(sink: MemorySink(), capacity: 1 << 18)
        let w = Self.pageWidth, h = pageHeight
        let open = asOf.map { day in sites.filter { $0.isOpen(on: day) }.count }
        out.append(string: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        out.append(string: "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" font-family=\"DejaVu Sans, Verdana, sans-serif\">\n")
        let title = asOf.map(wording.dayTitle) ?? wording.title
        out.append(string: "<title>\(SVG.text(title))</title>\n")
        // The projection and the pixel transform, so that positions can be checked:
        // pixel_x = left + (x - minX) * scale, pixel_y = top + (maxY - y) * scale.
        out.append(string: "<metadata id=\"map-transform\">{\"crs\":\(Formatting.jsonString(options.crs)),\"left\":\(frame.left),\"top\":\(frame.top),\"width\":\(frame.width),\"height\":\(frame.height),\"minX\":\(frame.minX),\"maxY\":\(frame.maxY),\"scale\":\(frame.scale)}</metadata>\n")
        out.append(string: "<rect width=\"\(Int(w))\" height=\"\(Int(h))\" fill=\"#ffffff\"/>\n")

        // Title and subtitle.
        let lineWidth = w - 2 * Self.margin
        let titleSize = Self.fittingSize(title, width: lineWidth, size: 26, minimum: 16, bold: true)
        let shownTitle = SVG.fitting(title, width: lineWidth, size: titleSize, bold: true)
        out.append(string: "<text x=\"\(SVG.n(Self.margin))\" y=\"44\" font-size=\"\(SVG.n(titleSize))\" font-weight=\"bold\" fill=\"#1d1d1d\">\(SVG.text(shownTitle))</text>\n")
        var subtitle = summary
        if let asOf, let open {
            subtitle = words.openOn(open, of: sites.count, day: asOf, closed: sites.count - open)
        }
        out.append(string: "<text x=\"\(SVG.n(Self.margin))\" y=\"72\" font-size=\"15\" fill=\"#4a4a4a\">\(SVG.text(SVG.fitting(subtitle, width: lineWidth, size: 15)))</text>\n")

        out.append(string: basemapSVG)
        out.append(string: regionLabelsSVG)
        out.append(string: scaleBarSVG)
        appendSites(out, asOf: asOf, animated: animated)
        appendDateReadout(out, asOf: asOf, animated: animated)
        out.append(string: "<rect x=\"\(SVG.n(frame.left))\" y=\"\(SVG.n(frame.top))\" width=\"\(SVG.n(frame.width))\" height=\"\(SVG.n(frame.height))\" fill=\"none\" stroke=\"#7a7a7a\" stroke-width=\"1\"/>\n")
        appendLegend(out, asOf: asOf)
        appendTimeline(out, asOf: asOf, animated: animated)
        appendCredits(out)
        out.append(string: "</svg>\n")
        return out.string
    }

    /// What the data holds, in words that claim nothing else: how many sites, when they closed,
    /// how many cannot be drawn.
    var summary: String {
        let closed = sites.filter { $0.closureDate != nil }.count
        var s: String
        if let span = closureSpan {
            let range = words.closedBetween(span)
            s = closed == sites.count ? words.allClosed(sites.count, range) : words.someClosed(sites.count, closed: closed, range)
        } else {
            s = words.noneClosed(sites.count)
        }
        let unplaced = sites.filter { $0.position == nil }.count
        if unplaced > 0 { s += words.unplaced(unplaced) }
        return s
    }

    /// The largest size up to `size` at which `text` fits in `width`, not below `minimum`.
    static func fittingSize(_ text: String, width: Double, size: Double, minimum: Double, bold: Bool = false) -> Double {
        let natural = SVG.width(text, size: size, bold: bold)
        guard natural > width else { return size }
        return max(minimum, (size * width / natural * 2).rounded(.down) / 2)
    }

    /// Animation clock: seconds from the strip's start, one second per 30.44 days (a month), or
    /// two minutes in all for spans over ten years.
    func seconds(_ d: CalendarDate) -> Double {
        guard let axis = timeAxis else { return 0 }
        let days = Double(axis.start.days(to: d))
        return axis.days > 3653 ? days / Double(axis.days) * 120 : days / 30.44
    }

    var animationDuration: Double { timeAxis.map { seconds($0.end) } ?? 1 }

    /// The first day of the timeline strip (and of `--frames`); nil without closure dates.
    public var timelineStart: CalendarDate? { timeAxis?.start }

    private func appendSites(_ out: OutputBuffer, asOf: CalendarDate?, animated: Bool) {
        let r = Self.symbolRadius
        out.append(string: "<g id=\"sites\">\n")
        for (site, p, placement) in siteLabels {
            let closed = asOf.map { !site.isOpen(on: $0) } ?? false
            if let placement, let leader = placement.leader {
                out.append(string: "<line x1=\"\(SVG.n(leader.0))\" y1=\"\(SVG.n(leader.1))\" x2=\"\(SVG.n(leader.2))\" y2=\"\(SVG.n(leader.3))\" stroke=\"#6b6b6b\" stroke-width=\"0.8\"/>\n")
            }
            out.append(string: "<g id=\"site-\(SVG.text(site.id))\">")
            if closed {
                out.append(string: "<circle cx=\"\(SVG.n(p.0))\" cy=\"\(SVG.n(p.1))\" r=\"\(SVG.n(r - 1))\" fill=\"#ffffff\" stroke=\"#9a9a9a\" stroke-width=\"1.6\"/>")
            } else {
                out.append(string: "<circle cx=\"\(SVG.n(p.0))\" cy=\"\(SVG.n(p.1))\" r=\"\(SVG.n(r))\" fill=\"\(color(site))\" stroke=\"#1f1f1f\" stroke-width=\"1.2\">")
                if animated, let closure = site.closureDate {
                    let t = min(1, max(0, seconds(closure) / animationDuration))
                    out.append(string: "<animate attributeName=\"fill-opacity\" values=\"1;0.12\" keyTimes=\"0;\(Formatting.fixed(t, decimals: 4))\" calcMode=\"discrete\" dur=\"\(SVG.n(animationDuration))s\" repeatCount=\"indefinite\"/>")
                }
                out.append(string: "</circle>")
            }
            appendTakeovers(out, site: site, asOf: asOf, animated: animated)
            if let placement {
                let (name, date) = Self.label(site, words)
                let b = placement.box
                let x = placement.alignRight ? b.x + b.w - 3 : b.x + 3
                let anchor = placement.alignRight ? " text-anchor=\"end\"" : ""
                let fill = closed ? "#8a8a8a" : "#1d1d1d"
                out.append(string: "<text x=\"\(SVG.n(x))\" y=\"\(SVG.n(b.y + 12.5))\"\(anchor) font-size=\"12.5\" font-weight=\"bold\" fill=\"\(fill)\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">\(SVG.text(name))</text>")
                out.append(string: "<text x=\"\(SVG.n(x))\" y=\"\(SVG.n(b.y + 26))\"\(anchor) font-size=\"11\" fill=\"\(closed ? "#8a8a8a" : "#454545")\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">\(SVG.text(date))</text>")
            }
            out.append(string: "</g>\n")
        }
        out.append(string: "</g>\n")
    }

    /// The projection, then who the data and the base map come from, wrapped to the page.
    static func credits(wording: MapWording, words: MapText, crs: String, crsName: String) -> [String] {
        let other = crsName.isEmpty || crsName == "unknown" ? crs : "\(crsName) (\(crs))"
        return [words.projection(defaultLCC: crs == MapOptions.defaultCRS, other: other)].flatMap { wrap($0, width: pageWidth - 2 * margin, size: 11) }
            + wrap(wording.creditLine, width: pageWidth - 2 * margin, size: 11)
    }

    private func appendCredits(_ out: OutputBuffer) {
        let y = pageHeight - 24 - 16 * Double(creditLines.count - 1)
        for (i, line) in creditLines.enumerated() {
            out.append(string: "<text x=\"\(SVG.n(Self.margin))\" y=\"\(SVG.n(y + Double(i) * 16))\" font-size=\"11\" fill=\"#555555\">\(SVG.text(line))</text>\n")
        }
    }
}
