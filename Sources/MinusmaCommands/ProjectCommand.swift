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
        let gazetteer = try data.load()
        let chosen = try sites.isEmpty ? gazetteer.sitesInClosureOrder : sites.map { try SiteLookup.find($0, in: gazetteer) }
        let target: CRS
        let transformer: Transformer
        do {
            let request = try CRSRequest(parsing: crs)
            let context = ProjContext()
            target = try CRS(request.resolved(dataCentre: DataCentre.of(gazetteer)), context: context)
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
        out += "\n"
        let xName = description.isGeographic ? "longitude" : "x (\(target.axisUnit))"
        let yName = description.isGeographic ? "latitude" : "y (\(target.axisUnit))"
        var table = TextTable([("id", .left), ("name", .left), (xName, .right), (yName, .right)])
        for site in chosen {
            guard let p = site.position else {
                table.add([site.id, site.name, "unknown", "unknown"])
                continue
            }
            do {
                let xy = try transformer.transform(XY(x: p.longitude, y: p.latitude))
                table.add([site.id, site.name, Formatting.fixed(xy.x, decimals: description.decimals), Formatting.fixed(xy.y, decimals: description.decimals)])
            } catch {
                throw CommandFailure(.dataError, "\(site.id) at \(p.longitude), \(p.latitude): \(error.description)")
            }
        }
        out += table.render()
        Console.output(out)
    }
}

enum DataCentre {
    /// The centre of the sites' extent (longitude, latitude); Mali's centre when none has a position.
    static func of(_ gazetteer: Gazetteer) -> (longitude: Double, latitude: Double) {
        var box = BoxAccumulator()
        for s in gazetteer.sites { if let p = s.position { box.add(x: p.longitude, y: p.latitude) } }
        if box.isEmpty { return (GeoBox.mali.center.longitude, GeoBox.mali.center.latitude) }
        return ((box.minX + box.maxX) / 2, (box.minY + box.maxY) / 2)
    }
}
