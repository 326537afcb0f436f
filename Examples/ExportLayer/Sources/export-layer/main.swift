// export-layer: exports a small layer of its own (three markets in Mali, invented for the example)
// as GeoJSON, KML, CSV and a GeoPackage, through MinusmaKit's public API only.
//
//   export-layer OUTPUT_FOLDER
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Exporters
import Gazetteer

/// The layer: a gazetteer CSV like any user's (see the README's "Your own data").
let marketsCSV = """
    id,name,region,longitude,latitude,stalls:integer
    mkt-1,Marché de Médine,Bamako,-8.0098,12.6427,1200
    mkt-2,Grand marché de Ségou,Ségou,-6.2669,13.4428,450
    mkt-3,Marché de Djenné,Mopti,-4.5551,13.9055,

    """

func fail(_ message: String) -> Never {
    fputs("export-layer: \(message)\n", stderr)
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count == 2 else { fail("usage: export-layer OUTPUT_FOLDER") }
let folder = arguments[1]
if mkdir(folder, 0o755) != 0 && errno != EEXIST { fail("cannot create the folder \(folder)") }

do {
    let reader = try GazetteerReader(source: MemorySource(marketsCSV, displayName: "markets.csv"))
    let request = ExportRequest(formats: [.geojson, .kml, .csv, .gpkg], directory: folder, baseName: "markets",
                                title: "Three markets in Mali", sourceDescription: "export-layer's example data")
    let outcome = try Exporter.run(reader: reader, request: request)
    print("Wrote \(outcome.summary.featureCount) markets in \(outcome.crs.name):")
    for file in outcome.files { print("  \(file)") }
} catch let error as GazetteerError {
    fail("\(error)")
} catch let error as ExportError {
    fail("\(error)")
} catch {
    fail("\(error)")
}
