import CPROJ

/// The 2D horizontal CRS the exports write coordinates in, and what was left out of the CRS
/// asked for.
public struct HorizontalCRS {
    public let crs: CRS
    /// The vertical part dropped from a compound CRS, e.g. `EGM2008 height`; nil otherwise.
    public let droppedVertical: String?
}

extension CRS {
    /// The CRS that two-dimensional coordinates can honestly be written in when this one is
    /// asked for:
    /// - itself, when it is geographic 2D or projected, bound ones included (their `+towgs84`
    ///   or grid must stay with the transformation);
    /// - the horizontal part of a compound CRS: the gazetteers have no heights, so the
    ///   vertical part would change no coordinate, only make PROJ look for a geoid grid, and a
    ///   2D point labelled with a 3D CRS misleads readers;
    /// - else `.unsuitableCRS`, naming the CRS and its kind (geocentric, vertical, 3D...).
    public func horizontal2D() throws(ProjectionError) -> HorizontalCRS {
        guard kind == .compound else {
            try requireHorizontal2D(asked: self)
            return HorizontalCRS(crs: self, droppedVertical: nil)
        }
        let ctx = context.pointer
        guard let first = proj_crs_get_sub_crs(ctx, pointer, 0) else {
            throw context.error(.other, operation: "take the horizontal part of \(label)")
        }
        let horizontal = CRS(owning: first, context: context, definition: "the horizontal part of \(definition)")
        try horizontal.requireHorizontal2D(asked: self)
        var vertical: String? = "its vertical part"
        if let second = proj_crs_get_sub_crs(ctx, pointer, 1) {
            vertical = proj_get_name(second).map { String(cString: $0) } ?? vertical
            proj_destroy(second)
        }
        return HorizontalCRS(crs: horizontal, droppedVertical: vertical)
    }

    private func requireHorizontal2D(asked: CRS) throws(ProjectionError) {
        let type = baseType
        let axisCount = axes.count
        if (type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_PROJECTED_CRS) && axisCount == 2 { return }
        let detail = "it is \(Self.kindPhrase(type, axisCount: axisCount)), not a 2D horizontal CRS;"
            + " give a geographic 2D or projected CRS, such as EPSG:4326 or EPSG:32630"
        throw ProjectionError(kind: .unsuitableCRS, code: 0, message: "",
                              operation: "write coordinates in \(asked.label)", detail: detail)
    }

    private static func kindPhrase(_ type: PJ_TYPE, axisCount: Int) -> String {
        switch type {
        case PJ_TYPE_GEOCENTRIC_CRS: return "a geocentric CRS (X, Y, Z from the Earth's centre)"
        case PJ_TYPE_GEOGRAPHIC_3D_CRS: return "a geographic 3D CRS (longitude, latitude and ellipsoidal height)"
        case PJ_TYPE_VERTICAL_CRS: return "a vertical CRS (heights or depths only)"
        case PJ_TYPE_ENGINEERING_CRS: return "an engineering CRS (a local system not tied to the Earth)"
        case PJ_TYPE_TEMPORAL_CRS: return "a temporal CRS (time only)"
        case PJ_TYPE_COMPOUND_CRS: return "a compound CRS inside a bound or compound CRS"
        case PJ_TYPE_GEOGRAPHIC_2D_CRS, PJ_TYPE_PROJECTED_CRS:
            return "a CRS with \(axisCount) axes"
        default: return "a CRS of a kind PROJ calls \(type.rawValue)"
        }
    }

    /// Throws `.gridMissing` when the CRS carries its own transformation to WGS 84 (`+nadgrids`)
    /// and a grid it names is not installed. Checked on the CRS itself because PROJ skips that
    /// transformation when the base is already WGS 84, and skips a missing optional `@grid`
    /// without a word: either way every point would be written unshifted.
    public func requireInstalledGrids() throws(ProjectionError) {
        guard kind == .bound else { return }
        let operation = "use the grids of \(label)"
        context.reset()
        guard let transformation = proj_crs_get_coordoperation(context.pointer, pointer) else {
            throw context.error(.other, operation: operation)
        }
        defer { proj_destroy(transformation) }
        try Transformer.requireGrids(of: transformation, context: context, operation: operation)
    }
}
