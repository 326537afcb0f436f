import ArgumentParser
import Exporters
import Gazetteer
import Projection
import TextOutput

struct ProjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "Print sites' coordinates in another CRS.",
        discussion: """
        CRS: an authority code (EPSG:32630, ESRI:102022, OGC:CRS84), a PROJ string (+proj=utm +zone=30 +datum=WGS84), \
        WKT, 'UTM' (the UTM zone of the sites' centre: EPSG:32630 for the 13 sites) or 'UTM:31N'. Coordinates are \
        printed easting/longitude first, whatever the CRS's axis order.

        Examples:
          minusma project --crs UTM
          minusma project --crs EPSG:3857 gao kidal
          minusma project --crs ESRI:102022 --explain
        """
    )

    @OptionGroup var data: DataOptions

    @Option(name: .long, help: ArgumentHelp("The target CRS.", valueName: "crs"))
    var crs: String

    @Flag(name: .long, help: "Also print the PROJ pipeline and its accuracy.")
    var explain = false

    @Argument(help: ArgumentHelp("Sites to show (ids or names); all when none is given.", valueName: "site"))
    var sites: [String] = []

    func run() throws {
        let request: CRSRequest
        do { request = try CRSRequest(parsing: crs) } catch { throw CommandFailure.from(error) }
        // Named sites: one pass that keeps only them (and the extent, for UTM). All sites: a pass
        // for the extent when the CRS depends on it, then the listing pass.
        var chosen: [Site]? = nil
        var box = BoxAccumulator()
        if !sites.isEmpty {
            chosen = try SiteLookup.find(sites, in: data) { site in
                if let p = site.position { box.add(x: p.longitude, y: p.latitude) }
            }.sites
        } else if request == .utmOfDataCentre {
            _ = try data.scan { site in if let p = site.position { box.add(x: p.longitude, y: p.latitude) } }
        }
        let target: CRS
        let transformer: Transformer
        do {
            let context = ProjContext()
            // As for an export: only 2D horizontal CRSes (a compound's horizontal part), grids installed.
            target = try OutputCRS.resolve(request.resolved(dataCentre: DataCentre.of(box)), context: context,
                                           withESRIWKT: false, forGeoJSON: false).target
            transformer = try Transformer(from: CRS.wgs84(context: context), to: target)
        } catch { throw CommandFailure.from(error) }
        let description = OutputCRS(target, withESRIWKT: false)
        var out = "CRS: \(target.name)\(target.authorityString.map { " (\($0))" } ?? ""), \(target.kind.rawValue), unit: \(target.axisUnit)\n"
        if explain {
            let e = transformer.explanation
            out += "Operation: \(e.name)\n"
            out += "PROJ pipeline: \(e.pipeline.isEmpty ? "(chosen per point among several operations)" : e.pipeline)\n"
            out += "Accuracy: \(e.accuracyMetres.map { $0 == 0 ? "exact (a conversion on the same datum)" : "\($0) m" } ?? "unknown")\n"
            out += "(The sites' own positions are uncertain by 300 m to 4 km; see 'minusma show'.)\n"
        }
        try Console.emit(out + "\n")
        let xName = description.isGeographic ? "longitude" : "x (\(target.axisUnit))"
        let yName = description.isGeographic ? "latitude" : "y (\(target.axisUnit))"
        let printer = TablePrinter(TextTable([("id", .left), ("name", .left), (xName, .right), (yName, .right)]))
        func row(_ site: Site) throws -> [String] {
            guard let p = site.position else { return [site.id, site.name, "unknown", "unknown"] }
            do {
                let xy = try transformer.transform(XY(x: p.longitude, y: p.latitude))
                return [site.id, site.name, Formatting.fixed(xy.x, decimals: description.decimals), Formatting.fixed(xy.y, decimals: description.decimals)]
            } catch {
                throw CommandFailure(.dataError, "\(site.id) at \(p.longitude), \(p.latitude): \(error.description)")
            }
        }
        if let chosen {
            try printer.print(chosen.map(row))
        } else {
            let listing = ClosureOrderListing { batch in try printer.print(batch.map(row)) }
            let scan = try data.scan { try listing.add($0) }
            if listing.streamed {
                Console.error("minusma: note: more than \(ClosureOrderListing.sortLimit) sites: listed in the order of the file")
            } else {
                try printer.print(listing.sorted(scan).map(row))
            }
        }
        try printer.finish(footer: "")
    }
}

enum DataCentre {
    /// The centre of an extent; Mali's centre when it is empty.
    static func of(_ box: BoxAccumulator) -> (longitude: Double, latitude: Double) {
        if box.isEmpty { return (GeoBox.mali.center.longitude, GeoBox.mali.center.latitude) }
        return ((box.minX + box.maxX) / 2, (box.minY + box.maxY) / 2)
    }

    /// The centre of the sites' extent (longitude, latitude); Mali's centre when none has a position.
    static func of(_ gazetteer: Gazetteer) -> (longitude: Double, latitude: Double) {
        var box = BoxAccumulator()
        for s in gazetteer.sites { if let p = s.position { box.add(x: p.longitude, y: p.latitude) } }
        if box.isEmpty { return (GeoBox.mali.center.longitude, GeoBox.mali.center.latitude) }
        return ((box.minX + box.maxX) / 2, (box.minY + box.maxY) / 2)
    }
}
