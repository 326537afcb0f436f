/// A failure in PROJ, with what PROJ said and what we were doing.
public struct ProjectionError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The text names no CRS PROJ knows (`EPSG:99999`, a typo, garbage).
        case unknownCRS
        /// The text names something that is not a CRS (a bare operation, an ellipsoid).
        case notACRS
        /// PROJ found no way to go from the source CRS to the target CRS.
        case noTransformation
        /// A point outside the area where the projection is defined.
        case outOfDomain
        /// PROJ's database `proj.db` is missing or unreadable.
        case databaseMissing
        /// A valid CRS that coordinates cannot be written in here (geocentric, vertical, 3D...),
        /// or one a format cannot name; `detail` says why and what to give instead.
        case unsuitableCRS
        /// A grid the transformation needs is not installed: the installation is at fault, not
        /// the data. `detail` names the grid.
        case gridMissing
        case other
    }

    public let kind: Kind
    /// PROJ's error code (`proj_context_errno`, e.g. 2050 for a point outside the projection's
    /// domain), 0 when PROJ set none.
    public let code: Int32
    /// PROJ's own words, from its log (the errno string alone often says only "Unknown error").
    public let message: String
    /// What was being done, e.g. `create transformation EPSG:4326 -> EPSG:99999`.
    public let operation: String
    /// For a batch, the 0-based index of the first point that failed.
    public let pointIndex: Int?
    /// Our own explanation, when PROJ's words are not enough (which grid, which kind of CRS,
    /// what to give instead).
    public let detail: String?

    public init(kind: Kind, code: Int32, message: String, operation: String, pointIndex: Int? = nil, detail: String? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.operation = operation
        self.pointIndex = pointIndex
        self.detail = detail
    }

    public var description: String {
        var s = "cannot \(operation)"
        switch kind {
        case .unknownCRS: s += ": PROJ does not know this CRS"
        case .notACRS: s += ": this is not a coordinate reference system"
        case .noTransformation: s += ": PROJ has no transformation between these CRSs"
        case .outOfDomain: s += ": the point is outside the area where the projection is defined"
        case .databaseMissing:
            s += ": PROJ's database proj.db was not found (install the Debian package proj-data, or set PROJ_DATA to the folder that holds proj.db)"
        case .unsuitableCRS, .other: break
        case .gridMissing: s += ": a grid this transformation needs is not installed"
        }
        if let detail { s += ": \(detail)" }
        if !message.isEmpty || code != 0 {
            s += " (PROJ"
            if code != 0 { s += " error \(code)" }
            if !message.isEmpty { s += ": \(message)" }
            s += ")"
        }
        return s
    }
}
