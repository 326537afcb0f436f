import Cartography
import Gazetteer
import TextOutput

/// How the legend lists the sites: one roomy column with dates when they fit beside the map, else
/// two or three denser columns of names, else the first ones and "and K more". It never runs below the map's
/// body, so it never reaches the timeline or the credits.
struct LegendLayout: Equatable {
    let columns: Int
    let rowHeight: Double
    let fontSize: Double
    let radius: Double
    let showsDates: Bool
    /// How many sites are listed; the rest are counted in a last row.
    let listed: Int
    let hidden: Int

    static let width = 300.0
    static let columnGap = 10.0

    var columnWidth: Double { (Self.width + Self.columnGap) / Double(columns) - Self.columnGap }
    var rowsPerColumn: Int { (listed + (hidden > 0 ? 1 : 0) + columns - 1) / max(columns, 1) }

    /// The first layout that lists every site in `height` pixels, else the densest, shortened.
    static func choose(count: Int, height: Double) -> LegendLayout {
        let options: [(columns: Int, row: Double, font: Double, radius: Double, dates: Bool)] = [
            // Dates only in one column: beside two columns they would leave names a few letters.
            (1, 22, 12, 6, true), (2, 15, 10, 4.5, false), (3, 12.5, 9, 3.5, false),
        ]
        for o in options {
            let rows = Int(max(0, height) / o.row)
            if rows * o.columns >= count {
                return LegendLayout(columns: o.columns, rowHeight: o.row, fontSize: o.font, radius: o.radius,
                                    showsDates: o.dates, listed: count, hidden: 0)
            }
        }
        let densest = options[options.count - 1]
        let slots = Int(max(0, height) / densest.row) * densest.columns
        let listed = max(0, slots - 1)
        return LegendLayout(columns: densest.columns, rowHeight: densest.row, fontSize: densest.font, radius: densest.radius,
                            showsDates: densest.dates, listed: listed, hidden: count - listed)
    }
}

extension WithdrawalMapRenderer {
    /// A site's footnote mark: it closed with no handover, so its date is the last departure.
    static func noHandoverMark(_ site: Site) -> String {
        site.handoverDate == nil && site.lastDepartureDate != nil && site.closureDate != nil ? "*" : ""
    }

    func appendLegend(_ out: OutputBuffer, asOf: CalendarDate?) {
        let x = frame.left + frame.width + Self.margin
        let headingY = frame.top + 14
        let listTop = headingY + 10
        let tail = appendLegendTail(nil, x: x, y: 0, asOf: asOf)
        let layout = LegendLayout.choose(count: sites.count, height: bodyBottom - 4 - listTop - tail)
        out.append(string: "<g id=\"legend\" font-size=\"12\" fill=\"#2a2a2a\">\n")
        let heading = closureSpan == nil ? words.sitesHeading : words.sitesInClosureOrder
        out.append(string: "<text x=\"\(SVG.n(x))\" y=\"\(SVG.n(headingY))\" font-size=\"14\" font-weight=\"bold\">\(SVG.text(heading))</text>\n")
        for (i, site) in sites.prefix(layout.listed).enumerated() {
            let column = i / max(layout.rowsPerColumn, 1), row = i % max(layout.rowsPerColumn, 1)
            let cx = x + Double(column) * (layout.columnWidth + LegendLayout.columnGap)
            appendLegendRow(out, site: site, number: i + 1, x: cx, y: listTop + Double(row + 1) * layout.rowHeight, layout: layout, asOf: asOf)
        }
        if layout.hidden > 0 {
            let slot = layout.listed
            let column = slot / max(layout.rowsPerColumn, 1), row = slot % max(layout.rowsPerColumn, 1)
            let cx = x + Double(column) * (layout.columnWidth + LegendLayout.columnGap)
            let text = SVG.fitting(words.andMore(layout.hidden), width: layout.columnWidth, size: layout.fontSize)
            out.append(string: "<text x=\"\(SVG.n(cx))\" y=\"\(SVG.n(listTop + Double(row + 1) * layout.rowHeight))\" font-size=\"\(SVG.n(layout.fontSize))\" font-style=\"italic\">\(SVG.text(text))</text>\n")
        }
        let lastRowY = listTop + Double(layout.rowsPerColumn) * layout.rowHeight
        _ = appendLegendTail(out, x: x, y: lastRowY, asOf: asOf)
        out.append(string: "</g>\n")
    }

    /// One site: its symbol, number and name, and (when the layout has room) its date.
    private func appendLegendRow(_ out: OutputBuffer, site: Site, number: Int, x: Double, y: Double,
                                 layout: LegendLayout, asOf: CalendarDate?) {
        let closed = asOf.map { !site.isOpen(on: $0) } ?? false
        let r = layout.radius, cx = x + r + 1, cy = y - layout.fontSize / 3
        if closed {
            out.append(string: "<circle cx=\"\(SVG.n(cx))\" cy=\"\(SVG.n(cy))\" r=\"\(SVG.n(r - 0.5))\" fill=\"#ffffff\" stroke=\"#9a9a9a\" stroke-width=\"1.6\"/>")
        } else {
            out.append(string: "<circle cx=\"\(SVG.n(cx))\" cy=\"\(SVG.n(cy))\" r=\"\(SVG.n(r))\" fill=\"\(color(site))\" stroke=\"#1f1f1f\" stroke-width=\"1\"/>")
        }
        let (name, date) = Self.label(site, words)
        let size = layout.fontSize
        let dateWidth = layout.showsDates ? SVG.width(date, size: size) + 8 : 0
        let textX = x + 2 * r + 8
        let prefix = "\(site.closureOrder ?? number). ", mark = Self.noHandoverMark(site)
        let room = x + layout.columnWidth - dateWidth - textX - SVG.width(prefix + mark, size: size)
        let shown = prefix + SVG.fitting(name, width: room, size: size) + mark
        let fontAttribute = layout.columns == 1 ? "" : " font-size=\"\(SVG.n(size))\""
        out.append(string: "<text x=\"\(SVG.n(textX))\" y=\"\(SVG.n(y))\"\(fontAttribute)\(closed ? " fill=\"#8a8a8a\"" : "")>\(SVG.text(shown))</text>")
        if layout.showsDates {
            out.append(string: "<text x=\"\(SVG.n(x + layout.columnWidth))\" y=\"\(SVG.n(y))\"\(fontAttribute) text-anchor=\"end\" fill=\"\(closed ? "#8a8a8a" : "#555555")\">\(SVG.text(date))</text>")
        }
        out.append(string: "\n")
    }

    /// Everything under the list, from the last row's baseline `y`: the footnote, the colour key,
    /// the day shown and the note on positions. Returns the height used; with `out` nil it only
    /// measures.
    func appendLegendTail(_ out: OutputBuffer?, x: Double, y startY: Double, asOf: CalendarDate?) -> Double {
        var y = startY + 22
        if wording.describesWithdrawal || sites.contains(where: { !Self.noHandoverMark($0).isEmpty }) {
            // Wrapped: the French footnote is longer than the legend is wide.
            for (i, line) in Self.wrap(words.noHandoverFootnote, width: LegendLayout.width, size: 10.5).enumerated() {
                if i > 0 { y += 14 }
                out?.append(string: "<text x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" font-size=\"10.5\" fill=\"#555\">\(SVG.text(line))</text>\n")
            }
        }
        y += 26
        switch options.colorBy {
        case .date: y = appendDateKey(out, x: x, y: y)
        case .phase: y = appendPhaseKey(out, x: x, y: y)
        }
        y = appendTakeoverKey(out, x: x, y: y)
        if let asOf {
            out?.append(string: "<circle cx=\"\(SVG.n(x + 7))\" cy=\"\(SVG.n(y - 4))\" r=\"5.5\" fill=\"#ffffff\" stroke=\"#9a9a9a\" stroke-width=\"1.6\"/><text x=\"\(SVG.n(x + 20))\" y=\"\(SVG.n(y))\" font-size=\"11.5\">\(SVG.text(words.closedBy(asOf)))</text>\n")
            y += 24
        }
        if let note = wording.positionNote {
            for line in Self.wrap(note, width: LegendLayout.width, size: 10.5) {
                out?.append(string: "<text x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" font-size=\"10.5\" fill=\"#555\">\(SVG.text(line))</text>\n")
                y += 14
            }
        }
        return y - startY
    }

    /// The date ramp from the first closure to the last.
    private func appendDateKey(_ out: OutputBuffer?, x: Double, y startY: Double) -> Double {
        var y = startY
        guard let span = closureSpan else {
            out?.append(string: "<text x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" font-size=\"13\" font-weight=\"bold\">\(SVG.text(words.colourNoDates))</text>\n")
            return y + 24
        }
        out?.append(string: "<text x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" font-size=\"13\" font-weight=\"bold\">\(SVG.text(words.colourByDate))</text>\n")
        y += 12
        let steps = 40, width = LegendLayout.width
        for k in 0..<steps {
            let t = Double(k) / Double(steps - 1)
            out?.append(string: "<rect x=\"\(SVG.n(x + width * Double(k) / Double(steps)))\" y=\"\(SVG.n(y))\" width=\"\(SVG.n(width / Double(steps) + 0.4))\" height=\"12\" fill=\"\(DatePalette.hex(at: t))\"/>")
        }
        let (first, last) = (span.lowerBound, span.upperBound)
        out?.append(string: "\n<text x=\"\(SVG.n(x))\" y=\"\(SVG.n(y + 26))\" font-size=\"10.5\">\(SVG.text(words.monthAbbreviation(first))) \(first.year)</text>")
        out?.append(string: "<text x=\"\(SVG.n(x + width))\" y=\"\(SVG.n(y + 26))\" font-size=\"10.5\" text-anchor=\"end\">\(SVG.text(words.monthAbbreviation(last))) \(last.year)</text>\n")
        return y + 44
    }

    /// One swatch per phase: MINUSMA's with their time frames, a user's by name only, and grey
    /// for sites without a phase.
    private func appendPhaseKey(_ out: OutputBuffer?, x: Double, y startY: Double) -> Double {
        var y = startY
        let heading = words.colourByPhase(withdrawal: wording.describesWithdrawal)
        let language = wording.language
        out?.append(string: "<text x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" font-size=\"13\" font-weight=\"bold\">\(SVG.text(heading))</text>\n")
        var entries: [(Phase?, String)] = wording.describesWithdrawal
            ? Phase.allCases.map { ($0, $0.summary(language)) }
            : Phase.allCases.filter { p in sites.contains { $0.phase == p } }.map { ($0, $0.title(language)) }
        if !wording.describesWithdrawal && sites.contains(where: { $0.phase == nil }) { entries.append((nil, words.noPhase)) }
        for (phase, text) in entries {
            y += 20
            out?.append(string: "<circle cx=\"\(SVG.n(x + 7))\" cy=\"\(SVG.n(y - 4))\" r=\"6\" fill=\"\(PhasePalette.hex(phase))\" stroke=\"#1f1f1f\" stroke-width=\"1\"/><text x=\"\(SVG.n(x + 20))\" y=\"\(SVG.n(y))\" font-size=\"11.5\">\(SVG.text(text))</text>\n")
        }
        return y + 24
    }

    /// The takeover symbols the map shows, with who each stands for; nothing without them.
    private func appendTakeoverKey(_ out: OutputBuffer?, x: Double, y startY: Double) -> Double {
        let takers = aftermath.takers
        guard !takers.isEmpty else { return startY }
        var y = startY + 6
        out?.append(string: "<text x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" font-size=\"13\" font-weight=\"bold\">\(SVG.text(words.takeoverHeading))</text>\n")
        y += 15
        out?.append(string: "<text x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" font-size=\"10.5\" fill=\"#555\">\(SVG.text(words.takeoverOrder))</text>\n")
        for taker in takers {
            y += 19
            out?.append(string: TakeoverSymbol.svg(taker, x: x + 7, y: y - 4))
            out?.append(string: "<text x=\"\(SVG.n(x + 20))\" y=\"\(SVG.n(y))\" font-size=\"11.5\">\(SVG.text(words.taker(taker)))</text>\n")
        }
        return y + 24
    }

    static func wrap(_ text: String, width: Double, size: Double) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if SVG.width(candidate, size: size) > width && !line.isEmpty {
                lines.append(line)
                line = String(word)
            } else {
                line = candidate
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
