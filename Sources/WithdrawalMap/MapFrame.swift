import Gazetteer
import Projection

/// Where things go on the page: the map frame in pixels, and the affine transform from projected
/// coordinates (metres) to pixels. The SVG records the transform in its metadata, so anyone can
/// check where a site should be drawn.
public struct MapFrame: Sendable, Equatable {
    /// The map's rectangle on the page, pixels.
    public let left: Double, top: Double, width: Double, height: Double
    /// Projected extent shown.
    public let minX: Double, minY: Double, maxX: Double, maxY: Double
    /// Pixels per projected unit.
    public let scale: Double

    /// Fits `extent` (projected) into a frame `width` pixels wide at (left, top); the height follows.
    public init(extent: (minX: Double, minY: Double, maxX: Double, maxY: Double), left: Double, top: Double, width: Double) {
        self.left = left
        self.top = top
        self.width = width
        self.minX = extent.minX
        self.maxX = extent.maxX
        self.minY = extent.minY
        self.maxY = extent.maxY
        scale = width / (extent.maxX - extent.minX)
        height = ((extent.maxY - extent.minY) * scale).rounded()
    }

    /// Projected (x, y) to page pixels: x to the right, y down.
    @inline(__always)
    public func pixel(x: Double, y: Double) -> (Double, Double) {
        (left + (x - minX) * scale, top + (maxY - y) * scale)
    }

    public func contains(_ p: (Double, Double), margin: Double = 0) -> Bool {
        p.0 >= left + margin && p.0 <= left + width - margin && p.1 >= top + margin && p.1 <= top + height - margin
    }
}

/// The map's projection and what has been projected once for every picture drawn with it.
final class ProjectedBase {
    let transformer: Transformer
    let crsName: String
    let crsDescription: String

    init(definition: String) throws(ProjectionError) {
        let context = ProjContext()
        // A map is drawn in a 2D horizontal CRS (a compound's horizontal part) whose grids exist.
        let target = try CRS(definition, context: context).horizontal2D().crs
        try target.requireInstalledGrids()
        transformer = try Transformer(from: CRS.wgs84(context: context), to: target)
        crsName = target.name
        crsDescription = definition
    }

    /// Projects positions (longitude, latitude) in one batch.
    func project(_ positions: [GeoPosition]) throws(ProjectionError) -> [(Double, Double)] {
        var xs = positions.map(\.longitude), ys = positions.map(\.latitude)
        try transformer.transform(x: &xs, y: &ys)
        return Array(zip(xs, ys))
    }
}
