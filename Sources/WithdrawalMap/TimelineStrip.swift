import Cartography
import Gazetteer
import TextOutput

/// The strip's rectangle on the page.
struct StripGeometry {
    let left: Double, right: Double, top: Double, height: Double
    var bottom: Double { top + height }
}

extension WithdrawalMapRenderer {
    var stripGeometry: StripGeometry {
        StripGeometry(left: Self.margin + 46, right: Self.pageWidth - Self.margin - 10,
                      top: bodyBottom + 56, height: Self.stripHeight - 70)
    }

    /// The strip under the map, over the data's own closure dates: the phases as bands, the number
    /// of sites open as a step line, and a mark per closure. Without closure dates, a note instead.
    func appendTimeline(_ out: OutputBuffer, asOf: CalendarDate?, animated: Bool) {
        let g = stripGeometry
        out.append(string: "<g id=\"timeline\" font-size=\"11\" fill=\"#333333\">\n")
        guard let axis = timeAxis, let lastClosure = closureSpan?.upperBound else {
            out.append(string: "<text x=\"\(SVG.n(Self.margin))\" y=\"\(SVG.n(g.top - 26))\" font-size=\"14\" font-weight=\"bold\" fill=\"#1d1d1d\">\(SVG.text(words.noTimeline))</text>\n")
            out.append(string: "</g>\n")
            return
        }
        let span = Double(axis.days)
        func x(_ d: CalendarDate) -> Double { g.left + (g.right - g.left) * Double(axis.start.days(to: d)) / span }
        let counts = OpenCounts(sites: sites, from: axis.start, through: axis.end)
        let total = Double(max(counts.maximum, 1))
        func y(_ count: Int) -> Double { g.bottom - g.height * Double(count) / total }

        out.append(string: "<text x=\"\(SVG.n(Self.margin))\" y=\"\(SVG.n(g.top - 26))\" font-size=\"14\" font-weight=\"bold\" fill=\"#1d1d1d\">\(SVG.text(words.stillOpen(from: axis.start, to: lastClosure)))</text>\n")

        // Phase bands, from each phase's first to its last closure.
        for phase in Phase.allCases {
            let days = sites.filter { $0.phase == phase }.compactMap(\.closureDate)
            guard let a = days.min(), let b = days.max() else { continue }
            let x0 = x(a) - 3, x1 = max(x(b.adding(days: 1)) + 3, x0 + 10)
            out.append(string: "<rect x=\"\(SVG.n(x0))\" y=\"\(SVG.n(g.top))\" width=\"\(SVG.n(x1 - x0))\" height=\"\(SVG.n(g.height))\" fill=\"\(PhasePalette.hex(phase))\" fill-opacity=\"0.16\"/>")
            out.append(string: "<text x=\"\(SVG.n(x0 + 3))\" y=\"\(SVG.n(g.top - 6))\" font-size=\"10.5\" fill=\"#444\">\(SVG.text(phase.title(wording.language)))</text>\n")
        }

        appendAxes(out, g, axis: axis, maximum: counts.maximum, x: x, y: y)
        appendSteps(out, g, counts: counts, end: axis.end, x: x, y: y)
        appendClosureMarks(out, g, counts: counts, asOf: asOf, x: x, y: y)
        appendAttacks(out, g, axis: axis, asOf: asOf, x: x)

        if let asOf, asOf >= axis.start, asOf <= axis.end {
            let ax = x(asOf)
            out.append(string: "<line x1=\"\(SVG.n(ax))\" y1=\"\(SVG.n(g.top - 2))\" x2=\"\(SVG.n(ax))\" y2=\"\(SVG.n(g.bottom))\" stroke=\"#c0392b\" stroke-width=\"1.5\"/>")
            out.append(string: "<text x=\"\(SVG.n(ax + 4))\" y=\"\(SVG.n(g.top + 10))\" font-size=\"10.5\" fill=\"#c0392b\">\(SVG.text(words.cursorDay(asOf)))</text>\n")
        }
        if animated {
            let dur = SVG.n(animationDuration)
            out.append(string: "<line x1=\"\(SVG.n(g.left))\" y1=\"\(SVG.n(g.top - 2))\" x2=\"\(SVG.n(g.left))\" y2=\"\(SVG.n(g.bottom))\" stroke=\"#c0392b\" stroke-width=\"1.5\"><animate attributeName=\"x1\" from=\"\(SVG.n(g.left))\" to=\"\(SVG.n(g.right))\" dur=\"\(dur)s\" repeatCount=\"indefinite\"/><animate attributeName=\"x2\" from=\"\(SVG.n(g.left))\" to=\"\(SVG.n(g.right))\" dur=\"\(dur)s\" repeatCount=\"indefinite\"/></line>\n")
        }
        out.append(string: "<text x=\"\(SVG.n(Self.margin))\" y=\"\(SVG.n(g.top + g.height / 2))\" font-size=\"10\" fill=\"#666\" transform=\"rotate(-90 \(SVG.n(Self.margin + 4)) \(SVG.n(g.top + g.height / 2)))\" text-anchor=\"middle\">\(words.openAxis)</text>\n")
        out.append(string: "</g>\n")
    }

    /// Counts on the left (about six), the axis's ticks along the bottom.
    private func appendAxes(_ out: OutputBuffer, _ g: StripGeometry, axis: TimeAxis, maximum: Int,
                            x: (CalendarDate) -> Double, y: (Int) -> Double) {
        out.append(string: "<line x1=\"\(SVG.n(g.left))\" y1=\"\(SVG.n(g.bottom))\" x2=\"\(SVG.n(g.right))\" y2=\"\(SVG.n(g.bottom))\" stroke=\"#777\" stroke-width=\"1\"/>\n")
        let step = maximum <= 10 ? 1 : [2, 4, 5, 10, 20, 25, 50, 100, 200, 250, 500].first { maximum / $0 < 6 } ?? max(1, maximum / 5)
        for count in stride(from: 0, through: maximum, by: step) {
            out.append(string: "<line x1=\"\(SVG.n(g.left))\" y1=\"\(SVG.n(y(count)))\" x2=\"\(SVG.n(g.right))\" y2=\"\(SVG.n(y(count)))\" stroke=\"#e2e2e2\" stroke-width=\"0.6\"/>")
            out.append(string: "<text x=\"\(SVG.n(g.left - 6))\" y=\"\(SVG.n(y(count) + 4))\" text-anchor=\"end\">\(count)</text>\n")
        }
        for tick in axis.ticks {
            let tx = x(tick.date)
            out.append(string: "<line x1=\"\(SVG.n(tx))\" y1=\"\(SVG.n(g.bottom))\" x2=\"\(SVG.n(tx))\" y2=\"\(SVG.n(g.bottom + 4))\" stroke=\"#777\"/>")
            if let label = tick.label {
                if let labelEnd = tick.labelEnd {
                    out.append(string: "<text x=\"\(SVG.n((tx + x(labelEnd)) / 2))\" y=\"\(SVG.n(g.bottom + 16))\" font-size=\"10\" text-anchor=\"middle\">\(SVG.text(label))</text>")
                } else {
                    out.append(string: "<text x=\"\(SVG.n(tx + 2))\" y=\"\(SVG.n(g.bottom + 16))\" font-size=\"10\">\(SVG.text(label))</text>")
                }
            }
            out.append(string: "\n")
        }
    }

    /// The step line: the sites open at the start, one step at each opening and closure.
    private func appendSteps(_ out: OutputBuffer, _ g: StripGeometry, counts: OpenCounts, end: CalendarDate,
                             x: (CalendarDate) -> Double, y: (Int) -> Double) {
        var path = "M\(SVG.n(g.left)) \(SVG.n(y(counts.initial)))"
        for change in counts.changes {
            path += "H\(SVG.n(x(change.date)))V\(SVG.n(y(change.after)))"
        }
        path += "H\(SVG.n(x(end)))"
        let area = path + "V\(SVG.n(g.bottom))H\(SVG.n(g.left))Z"
        out.append(string: "<path d=\"\(area)\" fill=\"#5b6b7c\" fill-opacity=\"0.10\"/>\n")
        out.append(string: "<path d=\"\(path)\" fill=\"none\" stroke=\"#3d4a57\" stroke-width=\"1.6\"/>\n")
    }

    /// A red tick at the foot of the strip (clear of the closure marks, which sit high while the
    /// attacks happen) per attack on a convoy or a camp (faint after the day
    /// shown), and its key at the right of the strip's heading.
    private func appendAttacks(_ out: OutputBuffer, _ g: StripGeometry, axis: TimeAxis, asOf: CalendarDate?,
                               x: (CalendarDate) -> Double) {
        let attacks = aftermath.attacks.filter { $0.date >= axis.start && $0.date <= axis.end }
        guard !attacks.isEmpty else { return }
        let color = TakeoverSymbol.armedGroupColor
        for attack in attacks {
            let ax = x(attack.date)
            let future = asOf.map { attack.date > $0 } ?? false
            out.append(string: "<line class=\"attack\" x1=\"\(SVG.n(ax))\" y1=\"\(SVG.n(g.bottom - 10))\" x2=\"\(SVG.n(ax))\" y2=\"\(SVG.n(g.bottom))\" stroke=\"\(color)\" stroke-width=\"1.4\"\(future ? " stroke-opacity=\"0.3\"" : "")/>")
        }
        let key = words.attackKey
        let keyX = g.right - SVG.width(key, size: 11)
        out.append(string: "\n<line x1=\"\(SVG.n(keyX - 8))\" y1=\"\(SVG.n(g.top - 36))\" x2=\"\(SVG.n(keyX - 8))\" y2=\"\(SVG.n(g.top - 27))\" stroke=\"\(color)\" stroke-width=\"1.4\"/>")
        out.append(string: "<text x=\"\(SVG.n(keyX))\" y=\"\(SVG.n(g.top - 27))\" font-size=\"11\" fill=\"#444\">\(SVG.text(key))</text>\n")
    }

    /// A mark per closure, on the step, with its rank when the data has one; ranks that would
    /// collide are lifted, and left out rather than drawn below the strip.
    private func appendClosureMarks(_ out: OutputBuffer, _ g: StripGeometry, counts: OpenCounts, asOf: CalendarDate?,
                                    x: (CalendarDate) -> Double, y: (Int) -> Double) {
        var placed: [(Double, Double)] = []
        for change in counts.changes {
            guard let site = change.closed, let d = site.closureDate else { continue }
            let cx = x(d), cy = y(change.after + 1)
            let closed = asOf.map { !site.isOpen(on: $0) } ?? true
            out.append(string: "<circle cx=\"\(SVG.n(cx))\" cy=\"\(SVG.n(cy))\" r=\"4.5\" fill=\"\(color(site))\" stroke=\"#1f1f1f\" stroke-width=\"0.8\"\(closed ? "" : " fill-opacity=\"0.35\"")/>")
            guard let rank = site.closureOrder else {
                out.append(string: "\n")
                continue
            }
            var ly = cy + 3.5
            while placed.contains(where: { abs($0.0 - (cx + 7)) < 13 && abs($0.1 - ly) < 10 }) { ly += 10 }
            guard ly <= g.bottom + 2 else {
                out.append(string: "\n")
                continue
            }
            placed.append((cx + 7, ly))
            out.append(string: "<text x=\"\(SVG.n(cx + 7))\" y=\"\(SVG.n(ly))\" font-size=\"9.5\" fill=\"#333\">\(rank)</text>\n")
        }
    }
}

/// How many sites are open through the strip's range: those open at its start, and the count
/// after each opening and closure inside it, in date order (openings first on a shared day).
struct OpenCounts {
    struct Change {
        let date: CalendarDate
        let after: Int
        /// The site that closed here; nil for an opening.
        let closed: Site?
    }

    let initial: Int
    let changes: [Change]
    let maximum: Int

    init(sites: [Site], from start: CalendarDate, through end: CalendarDate) {
        // Present when the start day begins: opened by then (or never said) and not closed before it.
        initial = sites.filter { site in
            (site.openingDate.map { $0 <= start } ?? true) && (site.closureDate.map { $0 >= start } ?? true)
        }.count
        var events: [(date: CalendarDate, kind: Int, line: Int, site: Site)] = []
        for site in sites {
            if let opened = site.openingDate, opened > start, opened <= end { events.append((opened, 0, site.line, site)) }
            if let closed = site.closureDate, closed >= start { events.append((closed, 1, site.line, site)) }
        }
        events.sort { ($0.date, $0.kind, $0.line) < ($1.date, $1.kind, $1.line) }
        var open = initial, highest = initial
        var changes: [Change] = []
        for event in events {
            open += event.kind == 0 ? 1 : -1
            highest = max(highest, open)
            changes.append(Change(date: event.date, after: open, closed: event.kind == 1 ? event.site : nil))
        }
        self.changes = changes
        maximum = highest
    }
}
