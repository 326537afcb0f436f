import ArgumentParser
import Cartography
import Exporters
import Gazetteer
import Projection
import TextOutput

struct QGISProjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qgis-project",
        abstract: "Write a QGIS project that opens with the withdrawal ready to animate in the Temporal Controller.",
        discussion: """
        Writes <name>.gpkg (the sites and the Natural Earth base map, with default styles) and minusma.qgs beside \
        it, which refers to the GeoPackage by a relative path: move the folder as a whole. Open minusma.qgs in QGIS \
        3.22 or later, open View > Panels > Temporal Controller, and press play: one frame a day from 1 July 2023 \
        to 15 November 2024.

        Each site is drawn from the mission's start (1 July 2013, or its opening day) up to and including the day \
        before its closure date: on its closure day it is gone, as in 'minusma export --as-of' and in the KML.

        Examples:
          minusma qgis-project
          minusma qgis-project --crs EPSG:3857 --out /tmp/map
          minusma qgis-project --data my-sites.csv --out /tmp/mine
        """
    )

    @Option(name: .long, help: ArgumentHelp("The folder to write into (it must exist).", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Base name of the GeoPackage.", valueName: "name"))
    var name: String = "minusma-sites"

    @Option(name: .long, help: ArgumentHelp("The project's CRS (default UTM: the zone of the sites' centre, EPSG:32630 for the 13 sites).", valueName: "crs"))
    var crs: String = "UTM"

    @OptionGroup var data: DataOptions

    static let projectFile = "minusma.qgs"

    func run() throws {
        let directory = out ?? OutputFolder.default()
        let gazetteer = try data.load()
        let request: CRSRequest
        do { request = try CRSRequest(parsing: crs) } catch { throw CommandFailure.from(error) }

        // The GeoPackage the project reads (sites in WGS 84, base map, styles).
        let reader = try data.reader()
        let outcome: ExportOutcome
        do {
            outcome = try Exporter.run(reader: reader, request: ExportRequest(
                formats: [.gpkg], directory: directory, baseName: name,
                sourceDescription: ExportCommand.sourceDescription(gazetteer, dataPath: data.data)))
        } catch { throw CommandFailure.from(error) }

        // The project's CRS and the view: Mali's outline, projected, with a margin.
        let project: OutputCRS
        var view = BoxAccumulator()
        do throws(ProjectionError) {
            let context = ProjContext()
            let target = try CRS(request.resolved(dataCentre: DataCentre.of(gazetteer)), context: context)
            project = OutputCRS(target, withESRIWKT: false)
            let outline = Basemap.maliOutline()
            var xs: [Double] = [], ys: [Double] = []
            for f in outline.features { for p in f.polygons { for r in p { for q in r { xs.append(q.longitude); ys.append(q.latitude) } } } }
            if !project.isWGS84LongitudeLatitude {
                let t = try Transformer(from: CRS.wgs84(context: context), to: target)
                try t.transform(x: &xs, y: &ys)
            }
            for (x, y) in zip(xs, ys) { view.add(x: x, y: y) }
        } catch {
            throw CommandFailure.from(error)
        }
        let marginX = (view.maxX - view.minX) * 0.05, marginY = (view.maxY - view.minY) * 0.05

        let layers = Basemap.layers()
        func title(_ layer: BasemapLayer) -> String { layer.title }
        let qgs = QGISProject(
            title: "MINUSMA's withdrawal from Mali, 2023-2024",
            geoPackageFile: "\(name).gpkg",
            projectCRS: project,
            viewExtent: (view.minX - marginX, view.minY - marginY, view.maxX + marginX, view.maxY + marginY),
            sites: QGISProject.layer(table: GeoPackageWriter.tableName(name), title: "MINUSMA sites",
                                     polygons: false, extent: outcome.summary.geographicExtent ?? GeoBox.mali),
            sitesSchema: gazetteer.schema,
            // Drawn bottom to top after the sites: regions over Mali over the neighbours.
            basemap: [layers[1], layers[0], layers[2]].map {
                QGISProject.layer(table: $0.name, title: title($0), polygons: true, extent: $0.extent)
            },
            timeRange: (Timeline.withdrawalStart, Timeline.withdrawalEnd.adding(days: 1)))
        let path = FilePath.join(directory, Self.projectFile)
        do {
            let file = try AtomicFile(path: path)
            let buffer = OutputBuffer(sink: file)
            buffer.append(string: qgs.xml)
            try buffer.flush()
            try file.commit()
        } catch { throw CommandFailure.from(error) }
        Console.output("Wrote \(OutputFolder.display(path)) (QGIS project in \(project.name)) and \(OutputFolder.display(outcome.files[0])) (\(outcome.summary.featureCount) sites and the base map).\n"
                       + "Open it in QGIS, then View > Panels > Temporal Controller and press play.\n")
    }
}
