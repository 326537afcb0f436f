import FeatureCore
import TextOutput
import Projection

extension ExportFormat {
    /// GeoJSON, with a QGIS style beside it.
    public static let geojson = ExportFormat(
        name: "geojson", label: "GeoJSON", title: "GeoJSON (RFC 7946 in WGS 84) with a QGIS .qml style", aliases: ["json"],
        extensions: ["geojson", "json"],
        fileNames: { base, _ in ["\(base).geojson", "\(base).qml"] },
        makeWriter: { context throws(ExportError) in
            let files = context.files, base = context.baseName
            let writer = GeoJSONWriter(output: try files.textFile("\(base).geojson"))
            writer.sidecars = { info throws(ExportError) in
                try files.write("\(base).qml", text: QGISLayerStyle.qml(info.metadata.style))
            }
            return writer
        })
}

/// GeoJSON: a FeatureCollection with one Feature per site, one feature per line.
///
/// In WGS 84 it follows RFC 7946: longitude, latitude with 7 decimals, no `crs` member. In a
/// projected CRS it writes metres with 3 decimals and the legacy `crs` member (GeoJSON 2008) that
/// GDAL and QGIS honour; such a file is not RFC 7946. Properties keep their JSON types: numbers,
/// `YYYY-MM-DD` strings for dates, arrays for lists, `null` for anything missing. Each feature has
/// its `bbox`; the collection's `bbox` is written after the features, since it is known only then
/// (JSON members are unordered, so readers find it all the same).
public final class GeoJSONWriter: FeatureWriter {
    private let out: OutputBuffer
    @exclusivity(unchecked)
    private var state = WriterState()
    @exclusivity(unchecked)
    private var decimals = 7
    /// Written after the document (set by the format).
    var sidecars: ((LayerInfo) throws(ExportError) -> Void)?
    @exclusivity(unchecked)
    private var info: LayerInfo?
    /// `"name":` for every property, escaped once (with the comma before all but the first).
    @exclusivity(unchecked)
    private var keys: [[UInt8]] = []
    @exclusivity(unchecked)
    private var first = true

    public init(output: OutputBuffer) {
        self.out = output
    }

    public func begin(_ info: LayerInfo) throws(ExportError) {
        state.begin()
        self.info = info
        decimals = info.crs.decimals
        keys = info.schema.names.enumerated().map { (i, name) in
            let key = OutputBuffer(sink: MemorySink(), capacity: 64)
            if i > 0 { key.append(byte: 44) }
            key.append(jsonString: name)
            key.append(byte: 58)
            return Array(key.unflushed)
        }
        out.append("{\"type\":\"FeatureCollection\",\"name\":")
        out.append(jsonString: info.layerName)
        if !info.crs.isWGS84LongitudeLatitude, let urn = info.crs.ogcURN {
            out.append(",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":")
            out.append(jsonString: urn)
            out.append("}}")
        }
        out.append(",\"features\":[")
    }

    public func write<F: Feature>(_ feature: F, point: XY?) throws(ExportError) {
        state.checkWriting()
        out.append(first ? "\n{\"type\":\"Feature\",\"id\":" : ",\n{\"type\":\"Feature\",\"id\":")
        first = false
        out.append(jsonString: feature.featureID)
        // A point's bbox repeats its coordinates: format them once, copy the bytes three times.
        var coordinates: Range<Int>? = nil
        if let point {
            out.append(",\"bbox\":[")
            let start = out.count
            appendXY(point, decimals)
            let end = out.count
            coordinates = start..<end
            out.append(byte: 44)
            out.appendCopy(of: start..<end)
            out.append(byte: 93)
        }
        out.append(",\"properties\":{")
        keys.withUnsafeBufferPointer { keys in
            var properties = JSONProperties(out: out, keys: keys)
            feature.visitProperties(&properties)
        }
        if let point {
            out.append("},\"geometry\":{\"type\":\"Point\",\"coordinates\":[")
            if let range = coordinates, out.count > range.upperBound {
                out.appendCopy(of: range)
            } else {
                appendXY(point, decimals)
            }
            out.append("]}}")
        } else {
            out.append("},\"geometry\":null}")
        }
        try out.flushIfFullForExport()
    }

    public func finish(_ summary: LayerSummary) throws(ExportError) {
        state.finish()
        out.append(first ? "]" : "\n]")
        if let e = summary.extent {
            let d = decimals
            out.append(",\"bbox\":[")
            out.append(fixed: e.minX, decimals: d); out.append(byte: 44)
            out.append(fixed: e.minY, decimals: d); out.append(byte: 44)
            out.append(fixed: e.maxX, decimals: d); out.append(byte: 44)
            out.append(fixed: e.maxY, decimals: d)
            out.append(byte: 93)
        }
        out.append("}\n")
        try out.flushForExport()
        if let sidecars, let info { try sidecars(info) }
    }

    @inline(__always)
    private func appendXY(_ p: XY, _ decimals: Int) {
        out.append(fixed: p.x, decimals: decimals)
        out.append(byte: 44)
        out.append(fixed: p.y, decimals: decimals)
    }
}

/// Properties as JSON members: `"name":value`, comma-separated.
private struct JSONProperties: PropertySink {
    let out: OutputBuffer
    /// The pre-rendered keys, in the order the properties come.
    let keys: UnsafeBufferPointer<[UInt8]>
    var index = 0

    @inline(__always)
    private mutating func key(_ name: String) {
        // A feature that visits more properties than its layer's schema breaks the Feature
        // contract (a library user's type): stop rather than read past the table.
        precondition(index < keys.count, "a feature visited more properties than its layer's schema has")
        keys[index].withUnsafeBufferPointer { out.append($0) }
        index += 1
    }

    mutating func null(_ name: String) { key(name); out.append("null") }
    mutating func text(_ name: String, _ value: String) { key(name); out.append(jsonString: value) }
    mutating func integer(_ name: String, _ value: Int) { key(name); out.append(integer: value) }
    mutating func real(_ name: String, _ value: Double, coordinate: Bool) { key(name); out.append(real: value, coordinate: coordinate) }
    mutating func boolean(_ name: String, _ value: Bool) { key(name); out.append(value ? "true" : "false") }

    mutating func date(_ name: String, _ value: CalendarDate) {
        key(name)
        out.append(byte: 34)
        out.append(date: value)
        out.append(byte: 34)
    }

    mutating func list(_ name: String, _ value: [String]) {
        key(name)
        out.append(byte: 91)
        for (i, item) in value.enumerated() {
            if i > 0 { out.append(byte: 44) }
            out.append(jsonString: item)
        }
        out.append(byte: 93)
    }
}
