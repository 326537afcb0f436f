import Cartography
import Gazetteer
import TextOutput
import WithdrawalMap

/// `minusma web`'s page: one HTML file holding Leaflet, the base map, the sites and the script,
/// which loads nothing from anywhere (a Content-Security-Policy forbids it) unless tiles are asked for.
public struct WebPage {
    public var sites: [Site]
    /// The data is the built-in gazetteer: the counter speaks of the withdrawal.
    public var builtIn: Bool
    /// The sites' events (Data/events.csv for the built-in data; none for a user's).
    public var events: [SiteEvent]
    public var title: Localized
    public var attribution: Localized
    public var language: Language
    public var colorBy: MapOptions.ColorBy
    /// A tile URL template (`https://.../{z}/{x}/{y}.png`), already checked; nil: no tiles.
    public var tiles: String?
    /// The slider's first and last day; nil when the data has no dates.
    public var range: (start: CalendarDate, end: CalendarDate)?

    public init(sites: [Site], builtIn: Bool, events: [SiteEvent], title: Localized, attribution: Localized,
                language: Language, colorBy: MapOptions.ColorBy, tiles: String?,
                range: (start: CalendarDate, end: CalendarDate)?) {
        self.sites = sites
        self.builtIn = builtIn
        self.events = events
        self.title = title
        self.attribution = attribution
        self.language = language
        self.colorBy = colorBy
        self.tiles = tiles
        self.range = range
    }

    /// The slider's days from the data: from the earliest opening (or the day before the first
    /// closure, so every site is seen open once) to the last date. `fixedStart` is where a known
    /// story begins (MINUSMA's withdrawal); nil for a user's data.
    public static func dateRange(of sites: [Site], fixedStart: CalendarDate?) -> (start: CalendarDate, end: CalendarDate)? {
        let openings = sites.compactMap(\.openingDate), closures = sites.compactMap(\.closureDate)
        guard let last = (openings + closures).max() else { return nil }
        var starts = openings
        if let firstClosure = closures.min() { starts.append(firstClosure.advanced(byDays: -1) ?? firstClosure) }
        if let fixedStart { starts.append(fixedStart) }
        let start = starts.min() ?? last
        return (start, max(start, last))
    }

    /// The whole page.
    public var html: String {
        let texts = PageText.all(builtIn: builtIn)
        func say(_ key: String) -> String {
            let text = texts.first { $0.key == key }?.text ?? Localized(key)
            return Formatting.xmlEscaped(language == .fr ? text.fr : text.en)
        }
        let lang = language.rawValue
        var page = """
            <!DOCTYPE html>
            <html lang="\(lang)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="\(contentSecurityPolicy)">
            <meta name="referrer" content="no-referrer">
            <title>\(Formatting.xmlEscaped(language == .fr ? title.fr : title.en))</title>
            <style>
            \(LeafletAssets.css)
            </style>
            <style>
            \(LeafletAssets.pageCSS)</style>
            </head>
            <body>
            <div id="panel">
            <h1 id="title">\(Formatting.xmlEscaped(language == .fr ? title.fr : title.en))</h1>
            <div class="lang" role="group" data-label="languageLabel" aria-label="\(say("languageLabel"))">
            <button type="button" data-lang="en" lang="en" aria-pressed="\(language == .en)">English</button>
            <button type="button" data-lang="fr" lang="fr" aria-pressed="\(language == .fr)">Français</button>
            </div>
            <label for="day" data-text="dayLabel">\(say("dayLabel"))</label>
            <output id="date-label" for="day" aria-live="polite"></output>
            <input type="range" id="day" min="0" max="0" step="1" value="0" data-label="sliderLabel" aria-label="\(say("sliderLabel"))">
            <div class="controls"><button type="button" id="play" aria-pressed="false">\(say("play"))</button></div>
            <div class="counter" aria-live="polite"><p id="open-count"></p><p id="closed-count"></p></div>
            <div id="legend"></div>
            <p id="credits">\(Formatting.xmlEscaped(language == .fr ? attribution.fr : attribution.en))</p>
            <p class="note" data-text="keyboardHint">\(say("keyboardHint"))</p>
            </div>
            <div id="map" role="region" data-label="mapLabel" aria-label="\(say("mapLabel"))"></div>
            <pre id="page-state" hidden></pre>
            <script>
            \(Self.errorCatcher)
            </script>
            <script>
            \(LeafletAssets.licenceHeader)
            \(LeafletAssets.script)
            </script>
            <script type="application/json" id="page-data">\(PageData(page: self, texts: texts).json)</script>
            <script>
            \(LeafletAssets.pageJS)</script>
            </body>
            </html>

            """
        if !page.hasSuffix("\n") { page += "\n" }
        return page
    }

    /// Nothing may be loaded but what the page holds: inline scripts and styles, data: images,
    /// and with `--tiles` images from the tiles' scheme.
    var contentSecurityPolicy: String {
        var images = "data:"
        if let tiles, let colon = tiles.firstIndex(of: ":") { images += " " + tiles[...colon].lowercased() }
        return "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src \(images)"
    }

    /// Runs before Leaflet: every error, console error and blocked load is kept, for the tests
    /// and for anyone who opens the page's state.
    static let errorCatcher = """
        window.pageErrors = [];
        (function (caught) {
          window.addEventListener('error', function (e) { caught.push('error: ' + e.message); });
          window.addEventListener('unhandledrejection', function (e) { caught.push('rejection: ' + e.reason); });
          document.addEventListener('securitypolicyviolation', function (e) { caught.push('blocked: ' + e.blockedURI); });
          var original = console.error;
          console.error = function () { caught.push('console: ' + Array.prototype.join.call(arguments, ' ')); original.apply(console, arguments); };
        })(window.pageErrors);
        """
}
