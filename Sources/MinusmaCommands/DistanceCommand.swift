import ArgumentParser
import Gazetteer
import Projection

struct DistanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distance",
        abstract: "The distance between two sites on the WGS 84 ellipsoid, with the initial and final azimuths.",
        discussion: """
        Geodesic distance by PROJ's geodesic routines (Karney), to the millimetre; azimuths in degrees clockwise \
        from north. The sites' own coordinate uncertainties (see 'minusma show') are far larger.

        Examples:
          minusma distance gao kidal
          minusma distance bamako-hq tombouctou
        """
    )

    @OptionGroup var data: DataOptions

    @Argument(help: ArgumentHelp("Start site (id or name).", valueName: "from"))
    var from: String

    @Argument(help: ArgumentHelp("End site (id or name).", valueName: "to"))
    var to: String

    func run() throws {
        let found = try SiteLookup.find([from, to], in: data).sites
        let a = found[0], b = found[1]
        guard let p = a.position, let q = b.position else {
            throw CommandFailure(.usage, "\((a.position == nil ? a : b).id) has no known position")
        }
        let line = Geodesic.inverse(fromLongitude: p.longitude, latitude: p.latitude, toLongitude: q.longitude, latitude: q.latitude)
        let metres = (line.distanceMetres * 1000).rounded() / 1000
        var out = "\(a.name) -> \(b.name): \(Units.kilometres(line.distanceMetres)) (\(metres) m on the WGS 84 ellipsoid)\n"
        out += "  initial azimuth \(Units.degrees(line.initialAzimuth, decimals: 3)), final azimuth \(Units.degrees(line.finalAzimuth, decimals: 3))\n"
        if let u = a.coordUncertaintyM, let v = b.coordUncertaintyM {
            out += "  the two positions are uncertain by about \(Int(u)) m and \(Int(v)) m\n"
        }
        try Console.emit(out)
    }
}
