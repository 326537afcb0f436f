#if canImport(Glibc)
import Glibc
#endif
import FeatureCore
import Gazetteer
import Projection

extension OutputCRS {
    /// Describes a PROJ CRS for the writers. The ESRI dialect (for `.prj` files) takes PROJ a
    /// couple of milliseconds, so it is made only when asked for. Give it a CRS that passed
    /// `CRS.horizontal2D()` (see `OutputCRS.resolve`).
    public init(_ crs: CRS, withESRIWKT: Bool = true, note: String? = nil) {
        let authority = crs.authorityString
        let isWGS84 = authority == "OGC:CRS84" || authority == "EPSG:4326"
        if authority == "OGC:CRS84" && note == nil {
            self = .wgs84
            return
        }
        let area = crs.areaOfUse
        self.init(name: crs.name, authority: authority, epsgCode: crs.epsgCode, ogcURN: crs.ogcURN,
                  wkt2: crs.wkt(.wkt2) ?? crs.definition, wktESRI: withESRIWKT ? Self.prjText(crs) : nil, wkt1: crs.wkt(.wkt1GDAL),
                  isGeographic: crs.isGeographic, unit: crs.axisUnit, isWGS84LongitudeLatitude: isWGS84,
                  decimals: Self.decimals(for: crs.axes.first?.unit),
                  areaOfUse: area.map { GeoBox(west: $0.west, south: $0.south, east: $0.east, north: $0.north) },
                  areaOfUseName: area.map(\.name), note: note)
    }

    /// Parses a `--crs` definition and checks that the exports can carry it: a 2D horizontal
    /// CRS (the horizontal part of a compound one), which GeoJSON, when asked for, can name.
    /// Returns the CRS to transform to and its description.
    public static func resolve(_ definition: String, context: ProjContext, withESRIWKT: Bool,
                               forGeoJSON: Bool) throws(ProjectionError) -> (target: CRS, description: OutputCRS) {
        let asked = try CRS(definition, context: context)
        let horizontal = try asked.horizontal2D()
        try horizontal.crs.requireInstalledGrids()
        let note = horizontal.droppedVertical.map {
            "\(asked.label) is compound: coordinates are written in its horizontal part, \(horizontal.crs.label);"
                + " its vertical part (\($0)) is left out, as the data has no heights"
        }
        let description = OutputCRS(horizontal.crs, withESRIWKT: withESRIWKT, note: note)
        if forGeoJSON && !description.isWGS84LongitudeLatitude && description.ogcURN == nil {
            throw geoJSONCannotName(horizontal.crs)
        }
        return (horizontal.crs, description)
    }

    /// GeoJSON names a CRS other than WGS 84 only by a URN: without one, GDAL and QGIS would read
    /// the coordinates as WGS 84 longitude/latitude, silently in the wrong place.
    static func geoJSONCannotName(_ crs: CRS) -> ProjectionError {
        var detail = "GeoJSON can name a CRS only by an authority code, and PROJ finds no EPSG CRS equivalent to this one"
        if let best = crs.identification.first {
            detail += " (the closest, \(best.identifier), matches at \(best.confidence) %, which is not the same CRS)"
        }
        detail += "; give an EPSG code such as EPSG:32630, or leave GeoJSON out (--format csv,gpkg: their"
            + " .prj and GeoPackage carry the full definition)"
        return ProjectionError(kind: .unsuitableCRS, code: 0, message: "",
                               operation: "write GeoJSON in \(crs.label)", detail: detail)
    }

    /// The `.prj` text: ESRI's WKT 1, which every reader takes, unless the CRS carries its own
    /// transformation to WGS 84 (`+towgs84`, `+nadgrids`), which only GDAL's WKT 1 can hold
    /// (GDAL reads both dialects from a `.prj`).
    static func prjText(_ crs: CRS) -> String? {
        crs.kind == .bound ? (crs.wkt(.wkt1GDAL) ?? crs.wkt(.wkt1ESRI)) : crs.wkt(.wkt1ESRI)
    }

    /// Decimals whose last digit is worth at most a ten-millionth of a degree (1.1 cm at the
    /// equator, the RFC 7946 habit) for angles, and at most a millimetre for lengths: 7 for
    /// degrees, 3 for metres and for US feet, 0 for kilometres. Nil for an unknown unit.
    static func decimals(for unit: CRSAxis.Unit?) -> Int? {
        guard let unit, unit.toSI.isFinite, unit.toSI > 0 else { return nil }
        let ratio: Double
        switch unit.kind {
        case .angular: ratio = unit.toSI * 180 / Double.pi / 1e-7
        case .linear: ratio = unit.toSI / 0.001
        case .other: return nil
        }
        // The small allowance keeps a metre at 3 although log10(1000) may come out a hair above 3.
        let digits = (log10(ratio) - 1e-6).rounded(.up)
        guard digits.isFinite else { return nil }
        return Int(min(9, max(0, digits)))
    }
}
