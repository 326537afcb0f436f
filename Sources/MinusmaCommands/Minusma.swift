import ArgumentParser
import Exporters
import Gazetteer
import Projection

/// `minusma`: the root command.
public struct Minusma: ParsableCommand {
    public static let version = ToolVersion.current

    // A constant: ArgumentParser reads it many times while parsing.
    public static let configuration =
        CommandConfiguration(
            commandName: "minusma",
            abstract: "The sourced gazetteer of the 13 MINUSMA sites in Mali and their closure (Aug 2023 - Nov 2024): list, reproject, export, map.",
            discussion: """
            The 13 sites are built in (from Data/minusma-sites.csv, with their sources); --data reads a gazetteer CSV \
            of your own instead. Coordinates are WGS 84 longitude/latitude; PROJ converts them to any CRS.

            Examples:
              minusma list
              minusma show gao
              minusma list --as-of 2023-11-01 --from kidal
              minusma distance gao kidal
              minusma project --crs UTM tombouctou gao
              minusma export                        # every format, into Output/
              minusma export --format geojson --crs EPSG:32630 --out /tmp/layers
              minusma export --as-of 2023-11-01 --name open-2023-11-01
              minusma export --data my-sites.csv --format csv,kml
              minusma qgis-project
              minusma timeline --step month
              minusma map --png

            Exit statuses:
            \(ExitStatus.table)
            """,
            version: "minusma \(version) (PROJ \(ProjContext.projVersion))",
            subcommands: [
                ListCommand.self, ShowCommand.self, DistanceCommand.self, ProjectCommand.self,
                WebCommand.self,
                ExportCommand.self, QGISProjectCommand.self, TimelineCommand.self, MapCommand.self, ValidateCommand.self,
                FormatsCommand.self, EventsCommand.self,
            ]
        )

    public init() {}
}
