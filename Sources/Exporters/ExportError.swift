import Gazetteer
import Projection
import TextOutput

/// Why an export failed. Nothing is left half-written: every output goes to a temporary file
/// that is renamed only when all outputs are complete.
public enum ExportError: Error, CustomStringConvertible {
    case output(OutputError)
    case input(GazetteerError)
    case projection(ProjectionError, site: String?)
    /// SQLite refused something while writing a GeoPackage.
    case geoPackage(path: String, message: String)
    /// An output would overwrite the input file.
    case wouldOverwriteInput(path: String)
    /// A column of the input has the name of a column the export adds.
    case columnClash(name: String, format: String)

    public var description: String {
        switch self {
        case .output(let e): return e.description
        case .input(let e): return e.description
        case let .projection(e, site):
            return site.map { "\($0): \(e.description)" } ?? e.description
        case let .geoPackage(path, message): return "cannot write the GeoPackage \(path): \(message)"
        case .wouldOverwriteInput(let path):
            return "refusing to write \(path): it is the input file (choose another --out folder or --name)"
        case let .columnClash(name, format):
            return "the input has a column named '\(name)', which the \(format) export adds itself; rename that column"
        }
    }
}

extension OutputBuffer {
    /// Flushes, turning output errors into export errors.
    func flushForExport() throws(ExportError) {
        do { try flush() } catch { throw .output(error) }
    }

    func flushIfFullForExport() throws(ExportError) {
        do { try flushIfFull() } catch { throw .output(error) }
    }
}
