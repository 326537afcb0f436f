import Gazetteer
import TextOutput

/// The day a map shows, written large in the map's top-right corner: a frame of a video, or the
/// map of one day, says its date at a glance; in the animated map the readout follows the clock.
extension WithdrawalMapRenderer {
    static let readoutSize = 30.0
    /// The most texts the animated readout holds: past it, months (then years) replace days.
    static let maximumReadoutSteps = 1100

    /// The readout's words for `day`, in the map's long date form ("1 November 2023").
    func readoutText(_ day: CalendarDate) -> String { day.longDescription(wording.language) }

    /// The corner the readout takes; kept free of site labels.
    var readoutBox: LabelPlacer.Box {
        let width = SVG.width("28 September 2024", size: Self.readoutSize, bold: true) + 12
        return LabelPlacer.Box(x: frame.left + frame.width - width - 8, y: frame.top + 16, w: width, h: Self.readoutSize + 14)
    }

    /// The readout of the map of one day, or of the animated map; nothing on the whole-data map.
    func appendDateReadout(_ out: OutputBuffer, asOf: CalendarDate?, animated: Bool) {
        if let asOf {
            out.append(string: "<g id=\"date-readout\">\(readoutElement(readoutText(asOf), hidden: false))</g>\n")
        } else if animated, let axis = timeAxis {
            appendAnimatedReadout(out, axis: axis)
        }
    }

    private func readoutElement(_ text: String, hidden: Bool, animation: String = "") -> String {
        let x = frame.left + frame.width - 14, y = frame.top + 16 + Self.readoutSize
        let visibility = hidden ? " visibility=\"hidden\"" : ""
        return "<text x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" text-anchor=\"end\" font-size=\"\(SVG.n(Self.readoutSize))\" font-weight=\"bold\" fill=\"#1d1d1d\" stroke=\"#ffffff\" stroke-width=\"5\" stroke-linejoin=\"round\" paint-order=\"stroke\"\(visibility)>\(SVG.text(text))\(animation)</text>"
    }

    /// One text per day of the strip, each visible (discrete SMIL animation, on the same clock as
    /// the sites' fading) from its day to the next, so the date shown is the day a site fades.
    private func appendAnimatedReadout(_ out: OutputBuffer, axis: TimeAxis) {
        let days = readoutSteps(axis)
        let duration = animationDuration
        out.append(string: "<g id=\"date-readout\">\n")
        for (i, day) in days.enumerated() {
            let from = min(1, max(0, seconds(day) / duration))
            let to = i + 1 < days.count ? min(1, max(0, seconds(days[i + 1]) / duration)) : 1
            guard to > from || i + 1 == days.count else { continue }
            let (values, keyTimes): (String, String)
            if from <= 0 {
                (values, keyTimes) = ("visible;hidden", "0;\(Formatting.fixed(to, decimals: 5))")
            } else if to >= 1 {
                (values, keyTimes) = ("hidden;visible", "0;\(Formatting.fixed(from, decimals: 5))")
            } else {
                (values, keyTimes) = ("hidden;visible;hidden", "0;\(Formatting.fixed(from, decimals: 5));\(Formatting.fixed(to, decimals: 5))")
            }
            let animation = "<animate attributeName=\"visibility\" values=\"\(values)\" keyTimes=\"\(keyTimes)\" calcMode=\"discrete\" dur=\"\(SVG.n(duration))s\" repeatCount=\"indefinite\"/>"
            out.append(string: readoutElement(readoutText(day), hidden: true, animation: animation) + "\n")
        }
        out.append(string: "</g>\n")
    }

    /// The days the animated readout shows: every day of the strip, or the first of every month
    /// (or year) when days would be too many texts.
    func readoutSteps(_ axis: TimeAxis) -> [CalendarDate] {
        let months = (axis.end.year - axis.start.year) * 12 + axis.end.month - axis.start.month
        let step: (CalendarDate) -> CalendarDate?
        var first = axis.start
        if axis.days <= Self.maximumReadoutSteps {
            step = { $0.advanced(byDays: 1) }
        } else if months <= Self.maximumReadoutSteps {
            step = { $0.advanced(byMonths: 1) }
        } else {
            first = CalendarDate(year: axis.start.year, month: 1, day: 1) ?? axis.start
            step = { $0.advanced(byMonths: 12) }
        }
        var days: [CalendarDate] = []
        var day: CalendarDate? = first
        while let d = day, d < axis.end, days.count <= Self.maximumReadoutSteps {
            days.append(d)
            day = step(d)
        }
        return days
    }
}
