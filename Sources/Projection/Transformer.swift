import CPROJ

/// A planar coordinate pair in some CRS, in GIS order: x is easting or longitude, y is northing
/// or latitude. It carries no CRS; the collection or transformer that holds it says which.
public struct XY: Equatable, Sendable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// Converts coordinates from one CRS to another. Made once per run; works in traditional GIS
/// order whatever the CRS definitions say (longitude or easting first), so `EPSG:4326` cannot
/// swap axes silently. Keeps its context and both CRSs alive.
public final class Transformer {
    public enum Direction: Sendable {
        case forward
        case inverse
    }

    public let source: CRS
    public let target: CRS
    let context: ProjContext
    let pointer: OpaquePointer
    private let label: String

    /// Creates the transformation PROJ judges best between the two CRSs (for points anywhere in
    /// the source CRS's area), in the source CRS's context.
    public init(from source: CRS, to target: CRS) throws(ProjectionError) {
        self.source = source
        self.target = target
        self.context = source.context
        self.label = "\(source.authorityString ?? source.name) -> \(target.authorityString ?? target.name)"
        let operation = "create a transformation \(label)"
        let ctx = context.pointer
        context.reset()
        var targetObject = target.pointer
        var clonedTarget: OpaquePointer? = nil
        if target.context !== source.context {
            guard let clone = proj_clone(ctx, target.pointer) else { throw context.error(.other, operation: operation) }
            clonedTarget = clone
            targetObject = clone
        }
        defer { if let clonedTarget { proj_destroy(clonedTarget) } }
        guard let raw = withOptions([], { proj_create_crs_to_crs_from_pj(ctx, source.pointer, targetObject, nil, $0) }) else {
            throw context.error(.noTransformation, operation: operation)
        }
        defer { proj_destroy(raw) }
        try Self.requireGrids(of: raw, context: context, operation: operation)
        guard let normalized = proj_normalize_for_visualization(ctx, raw) else {
            throw context.error(.other, operation: operation)
        }
        self.pointer = normalized
    }

    /// Throws `.gridMissing` naming every grid the operation uses that is not installed. PROJ
    /// would otherwise fail at the first point ("no inverse operation", blaming the data), or,
    /// for an optional `@grid`, skip the shift and put every point in the wrong place.
    static func requireGrids(of operation: OpaquePointer, context: ProjContext,
                                     operation label: String) throws(ProjectionError) {
        let ctx = context.pointer
        let count = proj_coordoperation_get_grid_used_count(ctx, operation)
        guard count > 0 else {
            // A set of alternative operations is not one operation: PROJ has already left out
            // those whose grids are missing, and logged a complaint later errors should not quote.
            context.reset()
            return
        }
        var missing: [String] = []
        for i in 0..<count {
            var shortName: UnsafePointer<CChar>? = nil
            var available: Int32 = 1
            guard proj_coordoperation_get_grid_used(ctx, operation, i, &shortName, nil, nil, nil, nil, nil, &available) != 0,
                  available == 0 else { continue }
            missing.append(shortName.map { String(cString: $0) } ?? "unnamed grid")
        }
        guard !missing.isEmpty else { return }
        let names = missing.map { "'\($0)'" }.joined(separator: ", ")
        let error = context.error(.gridMissing, operation: label)
        throw ProjectionError(
            kind: .gridMissing, code: error.code, message: error.message, operation: label,
            detail: "\(missing.count == 1 ? "the grid" : "the grids") \(names) \(missing.count == 1 ? "is" : "are") not found"
                + " in PROJ's folders (\(context.searchFolders)); the data is not at fault: install the grid"
                + " (PROJ's projsync, or copy the file into one of those folders) or choose a CRS that needs none")
    }

    /// Convenience: parse both definitions in one new context and connect them.
    public convenience init(from source: String, to target: String, context: ProjContext = ProjContext()) throws(ProjectionError) {
        let s = try CRS(source, context: context)
        let t = try CRS(target, context: context)
        try self.init(from: s, to: t)
    }

    deinit {
        proj_destroy(pointer)
    }

    /// One point.
    public func transform(_ point: XY, _ direction: Direction = .forward) throws(ProjectionError) -> XY {
        proj_errno_reset(pointer)
        context.reset()
        let out = proj_trans(pointer, direction == .forward ? PJ_FWD : PJ_INV, proj_coord(point.x, point.y, 0, 0))
        guard out.xy.x.isFinite, out.xy.y.isFinite else {
            throw context.error(.outOfDomain, operation: "transform the point \(point.x), \(point.y) \(describe(direction))",
                                object: pointer)
        }
        return XY(x: out.xy.x, y: out.xy.y)
    }

    /// Transforms `x.count` points in place with one `proj_trans_generic` call. `x` and `y` must
    /// have the same length. Throws on the first point PROJ could not transform, naming its index;
    /// the buffers then hold PROJ's output (infinity at failed points).
    public func transform(x: UnsafeMutableBufferPointer<Double>, y: UnsafeMutableBufferPointer<Double>,
                          _ direction: Direction = .forward) throws(ProjectionError) {
        precondition(x.count == y.count, "x and y must have the same length")
        let n = x.count
        guard n > 0 else { return }
        proj_errno_reset(pointer)
        context.reset()
        let stride = MemoryLayout<Double>.stride
        let done = proj_trans_generic(pointer, direction == .forward ? PJ_FWD : PJ_INV,
                                      x.baseAddress, stride, n, y.baseAddress, stride, n, nil, 0, 0, nil, 0, 0)
        var failed = -1
        if done != n {
            failed = 0
        }
        for i in 0..<n where !(x[i].isFinite && y[i].isFinite) {
            failed = i
            break
        }
        if failed >= 0 {
            throw context.error(.outOfDomain, operation: "transform point \(failed + 1) of \(n) \(describe(direction))",
                                object: pointer, pointIndex: failed)
        }
    }

    /// Transforms arrays in place (see the buffer version).
    public func transform(x: inout [Double], y: inout [Double], _ direction: Direction = .forward) throws(ProjectionError) {
        precondition(x.count == y.count, "x and y must have the same length")
        var failure: ProjectionError? = nil
        x.withUnsafeMutableBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                do throws(ProjectionError) { try transform(x: xs, y: ys, direction) } catch { failure = error }
            }
        }
        if let failure { throw failure }
    }

    private func describe(_ direction: Direction) -> String {
        direction == .forward ? label : "(inverse of \(label))"
    }

    /// What PROJ will do, for `--explain`.
    public struct Explanation: Sendable {
        /// The operation's name, e.g. `UTM zone 30N`.
        public let name: String
        /// The PROJ pipeline, e.g. `+proj=pipeline +step +proj=unitconvert ... +step +proj=utm +zone=30`.
        public let pipeline: String
        /// The accuracy in metres PROJ records for the operation; nil when unknown. Conversions
        /// (map projections on the same datum) are exact: 0.
        public let accuracyMetres: Double?
    }

    public var explanation: Explanation {
        let info = proj_pj_info(pointer)
        let name = proj_get_name(pointer).map { String(cString: $0) } ?? (info.description.map { String(cString: $0) } ?? "")
        let pipeline = proj_as_proj_string(context.pointer, pointer, PJ_PROJ_5, nil).map { String(cString: $0) }
            ?? info.definition.map { String(cString: $0) } ?? ""
        let accuracy = proj_coordoperation_get_accuracy(context.pointer, pointer)
        return Explanation(name: name, pipeline: pipeline, accuracyMetres: accuracy >= 0 ? accuracy : nil)
    }
}
