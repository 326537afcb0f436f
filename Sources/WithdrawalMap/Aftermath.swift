import Gazetteer

/// What followed the closures, from the events the map was given: who took each camp after the
/// peacekeepers left (the army, the army with Wagner, an armed group), and the attacks on the
/// convoys and camps. Built once per map; empty for data without events (a user's file).
struct Aftermath {
    /// Who took a camp. The order is the legend's.
    enum Taker: CaseIterable {
        case army, armyWithWagner, armedGroup

        /// A seizure is by an armed group; a takeover is the army's when its actor names the
        /// FAMa (with Wagner when the actor names Wagner too), else an armed group's.
        init(kind: EventKind, actor: String) {
            let a = actor.lowercased()
            if kind == .takeover && (a.contains("fama") || a.contains("army")) {
                self = a.contains("wagner") ? .armyWithWagner : .army
            } else {
                self = .armedGroup
            }
        }

        /// The symbol's class in the SVG (tests count them).
        var cssClass: String {
            switch self {
            case .army: return "takeover-army"
            case .armyWithWagner: return "takeover-army-wagner"
            case .armedGroup: return "takeover-armed-group"
            }
        }
    }

    struct Takeover: Equatable {
        let date: CalendarDate
        let taker: Taker
    }

    struct Attack {
        let date: CalendarDate
        let onCamp: Bool
    }

    /// Each site's takeovers in date order, by site id; a repeat of the same taker on the same
    /// day (two sources' rows of one event) is drawn once.
    let takeovers: [String: [Takeover]]
    /// The attacks on convoys and camps, in date order.
    let attacks: [Attack]

    init(events: [SiteEvent], sites: [Site]) {
        let known = Set(sites.map(\.id))
        var byID: [String: [Takeover]] = [:]
        var attacks: [Attack] = []
        for e in events.sorted(by: { ($0.date, $0.id) < ($1.date, $1.id) }) where known.contains(e.siteID) {
            switch e.kind {
            case .takeover, .seizure:
                let t = Takeover(date: e.date, taker: Taker(kind: e.kind, actor: e.actor))
                if byID[e.siteID]?.contains(t) != true { byID[e.siteID, default: []].append(t) }
            case .attackOnConvoy, .attackOnCamp:
                attacks.append(Attack(date: e.date, onCamp: e.kind == .attackOnCamp))
            default:
                break
            }
        }
        takeovers = byID
        self.attacks = attacks
    }

    var isEmpty: Bool { takeovers.isEmpty && attacks.isEmpty }

    /// The takers the map shows, for the legend.
    var takers: [Taker] { Taker.allCases.filter { t in takeovers.values.contains { $0.contains { $0.taker == t } } } }

    /// A site's takeovers known on `day` (all of them on the map of the whole withdrawal).
    func takeovers(of site: Site, on day: CalendarDate?) -> [Takeover] {
        let all = takeovers[site.id] ?? []
        guard let day else { return all }
        return all.filter { $0.date <= day }
    }
}

/// The takeover symbols, drawn the same on the map and in the legend.
enum TakeoverSymbol {
    /// The side of a symbol, in pixels, and the gap between two.
    static let size = 10.0
    static let gap = 2.0

    static let armyColor = "#4d6b2e"
    static let armedGroupColor = "#b03a2e"

    /// The symbol centred on (x, y): a square for the army (with a W for Wagner), a triangle for
    /// an armed group.
    static func svg(_ taker: Aftermath.Taker, x: Double, y: Double) -> String {
        let h = size / 2
        let cls = "class=\"\(taker.cssClass)\""
        switch taker {
        case .army:
            return "<rect \(cls) x=\"\(SVG.n(x - h))\" y=\"\(SVG.n(y - h))\" width=\"\(SVG.n(size))\" height=\"\(SVG.n(size))\" fill=\"\(armyColor)\" stroke=\"#ffffff\" stroke-width=\"1\"/>"
        case .armyWithWagner:
            // No group around the two: the legend's group is read up to its first "</g>".
            return "<rect \(cls) x=\"\(SVG.n(x - h))\" y=\"\(SVG.n(y - h))\" width=\"\(SVG.n(size))\" height=\"\(SVG.n(size))\" fill=\"\(armyColor)\" stroke=\"#1f1f1f\" stroke-width=\"1\"/>"
                + "<text x=\"\(SVG.n(x))\" y=\"\(SVG.n(y + 3.2))\" text-anchor=\"middle\" font-size=\"8.5\" font-weight=\"bold\" fill=\"#ffffff\">W</text>"
        case .armedGroup:
            return "<path \(cls) d=\"M\(SVG.n(x)) \(SVG.n(y - h - 0.5))L\(SVG.n(x + h + 0.5)) \(SVG.n(y + h))L\(SVG.n(x - h - 0.5)) \(SVG.n(y + h))Z\" fill=\"\(armedGroupColor)\" stroke=\"#ffffff\" stroke-width=\"1\"/>"
        }
    }

    /// The width of a row of `count` symbols.
    static func rowWidth(_ count: Int) -> Double {
        Double(count) * size + Double(max(0, count - 1)) * gap
    }
}
