import ArgumentParser
import Gazetteer

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Every field of one site, with its sources (and for a built-in site its events and contingents).",
        discussion: """
        The site is named by its id or by any of its names (case and accents ignored).

        Examples:
          minusma show gao
          minusma show "Mopti-Sévaré"
          minusma show timbuktu
        """
    )

    @OptionGroup var data: DataOptions

    @Argument(help: ArgumentHelp("The site's id or name.", valueName: "site"))
    var site: String

    func run() throws {
        // One pass that keeps only the candidates, not the rows.
        let (found, scan) = try SiteLookup.find([site], in: data)
        let s = found[0]
        var lines: [(String, String)] = []
        func add(_ label: String, _ value: String?) { lines.append((label, value ?? "(unknown)")) }
        add("id", s.id)
        add("closure order", s.closureOrder.map { "\($0) of \(scan.siteCount)" })
        add("name", s.name)
        add("English name", s.nameEn)
        add("other names", s.altNames.isEmpty ? nil : s.altNames.joined(separator: "; "))
        add("region", s.region)
        add("cercle", s.cercle)
        add("site type", s.siteType)
        add("last contingent", s.contingent)
        add("longitude, latitude", s.position.map { "\($0.longitude), \($0.latitude) (WGS 84)" })
        add("coordinate", s.coordKind)
        add("uncertainty", s.coordUncertaintyM.map { "\(Int($0.rounded())) m" })
        add("coordinate confidence", s.coordConfidence)
        add("opened", s.openingDate.map { "\($0)" })
        add("handover", s.handoverDate.map { "\($0)" } ?? (s.lastDepartureDate != nil ? "none (no formal handover)" : nil))
        add("last departure", s.lastDepartureDate.map { "\($0)" })
        add("closure date (maps)", s.closureDate.map { "\($0)" })
        add("how it closed", s.closureSummary)
        add("phase", s.phase.map { $0.summary })
        add("date confidence", s.dateConfidence)
        for (i, extra) in scan.schema.extras.enumerated() {
            add(extra.name, i < s.extras.count ? s.extras[i] : nil)
        }
        let width = lines.map(\.0.count).max() ?? 0
        var out = "\(s.name) (\(s.id))\n\n"
        for (label, value) in lines { out += "  \(label.padding(to: width))  \(value)\n" }
        if let notes = s.notes { out += "\nNotes:\n" + Self.wrap(notes, width: 96, indent: "  ") }
        if !s.dateSources.isEmpty { out += "\nSources of the dates:\n" + s.dateSources.map { "  - \($0)\n" }.joined() }
        if !s.coordSources.isEmpty { out += "\nSources of the coordinate:\n" + s.coordSources.map { "  - \($0)\n" }.joined() }
        out += "\nSource file: \(scan.source), line \(s.line)\n"
        if data.usesBuiltIn { out += try SiteStoryText.text(siteID: s.id) }
        try Console.emit(out)
    }

    static func wrap(_ text: String, width: Int, indent: String) -> String {
        var out = "", line = indent
        for word in text.split(separator: " ") {
            if line.count + word.count + 1 > width && line.count > indent.count {
                out += line + "\n"
                line = indent
            }
            line += (line.count > indent.count ? " " : "") + word
        }
        return out + line + "\n"
    }
}
