/// The value types a column can have, in data files and in every export.
public enum ValueType: String, Sendable, CaseIterable {
    case text
    case integer
    case real
    case date
    /// Several texts in one cell, separated by ` | `; an array in GeoJSON.
    case textList
}

/// One property value, typed.
public enum FieldValue: Equatable, Sendable {
    case null
    case text(String)
    case integer(Int)
    case real(Double)
    case date(CalendarDate)
    case textList([String])
}
