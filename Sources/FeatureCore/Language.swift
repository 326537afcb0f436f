/// The language of every human text an output carries: titles, legends, descriptions, popups,
/// layer names. Field names and values from the data never change with it.
public enum Language: String, CaseIterable, Sendable {
    case en
    case fr

    /// The BCP 47 tag, for `xml:lang`, `<html lang>` and metadata.
    public var tag: String { rawValue }
}
