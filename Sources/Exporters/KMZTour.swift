import FeatureCore
import TextOutput
import Projection

/// The `gx:Tour` of a KMZ: it plays the closures (the features' ends) in date order. It opens on all the
/// features the day before the first end, then, for each feature in the order of its end date
/// (input order among equal dates), flies to it as it stands on its last day, waits, shows the
/// same view on its end day (when the time slider no longer draws it), and waits again. Every
/// view carries a `gx:TimeStamp`, so Google Earth's time slider follows the tour. The times are
/// at noon UTC, inside the day, away from `<end>`'s midnight.
enum KMZTour {
    struct Stop {
        let longitude: Double, latitude: Double
        let end: CalendarDate
        /// Input order, for equal dates.
        let order: Int

        static func before(_ a: Stop, _ b: Stop) -> Bool { (a.end, a.order) < (b.end, b.order) }
    }

    /// The most closures a tour visits: about an hour and a half of flying. A larger layer's
    /// tour plays its first closures.
    static let maximumStops = 1_000

    /// The stops so far, trimmed to the earliest `maximumStops` whenever twice as many are held,
    /// so memory does not grow with the input.
    struct Stops {
        private var stops: [Stop] = []
        private var seen = 0

        mutating func add(longitude: Double, latitude: Double, end: CalendarDate) {
            stops.append(Stop(longitude: longitude, latitude: latitude, end: end, order: seen))
            seen += 1
            if stops.count >= 2 * maximumStops { trim() }
        }

        private mutating func trim() {
            stops.sort(by: Stop.before)
            if stops.count > maximumStops { stops.removeLast(stops.count - maximumStops) }
        }

        func write(into o: OutputBuffer, title: String) {
            var kept = self
            kept.trim()
            KMZTour.write(kept.stops, title: title, into: o)
        }
    }

    /// How far above a feature the view stands, metres: a town and its surroundings.
    static let siteRange = 40_000.0

    static func write(_ stops: [Stop], title: String, into o: OutputBuffer) {
        let ordered = stops.sorted(by: Stop.before)
        guard let first = ordered.first else { return }
        o.append("<gx:Tour id=\"__tour\">\n<name>")
        o.append(xmlEscaped: title)
        o.append("</name>\n<gx:Playlist>\n")
        var box = BoxAccumulator()
        for s in ordered { box.add(x: s.longitude, y: s.latitude) }
        // The whole set in view: the box's diagonal, with a margin.
        let diagonal = Geodesic.inverse(fromLongitude: box.minX, latitude: box.minY, toLongitude: box.maxX, latitude: box.maxY).distanceMetres
        flyTo(longitude: (box.minX + box.maxX) / 2, latitude: (box.minY + box.maxY) / 2, range: max(200_000, diagonal * 1.6),
              tilt: 0, day: first.end.adding(days: -1), duration: 3, mode: "smooth", into: o)
        wait(2, into: o)
        for s in ordered {
            flyTo(longitude: s.longitude, latitude: s.latitude, range: siteRange, tilt: 40,
                  day: s.end.adding(days: -1), duration: 4, mode: "bounce", into: o)
            wait(1.5, into: o)
            flyTo(longitude: s.longitude, latitude: s.latitude, range: siteRange, tilt: 40,
                  day: s.end, duration: 1, mode: "smooth", into: o)
            wait(1.5, into: o)
        }
        o.append("</gx:Playlist>\n</gx:Tour>\n")
    }

    private static func flyTo(longitude: Double, latitude: Double, range: Double, tilt: Int, day: CalendarDate,
                              duration: Double, mode: StaticString, into o: OutputBuffer) {
        o.append("<gx:FlyTo><gx:duration>")
        o.append(number: duration)
        o.append("</gx:duration><gx:flyToMode>")
        o.append(mode)
        // The view's time extension comes before LookAt's own elements (kml:AbstractViewType).
        o.append("</gx:flyToMode><LookAt><gx:TimeStamp><when>")
        o.append(date: day)
        o.append("T12:00:00Z</when></gx:TimeStamp><longitude>")
        o.append(fixed: longitude, decimals: 7)
        o.append("</longitude><latitude>")
        o.append(fixed: latitude, decimals: 7)
        o.append("</latitude><altitude>0</altitude><heading>0</heading><tilt>")
        o.append(integer: tilt)
        o.append("</tilt><range>")
        o.append(integer: Int(range.rounded()))
        o.append("</range><altitudeMode>relativeToGround</altitudeMode></LookAt></gx:FlyTo>\n")
    }

    private static func wait(_ seconds: Double, into o: OutputBuffer) {
        o.append("<gx:Wait><gx:duration>")
        o.append(number: seconds)
        o.append("</gx:duration></gx:Wait>\n")
    }
}
