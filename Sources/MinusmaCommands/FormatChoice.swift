import ArgumentParser
import Exporters
import Gazetteer

/// A `--format` value: registered format names separated by commas, or `all`. Help and errors
/// list the registry's names.
struct FormatChoice: ExpressibleByArgument, Hashable {
    /// The formats named; nil for `all`.
    let formats: [ExportFormat]?

    init?(argument: String) {
        var named: [ExportFormat] = []
        for part in argument.split(separator: ",") {
            let word = String(part).lowercased().trimmingSpaces
            if word == "all" {
                formats = nil
                return
            }
            guard let f = ExportFormat.named(word), f.canWrite else { return nil }
            named.append(f)
        }
        guard !named.isEmpty else { return nil }
        formats = named
    }

    static var allValueStrings: [String] { ExportFormat.writable.map(\.name) + ["all"] }

    /// The formats named, in registry order, each once; `all` for every writable format.
    static func formats(_ choices: [FormatChoice]) -> [ExportFormat] {
        var named = Set<ExportFormat>()
        for choice in choices {
            guard let formats = choice.formats else { return ExportFormat.writable }
            named.formUnion(formats)
        }
        return ExportFormat.writable.filter(named.contains)
    }
}

/// One registered format that writes.
struct SingleFormat: ExpressibleByArgument {
    let format: ExportFormat

    init?(argument: String) {
        guard let f = ExportFormat.named(argument.trimmingSpaces), f.canWrite else { return nil }
        format = f
    }

    static var allValueStrings: [String] { ExportFormat.writable.map(\.name) }
}

/// `--step`.
extension Timeline.Step: ExpressibleByArgument {}

/// `minusma formats`: what each registered format can do, as `ogr2ogr --formats` lists GDAL's.
struct FormatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formats",
        abstract: "List the formats minusma reads and writes.",
        discussion: """
        Columns: the --format name, r (read with --data) and w (written by export and timeline), the files written \
        for a base name, and a description.

        Examples:
          minusma formats
        """
    )

    func run() throws {
        var table = TextTable([("format", .left), ("can", .left), ("files", .left), ("description", .left)])
        for format in ExportFormat.all {
            let can = (format.canRead ? "r" : "-") + (format.canWrite ? "w" : "-")
            let files = format.fileNames(base: "NAME").joined(separator: " ")
            table.add([format.name, can, files, format.title])
        }
        Console.output(table.render())
    }
}
