import Cartography
import Gazetteer
import TextOutput

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
    private var state = WriterState()
    private var info: CollectionInfo!
    private var schemaID = ""
    /// Folder order, and the spooled placemarks of every folder but the first.
    private var groups: [Phase?] = []
    private var spools: [Phase?: (Spool, OutputBuffer)] = [:]

    /// `spoolDirectory` holds temporary files when phases are interleaved in large inputs.
    public init(output: OutputBuffer, spoolDirectory: String = "/tmp") {
        self.out = output
        self.spoolDirectory = spoolDirectory
    }

    public func begin(_ info: CollectionInfo) throws(ExportError) {
        state.begin()
        self.info = info
        schemaID = XMLID.make(info.layerName, prefix: "schema-")
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document id=\"")
        out.append(XMLID.make(info.layerName, prefix: "doc-"))
        out.append("\">\n<name>")
        out.append(xmlEscaped: info.title)
        out.append("</name>\n<open>1</open>\n<description>")
        out.append(xmlEscaped: documentDescription(info))
        out.append("</description>\n")
        for phase in PhasePalette.legendOrder {
            out.append("<Style id=\"")
            out.append(PhasePalette.key(phase))
            out.append("\"><IconStyle><color>")
            out.append(PhasePalette.kml(phase))
            out.append("</color><scale>1.1</scale><Icon><href>https://maps.google.com/mapfiles/kml/shapes/placemark_circle.png</href></Icon></IconStyle><LabelStyle><scale>0.9</scale></LabelStyle></Style>\n")
        }
        out.append("<Schema name=\"")
        out.append(xmlEscaped: info.layerName)
        out.append("\" id=\"")
        out.append(schemaID)
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

    public func write(_ site: Site, point: OutputPoint?) throws(ExportError) {
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
        o.append(XMLID.make(site.id, prefix: "site-"))
        o.append("\">\n<name>")
        o.append(xmlEscaped: site.name)
        o.append("</name>\n<description>")
        o.append(xmlEscaped: placemarkDescription(site))
        o.append("</description>\n")
        if site.openingDate != nil || site.closureDate != nil {
            o.append("<TimeSpan>")
            if let begin = site.openingDate {
                o.append("<begin>")
                o.append(begin.description)
                o.append("T00:00:00Z</begin>")
            }
            if let end = site.closureDate {
                o.append("<end>")
                o.append(end.description)
                o.append("T00:00:00Z</end>")
            }
            o.append("</TimeSpan>\n")
        }
        o.append("<styleUrl>#")
        o.append(PhasePalette.key(site.phase))
        o.append("</styleUrl>\n<ExtendedData><SchemaData schemaUrl=\"#")
        o.append(schemaID)
        o.append("\">")
        try? site.forEachProperty(in: info.schema) { (name, _, value) in
            guard let text = value.plainText else { return }
            o.append("<SimpleData name=\"")
            o.append(xmlEscaped: name)
            o.append("\">")
            o.append(xmlEscaped: text)
            o.append("</SimpleData>")
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

    /// HTML shown in Google Earth's balloon (escaped into the element's text).
    private func documentDescription(_ info: CollectionInfo) -> String {
        var html = "<p>\(HTML.text(info.sourceDescription))</p>"
        html += "<p>Each site disappears from the time slider on its closure day (the handover, or the last departure where there was no handover).</p>"
        html += "<table>"
        for phase in PhasePalette.legendOrder {
            let label = phase.map { $0.summary } ?? "No withdrawal phase"
            html += "<tr><td><span style=\"color:\(PhasePalette.hex(phase))\">&#9679;</span></td><td>\(HTML.text(label))</td></tr>"
        }
        html += "</table>"
        return html
    }

    private func placemarkDescription(_ site: Site) -> String {
        var parts: [String] = []
        if let summary = site.closureSummary { parts.append("<b>\(HTML.text(summary))</b>") }
        var facts: [String] = []
        if let phase = site.phase { facts.append(HTML.text(phase.summary)) }
        if let region = site.region {
            facts.append("Region: " + HTML.text(region) + (site.cercle.map { ", cercle: " + HTML.text($0) } ?? ""))
        }
        if let type = site.siteType { facts.append("Site: " + HTML.text(type)) }
        if let contingent = site.contingent { facts.append("Last contingent: " + HTML.text(contingent)) }
        if site.position != nil {
            var c = "Coordinate: " + (site.coordKind.map(HTML.text) ?? "position")
            if let u = site.coordUncertaintyM { c += ", uncertain by about \(Self.metres(u))" }
            if let conf = site.coordConfidence { c += " (confidence \(HTML.text(conf)))" }
            facts.append(c)
        } else {
            facts.append("Coordinate: unknown")
        }
        if let conf = site.dateConfidence { facts.append("Confidence in the dates: " + HTML.text(conf)) }
        if !facts.isEmpty { parts.append(facts.joined(separator: "<br/>")) }
        if let notes = site.notes { parts.append(HTML.text(notes)) }
        if !site.dateSources.isEmpty {
            parts.append("Date sources: " + site.dateSources.map(HTML.linked).joined(separator: "; "))
        }
        if !site.coordSources.isEmpty {
            parts.append("Coordinate sources: " + site.coordSources.map(HTML.linked).joined(separator: "; "))
        }
        return parts.map { "<p>\($0)</p>" }.joined()
    }

    static func metres(_ m: Double) -> String {
        m >= 1000 ? Formatting.fixed(m / 1000, decimals: 1) + " km" : Formatting.fixed(m, decimals: 0) + " m"
    }
}

/// Small HTML helpers for descriptions.
enum HTML {
    /// Text for HTML: `&`, `<`, `>` and `"` escaped (not `'`, whose `&apos;` HTML 4 lacks).
    static func text(_ s: String) -> String {
        var needsEscaping = false
        for b in s.utf8 where b == 38 || b == 60 || b == 62 || b == 34 {
            needsEscaping = true
            break
        }
        guard needsEscaping else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 16)
        for b in s.utf8 {
            switch b {
            case 38: out += Array("&amp;".utf8)
            case 60: out += Array("&lt;".utf8)
            case 62: out += Array("&gt;".utf8)
            case 34: out += Array("&quot;".utf8)
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The text with every http(s) URL in it turned into a link.
    static func linked(_ s: String) -> String {
        let bytes = Array(s.utf8)
        var out = ""
        var plainStart = 0, i = 0
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
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "h"), startsURL(i) else { i += 1; continue }
            var end = i
            while end < bytes.count, !stopsURL(bytes[end]) { end += 1 }
            // A URL rarely ends with a full stop: leave it outside the link.
            while end > i, bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
            out += text(String(decoding: bytes[plainStart..<i], as: UTF8.self))
            let url = text(String(decoding: bytes[i..<end], as: UTF8.self))
            out += "<a href=\"\(url)\">\(url)</a>"
            plainStart = end
            i = end
        }
        return out + text(String(decoding: bytes[plainStart...], as: UTF8.self))
    }
}

/// XML ids (NCName) from arbitrary text: ASCII letters, digits, `-` and `.` are kept; `_` is
/// doubled; any other byte becomes `_xHH`. The mapping is one-to-one, so distinct site ids give
/// distinct XML ids.
enum XMLID {
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
