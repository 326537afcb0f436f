#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import TextOutput
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

    func validate() throws {
        try Self.checkText(title, option: "--title")
        try Self.checkText(attribution, option: "--attribution")
    }

    /// Text from a flag goes into XML, JSON and SQLite as the data does: the characters the
    /// readers refuse in data (NUL, U+FFFE, U+FFFF, C0 controls but tab and line breaks) are
    /// refused here too.
    static func checkText(_ text: String?, option: String) throws {
        guard let text else { return }
        for u in text.unicodeScalars {
            let v = u.value
            if (v < 0x20 && v != 9 && v != 10 && v != 13) || v == 0xFFFE || v == 0xFFFF {
                throw ValidationError("\(option) holds the character U+\(String(v, radix: 16, uppercase: true)), which no output can carry; remove it")
            }
        }
    }
}

extension DataOptions {
    /// The data file's name without its folder and extension; nil for the built-in data and
    /// standard input.
    var fileStem: String? {
        guard let path = data, path != "-" else { return nil }
        var name = Substring(path)
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = name[..<dot] }
        return name.isEmpty ? nil : String(name)
    }

    /// The input file's (device, inode), so that no output replaces it; nil for the built-in
    /// data, standard input and anything that is not a regular file (`stat`, never an open: a
    /// named pipe opened and closed here would lose its writer).
    var inputIdentity: (device: UInt64, inode: UInt64)? {
        guard let path = data, path != "-" else { return nil }
        return FileIdentity.of(path)
    }

    /// Whether the input can be read twice (a regular file): a first pass for the UTM zone
    /// of the data's centre is possible.
    var isRegularFile: Bool { inputIdentity != nil }

    /// The title of a user's layer when none is given: the file's name.
    var defaultTitle: String {
        fileStem ?? (data == "-" ? "Gazetteer from standard input" : "Sites")
    }

    /// The base name of the files a command writes when `--name` is not given: `builtIn` for the
    /// built-in gazetteer, else the data file's name (made safe for `--name`'s rule) and
    /// `suffix`, so that nothing a user exports is named after MINUSMA.
    func outputName(builtIn: String, suffix: String) -> String {
        guard !usesBuiltIn else { return builtIn }
        var safe = String((fileStem ?? "sites").unicodeScalars.map { OutputName.isAllowed($0) ? Character($0) : "_" })
        while safe.hasPrefix(".") { safe.removeFirst() }
        if safe.isEmpty { safe = "sites" }
        return String(safe.prefix(200)) + suffix
    }
}

extension DataOptions {
    /// The rules and words that apply: MINUSMA's for the built-in data only.
    var profile: ValidationProfile { usesBuiltIn ? .minusma : .generic }
}
