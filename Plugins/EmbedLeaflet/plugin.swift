import Foundation
import PackagePlugin

/// Embeds Leaflet (from Debian's `libjs-leaflet`) and the page's own script and style into the
/// `WebPage` target, so that `minusma web` writes a self-contained page wherever the binary is
/// copied. A machine without the package fails the build with the package's name.
@main
struct EmbedLeaflet: BuildToolPlugin {
    /// Where Debian's libjs-leaflet puts Leaflet.
    static let leafletFolder = "/usr/share/javascript/leaflet"

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let assets = root.appending(path: "Sources/WebPage/Assets")
        let files: [(name: String, url: URL)] = [
            ("leafletJS", URL(fileURLWithPath: Self.leafletFolder).appending(path: "leaflet.min.js")),
            ("leafletCSS", URL(fileURLWithPath: Self.leafletFolder).appending(path: "leaflet.css")),
            ("pageJS", assets.appending(path: "page.js")),
            ("pageCSS", assets.appending(path: "page.css")),
        ]
        for file in files.prefix(2) where !FileManager.default.fileExists(atPath: file.url.path()) {
            throw LeafletMissing(path: file.url.path())
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding Leaflet and the page's script into \(target.name)",
                executable: try context.tool(named: "embed-data").url,
                arguments: [output.path()] + files.map { "\($0.name)=\($0.url.path())" },
                inputFiles: files.map(\.url),
                outputFiles: [output]
            )
        ]
    }
}

struct LeafletMissing: Error, CustomStringConvertible {
    let path: String
    var description: String {
        "\(path) is missing: minusma web inlines Leaflet from the Debian package libjs-leaflet (apt-get install libjs-leaflet)"
    }
}
