import ArgumentParser
import Gazetteer

/// The human text of what a command writes, when the data's own is not what the user wants. For a
/// user's gazetteer, nothing speaks of MINUSMA: the title defaults to the file's name.
struct LayerTextOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Title of the layer (KML document, GeoPackage identifier, QGIS project, map). Default: the file's name, or the built-in gazetteer's title.",
        valueName: "text"))
    var title: String?

    @Option(name: .long, help: ArgumentHelp("Who to credit for the data (written in descriptions and credits).", valueName: "text"))
    var attribution: String?
}

extension DataOptions {
    /// The title of a user's layer when none is given: the file's name without its folder and
    /// extension.
    var defaultTitle: String {
        guard let path = data, path != "-" else { return data == "-" ? "Gazetteer from standard input" : "Sites" }
        var name = Substring(path)
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = name[..<dot] }
        return name.isEmpty ? "Sites" : String(name)
    }
}

extension DataOptions {
    /// The rules and words that apply: MINUSMA's for the built-in data only.
    var profile: ValidationProfile { usesBuiltIn ? .minusma : .generic }
}
