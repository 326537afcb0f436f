import FeatureCore
import TextOutput
import Projection

extension ExportFormat {
    /// KMZ for Google Earth, working offline; always WGS 84.
    public static let kmz = ExportFormat(
        name: "kmz", label: "KMZ", title: "KMZ (Google Earth, offline): folders by category, icons, legend, uncertainty circles, a tour",
        extensions: ["kmz"], alwaysWGS84: true,
        fileNames: { base, _ in ["\(base).kmz"] },
        makeWriter: { context throws(ExportError) in
            let name = "\(context.baseName).kmz"
            return try KMZWriter(files: context.files, name: name, language: context.options.language)
        })
}

/// A KMZ: a ZIP archive holding `doc.kml` (first, where Google Earth looks for it) and, under
/// `files/`, the pictures it names by relative path, so that nothing is fetched from a server:
/// an icon per category (a disc in its colour) and the legend shown as a `ScreenOverlay`.
///
/// The document is the plain KML's (the same placemarks, styles and schema) with what Google
/// Earth users see and GDAL users need not: the placemarks grouped by category, each group a
/// Document with its copy of the Schema (Google Earth shows it as a folder; GDAL reads each as a
/// layer, which is why the plain KML has no groups: ogr2ogr then converts it whole), a Folder
/// "Uncertainty" of the circles of each position's uncertainty (polygons, with the feature's time
/// span), and a `gx:Tour` that flies to each feature in the order of its end date with the time
/// slider following.
///
/// Memory stays flat for any input: each group's placemarks and the circles are spooled (to
/// unlinked temporary files past a few megabytes), the document is written to a scratch file
/// beside the output (removed when archived, on failure and on SIGINT or SIGTERM), and the
/// tour keeps the first `KMZTour.maximumStops` closures.
public final class KMZWriter: FeatureWriter {
    private let archive: OutputBuffer
    private let path: String
    /// doc.kml, until it is archived; never renamed into place.
    private let scratch: AtomicFile
    private let document: KMZDocument
    private let kml: KMLWriter

    init(files: ExportFiles, name: String, language: Language = .en) throws(ExportError) {
        archive = try files.textFile(name)
        path = files.path(name)
        do { scratch = try AtomicFile(path: FilePath.join(files.directory, ".minusma-kmz-document")) } catch { throw .output(error) }
        document = KMZDocument(spoolDirectory: files.directory, words: KMZWords(language))
        kml = KMLWriter(output: OutputBuffer(sink: scratch), package: document)
    }

    public func begin(_ layer: LayerInfo) throws(ExportError) { try kml.begin(layer) }

    public func write<F: Feature>(_ feature: F, point: XY?) throws(ExportError) { try kml.write(feature, point: point) }

    public func finish(_ summary: LayerSummary) throws(ExportError) {
        try kml.finish(summary)
        let zip = ZipArchive(sink: archive.sink, label: path)
        do {
            try zip.add(name: "doc.kml", contentsOf: scratch.temporaryPath)
            for (name, bytes) in document.pictures() { try zip.add(name: name, bytes: bytes) }
            try zip.finish()
        } catch { throw .output(error) }
        scratch.discard()
    }
}

/// What a KMZ's `doc.kml` adds to the plain KML, handed to the `KMLWriter` that writes it: the
/// icons' paths, the circles' styles, the placemarks kept per category, and at the end the
/// legend, the folders, the circles and the tour.
final class KMZDocument {
    private let spoolDirectory: String
    private var categories: [FeatureCategory] = []
    /// Each category's circle style id, made once rather than for every circle.
    private var circleStyleIDs: [String] = []
    /// Each category's placemarks, buffered into its spool.
    private var folders: [OutputBuffer] = []
    private var spools: [Spool] = []
    private var folderCounts: [Int] = []
    private let circleSpool: Spool
    private let circles: OutputBuffer
    private var circleCount = 0
    private var tour = KMZTour.Stops()
    private var info: LayerInfo?

    private let words: KMZWords

    init(spoolDirectory: String, words: KMZWords) {
        self.spoolDirectory = spoolDirectory
        self.words = words
        circleSpool = Spool(directory: spoolDirectory)
        circles = OutputBuffer(sink: circleSpool, capacity: 1 << 16)
    }

    static func iconPath(_ category: FeatureCategory) -> String { "files/" + XMLID.make(category.key, prefix: "icon-") + ".png" }
    static let legendPath = "files/legend.png"

    func iconHref(_ category: FeatureCategory) -> String? { Self.iconPath(category) }

    /// Called after the category styles: one circle style per category.
    func styles(_ info: LayerInfo, into out: OutputBuffer) {
        self.info = info
        categories = info.metadata.style.allCategories
        circleStyleIDs = categories.map { XMLID.make($0.key, prefix: "__uncertainty-") }
        spools = categories.map { _ in Spool(directory: spoolDirectory) }
        folders = spools.map { OutputBuffer(sink: $0, capacity: 1 << 16) }
        folderCounts = categories.map { _ in 0 }
        for category in categories {
            out.append("<Style id=\"")
            out.append(string: XMLID.make(category.key, prefix: "__uncertainty-"))
            out.append("\"><LineStyle><color>")
            out.append(string: KMLWriter.kmlColor(category.color))
            out.append("</color><width>1.5</width></LineStyle><PolyStyle><color>40")
            out.append(string: String(KMLWriter.kmlColor(category.color).dropFirst(2)))
            out.append("</color></PolyStyle></Style>\n")
        }
    }

    func placemarkOutput(category: Int) -> OutputBuffer {
        folderCounts[category] += 1
        return folders[category]
    }

    func wrote<F: Feature>(_ feature: F, point: XY?, category: Int) throws(ExportError) {
        try folders[category].flushIfFullForExport()
        if let p = point, let end = feature.timeSpan.end {
            tour.add(longitude: p.x, latitude: p.y, end: end)
        }
        if let u = feature.positionUncertainty {
            circle(feature, u, category: category)
            try circles.flushIfFullForExport()
        }
    }

    private func circle<F: Feature>(_ feature: F, _ u: PositionUncertainty, category: Int) {
        let o = circles
        o.append("<Placemark>\n<name>")
        o.append(xmlEscaped: feature.label ?? feature.featureID)
        o.append("</name>\n<description>The position is within about ")
        // Any finite radius a file gives, however large, without an integer conversion.
        o.append(number: u.radiusMetres.rounded())
        o.append(" m of the point.</description>\n")
        KMLWriter.time(feature.timeSpan, into: o)
        o.append("<styleUrl>#")
        o.append(string: circleStyleIDs[category])
        o.append("</styleUrl>\n<Polygon><tessellate>1</tessellate><outerBoundaryIs><LinearRing><coordinates>")
        for (i, p) in UncertaintyCircle.ring(u).enumerated() {
            if i > 0 { o.append(byte: 32) }
            o.append(fixed: p.x, decimals: 7)
            o.append(byte: 44)
            o.append(fixed: p.y, decimals: 7)
        }
        o.append("</coordinates></LinearRing></outerBoundaryIs></Polygon>\n</Placemark>\n")
        circleCount += 1
    }

    /// After the placemarks, before `</Document>`.
    func features(into out: OutputBuffer) throws(ExportError) {
        if hasLegend {
            out.append("<ScreenOverlay id=\"__legend\"><name>")
            out.append(xmlEscaped: words.legend)
            out.append("</name><Icon><href>")
            out.append(string: Self.legendPath)
            out.append("</href></Icon><overlayXY x=\"0\" y=\"0\" xunits=\"fraction\" yunits=\"fraction\"/>")
            out.append("<screenXY x=\"10\" y=\"30\" xunits=\"pixels\" yunits=\"pixels\"/>")
            out.append("<size x=\"0\" y=\"0\" xunits=\"pixels\" yunits=\"pixels\"/></ScreenOverlay>\n")
        }
        // A Document per category rather than a Folder: GDAL's LIBKML driver reads a KMZ's
        // Folders without their fields (it finds no Schema for them), and a Document's own.
        for (i, category) in categories.enumerated() where folderCounts[i] > 0 {
            out.append("<Document id=\"")
            out.append(string: XMLID.make(category.key, prefix: "__group-"))
            out.append("\">\n<name>")
            out.append(xmlEscaped: category.label)
            out.append("</name>\n")
            if let info { KMLWriter.schema(info, id: XMLID.make(info.layerName + "." + category.key, prefix: "__schema-"), into: out) }
            try folders[i].flushForExport()
            do { try spools[i].drain(into: out) } catch { throw .output(error) }
            out.append("</Document>\n")
        }
        if circleCount > 0 {
            out.append("<Folder id=\"__folder-uncertainty\">\n<name>")
            out.append(xmlEscaped: words.uncertainty)
            out.append("</name>\n<description>")
            out.append(xmlEscaped: words.uncertaintyDescription)
            out.append("</description>\n")
            try circles.flushForExport()
            do { try circleSpool.drain(into: out) } catch { throw .output(error) }
            out.append("</Folder>\n")
        }
        tour.write(into: out, title: words.tour)
    }

    /// A legend when the features have categories (a single symbol needs none).
    private var hasLegend: Bool { categories.count > 1 }

    /// The icons, then the legend, as archive entries.
    func pictures() -> [(String, [UInt8])] {
        var out = categories.map { (Self.iconPath($0), KMZPictures.icon(RasterImage.Color(hex: $0.color)).png()) }
        if hasLegend {
            let used = categories.indices.filter { folderCounts[$0] > 0 }.map { categories[$0] }
            out.append((Self.legendPath, KMZPictures.legend(title: info?.metadata.style.title, used, circleLabel: circleCount > 0 ? words.circleLabel : nil).png()))
        }
        return out
    }
}

/// The words a KMZ adds of its own, in the export's language.
struct KMZWords {
    let legend, uncertainty, uncertaintyDescription, tour, circleLabel: String

    init(_ language: Language) {
        switch language {
        case .en:
            legend = "Legend"
            uncertainty = "Uncertainty"
            uncertaintyDescription = "Circles of the radius of each position's uncertainty, computed on the WGS 84 ellipsoid."
            tour = "Closures in date order"
            circleLabel = "Uncertainty of the position"
        case .fr:
            legend = "Légende"
            uncertainty = "Incertitude"
            uncertaintyDescription = "Cercles dont le rayon est l’incertitude de chaque position, calculés sur l’ellipsoïde WGS 84."
            tour = "Les fermetures dans l’ordre des dates"
            circleLabel = "Incertitude de la position"
        }
    }
}
