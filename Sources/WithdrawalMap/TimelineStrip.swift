import Cartography
import Gazetteer
import TextOutput

extension WithdrawalMapRenderer {
    /// The strip under the map: July 2023 to the month after the last closure, the phases as
    /// bands, the number of sites still open as a step line, and a mark per closure.
    func appendTimeline(_ out: OutputBuffer, asOf: CalendarDate?, animated: Bool) {
        let left = Self.margin + 46, right = Self.pageWidth - Self.margin - 10
        let top = frame.top + frame.height + 56, height = Self.stripHeight - 70
        let bottom = top + height
        let start = Timeline.withdrawalStart
        let end = lastClosure.adding(months: 1)
        let span = Double(start.days(to: end))
        func x(_ d: CalendarDate) -> Double { left + (right - left) * Double(start.days(to: d)) / span }
        let total = Double(max(sites.count, 1))
        func y(_ count: Int) -> Double { bottom - height * Double(count) / total }

        out.append(string: "<g id=\"timeline\" font-size=\"11\" fill=\"#333333\">\n")
        out.append(string: "<text x=\"\(SVG.n(Self.margin))\" y=\"\(SVG.n(top - 26))\" font-size=\"14\" font-weight=\"bold\" fill=\"#1d1d1d\">Sites still open, July 2023 to \(SVG.text(lastClosure.monthName)) \(lastClosure.year)</text>\n")

        // Phase bands, from each phase's first to its last closure.
        for phase in Phase.allCases {
            let days = sites.filter { $0.phase == phase }.compactMap(\.closureDate)
            guard let a = days.min(), let b = days.max() else { continue }
            let x0 = x(a) - 3, x1 = max(x(b.adding(days: 1)) + 3, x0 + 10)
            out.append(string: "<rect x=\"\(SVG.n(x0))\" y=\"\(SVG.n(top))\" width=\"\(SVG.n(x1 - x0))\" height=\"\(SVG.n(height))\" fill=\"\(PhasePalette.hex(phase))\" fill-opacity=\"0.16\"/>")
            out.append(string: "<text x=\"\(SVG.n(x0 + 3))\" y=\"\(SVG.n(top - 6))\" font-size=\"10.5\" fill=\"#444\">\(SVG.text(phase.title))</text>\n")
        }

        // Axes: counts on the left, months along the bottom.
        out.append(string: "<line x1=\"\(SVG.n(left))\" y1=\"\(SVG.n(bottom))\" x2=\"\(SVG.n(right))\" y2=\"\(SVG.n(bottom))\" stroke=\"#777\" stroke-width=\"1\"/>\n")
        for count in stride(from: 0, through: sites.count, by: sites.count > 10 ? 4 : 1) {
            out.append(string: "<line x1=\"\(SVG.n(left))\" y1=\"\(SVG.n(y(count)))\" x2=\"\(SVG.n(right))\" y2=\"\(SVG.n(y(count)))\" stroke=\"#e2e2e2\" stroke-width=\"0.6\"/>")
            out.append(string: "<text x=\"\(SVG.n(left - 6))\" y=\"\(SVG.n(y(count) + 4))\" text-anchor=\"end\">\(count)</text>\n")
        }
        var month = start
        while month <= end {
            let mx = x(month)
            out.append(string: "<line x1=\"\(SVG.n(mx))\" y1=\"\(SVG.n(bottom))\" x2=\"\(SVG.n(mx))\" y2=\"\(SVG.n(bottom + 4))\" stroke=\"#777\"/>")
            let label = month.month == 1 || month == start ? "\(month.monthAbbreviation) \(month.year)" : month.monthAbbreviation
            out.append(string: "<text x=\"\(SVG.n(mx + 2))\" y=\"\(SVG.n(bottom + 16))\" font-size=\"10\">\(SVG.text(label))</text>\n")
            month = month.adding(months: 1)
        }

        // The step line: 13 sites open, one step down at each closure.
        let closures = sites.compactMap(\.closureDate).sorted()
        var open = sites.count
        var path = "M\(SVG.n(x(start))) \(SVG.n(y(open)))"
        var area = path
        for d in closures {
            open -= 1
            path += "H\(SVG.n(x(d)))V\(SVG.n(y(open)))"
        }
        path += "H\(SVG.n(x(end)))"
        area = path + "V\(SVG.n(bottom))H\(SVG.n(x(start)))Z"
        out.append(string: "<path d=\"\(area)\" fill=\"#5b6b7c\" fill-opacity=\"0.10\"/>\n")
        out.append(string: "<path d=\"\(path)\" fill=\"none\" stroke=\"#3d4a57\" stroke-width=\"1.6\"/>\n")

        // A mark per closure, on the step, with its rank; ranks that would collide are lifted.
        var placed: [(Double, Double)] = []
        var remaining = sites.count
        for site in sites.sorted(by: { ($0.closureDate ?? end, $0.line) < ($1.closureDate ?? end, $1.line) }) {
            guard let d = site.closureDate else { continue }
            remaining -= 1
            let cx = x(d), cy = y(remaining + 1)
            let closed = asOf.map { !site.isOpen(on: $0) } ?? true
            out.append(string: "<circle cx=\"\(SVG.n(cx))\" cy=\"\(SVG.n(cy))\" r=\"4.5\" fill=\"\(color(site))\" stroke=\"#1f1f1f\" stroke-width=\"0.8\"\(closed ? "" : " fill-opacity=\"0.35\"")/>")
            // The rank to the right of the mark, moved down while it would touch another.
            var ly = cy + 3.5
            while placed.contains(where: { abs($0.0 - (cx + 7)) < 13 && abs($0.1 - ly) < 10 }) { ly += 10 }
            placed.append((cx + 7, ly))
            out.append(string: "<text x=\"\(SVG.n(cx + 7))\" y=\"\(SVG.n(ly))\" font-size=\"9.5\" fill=\"#333\">\(site.closureOrder.map(String.init) ?? "")</text>\n")
        }

        if let asOf, asOf >= start, asOf <= end {
            let ax = x(asOf)
            out.append(string: "<line x1=\"\(SVG.n(ax))\" y1=\"\(SVG.n(top - 2))\" x2=\"\(SVG.n(ax))\" y2=\"\(SVG.n(bottom))\" stroke=\"#c0392b\" stroke-width=\"1.5\"/>")
            out.append(string: "<text x=\"\(SVG.n(ax + 4))\" y=\"\(SVG.n(top + 10))\" font-size=\"10.5\" fill=\"#c0392b\">\(SVG.text(asOf.description))</text>\n")
        }
        if animated {
            let dur = SVG.n(Double(start.days(to: end)) / 30.44)
            out.append(string: "<line x1=\"\(SVG.n(left))\" y1=\"\(SVG.n(top - 2))\" x2=\"\(SVG.n(left))\" y2=\"\(SVG.n(bottom))\" stroke=\"#c0392b\" stroke-width=\"1.5\"><animate attributeName=\"x1\" from=\"\(SVG.n(left))\" to=\"\(SVG.n(right))\" dur=\"\(dur)s\" repeatCount=\"indefinite\"/><animate attributeName=\"x2\" from=\"\(SVG.n(left))\" to=\"\(SVG.n(right))\" dur=\"\(dur)s\" repeatCount=\"indefinite\"/></line>\n")
        }
        out.append(string: "<text x=\"\(SVG.n(Self.margin))\" y=\"\(SVG.n(top + height / 2))\" font-size=\"10\" fill=\"#666\" transform=\"rotate(-90 \(SVG.n(Self.margin + 4)) \(SVG.n(top + height / 2)))\" text-anchor=\"middle\">open</text>\n")
        out.append(string: "</g>\n")
    }
}
