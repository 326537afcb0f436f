import Gazetteer
import TextOutput
import Projection

/// What writers know about a collection before its first feature.
public struct CollectionInfo: Sendable {
    /// Layer name, e.g. `minusma-sites` (GeoJSON `name`, KML document id, GeoPackage table).
    public let layerName: String
    /// Title for people, e.g. "MINUSMA sites: the withdrawal from Mali, 2023-2024".
    public let title: String
    /// Where the data comes from and as of when, in a sentence or two.
    public let sourceDescription: String
    public let schema: GazetteerSchema
    /// The CRS of the coordinates the writers receive.
    public let crs: OutputCRS

    public init(layerName: String, title: String, sourceDescription: String, schema: GazetteerSchema, crs: OutputCRS) {
        self.layerName = layerName
        self.title = title
        self.sourceDescription = sourceDescription
        self.schema = schema
        self.crs = crs
    }
}

/// What is only known after the last feature.
public struct CollectionSummary: Sendable, Equatable {
    public let featureCount: Int
    /// Extent in output coordinates; nil when no feature has a position.
    public let extent: (minX: Double, minY: Double, maxX: Double, maxY: Double)?
    /// Extent in longitude/latitude; nil when no feature has a position.
    public let geographicExtent: GeoBox?

    public init(featureCount: Int, extent: (Double, Double, Double, Double)?, geographicExtent: GeoBox?) {
        self.featureCount = featureCount
        self.extent = extent
        self.geographicExtent = geographicExtent
    }

    public static func == (a: CollectionSummary, b: CollectionSummary) -> Bool {
        a.featureCount == b.featureCount && a.geographicExtent == b.geographicExtent
            && a.extent.map { [$0.0, $0.1, $0.2, $0.3] } == b.extent.map { [$0.0, $0.1, $0.2, $0.3] }
    }
}

/// A writer of one output format, fed feature by feature: `begin`, any number of `write`,
/// `finish`. An empty collection (begin then finish) is a valid document in every format.
/// Writers append to an `OutputBuffer`; the caller owns the file behind it.
public protocol FeatureWriter: AnyObject {
    func begin(_ info: CollectionInfo) throws(ExportError)
    /// One site; `point` is its position in the output CRS, x first (easting or longitude), nil
    /// when the site has none.
    func write(_ site: Site, point: XY?) throws(ExportError)
    func finish(_ summary: CollectionSummary) throws(ExportError)
}

/// The state every writer walks through; misuse is a programming error.
struct WriterState {
    enum Phase { case created, writing, finished }
    private(set) var phase: Phase = .created

    mutating func begin() {
        precondition(phase == .created, "begin() called twice")
        phase = .writing
    }

    func checkWriting() {
        precondition(phase == .writing, "write() outside begin()/finish()")
    }

    mutating func finish() {
        precondition(phase == .writing, "finish() without begin()")
        phase = .finished
    }

    /// For writers that hold several layers: after `finish`, ready for the next `begin`.
    mutating func nextLayer() {
        precondition(phase == .finished, "nextLayer() before finish()")
        phase = .created
    }
}
