import Foundation
import Testing
import TestSupport

/// `minusma web`, opened in headless Chromium with the network cut off: the page reports what it
/// drew into a hidden element, which `--dump-dom` prints.
@Suite struct WebCommandTests {
    /// What the page's script wrote into `#page-state`.
    struct PageState {
        let day: String?
        let markers: [String]
        let open: [String]
        let errors: [String]
        let resources: [String]
        let hash: String
        let title: String
        let scripts: Int
        /// Uncertainty circles on the map.
        let circles: Int
        /// Markers reachable with Tab, named, and opened with Enter.
        let focusable: Int
        /// Leaflet's keyboard handling is on (the map takes focus).
        let mapKeyboard: Bool
        /// The page's DOM as Chromium serialised it.
        let dom: String
    }

    static let chromiumMissing = "chromium is not installed (Debian package chromium; `make test` installs it)"

    /// Loads `page#fragment` in headless Chromium, with no proxy reachable and no name resolved,
    /// and reads its state.
    static func state(_ page: String, fragment: String?) throws -> PageState? {
        if TestSupport.requireTool("chromium") != nil { Issue.record(Comment(rawValue: chromiumMissing)); return nil }
        let profile = try TestSupport.temporaryFolder("minusma-chromium")
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let url = URL(fileURLWithPath: page).absoluteString + (fragment.map { "#" + $0 } ?? "")
        let r = try TestSupport.run("chromium", offlineFlags(profile) + ["--virtual-time-budget=5000", "--dump-dom", url])
        #expect(r.status == 0, "chromium: \(r.stderr.suffix(2000))")
        guard let start = r.stdout.range(of: "<pre id=\"page-state\" hidden=\"\">"),
              let end = r.stdout.range(of: "</pre>", range: start.upperBound..<r.stdout.endIndex) else {
            Issue.record("the page wrote no state (its script did not run): \(r.stdout.prefix(500))")
            return nil
        }
        let text = r.stdout[start.upperBound..<end.lowerBound]
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        return PageState(day: json["day"] as? String, markers: json["markers"] as? [String] ?? [],
                         open: json["open"] as? [String] ?? [], errors: json["errors"] as? [String] ?? ["no errors list"],
                         resources: json["resources"] as? [String] ?? [], hash: json["hash"] as? String ?? "",
                         title: json["title"] as? String ?? "", scripts: json["scripts"] as? Int ?? -1,
                         circles: json["circles"] as? Int ?? -1, focusable: json["focusable"] as? Int ?? -1,
                         mapKeyboard: json["mapKeyboard"] as? Bool ?? false, dom: r.stdout)
    }

    static func offlineFlags(_ profile: String) -> [String] {
        ["--headless=new", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)", "--no-first-run",
         "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND", "--disable-background-networking"]
    }

    /// The ids `minusma export --as-of DAY --format csv` keeps, read back by ogrinfo: all of them,
    /// and those with a position (the ones a map can draw).
    static func asOfIDs(_ day: String, data: [String]) throws -> (all: [String], placed: [String]) {
        let dir = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try TestSupport.minusma(["export", "--as-of", day, "--format", "csv", "--out", dir, "--name", "asof", "--quiet"] + data)
        #expect(r.status == 0, "\(r.stderr)")
        let features = try OGR.features(dir + "/asof.csv")
        let placed = features.filter { !($0.fields["longitude"] ?? "").isEmpty && $0.fields["longitude"] != "(null)" }
        return (features.compactMap { $0.fields["id"] }.sorted(), placed.compactMap { $0.fields["id"] }.sorted())
    }

    /// Nothing was loaded from outside the page (Leaflet's images included), and nothing failed.
    static func expectClean(_ state: PageState, _ context: String) {
        #expect(state.errors.isEmpty, "\(context): errors in the page: \(state.errors)")
        let outside = state.resources.filter { !$0.hasPrefix("file://") && !$0.hasPrefix("data:") }
        #expect(outside.isEmpty, "\(context): requests that leave file://: \(outside)")
    }

    @Test func builtInPageShowsExactlyWhatAsOfKeeps() throws {
        let dir = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try TestSupport.minusma(["web", "--out", dir]).status == 0)
        for day in ["2023-08-03", "2023-10-21", "2023-11-01", "2024-07-22"] {
            guard let state = try Self.state(dir + "/minusma-sites.html", fragment: day) else { return }
            let expected = try Self.asOfIDs(day, data: [])
            #expect(state.day == day)
            #expect(state.markers == expected.placed, "markers on \(day)")
            #expect(state.open == expected.all, "sites counted open on \(day)")
            #expect(state.circles == expected.placed.count, "every built-in site drawn has its uncertainty circle")
            #expect(state.focusable == state.markers.count && state.mapKeyboard, "markers and map reachable by keyboard")
            Self.expectClean(state, day)
        }
    }

    /// `#DAY/SITE` opens the site's popup: its dates, uncertainty, events in the page's language
    /// and sources as links that open apart from the page.
    @Test func fragmentOpensASitesPopup() throws {
        let dir = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try TestSupport.minusma(["web", "--out", dir, "--lang", "fr"]).status == 0)
        guard let state = try Self.state(dir + "/minusma-sites.html", fragment: "2023-10-01/kidal") else { return }
        let popup = try #require(state.dom.components(separatedBy: "<div class=\"popup\">").dropFirst().first)
        #expect(popup.hasPrefix("<h2>Kidal</h2>"))
        #expect(popup.contains("<dt>Fermeture</dt><dd>31 octobre 2023</dd>"))
        #expect(popup.contains("<dt>Incertitude de position</dt><dd>1\u{202F}000 m</dd>"))
        #expect(popup.contains("<h3>Événements</h3>"))
        #expect(popup.contains("<strong>31 octobre 2023 — départ</strong> Le dernier convoi routier"))
        #expect(popup.contains("target=\"_blank\" rel=\"noopener\">https://"))
        Self.expectClean(state, "popup")
    }

    /// A reader at the keyboard, through the DevTools protocol (Tests/web/drive_page.py, standard
    /// library only): Tab reaches the slider, an arrow key moves the day and the address follows,
    /// Tab reaches a marker and Enter opens it, the French button switches every text, Play plays.
    @Test func keyboardSliderLanguageAndPlay() throws {
        if TestSupport.requireTool("chromium") != nil { Issue.record(Comment(rawValue: Self.chromiumMissing)); return }
        let dir = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try TestSupport.minusma(["web", "--out", dir]).status == 0)
        try FileManager.default.createDirectory(atPath: dir + "/profile", withIntermediateDirectories: true)
        let r = try TestSupport.run("/usr/bin/python3", [TestSupport.path("Tests/web/drive_page.py"), dir + "/minusma-sites.html", dir + "/profile"])
        #expect(r.status == 0, "drive_page.py: \(r.stderr)")
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(seen["start"] as? String == "#2023-10-20")
        #expect(seen["sliderFocused"] as? Bool == true)
        #expect(seen["afterArrow"] as? String == "#2023-10-21", "moving the slider updates the fragment")
        #expect(seen["labelAfterArrow"] as? String == "21 October 2023")
        #expect((seen["focusedSite"] as? String).map { !$0.isEmpty } == true, "a marker is reachable with Tab")
        #expect(seen["popupOpen"] as? Bool == true, "Enter opens the focused marker's popup")
        let french = try #require(seen["french"] as? [String: Any])
        let open = try Self.asOfIDs("2023-10-21", data: []).all.count
        #expect(french["lang"] as? String == "fr")
        #expect(french["title"] as? String == "Le retrait de la MINUSMA du Mali, 2023–2024")
        #expect(french["texts"] as? [String] == [PageWords.dayLabelFR, PageWords.keyboardFR])
        #expect(french["label"] as? String == "21 octobre 2023")
        #expect(french["counter"] as? String == "\(open) sur 13 encore ouverts")
        #expect(french["popup"] as? String == "Région", "the open popup is rebuilt in French")
        #expect(french["zoom"] as? String == "Zoom avant")
        #expect(french["slider"] as? String == "Jour affiché sur la carte")
        #expect(seen["playing"] as? String == "Pause")
        #expect((seen["afterPlay"] as? String ?? "") > "#2023-10-21", "Play moves the day on")
        #expect((seen["errors"] as? [String]) == [])
    }

    /// A day outside the data's range is brought to its nearest end, and the address says so.
    @Test func fragmentOutsideTheRangeIsClampedAndRewritten() throws {
        let dir = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try TestSupport.minusma(["web", "--out", dir, "--lang", "fr"]).status == 0)
        guard let early = try Self.state(dir + "/minusma-sites.html", fragment: "1990-01-01") else { return }
        #expect(early.day == "2023-07-01" && early.hash == "#2023-07-01" && early.markers.count == 13)
        guard let late = try Self.state(dir + "/minusma-sites.html", fragment: "2030-01-01") else { return }
        #expect(late.day == "2024-11-15" && late.hash == "#2024-11-15" && late.markers.isEmpty)
        #expect(late.title == "Le retrait de la MINUSMA du Mali, 2023–2024")
    }

    /// A user's gazetteer: its own title and days, and none of MINUSMA's words or dates.
    @Test func userGazetteerPageIsTheirs() throws {
        let dir = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = ["--data", TestSupport.path("Tests/Fixtures/health-centres.csv")]
        for language in ["en", "fr"] {
            #expect(try TestSupport.minusma(["web", "--out", dir, "--lang", language] + data).status == 0)
            let html = try TestSupport.read(dir + "/health-centres.html")
            for word in ["minusma", "withdrawal", "retrait", "malian authorities", "autorités maliennes", "2013-07-01", "2023-07-01", "2024-11-15"] {
                #expect(!html.lowercased().contains(word), "the page of a user's data says '\(word)'")
            }
        }
        let titled = try TestSupport.minusma(["web", "--out", dir, "--name", "titled", "--title", "Centres de santé",
                                              "--attribution", "Data: Ministry of Health <2024>"] + data)
        #expect(titled.status == 0)
        let titledHTML = try TestSupport.read(dir + "/titled.html")
        #expect(titledHTML.contains("<title>Centres de santé</title>"))
        #expect(titledHTML.contains("<p id=\"credits\">Data: Ministry of Health &lt;2024&gt;\nBase map: Natural Earth"))
        let page = dir + "/health-centres.html"
        guard let first = try Self.state(page, fragment: nil) else { return }
        #expect(first.day == "2005-01-01", "the slider starts at the fixture's earliest opening")
        #expect(first.title == "health-centres")
        for day in ["2006-02-08", "2020-06-12", "2023-12-31"] {
            guard let state = try Self.state(page, fragment: day) else { return }
            let expected = try Self.asOfIDs(day, data: data)
            #expect(state.markers == expected.placed, "markers on \(day)")
            #expect(state.open == expected.all, "open on \(day)")
            Self.expectClean(state, day)
        }
    }

    /// Markup in a user's note, name and title stays text: the page's four scripts run, the
    /// note's does not, and the title reads back as given. An absurd uncertainty (1e300 m) and
    /// none at all (0 m) draw without an error.
    @Test func hostileTextStaysText() throws {
        let dir = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = dir + "/hostile.csv"
        try """
            id,name,latitude,longitude,closed_on,coord_uncertainty_m,notes
            x-1,"<b>Café & ""Bar""</b>",12.6,-8.0,2021-05-01,1e300,"</script><script>document.title='pwned'</script><!-- \\u2028"
            x-2,Plain,13.0,-7.5,2022-01-01,0,"]]> </SCRIPT> &amp; \\"

            """.write(toFile: csv, atomically: true, encoding: .utf8)
        let title = "</title><script>document.title='pwned'</script> & «titre»"
        let r = try TestSupport.minusma(["web", "--data", csv, "--out", dir, "--title", title])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try TestSupport.read(dir + "/hostile.html")
        #expect(!html.contains("<script>document.title"), "data markup reached the page as markup")
        guard let state = try Self.state(dir + "/hostile.html", fragment: "2021-04-30") else { return }
        #expect(state.scripts == 4)
        #expect(state.title == title)
        #expect(state.markers == ["x-1", "x-2"])
        Self.expectClean(state, "hostile text")
    }

    /// Data without any date: no slider to move, every site shown and counted.
    @Test func dataWithoutDatesShowsEverySite() throws {
        let dir = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "id,name,latitude,longitude\na,Alpha,12.6,-8.0\nb,Beta,,\nc,Gamma,14.5,-4.2\n".write(toFile: dir + "/undated.csv", atomically: true, encoding: .utf8)
        #expect(try TestSupport.minusma(["web", "--data", dir + "/undated.csv", "--out", dir]).status == 0)
        guard let state = try Self.state(dir + "/undated.html", fragment: "2020-01-01") else { return }
        #expect(state.day == nil)
        #expect(state.markers == ["a", "c"] && state.open == ["a", "b", "c"])
        #expect(state.dom.contains("<p id=\"open-count\">3 of 3 shown</p>"))
        Self.expectClean(state, "undated")
    }

    @Test func reproducibleCommittedAndOffline() throws {
        let dir = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try TestSupport.minusma(["web", "--out", dir]).status == 0)
        let first = try TestSupport.bytes(dir + "/minusma-sites.html")
        #expect(try TestSupport.minusma(["web", "--out", dir]).status == 0)
        #expect(try TestSupport.bytes(dir + "/minusma-sites.html") == first, "byte-identical on rerun")
        #expect(first == (try? TestSupport.bytes(TestSupport.path("Output/minusma-sites.html"))),
                "Output/minusma-sites.html is the committed page: run `make export`")
        let html = String(decoding: first, as: UTF8.self)
        #expect(html.contains("content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\""))
        #expect(html.contains("(c) 2010-2019 Vladimir Agafonkin, (c) 2010-2011 CloudMade"), "Leaflet's notice is kept")
        #expect(html.contains("Redistributions of source code must retain the above copyright notice"))
        #expect(!html.contains("sourceMappingURL"))
    }

    @Test func tilesAreCheckedAndAllowedOnlyWhenAsked() throws {
        let dir = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for bad in ["ftp://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org/{z}/{x}.png", "https:///{z}/{x}/{y}",
                    "https://tiles.example.org/{z}/{x}/{y}.png\"><script>", "tiles.example.org/{z}/{x}/{y}.png"] {
            let r = try TestSupport.minusma(["web", "--out", dir, "--tiles", bad])
            #expect(r.status == 64, "--tiles \(bad)")
            #expect(r.stderr.contains("--tiles"))
        }
        let url = "https://tiles.example.org/{z}/{x}/{y}.png?key=a&b=1"
        #expect(try TestSupport.minusma(["web", "--out", dir, "--tiles", url]).status == 0)
        let html = try TestSupport.read(dir + "/minusma-sites.html")
        #expect(html.contains("img-src data: https:\""))
        #expect(html.contains("\"tiles\":\"https://tiles.example.org/{z}/{x}/{y}.png?key=a\\u0026b=1\""))
    }
}

/// The page's French words the keyboard test expects, as a reader sees them.
enum PageWords {
    static let dayLabelFR = "Jour affiché"
    static let keyboardFR = "Clavier : Tab atteint les boutons, le curseur (les flèches changent le jour) et chaque site dessiné (Entrée l’ouvre) ; sur la carte, les flèches déplacent et + et − zooment."
}
