/// What a user asked for with `--crs`, before it becomes a `CRS`. Most requests go to PROJ as
/// typed; `UTM` means "the UTM zone of the data's centre" and `UTM:31N` a given WGS 84 UTM zone.
public enum CRSRequest: Equatable, Sendable {
    case utmOfDataCentre
    case utm(zone: Int, north: Bool)
    case definition(String)

    public init(parsing text: String) throws(ProjectionError) {
        let trimmed = text.trimmingCharacters(in: " \t\n")
        let upper = trimmed.uppercased()
        if upper == "UTM" {
            self = .utmOfDataCentre
            return
        }
        if upper.hasPrefix("UTM:") {
            let rest = upper.dropFirst(4)
            guard let hemisphere = rest.last, hemisphere == "N" || hemisphere == "S",
                  let zone = Int(rest.dropLast()), (1...60).contains(zone) else {
                throw ProjectionError(kind: .unknownCRS, code: 0,
                                      message: "expected UTM, or UTM:<zone 1-60><N|S> such as UTM:30N",
                                      operation: "understand the CRS '\(trimmed)'")
            }
            self = .utm(zone: zone, north: hemisphere == "N")
            return
        }
        self = .definition(trimmed)
    }

    /// The WGS 84 UTM zone holding a position (the standard 6-degree zones; the Norway and
    /// Svalbard exceptions do not concern Mali).
    public static func utmZone(longitude: Double, latitude: Double) -> (zone: Int, north: Bool) {
        let zone = min(60, max(1, Int(((longitude + 180) / 6).rounded(.down)) + 1))
        return (zone, latitude >= 0)
    }

    /// The definition PROJ gets: `EPSG:326zz`/`EPSG:327zz` for UTM requests, resolved at the
    /// data's centre (longitude, latitude) when the zone was not given.
    public func resolved(dataCentre: (longitude: Double, latitude: Double)) -> String {
        switch self {
        case .utmOfDataCentre:
            let (zone, north) = Self.utmZone(longitude: dataCentre.longitude, latitude: dataCentre.latitude)
            return "EPSG:\(north ? 32600 + zone : 32700 + zone)"
        case let .utm(zone, north):
            return "EPSG:\(north ? 32600 + zone : 32700 + zone)"
        case let .definition(text):
            return text
        }
    }
}
