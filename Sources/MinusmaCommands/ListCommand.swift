import ArgumentParser
import Gazetteer
import Projection

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the sites in closure order: order, id, name, region, closure date, phase.",
        discussion: """
        Examples:
          minusma list
          minusma list --phase 2
          minusma list --as-of 2023-11-01            # the sites still open that day
          minusma list --from gao                    # with each site's distance from Gao
          minusma list --data my-sites.csv
        """
    )

    @OptionGroup var data: DataOptions
    @OptionGroup var selection: FilterOptions

    @Option(name: .long, help: ArgumentHelp("Add each site's distance (km) and direction from this site (id or name).", valueName: "site"))
    var from: String?

    func run() throws {
        let gazetteer = try data.load()
        let filter = try selection.filter()
        var origin: Site? = nil
        if let from {
            guard let site = gazetteer.site(named: from) else { throw SiteLookup.unknown(from, in: gazetteer) }
            guard site.position != nil else {
                throw CommandFailure(.usage, "\(site.id) has no known position, so distances from it cannot be measured")
            }
            origin = site
        }
        var columns: [(String, TextTable.Alignment)] = [("order", .right), ("id", .left), ("name", .left), ("region", .left),
                                                         ("closure", .left), ("phase", .left)]
        if let origin { columns += [("from \(origin.name)", .right), ("bearing", .right)] }
        var table = TextTable(columns)
        let sites = gazetteer.sitesInClosureOrder.filter(filter.matches)
        for site in sites {
            var row = [site.closureOrder.map(String.init) ?? "", site.id, site.name, site.region ?? "",
                       site.closureDate?.description ?? "", site.phase?.code ?? ""]
            if let origin, let a = origin.position {
                if let b = site.position {
                    let line = Geodesic.inverse(fromLongitude: a.longitude, latitude: a.latitude, toLongitude: b.longitude, latitude: b.latitude)
                    row += [Units.kilometres(line.distanceMetres), site.id == origin.id ? "" : Units.degrees(line.initialAzimuth, decimals: 0)]
                } else {
                    row += ["unknown", ""]
                }
            }
            table.add(row)
        }
        Console.output(table.render())
        let what = filter.isEmpty ? "" : " (\(filter.description))"
        Console.output("\(sites.count) of \(gazetteer.sites.count) sites\(what); source: \(gazetteer.source)\n")
        for line in gazetteer.report.lines { Console.error(line) }
    }
}

enum SiteLookup {
    static func unknown(_ query: String, in gazetteer: Gazetteer) -> CommandFailure {
        let ids = gazetteer.sites.prefix(20).map(\.id).joined(separator: ", ")
        return CommandFailure(.usage, "no site '\(query)' in \(gazetteer.source); known ids: \(ids)\(gazetteer.sites.count > 20 ? ", ..." : "")")
    }

    static func find(_ query: String, in gazetteer: Gazetteer) throws -> Site {
        guard let site = gazetteer.site(named: query) else { throw unknown(query, in: gazetteer) }
        return site
    }
}
