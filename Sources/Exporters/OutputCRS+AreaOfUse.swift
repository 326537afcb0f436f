import FeatureCore
import TextOutput

extension OutputCRS {
    /// A warning when the data reaches outside the CRS's area of use (coordinates there may be
    /// distorted, or shifted by a datum transformation meant for elsewhere); nil when the data
    /// stays inside, or when the data or the area is unknown. `dataExtent` is the data's
    /// longitude/latitude box.
    public func areaOfUseWarning(dataExtent: Extent?) -> String? {
        guard let data = dataExtent.map({ GeoBox(west: $0.minX, south: $0.minY, east: $0.maxX, north: $0.maxY) }), let area = areaOfUse, !Self.contains(area, data) else { return nil }
        let label = authority.map { "\(name) (\($0))" } ?? "'\(name)'"
        let inside = Self.overlaps(area, data) ? "reaches outside" : "lies wholly outside"
        var text = "the data (\(Self.describe(data))) \(inside) the area of use of \(label): \(Self.describe(area))"
        if let areaName = areaOfUseName.map(Self.firstSentence), !areaName.isEmpty { text += " (\(areaName))" }
        return text + "; coordinates outside it may be distorted or wrongly shifted"
    }

    /// Every warning about the CRS for an export of data within `dataExtent`: the note on what
    /// was left out of the CRS asked for, then the area of use.
    public func warnings(dataExtent: Extent?) -> [String] {
        [note, areaOfUseWarning(dataExtent: dataExtent)].compactMap { $0 }
    }

    /// Box containment, allowing an area that crosses the antimeridian (west > east) and a
    /// billionth of a degree for rounding in PROJ's database.
    static func contains(_ area: GeoBox, _ data: GeoBox) -> Bool {
        let e = 1e-9
        guard data.south >= area.south - e, data.north <= area.north + e else { return false }
        if area.west <= area.east { return data.west >= area.west - e && data.east <= area.east + e }
        return data.west >= area.west - e || data.east <= area.east + e
    }

    static func overlaps(_ area: GeoBox, _ data: GeoBox) -> Bool {
        guard data.south <= area.north, data.north >= area.south else { return false }
        if area.west <= area.east { return data.west <= area.east && data.east >= area.west }
        return data.east >= area.west || data.west <= area.east
    }

    static func describe(_ box: GeoBox) -> String {
        func n(_ v: Double) -> String { Formatting.fixed(v, decimals: 2) }
        return "longitude \(n(box.west)) to \(n(box.east)), latitude \(n(box.south)) to \(n(box.north))"
    }

    /// EPSG's area descriptions run on through a list of countries: the first sentence says it.
    static func firstSentence(_ text: String) -> String {
        guard let stop = text.firstIndex(of: ".") else { return text }
        return String(text[..<stop])
    }
}
