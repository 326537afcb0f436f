import CXLSXWriter

/// How a cell looks: the few styles a data sheet needs. Each distinct style becomes one format
/// of the workbook.
public struct CellStyle: Hashable, Sendable {
    public var bold = false
    /// An Excel number format (`yyyy-mm-dd`, `0`, `0.0000000`); nil for General.
    public var numberFormat: String?
    /// Blue and underlined, as Excel shows links.
    public var link = false
    /// Text wraps inside the column's width.
    public var wrap = false
    /// Text aligned to the top of the cell (for rows of wrapped paragraphs).
    public var top = false

    public init(bold: Bool = false, numberFormat: String? = nil, link: Bool = false, wrap: Bool = false, top: Bool = false) {
        self.bold = bold
        self.numberFormat = numberFormat
        self.link = link
        self.wrap = wrap
        self.top = top
    }

    public static let plain = CellStyle()

    func apply(to format: UnsafeMutablePointer<lxw_format>) {
        if bold { format_set_bold(format) }
        if let numberFormat { format_set_num_format(format, numberFormat) }
        if link {
            format_set_font_color(format, lxw_color_t(LXW_COLOR_BLUE.rawValue))
            format_set_underline(format, UInt8(LXW_UNDERLINE_SINGLE.rawValue))
        }
        if wrap { format_set_text_wrap(format) }
        if top { format_set_align(format, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue)) }
    }
}
