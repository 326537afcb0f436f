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
    /// A column of the input cannot be a column of a format: the format adds one of that name,
    /// or cannot tell it from another (`rule` says which).
    case columnClash(name: String, format: String, rule: String)
    /// An output name (`--name`) that a format cannot use.
    case nameClash(name: String, format: String, rule: String)
    /// libxlsxwriter refused something while writing a workbook.
    case workbook(path: String, message: String)
    /// A value of the input that a format cannot hold (a text longer than a spreadsheet cell).
    /// `limit` says what the format holds ("an Excel cell holds at most 32767 characters").
    case valueTooLarge(path: String, feature: String, field: String, found: String, limit: String)

    public var description: String {
        switch self {
        case .output(let e): return e.description
        case .input(let e): return e.description
        case let .projection(e, site):
            return site.map { "\($0): \(e.description)" } ?? e.description
        case let .geoPackage(path, message): return "cannot write the GeoPackage \(path): \(message)"
        case .wouldOverwriteInput(let path):
            return "refusing to write \(path): it is the input file (choose another --out folder or --name)"
        case let .columnClash(name, format, rule):
            return "the input's column '\(name)' cannot be written as \(format): \(rule); rename that column"
        case let .nameClash(name, format, rule):
            return "--name \(name) cannot be used for \(format): \(rule); choose another --name"
        case let .workbook(path, message): return "cannot write the workbook \(path): \(message)"
        case let .valueTooLarge(path, feature, field, found, limit):
            return "cannot write \(path): feature '\(feature)', field '\(field)' has \(found), and \(limit); leave this format out of --format for this data"
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
