import XLSXDocument

/// Sheet names Excel accepts, one per layer: at most 31 characters, none of `[ ] : * ? / \`, no
/// apostrophe at either end, and unique ignoring case (Excel's own comparison). A clash gets
/// ` (2)`, ` (3)`, ... in the order the layers come, so the same layers give the same names.
struct XLSXSheetNames {
    private var taken: Set<String>

    /// `reserved`: names kept for the workbook's own sheets (the About sheet).
    init(reserved: [String]) {
        taken = Set(reserved.map { $0.lowercased() })
    }

    /// A valid, unused sheet name for `layer`, now taken.
    mutating func claim(_ layer: String) -> String {
        let base = Self.valid(layer)
        var name = base
        var n = 1
        while taken.contains(name.lowercased()) {
            n += 1
            let suffix = " (\(n))"
            name = Self.cut(base, to: XLSXLimits.sheetNameCharacters - suffix.utf16.count) + suffix
        }
        taken.insert(name.lowercased())
        return name
    }

    static let forbidden: Set<Unicode.Scalar> = ["[", "]", ":", "*", "?", "/", "\\"]

    /// `layer` with the forbidden characters (and control characters) made `_`, apostrophes
    /// trimmed from the ends, cut to 31 characters; `Sheet` when nothing is left.
    static func valid(_ layer: String) -> String {
        var scalars = String.UnicodeScalarView()
        for s in layer.unicodeScalars {
            scalars.append(forbidden.contains(s) || s.value < 32 || s.value == 127 ? "_" : s)
        }
        var name = String(scalars)
        while name.hasPrefix("'") { name.removeFirst() }
        name = cut(name, to: XLSXLimits.sheetNameCharacters)
        while name.hasSuffix("'") { name.removeLast() }
        return name.isEmpty ? "Sheet" : name
    }

    /// The longest prefix of whole characters that Excel counts as at most `limit` (UTF-16 units).
    static func cut(_ text: String, to limit: Int) -> String {
        var out = ""
        var units = 0
        for c in text {
            units += c.utf16.count
            if units > limit { break }
            out.append(c)
        }
        return out
    }
}
