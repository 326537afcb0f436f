import CPROJ

/// One axis of a CRS's coordinate system.
public struct CRSAxis: Equatable, Sendable {
    public struct Unit: Equatable, Sendable {
        public enum Kind: Sendable {
            /// Metres, feet...: `toSI` is metres per unit.
            case linear
            /// Degrees, grads...: `toSI` is radians per unit.
            case angular
            case other
        }

        /// e.g. `metre`, `degree`, `US survey foot`.
        public let name: String
        public let kind: Kind
        public let toSI: Double
    }

    public let name: String
    public let unit: Unit
}

/// What PROJ's `proj_identify` proposes for a CRS without an authority code.
public struct CRSCandidate: Equatable, Sendable {
    public let authority: String
    public let code: String
    /// PROJ's confidence in percent: 100 the same object, 70 the same definition with other
    /// names, 50 or less similar but not the same (a UTM zone in US feet gets 50 % for the
    /// one in metres).
    public let confidence: Int
    /// PROJ also finds the two equivalent (axis order of geographic CRSs aside).
    public let isEquivalent: Bool

    /// `EPSG:32630`.
    public var identifier: String { "\(authority):\(code)" }
}

extension CRS {
    /// The object whose coordinate system holds the coordinates: the base of a bound CRS,
    /// the horizontal part of a compound CRS. The caller destroys it when it is not `pointer`.
    private func coordinateBase() -> OpaquePointer? {
        let ctx = context.pointer
        var object: OpaquePointer? = pointer
        var owned = false
        // PROJ makes compound(bound(horizontal), bound(vertical)) from a PROJ string with
        // +geoidgrids; a compound under a bound CRS is returned as is (and then refused), since
        // its vertical part could not be dropped without losing the transformation.
        for level in 0..<2 {
            guard let current = object else { return nil }
            let next: OpaquePointer?
            switch proj_get_type(current) {
            case PJ_TYPE_BOUND_CRS: next = proj_get_source_crs(ctx, current)
            case PJ_TYPE_COMPOUND_CRS where level == 0: next = proj_crs_get_sub_crs(ctx, current, 0)
            default: return current
            }
            if owned { proj_destroy(current) }
            object = next
            owned = true
        }
        return object
    }

    /// The kind of the object that holds the coordinates (see `coordinateBase`).
    var baseType: PJ_TYPE {
        guard let base = coordinateBase() else { return PJ_TYPE_UNKNOWN }
        defer { if base != pointer { proj_destroy(base) } }
        return proj_get_type(base)
    }

    /// The axes of the coordinate system, in the CRS's own order (of the horizontal part of a
    /// compound CRS, of the base of a bound CRS).
    public var axes: [CRSAxis] {
        let ctx = context.pointer
        guard let base = coordinateBase() else { return [] }
        defer { if base != pointer { proj_destroy(base) } }
        guard let cs = proj_crs_get_coordinate_system(ctx, base) else { return [] }
        defer { proj_destroy(cs) }
        let csType = proj_cs_get_type(ctx, cs)
        let kind: CRSAxis.Unit.Kind = csType == PJ_CS_TYPE_ELLIPSOIDAL ? .angular
            : (csType == PJ_CS_TYPE_CARTESIAN || csType == PJ_CS_TYPE_VERTICAL) ? .linear : .other
        var axes: [CRSAxis] = []
        for i in 0..<max(0, proj_cs_get_axis_count(ctx, cs)) {
            var name: UnsafePointer<CChar>? = nil, unitName: UnsafePointer<CChar>? = nil
            var factor = 0.0
            guard proj_cs_get_axis_info(ctx, cs, i, &name, nil, nil, &factor, &unitName, nil, nil) != 0 else { continue }
            let unit = CRSAxis.Unit(name: unitName.map { String(cString: $0) } ?? "unknown", kind: kind, toSI: factor)
            axes.append(CRSAxis(name: name.map { String(cString: $0) } ?? "", unit: unit))
        }
        return axes
    }

    /// The EPSG CRSs PROJ identifies this one with, best first (`proj_identify`).
    public var identification: [CRSCandidate] {
        let ctx = context.pointer
        var confidence: UnsafeMutablePointer<Int32>? = nil
        guard let list = proj_identify(ctx, pointer, "EPSG", nil, &confidence) else {
            context.reset()
            return []
        }
        defer {
            proj_list_destroy(list)
            proj_int_list_destroy(confidence)
        }
        var out: [CRSCandidate] = []
        for i in 0..<proj_list_get_count(list) {
            guard let confidence, let match = proj_list_get(ctx, list, i) else { continue }
            defer { proj_destroy(match) }
            guard let auth = proj_get_id_auth_name(match, 0), let code = proj_get_id_code(match, 0) else { continue }
            // 70 % is PROJ's "same definition, other name"; below it are look-alikes with
            // another unit or parameter. The equivalence test also rules out a datum PROJ
            // matched by name only.
            let percent = Int(confidence[Int(i)])
            let equivalent = percent >= 70
                && proj_is_equivalent_to_with_ctx(ctx, match, pointer, PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS) != 0
            out.append(CRSCandidate(authority: String(cString: auth), code: String(cString: code),
                                    confidence: percent, isEquivalent: equivalent))
        }
        return out
    }

    /// `WGS 84 / UTM zone 30N (EPSG:32630)`, or the name and definition for a CRS without code.
    public var label: String {
        if let authority = authorityString { return "\(name) (\(authority))" }
        return "'\(name)' (\(CRS.clip(definition)))"
    }
}
