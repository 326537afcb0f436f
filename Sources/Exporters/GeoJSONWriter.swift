import Gazetteer
import TextOutput

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
    private var state = WriterState()
    private var info: CollectionInfo!
    private var first = true

    public init(output: OutputBuffer) {
        self.out = output
    }

    public func begin(_ info: CollectionInfo) throws(ExportError) {
        state.begin()
        self.info = info
        out.append("{\"type\":\"FeatureCollection\",\"name\":")
        out.append(jsonString: info.layerName)
        if !info.crs.isWGS84LongitudeLatitude, let urn = info.crs.ogcURN {
            out.append(",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":")
            out.append(jsonString: urn)
            out.append("}}")
        }
        out.append(",\"features\":[")
    }

    public func write(_ site: Site, point: OutputPoint?) throws(ExportError) {
        state.checkWriting()
        let decimals = info.crs.decimals
        out.append(first ? "\n{\"type\":\"Feature\",\"id\":" : ",\n{\"type\":\"Feature\",\"id\":")
        first = false
        out.append(jsonString: site.id)
        if let point {
            out.append(",\"bbox\":[")
            appendXY(point, decimals)
            out.append(byte: 44)
            appendXY(point, decimals)
            out.append(byte: 93)
        }
        out.append(",\"properties\":{")
        var firstProperty = true
        try site.forEachProperty(in: info.schema) { (name, _, value) throws(ExportError) in
            if !firstProperty { out.append(byte: 44) }
            firstProperty = false
            out.append(jsonString: name)
            out.append(byte: 58)
            appendValue(value)
        }
        if let point {
            out.append("},\"geometry\":{\"type\":\"Point\",\"coordinates\":[")
            appendXY(point, decimals)
            out.append("]}}")
        } else {
            out.append("},\"geometry\":null}")
        }
        try out.flushIfFullForExport()
    }

    public func finish(_ summary: CollectionSummary) throws(ExportError) {
        state.finish()
        out.append(first ? "]" : "\n]")
        if let e = summary.extent {
            let d = info.crs.decimals
            out.append(",\"bbox\":[")
            out.append(fixed: e.minX, decimals: d); out.append(byte: 44)
            out.append(fixed: e.minY, decimals: d); out.append(byte: 44)
            out.append(fixed: e.maxX, decimals: d); out.append(byte: 44)
            out.append(fixed: e.maxY, decimals: d)
            out.append(byte: 93)
        }
        out.append("}\n")
        try out.flushForExport()
    }

    @inline(__always)
    private func appendXY(_ p: OutputPoint, _ decimals: Int) {
        out.append(fixed: p.x, decimals: decimals)
        out.append(byte: 44)
        out.append(fixed: p.y, decimals: decimals)
    }

    private func appendValue(_ value: FieldValue) {
        switch value {
        case .null: out.append("null")
        case .text(let s): out.append(jsonString: s)
        case .integer(let i): out.append(integer: i)
        case .real(let d): out.append(number: d)
        case .date(let d): out.append(jsonString: d.description)
        case .textList(let items):
            out.append(byte: 91)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(byte: 44) }
                out.append(jsonString: item)
            }
            out.append(byte: 93)
        }
    }
}
