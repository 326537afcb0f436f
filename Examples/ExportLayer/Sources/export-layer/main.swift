// export-layer: exports a small layer of its own (three markets in Mali, invented for the example)
// in every format MinusmaKit registers, through its feature core: the writers see a schema, the
// layer's metadata and features of the example's own type, never a gazetteer.
//
//   export-layer OUTPUT_FOLDER
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Exporters
import FeatureCore
import Projection

/// A market: the example's own feature type.
struct Market: Feature {
    let id: String
    let name: String
    let region: String
    let opened: CalendarDate?
    let stalls: Int?
    let lonLat: (longitude: Double, latitude: Double)

    var featureID: String { id }
    var label: String? { name }
    var timeSpan: TimeSpan { TimeSpan(begin: opened) }
    var categoryIndex: Int? { nil }
    var richDescription: RichText? { RichText(paragraphs: [[.strong(name), .lineBreak, .text("Region: \(region)")]]) }

    func visitProperties<S: PropertySink>(_ sink: inout S) {
        sink.text("id", id)
        sink.text("name", name)
        sink.text("region", region)
        if let opened { sink.date("opened_on", opened) } else { sink.null("opened_on") }
        if let stalls { sink.integer("stalls", stalls) } else { sink.null("stalls") }
    }

    static let schema = LayerSchema([
        LayerField(name: "id", type: .text), LayerField(name: "name", type: .text), LayerField(name: "region", type: .text),
        LayerField(name: "opened_on", type: .date), LayerField(name: "stalls", type: .integer),
    ])
}

let markets = [
    Market(id: "mkt-1", name: "Marché de Médine", region: "Bamako", opened: CalendarDate(year: 1960, month: 9, day: 22),
           stalls: 1200, lonLat: (-8.0098, 12.6427)),
    Market(id: "mkt-2", name: "Grand marché de Ségou", region: "Ségou", opened: nil, stalls: 450, lonLat: (-6.2669, 13.4428)),
    Market(id: "mkt-3", name: "Marché de Djenné", region: "Mopti", opened: nil, stalls: nil, lonLat: (-4.5551, 13.9055)),
]

func fail(_ message: String) -> Never {
    fputs("export-layer: \(message)\n", stderr)
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count == 2 else { fail("usage: export-layer OUTPUT_FOLDER") }
let folder = arguments[1]
if mkdir(folder, 0o755) != 0 && errno != EEXIST { fail("cannot create the folder \(folder)") }

do throws(ExportError) {
    let files = try ExportFiles(directory: folder)
    let metadata = LayerMetadata(name: "markets", title: "Three markets in Mali",
                                 description: ["Invented for this example."], attribution: "export-layer",
                                 style: .single(labelField: "name"))
    let layer = LayerInfo(metadata: metadata, schema: Market.schema, crs: .wgs84)
    var box = BoxAccumulator()
    for m in markets { box.add(x: m.lonLat.longitude, y: m.lonLat.latitude) }
    let summary = LayerSummary(featureCount: markets.count, extent: box.extent, geographicExtent: box.extent)
    for format in ExportFormat.writable {
        let writer = try format.writer(WriterContext(files: files, baseName: "markets", options: FormatOptions()))
        try writer.begin(layer)
        for m in markets { try writer.write(m, point: XY(x: m.lonLat.longitude, y: m.lonLat.latitude)) }
        try writer.finish(summary)
        print("  \(format.name): \(format.fileNames(base: "markets").joined(separator: ", "))")
    }
    try files.commit()
    print("Wrote \(markets.count) markets in \(ExportFormat.writable.count) formats into \(folder).")
} catch {
    fail("\(error)")
}
