import ArgumentParser
import Cartography
import Gazetteer
import TextOutput
import WebPage

struct WebCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web",
        abstract: "Write one self-contained HTML page: the sites on a Leaflet map with a time slider, FR/EN.",
        discussion: """
        Writes minusma-sites.html (<file>.html with --data): Leaflet, the Natural Earth base map, the sites and \
        their uncertainty circles, all inside the file. It opens from disk and loads nothing from the network, \
        unless --tiles adds a tile layer for readers who are online.

        The slider runs over the data's own dates; a site is shown on a day exactly when \
        'minusma export --as-of DAY' keeps it. The day is in the address (minusma-sites.html#2023-11-01), \
        so a link can share a day. Popups give the dates, phase, uncertainty, sources and, for the built-in \
        sites, their events. --lang sets the first language; buttons switch between English and French.

        Examples:
          minusma web
          minusma web --lang fr --color-by phase
          minusma web --tiles 'https://tiles.example.org/{z}/{x}/{y}.png' --attribution 'Tiles: example.org'
          minusma web --data health-centres.csv --title "Health centres, 2005-2023"
        """
    )

    @Option(name: .long, help: ArgumentHelp("The folder to write into (it must exist).", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Base name of the file (default: minusma-sites, or the --data file's name).", valueName: "name"))
    var name: String?

    @Option(name: .long, help: ArgumentHelp("Colour the sites by closure date or by phase.", valueName: "scheme"))
    var colorBy: MapCommand.ColorScheme = .date

    @Option(name: .long, help: ArgumentHelp(
        "A tile layer under the base map, for readers who are online: an http or https URL with {z}, {x} and {y}.",
        valueName: "url"))
    var tiles: String?

    @OptionGroup var text: LayerTextOptions
    @OptionGroup var language: LanguageOption
    @OptionGroup var data: DataOptions

    func validate() throws {
        if let name { try OutputName.validate(name) }
        try OutputName.validateFolder(out)
        if let tiles { try Self.checkTiles(tiles) }
    }

    /// A tile URL template Leaflet can use and the page's policy can allow: http or https, a
    /// host, the three placeholders, and nothing that is not a URL's character.
    static func checkTiles(_ url: String) throws {
        let lower = url.lowercased()
        guard let scheme = ["https://", "http://"].first(where: { lower.hasPrefix($0) }), url.count > scheme.count,
              !url.dropFirst(scheme.count).hasPrefix("/") else {
            throw ValidationError("--tiles '\(DisplayText.escaped(url, keepingLineBreaks: false))': expected an http:// or https:// URL with a host")
        }
        let missing = ["{z}", "{x}", "{y}"].filter { !url.contains($0) }
        guard missing.isEmpty else {
            throw ValidationError("--tiles '\(DisplayText.escaped(url, keepingLineBreaks: false))': found no \(missing.joined(separator: ", ")); expected a template such as https://tiles.example.org/{z}/{x}/{y}.png")
        }
        if let bad = url.unicodeScalars.first(where: { $0.value <= 0x20 || $0.value >= 0x7F || "\"'<>\\`".unicodeScalars.contains($0) }) {
            throw ValidationError("--tiles holds '\(DisplayText.escaped(String(bad), keepingLineBreaks: false))' (U+\(String(bad.value, radix: 16, uppercase: true))): expected a URL of printable ASCII, percent-encoded where needed")
        }
    }

    func run() throws {
        let gazetteer = try data.load()
        let events: [SiteEvent]
        if data.usesBuiltIn {
            do { events = try FactReader.builtInEvents() } catch { throw CommandFailure.from(error) }
        } else {
            events = []
        }
        let wording = data.usesBuiltIn ? PageWording.minusma(source: gazetteer.source) : PageWording.neutral(source: gazetteer.source)
        let page = WebPage(
            sites: gazetteer.sitesInClosureOrder, builtIn: data.usesBuiltIn, events: events,
            title: text.title.map { Localized($0) } ?? wording.title,
            attribution: wording.credits(attribution: text.attribution),
            language: language.language, colorBy: colorBy.scheme, tiles: tiles,
            range: WebPage.dateRange(of: gazetteer.sites, fixedStart: data.usesBuiltIn ? Timeline.withdrawalStart : nil))
        let path = FilePath.join(out ?? OutputFolder.default(), (name ?? data.outputName(builtIn: "minusma-sites", suffix: "")) + ".html")
        do {
            let file = try AtomicFile(path: path)
            let buffer = OutputBuffer(sink: file)
            buffer.append(string: page.html)
            try buffer.flush()
            try file.commit()
        } catch { throw CommandFailure.from(error) }
        Console.output("Wrote \(OutputFolder.display(path))\n")
    }
}
