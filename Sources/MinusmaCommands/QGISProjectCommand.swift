import ArgumentParser
import Cartography
import Exporters
import Gazetteer
import Projection
import TextOutput

struct QGISProjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qgis-project",
        abstract: "Write a QGIS project that opens with the sites ready to animate in the Temporal Controller.",
        discussion: """
        Writes <name>.gpkg (the sites and the Natural Earth base map, with default styles) and minusma.qgs beside \
        it, which refers to the GeoPackage by a relative path: move the folder as a whole. Open minusma.qgs in QGIS \
        3.22 or later, open View > Panels > Temporal Controller, and press play: one frame a day from 1 July 2023 \
        to 15 November 2024 for the built-in sites; with --data, from the first opening day (or the day before the \
        first closure) to the last closure day.

        Each site is drawn from its opening day (for the built-in sites, the mission's start, 1 July 2013) up to and \
        including the day before its closure date: on its closure day it is gone, as in 'minusma export --as-of' and \
        in the KML. With --data, a site without an opening date is drawn from the start.

        With --data, the project's title is --title, else the file's name; the sites layer is named after --name \
        when given, else after the file.

        Examples:
          minusma qgis-project
          minusma qgis-project --crs EPSG:3857 --out /tmp/map
          minusma qgis-project --data my-sites.csv --out /tmp/mine --title "Health centres, 2005-2023"
        """
    )

    @Option(name: .long, help: ArgumentHelp("The folder to write into (it must exist).", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Base name of the GeoPackage, and with --data the sites layer's name (default: minusma-sites).", valueName: "name"))
    var name: String?

    @Option(name: .long, help: ArgumentHelp("The project's title (default: the data file's name; for the built-in sites, MINUSMA's withdrawal).", valueName: "text"))
    var title: String?

    @Option(name: .long, help: ArgumentHelp("The project's CRS (default UTM: the zone of the sites' centre, EPSG:32630 for the 13 sites).", valueName: "crs"))
    var crs: String = "UTM"

    @OptionGroup var data: DataOptions
    @OptionGroup var lang: LanguageOption

    static let projectFile = "minusma.qgs"
    static let builtInTitle = "MINUSMA's withdrawal from Mali, 2023-2024"
    static let builtInLayerName = "MINUSMA sites"
    static let builtInEventsName = "MINUSMA events"
    static let frenchBuiltInEventsName = "Événements de la MINUSMA"
    /// The events' table beside the built-in sites, as `minusma export` names it.
    var eventsBaseName: String { name.map { "\($0)-events" } ?? "minusma-events" }
    static let frenchBuiltInTitle = "Le retrait de la MINUSMA du Mali, 2023-2024"
    static let frenchBuiltInLayerName = "Sites de la MINUSMA"

    var baseName: String { name ?? data.outputName(builtIn: "minusma-sites", suffix: "") }
    /// `minusma.qgs` for the built-in data, else named like the GeoPackage.
    var projectFile: String { data.usesBuiltIn ? Self.projectFile : "\(baseName).qgs" }

    func validate() throws {
        try OutputName.validate(baseName)
        try OutputName.validateFolder(out)
        try LayerTextOptions.checkText(title, option: "--title")
    }

    /// The project's title and the sites layer's name: the built-in data keeps MINUSMA's, a
    /// user's data gets its own (from the flags or the file's name), never MINUSMA's.
    var names: (title: String, layer: String) {
        if data.usesBuiltIn {
            return lang.language == .fr ? (title ?? Self.frenchBuiltInTitle, Self.frenchBuiltInLayerName)
                : (title ?? Self.builtInTitle, Self.builtInLayerName)
        }
        let stem = data.fileStem ?? "Sites"
        return (title ?? stem, name ?? stem)
    }

    func run() throws {
        let directory = out ?? OutputFolder.default()
        let request: CRSRequest
        do { request = try CRSRequest(parsing: crs) } catch { throw CommandFailure.from(error) }
        // A CRS the project cannot use is refused before anything is written (UTM of the data's
        // centre is always usable).
        if request != .utmOfDataCentre {
            do { _ = try OutputCRS.resolve(request.resolved(dataCentre: (GeoBox.mali.center.longitude, GeoBox.mali.center.latitude)),
                                           context: ProjContext(), withESRIWKT: false, forGeoJSON: false) }
            catch { throw CommandFailure.from(error) }
        }

        // One pass over the input, streamed into the GeoPackage; the project is made from what
        // the export saw (extent, dates) and joins the GeoPackage in one all-or-nothing file set.
        let reader = try data.reader()
        let schema = reader.schema
        var made: (project: OutputCRS, timeRange: (start: CalendarDate, endExclusive: CalendarDate)?)? = nil
        let outcome = try writeGeoPackage(reader: reader, directory: directory) { (outcome) throws(ExportError) in
            let timeRange = data.usesBuiltIn ? (Timeline.withdrawalStart, Timeline.withdrawalEnd.adding(days: 1)) : outcome.dates.temporalRange
            let centre = outcome.summary.geographicBox?.center ?? GeoBox.mali.center
            let project: OutputCRS, view: (minX: Double, minY: Double, maxX: Double, maxY: Double)
            do throws(ProjectionError) {
                (project, view) = try Self.projectCRSAndView(request.resolved(dataCentre: (centre.longitude, centre.latitude)),
                                                              showing: data.usesBuiltIn ? nil : outcome.summary.geographicBox)
            } catch { throw .projection(error, site: nil) }
            made = (project, timeRange)
            return [(projectFile, projectXML(schema: schema, project: project, view: view, outcome: outcome, timeRange: timeRange))]
        }
        guard let made, outcome.files.count > 1 else {
            Console.error("minusma: notice: the data holds no site; nothing was written and the previous files are kept")
            throw ExitCode(ExitStatus.emptySelection.rawValue)
        }
        Console.output(summary(path: FilePath.join(directory, projectFile), project: made.project, outcome: outcome,
                               timeRange: made.timeRange))
    }

    /// The project file's text.
    func projectXML(schema: GazetteerSchema, project: OutputCRS, view: (minX: Double, minY: Double, maxX: Double, maxY: Double),
                    outcome: ExportOutcome, timeRange: (start: CalendarDate, endExclusive: CalendarDate)?) -> String {
        let layers = Basemap.layers()
        let names = self.names
        var project = QGISProject(
            title: names.title,
            geoPackageFile: "\(baseName).gpkg",
            projectCRS: project,
            viewExtent: view,
            sites: QGISProject.layer(table: GeoPackageWriter.tableName(baseName), title: names.layer,
                                     polygons: false, extent: outcome.summary.geographicBox ?? GeoBox.mali),
            sitesSchema: schema,
            // Drawn bottom to top after the sites: regions over Mali over the neighbours.
            basemap: [layers[1], layers[0], layers[2]].map {
                QGISProject.layer(table: $0.name, title: $0.title(lang.language), polygons: true, extent: $0.extent)
            },
            timeRange: timeRange,
            sitesOpenFrom: data.usesBuiltIn ? Timeline.missionStart : nil)
        if data.usesBuiltIn {
            project.events = QGISProject.eventsLayer(table: GeoPackageWriter.tableName(eventsBaseName), title: lang.language == .fr ? Self.frenchBuiltInEventsName : Self.builtInEventsName,
                                                     extent: outcome.summary.geographicBox ?? GeoBox.mali)
        }
        project.language = lang.language
        project.eventsLanguage = lang.language
        return project.xml
    }

    /// The GeoPackage the project reads (sites in WGS 84, base map, styles) and the project,
    /// with the input's warnings on stderr. The built-in data's GeoPackage is the one
    /// `minusma export` writes.
    func writeGeoPackage(reader: sending GazetteerReader, directory: String,
                         project: (ExportOutcome) throws(ExportError) -> [(name: String, text: String)]) throws -> ExportOutcome {
        var request = ExportRequest(formats: [.gpkg], directory: directory, baseName: baseName)
        request.language = lang.language
        if data.usesBuiltIn {
            request.sourceDescription = ExportCommand.sourceDescription(try data.load(), dataPath: nil, language: lang.language)
            request.story = try ExportCommand.story(name: name, language: lang.language)
        } else {
            request.title = names.title
            request.sourceDescription = ExportCommand.sourceDescription(nil, dataPath: data.data, language: lang.language)
            request.inputIdentity = data.inputIdentity
        }
        let outcome: ExportOutcome
        do { outcome = try Exporter.run(reader: reader, request: request, derivedFiles: project) } catch { throw CommandFailure.from(error) }
        for line in outcome.report.lines { Console.error(line) }
        if outcome.report.skippedRows > 0 {
            Console.error("minusma: skipped \(outcome.report.skippedRows) invalid row\(outcome.report.skippedRows == 1 ? "" : "s") (--skip-invalid)")
        }
        return outcome
    }

    /// The project's CRS and the view: `showing` (the data's extent) or, for the built-in data,
    /// Mali's outline, projected, with a margin.
    static func projectCRSAndView(_ crs: String, showing box: GeoBox?) throws(ProjectionError)
        -> (OutputCRS, (minX: Double, minY: Double, maxX: Double, maxY: Double)) {
        let context = ProjContext()
        // The same checks as an export's: a 2D horizontal CRS whose grids are installed.
        let (target, project) = try OutputCRS.resolve(crs, context: context, withESRIWKT: false, forGeoJSON: false)
        var xs: [Double] = [], ys: [Double] = []
        if let box {
            // The box's edges, sampled: a projected box is not a box.
            for i in 0...8 {
                let t = Double(i) / 8
                for (x, y) in [(box.west + t * (box.east - box.west), box.south), (box.west + t * (box.east - box.west), box.north),
                               (box.west, box.south + t * (box.north - box.south)), (box.east, box.south + t * (box.north - box.south))] {
                    xs.append(x)
                    ys.append(y)
                }
            }
        } else {
            for f in Basemap.maliOutline().features { for p in f.polygons { for r in p { for q in r { xs.append(q.longitude); ys.append(q.latitude) } } } }
        }
        if !project.isWGS84LongitudeLatitude {
            let t = try Transformer(from: CRS.wgs84(context: context), to: target)
            try t.transform(x: &xs, y: &ys)
        }
        var view = BoxAccumulator()
        for (x, y) in zip(xs, ys) { view.add(x: x, y: y) }
        // A margin, and some room around a single point.
        let unit = project.isGeographic ? 0.05 : 5_000.0
        let marginX = max((view.maxX - view.minX) * 0.05, unit), marginY = max((view.maxY - view.minY) * 0.05, unit)
        return (project, (view.minX - marginX, view.minY - marginY, view.maxX + marginX, view.maxY + marginY))
    }

    func summary(path: String, project: OutputCRS, outcome: ExportOutcome,
                 timeRange: (start: CalendarDate, endExclusive: CalendarDate)?) -> String {
        let count = outcome.summary.featureCount
        var text = "Wrote \(OutputFolder.display(path)) (QGIS project in \(project.name)) and \(OutputFolder.display(outcome.files.first ?? "")) (\(count) site\(count == 1 ? "" : "s")\(outcome.eventCount > 0 ? ", \(outcome.eventCount) events" : "") and the base map).\n"
        if let timeRange {
            let last = timeRange.endExclusive.adding(days: -1)
            text += "Open it in QGIS, then View > Panels > Temporal Controller and press play: one frame a day from \(timeRange.start) to \(max(last, timeRange.start)).\n"
        } else {
            text += "The data has no opening or closure dates: the Temporal Controller has nothing to animate.\n"
        }
        return text
    }
}
