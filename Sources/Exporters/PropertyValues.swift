import Gazetteer

extension Site {
    /// Every property of the schema in output order: known fields, then extra columns.
    func forEachProperty(in schema: GazetteerSchema, _ body: (String, ValueType, FieldValue) throws(ExportError) -> Void) throws(ExportError) {
        for field in schema.fields {
            try body(field.name, field.valueType, value(of: field))
        }
        for (i, extra) in schema.extras.enumerated() {
            try body(extra.name, extra.valueType, value(ofExtra: i, in: schema))
        }
    }
}

extension FieldValue {
    /// The value as plain text (lists joined with ` | `, as in the data files); nil for null.
    var plainText: String? {
        switch self {
        case .null: return nil
        case .text(let s): return s
        case .integer(let i): return String(i)
        case .real(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .date(let d): return d.description
        case .textList(let l): return l.joined(separator: " | ")
        }
    }
}
