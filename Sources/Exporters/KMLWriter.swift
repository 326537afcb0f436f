import FeatureCore
import TextOutput
import Projection

extension ExportFormat {
    /// KML 2.2 for Google Earth; always WGS 84.
    public static let kml = ExportFormat(
        name: "kml", label: "KML", title: "KML 2.2 (Google Earth), always WGS 84", extensions: ["kml"], alwaysWGS84: true,
        fileNames: { base, _ in ["\(base).kml"] },
        makeWriter: { context throws(ExportError) in
            KMLWriter(output: try context.files.textFile("\(context.baseName).kml"), spoolDirectory: context.files.directory)
        })
}

/// KML 2.2, always in WGS 84 longitude/latitude (KML has no other CRS).
///
/// A Document with the layer's title and description (with the legend of its categories), one
/// shared Style per category, a Schema declaring every field, then one Placemark per feature in
/// input order: a valid XML id, the label, the feature's description, a TimeSpan for Google
/// Earth's time slider, the style of its category, the fields as typed SchemaData, and the Point
/// it is handed (the pipeline gives this format WGS 84 points).
///
/// No Folders: GDAL reads each Folder as a layer of its own, so `ogr2ogr` to a single-layer
/// format stopped after the first one, and GeoPandas saw a single phase. With the placemarks
/// straight in the Document, GDAL, GeoPandas and QGIS read one layer with every feature, and its
/// `id` column is the data's id. The category stays visible: each placemark has its category's
/// style (colour and legend) and the category's field in its SchemaData. The placemarks stream
/// straight into the file, so memory stays flat for any input.
///
/// A layer whose metadata names a folder (the events beside the sites) has its placemarks in
/// that one Folder, which GDAL still reads as one layer. An instant (an event's day) is a
/// `<TimeStamp>` with that day.
///
/// Time: `<end>` is the feature's end day at 00:00 UTC, so a feature is shown up to and including
/// the day before it ends, as `--as-of` and the QGIS project do.
public final class KMLWriter: FeatureWriter {
    private let out: OutputBuffer
    @exclusivity(unchecked)
    private var state = WriterState()
    @exclusivity(unchecked)
    private var categories: [FeatureCategory] = []
    /// Each category's style id, made once rather than for every placemark.
    private var styleIDs: [String] = []
    /// `<SimpleData name="...">` for every property, escaped once.
    @exclusivity(unchecked)
    private var openTags: [[UInt8]] = []
    @exclusivity(unchecked)
    private var schemaID = ""
    /// The Folder the placemarks go in (`LayerMetadata.folder`); nil: straight in the Document.
    @exclusivity(unchecked)
    private var folder: String?
    /// What a KMZ adds to the document (icons, folders, a tour); nil for the plain KML.
    private let package: KMZDocument?

    /// `spoolDirectory` is kept for callers that pass it: the writer no longer spools, since it
    /// writes no Folders.
    public init(output: OutputBuffer, spoolDirectory: String = "/tmp") {
        self.out = output
        self.package = nil
    }

    /// The document of a KMZ: `package` places the placemarks and adds its own parts.
    init(output: OutputBuffer, package: KMZDocument) {
        self.out = output
        self.package = package
    }

    public func begin(_ info: LayerInfo) throws(ExportError) {
        state.begin()
        categories = info.metadata.style.allCategories
        styleIDs = categories.map { XMLID.make($0.key, prefix: "__style-") }
        openTags = info.schema.names.map { name in
            let tag = OutputBuffer(sink: MemorySink(), capacity: 64)
            tag.append("<SimpleData name=\"")
            tag.append(xmlEscaped: name)
            tag.append("\">")
            return Array(tag.unflushed)
        }
        schemaID = XMLID.make(info.layerName, prefix: "__schema-")
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\"")
        if package != nil { out.append(" xmlns:gx=\"http://www.google.com/kml/ext/2.2\"") }
        out.append(">\n<Document id=\"")
        out.append(string: XMLID.make(info.layerName, prefix: "__doc-"))
        out.append("\">\n<name>")
        out.append(xmlEscaped: info.title)
        out.append("</name>\n<open>1</open>\n<description>")
        documentDescription(info, into: out)
        out.append("</description>\n")
        for category in categories {
            out.append("<Style id=\"")
            out.append(string: XMLID.make(category.key, prefix: "__style-"))
            out.append("\">")
            iconStyle(category)
            out.append("<LabelStyle><scale>0.9</scale></LabelStyle></Style>\n")
        }
        package?.styles(info, into: out)
        Self.schema(info, id: schemaID, into: out)
        folder = info.metadata.folder
        if let folder {
            out.append("<Folder>\n<name>")
            out.append(xmlEscaped: folder)
            out.append("</name>\n")
        }
        try out.flushForExport()
    }

    public func write<F: Feature>(_ feature: F, point: XY?) throws(ExportError) {
        state.checkWriting()
        let fallback = categories.count - 1
        let phase = feature.categoryIndex.map { $0 >= 0 && $0 < fallback ? $0 : fallback } ?? fallback
        if let package {
            placemark(feature, point: point, category: phase, into: package.placemarkOutput(category: phase))
            try package.wrote(feature, point: point, category: phase)
        } else {
            placemark(feature, point: point, category: phase, into: out)
        }
        try out.flushIfFullForExport()
    }

    public func finish(_ summary: LayerSummary) throws(ExportError) {
        state.finish()
        if folder != nil { out.append("</Folder>\n") }
        try package?.features(into: out)
        out.append("</Document>\n</kml>\n")
        try out.flushForExport()
    }

    /// A plain KML names no icon file: an icon on a web server is not drawn offline (Marble drew
    /// no site at all), and without `<Icon>` Google Earth draws its own pushpin in the
    /// category's colour. A KMZ's icons are in the archive, already in their colours.
    private func iconStyle(_ category: FeatureCategory) {
        if let href = package?.iconHref(category) {
            out.append("<IconStyle><scale>1.1</scale><Icon><href>")
            out.append(xmlEscaped: href)
            out.append("</href></Icon></IconStyle>")
        } else {
            out.append("<IconStyle><color>")
            out.append(string: Self.kmlColor(category.color))
            out.append("</color><scale>1.1</scale></IconStyle>")
        }
    }

    /// KML's `aabbggrr`, opaque, from `#RRGGBB`.
    static func kmlColor(_ hex: String) -> String {
        let h = Array(hex.utf8.dropFirst()).map { Character(Unicode.Scalar($0)) }
        guard h.count == 6 else { return "ff999999" }
        return "ff" + String([h[4], h[5], h[2], h[3], h[0], h[1]]).lowercased()
    }

    private func placemark<F: Feature>(_ feature: F, point: XY?, category: Int, into o: OutputBuffer) {
        o.append("<Placemark id=\"")
        XMLID.appendFeatureID(feature.featureID, to: o)
        o.append("\">\n")
        if let label = feature.label {
            o.append("<name>")
            o.append(xmlEscaped: label)
            o.append("</name>\n")
        }
        if let description = feature.richDescription {
            o.append("<description>")
            HTMLInXML(o).rich(description)
            o.append("</description>\n")
        }
        Self.time(feature.timeSpan, into: o)
        o.append("<styleUrl>#")
        o.append(string: styleIDs[category])
        o.append("</styleUrl>\n<ExtendedData><SchemaData schemaUrl=\"#")
        o.append(string: schemaID)
        o.append("\">")
        openTags.withUnsafeBufferPointer { tags in
            var data = KMLSimpleData(out: o, openTags: tags)
            feature.visitProperties(&data)
        }
        o.append("</SchemaData></ExtendedData>\n")
        if let p = point {
            o.append("<Point><coordinates>")
            o.append(fixed: p.x, decimals: 7)
            o.append(byte: 44)
            o.append(fixed: p.y, decimals: 7)
            o.append("</coordinates></Point>\n")
        }
        o.append("</Placemark>\n")
    }

    /// The `<Schema>` declaring every field (a KMZ repeats it in each category's Document).
    /// A feature's time: `<TimeStamp>` for an instant, else `<TimeSpan>` with its ends at
    /// 00:00 UTC; nothing for a feature without dates. The KMZ writes its circles' times with it.
    static func time(_ span: TimeSpan, into o: OutputBuffer) {
        if span.isInstant, let day = span.begin {
            o.append("<TimeStamp><when>")
            o.append(date: day)
            o.append("</when></TimeStamp>\n")
            return
        }
        guard !span.isEmpty else { return }
        o.append("<TimeSpan>")
        if let begin = span.begin {
            o.append("<begin>")
            o.append(date: begin)
            o.append("T00:00:00Z</begin>")
        }
        if let end = span.end {
            o.append("<end>")
            o.append(date: end)
            o.append("T00:00:00Z</end>")
        }
        o.append("</TimeSpan>\n")
    }

    static func schema(_ info: LayerInfo, id: String, into out: OutputBuffer) {
        out.append("<Schema name=\"")
        out.append(xmlEscaped: info.layerName)
        out.append("\" id=\"")
        out.append(string: id)
        out.append("\">\n")
        for (name, type) in schemaFields(info.schema) {
            out.append("<SimpleField type=\"")
            out.append(type)
            out.append("\" name=\"")
            out.append(xmlEscaped: name)
            out.append("\"/>\n")
        }
        out.append("</Schema>\n")
    }

    /// KML SimpleField types: numbers as int/double, everything else as string.
    private static func schemaFields(_ schema: LayerSchema) -> [(String, StaticString)] {
        func kmlType(_ t: ValueType) -> StaticString {
            switch t {
            case .integer: return "int"
            case .real: return "double"
            default: return "string"
            }
        }
        return schema.fields.map { ($0.name, $0.isBoolean ? "bool" : kmlType($0.type)) }
    }

    /// The document's balloon: the layer's description and the legend of its categories.
    private func documentDescription(_ info: LayerInfo, into o: OutputBuffer) {
        let html = HTMLInXML(o)
        for paragraph in info.metadata.description {
            html.open("p")
            html.text(paragraph)
            html.close("p")
        }
        guard !info.metadata.style.categories.isEmpty else { return }
        html.open("table")
        for category in categories {
            html.open("tr")
            html.open("td")
            o.append("&lt;span style=&quot;color:")
            o.append(string: category.color)
            o.append("&quot;&gt;&amp;#9679;")
            html.close("span")
            html.close("td")
            html.open("td")
            html.text(category.label)
            html.close("td")
            html.close("tr")
        }
        html.close("table")
    }

}

/// Properties as `<SimpleData>` elements; missing values are left out.
private struct KMLSimpleData: PropertySink {
    let out: OutputBuffer
    /// The pre-rendered opening tags, in the order the properties come.
    let openTags: UnsafeBufferPointer<[UInt8]>
    var index = 0

    @inline(__always)
    private mutating func open() {
        // A feature that visits more properties than its layer's schema breaks the Feature
        // contract (a library user's type): stop rather than read past the table.
        precondition(index < openTags.count, "a feature visited more properties than its layer's schema has")
        openTags[index].withUnsafeBufferPointer { out.append($0) }
        index += 1
    }

    @inline(__always)
    private func close() { out.append("</SimpleData>") }

    mutating func null(_ name: String) { index += 1 }
    mutating func text(_ name: String, _ value: String) { open(); out.append(xmlEscaped: value); close() }
    mutating func integer(_ name: String, _ value: Int) { open(); out.append(integer: value); close() }
    mutating func real(_ name: String, _ value: Double, coordinate: Bool) { open(); out.append(real: value, coordinate: coordinate); close() }
    mutating func date(_ name: String, _ value: CalendarDate) { open(); out.append(date: value); close() }
    mutating func list(_ name: String, _ value: [String]) { open(); out.append(xmlEscaped: value.joined(separator: " | ")); close() }
}

/// Writes HTML inside XML text: markup and text are escaped twice in one pass (`<p>` becomes
/// `&lt;p&gt;`, `&` in the text becomes `&amp;amp;`), so no intermediate string is built.
struct HTMLInXML {
    let out: OutputBuffer

    init(_ out: OutputBuffer) { self.out = out }

    func open(_ tag: StaticString) {
        out.append("&lt;")
        out.append(tag)
        out.append("&gt;")
    }

    func close(_ tag: StaticString) {
        out.append("&lt;/")
        out.append(tag)
        out.append("&gt;")
    }

    func lineBreak() { out.append("&lt;br/&gt;") }

    /// Paragraphs of spans.
    func rich(_ text: RichText) {
        for paragraph in text.paragraphs {
            open("p")
            for span in paragraph {
                switch span {
                case .text(let t): self.text(t)
                case .strong(let t):
                    open("b")
                    self.text(t)
                    close("b")
                case .linkedText(let t): linkedText(t)
                case .lineBreak: lineBreak()
                }
            }
            close("p")
        }
    }

    /// Text: HTML escapes (`&`, `<`, `>`, `"`), themselves XML-escaped.
    func text(_ s: String) {
        var s = s
        s.withUTF8 { bytes in
            var start = 0
            for i in 0..<bytes.count {
                let c = bytes[i]
                guard c == 38 || c == 60 || c == 62 || c == 34 || (c < 0x20 && c != 9 && c != 10 && c != 13) else { continue }
                out.append(UnsafeBufferPointer(rebasing: bytes[start..<i]))
                switch c {
                case 38: out.append("&amp;amp;")
                case 60: out.append("&amp;lt;")
                case 62: out.append("&amp;gt;")
                case 34: out.append("&amp;quot;")
                default: out.append("\u{FFFD}")
                }
                start = i + 1
            }
            out.append(UnsafeBufferPointer(rebasing: bytes[start...]))
        }
    }

    /// Text with every http(s) URL in it turned into a link.
    func linkedText(_ s: String) {
        let bytes = Array(s.utf8)
        func startsURL(_ at: Int) -> Bool {
            func has(_ prefix: StaticString) -> Bool {
                let n = prefix.utf8CodeUnitCount
                guard at + n <= bytes.count else { return false }
                return prefix.withUTF8Buffer { p in (0..<n).allSatisfy { bytes[at + $0] == p[$0] } }
            }
            return has("http://") || has("https://")
        }
        func stopsURL(_ b: UInt8) -> Bool {
            b <= 32 || b == UInt8(ascii: ")") || b == UInt8(ascii: "]") || b == UInt8(ascii: ">") || b == UInt8(ascii: ",")
                || b == UInt8(ascii: ";") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")
        }
        var plainStart = 0, i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "h"), startsURL(i) else { i += 1; continue }
            var end = i
            while end < bytes.count, !stopsURL(bytes[end]) { end += 1 }
            // A URL rarely ends with a full stop: leave it outside the link.
            while end > i, bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
            text(String(decoding: bytes[plainStart..<i], as: UTF8.self))
            let url = String(decoding: bytes[i..<end], as: UTF8.self)
            out.append("&lt;a href=&quot;")
            text(url)
            out.append("&quot;&gt;")
            text(url)
            close("a")
            plainStart = end
            i = end
        }
        text(String(decoding: bytes[plainStart...], as: UTF8.self))
    }
}

/// XML ids (NCName) from arbitrary text: ASCII letters, digits, `-` and `.` are kept; `_` is
/// doubled; any other byte becomes `_xHH`. The mapping is one-to-one, so distinct site ids give
/// distinct XML ids.
///
/// A placemark's id is the feature's id itself when that is already an NCName not starting with
/// `_` (GDAL's KML drivers fill their `id` column from it, so the column holds the data's id);
/// any other id becomes `_` and its escaped form. The document's own ids (document, schema,
/// styles) start with `__` and a word, which neither form can produce, so no two ids clash.
enum XMLID {
    static func appendFeatureID(_ text: String, to out: OutputBuffer) {
        if isPlainName(text) { out.append(string: text); return }
        // Written byte by byte into the buffer: most ids ("1", "site 12") need a prefix or an
        // escape, and a String made for each would cost more than the placemark's other text.
        out.append(byte: UInt8(ascii: "_"))
        var text = text
        text.withUTF8 { bytes in
            for b in bytes { escape(b) { out.append(byte: $0) } }
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// The bytes that stand for `b` in an id: ASCII letters, digits, `-` and `.` as they are, `_`
    /// doubled, any other byte as `_x` and two hex digits.
    @inline(__always)
    private static func escape(_ b: UInt8, _ emit: (UInt8) -> Void) {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."):
            emit(b)
        case UInt8(ascii: "_"):
            emit(b)
            emit(b)
        default:
            emit(UInt8(ascii: "_"))
            emit(UInt8(ascii: "x"))
            emit(hexDigits[Int(b >> 4)])
            emit(hexDigits[Int(b & 15)])
        }
    }

    /// An NCName of ASCII letters, digits, `-`, `.` and `_` that starts with a letter.
    static func isPlainName(_ text: String) -> Bool {
        guard let first = text.utf8.first, first >= 97 && first <= 122 || first >= 65 && first <= 90 else { return false }
        return text.utf8.allSatisfy { b in
            b >= 97 && b <= 122 || b >= 65 && b <= 90 || b >= 48 && b <= 57 || b == 45 || b == 46 || b == 95
        }
    }

    static func make(_ text: String, prefix: String) -> String {
        var bytes = Array(prefix.utf8)
        for b in text.utf8 { escape(b) { bytes.append($0) } }
        return String(decoding: bytes, as: UTF8.self)
    }
}
