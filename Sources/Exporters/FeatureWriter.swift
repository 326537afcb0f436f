import FeatureCore
import Projection

/// A writer of one output format, fed feature by feature: `begin`, any number of `write`,
/// `finish`. It sees a layer's schema, metadata and features, never where they come from. An
/// empty layer (begin then finish) is a valid document in every format. Writers write into the
/// export's `ExportFiles`, so that nothing is in place before the whole set is committed.
public protocol FeatureWriter: AnyObject {
    func begin(_ layer: LayerInfo) throws(ExportError)
    /// One feature; `point` is its position in the layer's CRS, x first (easting or longitude),
    /// nil when it has none.
    func write<F: Feature>(_ feature: F, point: XY?) throws(ExportError)
    func finish(_ summary: LayerSummary) throws(ExportError)
}

/// A writer that holds several layers in one file (a GeoPackage): after `finish`, `startLayer`
/// opens the next, which `begin` then describes.
public protocol MultiLayerWriter: FeatureWriter {
    func startLayer(named layerName: String) throws(ExportError)
}

/// The state every writer walks through; misuse is a programming error, never an input's.
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

/// Several writers fed as one (a format that writes two documents, such as CSV and its Excel copy).
final class WriterGroup: FeatureWriter {
    private let writers: [any FeatureWriter]

    init(_ writers: [any FeatureWriter]) { self.writers = writers }

    func begin(_ layer: LayerInfo) throws(ExportError) {
        for w in writers { try w.begin(layer) }
    }

    func write<F: Feature>(_ feature: F, point: XY?) throws(ExportError) {
        for w in writers { try w.write(feature, point: point) }
    }

    func finish(_ summary: LayerSummary) throws(ExportError) {
        for w in writers { try w.finish(summary) }
    }
}
