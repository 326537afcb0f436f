import PackagePlugin

/// Embeds the gazetteer and the base map from the package's `Data/` folder into the target that
/// uses this plugin: the CSV as a string constant, the GeoJSON layers decoded at build time (see
/// `Sources/embed-data`). The files are declared as inputs, so editing `Data/` rebuilds the binary.
@main
struct EmbedData: BuildToolPlugin {
    /// Swift name -> path under the package root.
    static let files: [(name: String, path: String)] = [
        ("sitesCSV", "Data/minusma-sites.csv"),
        ("eventsCSV", "Data/events.csv"),
        ("contingentsCSV", "Data/contingents.csv"),
        ("coordsCheckCSV", "Data/coords-check.csv"),
        ("maliAdmin0", "Data/basemap/mali_admin0.geojson"),
        ("maliAdmin1", "Data/basemap/mali_admin1.geojson"),
        ("neighboursAdmin0", "Data/basemap/neighbours_admin0.geojson"),
    ]

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let inputs = Self.files.map { root.appending(path: $0.path) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFiles.swift")
        let arguments = [output.path()] + zip(Self.files, inputs).map { "\($0.0.name)=\($0.1.path())" }
        return [
            .buildCommand(
                displayName: "Embedding the files of Data into \(target.name)",
                executable: try context.tool(named: "embed-data").url,
                arguments: arguments,
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
