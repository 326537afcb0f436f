import Cartography
import Gazetteer
import TextOutput
import Projection

/// KML 2.2, always in WGS 84 longitude/latitude (KML has no other CRS).
///
/// A Document with a title and a description (source, date, legend), one shared Style per
/// withdrawal phase, a Schema declaring every field, then a Folder per phase holding one
/// Placemark per site: a valid XML id, the name, a readable description (closure, coordinate
/// uncertainty, sources as links), a TimeSpan whose end is the closure day (and whose begin is
/// the opening day when known) for Google Earth's time slider, the fields as typed SchemaData, and
/// the Point.
///
/// Time: `<end>` is the closure day at 00:00 UTC (Mali's local time is UTC all year), so a site
/// is shown up to and including the day before it closed, as `--as-of` and the QGIS project do.
///
/// Folders follow the order in which phases first appear in the input (phase order for the
/// built-in data). The first folder's placemarks stream straight into the file; the others are
/// spooled and appended at the end, so memory stays flat for any input.
public final class KMLWriter: FeatureWriter {
    private let out: OutputBuffer
    private let spoolDirectory: String
    @exclusivity(unchecked)
    private var state = WriterState()
    /// Copied out of `info` once: read for every placemark.
    @exclusivity(unchecked)
    private var schema = GazetteerSchema(fields: [])
    /// `<SimpleData name="...">` for every property, escaped once.
    @exclusivity(unchecked)
    private var openTags: [[UInt8]] = []
    @exclusivity(unchecked)
    private var schemaID = ""
    /// Folder order, and the spooled placemarks of every folder but the first.
    @exclusivity(unchecked)
    private var groups: [Phase?] = []
    @exclusivity(unchecked)
    private var spools: [Phase?: (Spool, OutputBuffer)] = [:]

    /// `spoolDirectory` holds temporary files when phases are interleaved in large inputs.
    public init(output: OutputBuffer, spoolDirectory: String = "/tmp") {
        self.out = output
        self.spoolDirectory = spoolDirectory
    }

    public func begin(_ info: CollectionInfo) throws(ExportError) {
        state.begin()
        schema = info.schema
        openTags = info.schema.propertyNames.map { name in
            let tag = OutputBuffer(sink: MemorySink(), capacity: 64)
            tag.append("<SimpleData name=\"")
            tag.append(xmlEscaped: name)
            tag.append("\">")
            return Array(tag.unflushed)
        }
        schemaID = XMLID.make(info.layerName, prefix: "schema-")
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document id=\"")
        out.append(string: XMLID.make(info.layerName, prefix: "doc-"))
        out.append("\">\n<name>")
        out.append(xmlEscaped: info.title)
        out.append("</name>\n<open>1</open>\n<description>")
        documentDescription(info, into: out)
        out.append("</description>\n")
        for phase in PhasePalette.legendOrder {
            out.append("<Style id=\"")
            out.append(PhasePalette.key(phase))
            out.append("\"><IconStyle><color>")
            out.append(string: PhasePalette.kml(phase))
            out.append("</color><scale>1.1</scale><Icon><href>https://maps.google.com/mapfiles/kml/shapes/placemark_circle.png</href></Icon></IconStyle><LabelStyle><scale>0.9</scale></LabelStyle></Style>\n")
        }
        out.append("<Schema name=\"")
        out.append(xmlEscaped: info.layerName)
        out.append("\" id=\"")
        out.append(string: schemaID)
        out.append("\">\n")
        for (name, type) in schemaFields(info.schema) {
            out.append("<SimpleField type=\"")
            out.append(type)
            out.append("\" name=\"")
            out.append(xmlEscaped: name)
            out.append("\"/>\n")
        }
        out.append("</Schema>\n")
        try out.flushForExport()
    }

    public func write(_ site: Site, point: XY?) throws(ExportError) {
        state.checkWriting()
        let phase = site.phase
        let target: OutputBuffer
        if groups.isEmpty {
            groups.append(phase)
            openFolder(phase, in: out)
            target = out
        } else if phase == groups[0] {
            target = out
        } else if let (_, buffer) = spools[phase] {
            target = buffer
        } else {
            let spool = Spool(directory: spoolDirectory)
            let buffer = OutputBuffer(sink: spool, capacity: 1 << 16)
            spools[phase] = (spool, buffer)
            groups.append(phase)
            openFolder(phase, in: buffer)
            target = buffer
        }
        placemark(site, into: target)
        do { try target.flushIfFull() } catch { throw .output(error) }
    }

    public func finish(_ summary: CollectionSummary) throws(ExportError) {
        state.finish()
        if !groups.isEmpty { out.append("</Folder>\n") }
        do {
            for phase in groups.dropFirst() {
                let (spool, buffer) = spools[phase]!
                buffer.append("</Folder>\n")
                try buffer.flush()
                try out.flush()
                try spool.drain(into: out)
            }
        } catch { throw .output(error) }
        spools = [:]
        out.append("</Document>\n</kml>\n")
        try out.flushForExport()
    }

    private func openFolder(_ phase: Phase?, in buffer: OutputBuffer) {
        buffer.append("<Folder id=\"folder-")
        buffer.append(PhasePalette.key(phase))
        buffer.append("\">\n<name>")
        buffer.append(xmlEscaped: phase.map { $0.summary } ?? "Sites without a withdrawal phase")
        buffer.append("</name>\n")
    }

    private func placemark(_ site: Site, into o: OutputBuffer) {
        o.append("<Placemark id=\"")
        XMLID.append(site.id, prefix: "site-", to: o)
        o.append("\">\n<name>")
        o.append(xmlEscaped: site.name)
        o.append("</name>\n")
        if Self.hasStory(site) {
            o.append("<description>")
            placemarkDescription(site, into: o)
            o.append("</description>\n")
        }
        if site.openingDate != nil || site.closureDate != nil {
            o.append("<TimeSpan>")
            if let begin = site.openingDate {
                o.append("<begin>")
                o.append(date: begin)
                o.append("T00:00:00Z</begin>")
            }
            if let end = site.closureDate {
                o.append("<end>")
                o.append(date: end)
                o.append("T00:00:00Z</end>")
            }
            o.append("</TimeSpan>\n")
        }
        o.append("<styleUrl>#")
        o.append(PhasePalette.key(site.phase))
        o.append("</styleUrl>\n<ExtendedData><SchemaData schemaUrl=\"#")
        o.append(string: schemaID)
        o.append("\">")
        openTags.withUnsafeBufferPointer { tags in
            var data = KMLSimpleData(out: o, openTags: tags)
            site.visitProperties(schema, &data)
        }
        o.append("</SchemaData></ExtendedData>\n")
        // KML is WGS 84 whatever the export's CRS: the site's own longitude and latitude.
        if let p = site.position {
            o.append("<Point><coordinates>")
            o.append(fixed: p.longitude, decimals: 7)
            o.append(byte: 44)
            o.append(fixed: p.latitude, decimals: 7)
            o.append("</coordinates></Point>\n")
        }
        o.append("</Placemark>\n")
    }

    /// KML SimpleField types: numbers as int/double, everything else as string.
    private func schemaFields(_ schema: GazetteerSchema) -> [(String, StaticString)] {
        func kmlType(_ t: ValueType) -> StaticString {
            switch t {
            case .integer: return "int"
            case .real: return "double"
            default: return "string"
            }
        }
        return schema.fields.map { ($0.name, kmlType($0.valueType)) } + schema.extras.map { ($0.name, kmlType($0.valueType)) }
    }

    /// The document's balloon: source, time semantics and the phase legend.
    private func documentDescription(_ info: CollectionInfo, into o: OutputBuffer) {
        let html = HTMLInXML(o)
        html.open("p")
        html.text(info.sourceDescription)
        html.close("p")
        html.open("p")
        html.text("Each site disappears from the time slider on its closure day (the handover, or the last departure where there was no handover).")
        html.close("p")
        html.open("table")
        for phase in PhasePalette.legendOrder {
            html.open("tr")
            html.open("td")
            o.append("&lt;span style=&quot;color:")
            o.append(string: PhasePalette.hex(phase))
            o.append("&quot;&gt;&amp;#9679;")
            html.close("span")
            html.close("td")
            html.open("td")
            html.text(phase.map { $0.summary } ?? "No withdrawal phase")
            html.close("td")
            html.close("tr")
        }
        html.close("table")
    }

    /// Whether a site has more to tell than its fields (which Google Earth shows as a table in the
    /// balloon anyway): how it closed, where the coordinate comes from, notes, sources. Rows of a
    /// plain user file (id, name, position, date) get no description, which keeps large files small.
    static func hasStory(_ site: Site) -> Bool {
        site.handoverDate != nil || site.lastDepartureDate != nil || site.notes != nil || site.coordKind != nil
            || site.coordUncertaintyM != nil || !site.dateSources.isEmpty || !site.coordSources.isEmpty
            || site.siteType != nil || site.contingent != nil
    }

    /// The balloon text: HTML, written XML-escaped (so `<p>` appears as `&lt;p&gt;`). Short for
    /// sites with few facts, which keeps large user files small.
    private func placemarkDescription(_ site: Site, into o: OutputBuffer) {
        let html = HTMLInXML(o)
        html.open("p")
        html.open("b")
        switch (site.handoverDate, site.lastDepartureDate, site.closureDate) {
        case let (handover?, left, _):
            html.text("Handed over to the Malian authorities on ")
            html.date(handover)
            if let left, left != handover {
                html.text("; the last peacekeepers left on ")
                html.date(left)
            }
        case let (nil, left?, _):
            html.text("No handover: the last peacekeepers left on ")
            html.date(left)
        case let (nil, nil, closed?):
            html.text("Closed on ")
            html.date(closed)
        case (nil, nil, nil):
            html.text("Closure date unknown")
        }
        html.text(".")
        html.close("b")
        html.close("p")
        var facts: [String] = []
        if let phase = site.phase { facts.append(phase.summary) }
        if let region = site.region { facts.append("Region: " + region + (site.cercle.map { ", cercle: " + $0 } ?? "")) }
        if let type = site.siteType { facts.append("Site: " + type) }
        if let contingent = site.contingent { facts.append("Last contingent: " + contingent) }
        if site.position != nil, site.coordKind != nil || site.coordUncertaintyM != nil {
            var c = "Coordinate: " + (site.coordKind ?? "position")
            if let u = site.coordUncertaintyM { c += ", uncertain by about \(Self.metres(u))" }
            if let conf = site.coordConfidence { c += " (confidence \(conf))" }
            facts.append(c)
        } else if site.position == nil {
            facts.append("Coordinate: unknown")
        }
        if let conf = site.dateConfidence { facts.append("Confidence in the dates: " + conf) }
        if !facts.isEmpty {
            html.open("p")
            for (i, fact) in facts.enumerated() {
                if i > 0 { html.lineBreak() }
                html.text(fact)
            }
            html.close("p")
        }
        if let notes = site.notes {
            html.open("p")
            html.text(notes)
            html.close("p")
        }
        for (label, sources) in [("Date sources: ", site.dateSources), ("Coordinate sources: ", site.coordSources)] where !sources.isEmpty {
            html.open("p")
            html.text(label)
            for (i, source) in sources.enumerated() {
                if i > 0 { html.text("; ") }
                html.linkedText(source)
            }
            html.close("p")
        }
    }

    static func metres(_ m: Double) -> String {
        m >= 1000 ? Formatting.fixed(m / 1000, decimals: 1) + " km" : Formatting.fixed(m, decimals: 0) + " m"
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

    func date(_ d: CalendarDate) {
        out.append(integer: d.day)
        out.append(byte: 32)
        out.append(string: d.monthName)
        out.append(byte: 32)
        out.append(integer: d.year)
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
enum XMLID {
    static func append(_ text: String, prefix: StaticString, to out: OutputBuffer) {
        out.append(prefix)
        var simple = true
        for b in text.utf8 where !(b >= 97 && b <= 122 || b >= 65 && b <= 90 || b >= 48 && b <= 57 || b == 45 || b == 46) {
            simple = false
            break
        }
        if simple { out.append(string: text) } else { out.append(string: make(text, prefix: "")) }
    }

    static func make(_ text: String, prefix: String) -> String {
        var out = prefix
        let hex = Array("0123456789ABCDEF")
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."):
                out.append(Character(Unicode.Scalar(b)))
            case UInt8(ascii: "_"):
                out += "__"
            default:
                out += "_x"
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 15)])
            }
        }
        return out
    }
}
