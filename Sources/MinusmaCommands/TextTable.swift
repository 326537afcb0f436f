/// A plain-text table with aligned columns, for terminals and logs.
struct TextTable {
    enum Alignment { case left, right }

    let headers: [String]
    let alignments: [Alignment]
    var rows: [[String]] = []

    init(_ columns: [(String, Alignment)]) {
        headers = columns.map(\.0)
        alignments = columns.map(\.1)
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render() -> String {
        let widths = columnWidths()
        var out = header(widths)
        for row in rows { out += line(row, widths) }
        return out
    }

    /// The width of each column: its widest cell, header included.
    func columnWidths() -> [Int] {
        var widths = headers.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        return widths
    }

    /// The header line and the rule under it.
    func header(_ widths: [Int]) -> String {
        line(headers, widths) + line(widths.map { String(repeating: "-", count: $0) }, widths)
    }

    /// One row, padded to `widths` (a longer cell pushes the rest of its row right), with its line end.
    func line(_ cells: [String], _ widths: [Int]) -> String {
        var parts: [String] = []
        for (i, cell) in cells.enumerated() where i < widths.count {
            let last = i == cells.count - 1
            if alignments[i] == .right { parts.append(cell.leftPadding(to: widths[i])) }
            else { parts.append(last ? cell : cell.padding(to: widths[i])) }
        }
        return parts.joined(separator: "  ") + "\n"
    }
}

enum Units {
    static func kilometres(_ metres: Double) -> String {
        let tenths = (metres / 100).rounded()
        return "\(Int(tenths) / 10).\(Int(tenths) % 10) km"
    }

    static func degrees(_ value: Double, decimals: Int = 1) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let v = (value * scale).rounded() / scale
        var s = String(v)
        if let dot = s.firstIndex(of: ".") {
            let fraction = s[s.index(after: dot)...]
            if fraction.count < decimals { s += String(repeating: "0", count: decimals - fraction.count) }
        }
        return s + "°"
    }
}
