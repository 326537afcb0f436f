#if canImport(Glibc)
import Glibc
#endif
import CPROJ

/// A coordinate reference system. It describes (name, kind, units, authority code, WKT); a
/// `Transformer` operates. Made from what users type: `EPSG:32630`, `OGC:CRS84`, `ESRI:102022`,
/// a PROJ string (`+proj=utm +zone=30 +datum=WGS84`), WKT or PROJJSON. `UTM` and `UTM:31N` are
/// resolved by `CRSRequest` first.
public final class CRS {
    public enum Kind: String, Sendable {
        case geographic2D = "geographic 2D"
        case geographic3D = "geographic 3D"
        case projected
        case geocentric
        case compound
        case vertical
        case engineering
        case temporal
        /// A CRS with its transformation to WGS 84 attached (`+towgs84`, `+nadgrids`).
        case bound
        case other
    }

    public let context: ProjContext
    let pointer: OpaquePointer
    /// The text the CRS was made from.
    public let definition: String

    /// Parses a CRS definition in `context` (a new context when none is given).
    public init(_ definition: String, context: ProjContext = ProjContext()) throws(ProjectionError) {
        let trimmed = definition.trimmingCharacters(in: " \t\n")
        self.context = context
        self.definition = trimmed
        let operation = "create a CRS from '\(CRS.clip(trimmed))'"
        guard !trimmed.isEmpty else {
            throw ProjectionError(kind: .unknownCRS, code: 0, message: "empty CRS definition", operation: operation)
        }
        var text = trimmed
        // A PROJ string without +type=crs is an operation, not a CRS.
        if text.hasPrefix("+") && !text.contains("+type=crs") { text += " +type=crs" }
        context.reset()
        guard let object = proj_create(context.pointer, text) else {
            throw context.error(.unknownCRS, operation: operation)
        }
        guard proj_is_crs(object) != 0 else {
            proj_destroy(object)
            throw ProjectionError(kind: .notACRS, code: 0, message: "", operation: operation)
        }
        self.pointer = object
    }

    /// Takes ownership of a CRS object PROJ made in `context` (a component of another CRS).
    init(owning object: OpaquePointer, context: ProjContext, definition: String) {
        self.context = context
        self.pointer = object
        self.definition = definition
    }

    deinit {
        proj_destroy(pointer)
    }

    /// WGS 84 (`EPSG:4326`), the CRS of the gazetteer's coordinates. Its official axis order is
    /// latitude first, but transformers always work longitude first (they are normalised for
    /// visualisation), and PROJ finds operations from EPSG:4326 several times faster than from
    /// `OGC:CRS84` (about 12 ms against 50 ms to UTM here).
    public static func wgs84(context: ProjContext = ProjContext()) throws(ProjectionError) -> CRS {
        try CRS("EPSG:4326", context: context)
    }

    static func clip(_ s: String) -> String {
        let flat = s.replacingAll("\n", with: " ")
        return flat.count > 80 ? String(flat.prefix(77)) + "..." : flat
    }

    public var name: String {
        proj_get_name(pointer).map { String(cString: $0) } ?? "unnamed CRS"
    }

    public var kind: Kind {
        switch proj_get_type(pointer) {
        case PJ_TYPE_GEOGRAPHIC_2D_CRS: return .geographic2D
        case PJ_TYPE_GEOGRAPHIC_3D_CRS: return .geographic3D
        case PJ_TYPE_PROJECTED_CRS: return .projected
        case PJ_TYPE_GEOCENTRIC_CRS: return .geocentric
        case PJ_TYPE_COMPOUND_CRS: return .compound
        case PJ_TYPE_VERTICAL_CRS: return .vertical
        case PJ_TYPE_ENGINEERING_CRS: return .engineering
        case PJ_TYPE_TEMPORAL_CRS: return .temporal
        case PJ_TYPE_BOUND_CRS: return .bound
        default: return .other
        }
    }

    /// Longitude/latitude coordinates, a bound or compound CRS judged by the part that holds them.
    public var isGeographic: Bool { baseType == PJ_TYPE_GEOGRAPHIC_2D_CRS || baseType == PJ_TYPE_GEOGRAPHIC_3D_CRS }
    public var isProjected: Bool { baseType == PJ_TYPE_PROJECTED_CRS }

    /// The unit of the first axis, e.g. `degree` or `metre`.
    public var axisUnit: String {
        axisUnits.first ?? "unknown"
    }

    /// The unit of each axis, in the CRS's own axis order (of the horizontal part of a compound
    /// CRS, of the base of a bound CRS).
    public var axisUnits: [String] {
        axes.map(\.unit.name)
    }

    /// The authority and code the CRS carries, or else the EPSG CRS PROJ identifies it with and
    /// finds equivalent (so `+proj=utm +zone=30 +datum=WGS84` is EPSG:32630). Nil otherwise.
    public var authorityCode: (authority: String, code: String)? {
        if let auth = proj_get_id_auth_name(pointer, 0), let code = proj_get_id_code(pointer, 0) {
            return (String(cString: auth), String(cString: code))
        }
        return identification.first { $0.isEquivalent }.map { ($0.authority, $0.code) }
    }

    /// The EPSG code, if the CRS is (or is identified as) an EPSG CRS. `OGC:CRS84` has none.
    public var epsgCode: Int? {
        guard let (auth, code) = authorityCode, auth == "EPSG" else { return nil }
        return Int(code)
    }

    /// `EPSG:32630`, `OGC:CRS84`, or nil.
    public var authorityString: String? {
        authorityCode.map { "\($0.authority):\($0.code)" }
    }

    /// The OGC URN the legacy GeoJSON `crs` member uses, e.g. `urn:ogc:def:crs:EPSG::32630`.
    public var ogcURN: String? {
        guard let (auth, code) = authorityCode else { return nil }
        if auth == "OGC" { return "urn:ogc:def:crs:OGC:1.3:\(code)" }
        return "urn:ogc:def:crs:\(auth)::\(code)"
    }

    public enum WKTStyle: Sendable {
        /// ISO 19162:2019, what QGIS and GDAL prefer.
        case wkt2
        /// ESRI's WKT 1, the dialect of `.prj` sidecars that every reader understands.
        case wkt1ESRI
        /// OGC WKT 1 as GDAL writes it.
        case wkt1GDAL
    }

    /// The CRS as WKT on one line (nil if PROJ cannot express it in that dialect).
    public func wkt(_ style: WKTStyle = .wkt2) -> String? {
        let type: PJ_WKT_TYPE
        switch style {
        case .wkt2: type = PJ_WKT2_2019
        case .wkt1ESRI: type = PJ_WKT1_ESRI
        case .wkt1GDAL: type = PJ_WKT1_GDAL
        }
        return withOptions(["MULTILINE=NO"]) { options in
            proj_as_wkt(context.pointer, pointer, type, options).map { String(cString: $0) }
        }
    }

    /// The CRS as a PROJ string, when it has one.
    public var projString: String? {
        proj_as_proj_string(context.pointer, pointer, PJ_PROJ_5, nil).map { String(cString: $0) }
    }

    /// The CRS's area of use, west/south/east/north in degrees, and its name.
    public var areaOfUse: (west: Double, south: Double, east: Double, north: Double, name: String)? {
        var w = 0.0, s = 0.0, e = 0.0, n = 0.0
        var name: UnsafePointer<CChar>? = nil
        guard proj_get_area_of_use(context.pointer, pointer, &w, &s, &e, &n, &name) != 0, w > -1000 else { return nil }
        return (w, s, e, n, name.map { String(cString: $0) } ?? "")
    }
}

/// Calls `body` with a NULL-terminated C array of option strings.
func withOptions<R>(_ options: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let cStrings = options.map { strdup($0) }
    defer { cStrings.forEach { free($0) } }
    var pointers: [UnsafePointer<CChar>?] = cStrings.map { UnsafePointer($0) }
    pointers.append(nil)
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }

    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
