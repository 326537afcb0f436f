import FeatureCore

/// The pictures inside a KMZ, drawn here rather than fetched: a disc per category for the icons,
/// and the legend (each category's disc and label, and the circles' symbol when there are any).
enum KMZPictures {
    /// 32 x 32: a disc in the category's colour in a white ring, which keeps it visible on dark
    /// imagery and on the same colour.
    static func icon(_ color: RasterImage.Color) -> RasterImage {
        var image = RasterImage(width: 32, height: 32)
        image.fillDisc(cx: 16, cy: 16, radius: 14, .white)
        image.fillDisc(cx: 16, cy: 16, radius: 11.5, color)
        return image
    }

    static let scale = 2
    static let padding = 10
    static let rowHeight = 28

    /// The style's title, then one row per category, on a white card: the disc as the icon draws
    /// it, then the label.
    /// `circleLabel`: the circles' row, when there are circles.
    static func legend(title: String?, _ categories: [FeatureCategory], circleLabel: String?) -> RasterImage {
        let labels = categories.map(\.label) + (circleLabel.map { [$0] } ?? [])
        let textLeft = padding + 30
        let titleRows = title == nil ? 0 : 1
        let widest = labels.map { textLeft + BitmapFont.width($0, scale: scale) }.max() ?? 0
        let width = max(widest, padding + 1 + (title.map { BitmapFont.width($0, scale: scale) } ?? 0)) + padding
        let rows = titleRows + labels.count
        let height = 2 * padding + rowHeight * rows - (rowHeight - BitmapFont.cellHeight * scale)
        var image = RasterImage(width: width, height: height, background: RasterImage.Color(r: 255, g: 255, b: 255, a: 235))
        if let title {
            // Drawn twice a pixel apart: a bold title over the regular rows.
            for dx in 0...1 { BitmapFont.draw(title, x: padding + dx, y: padding, scale: scale, color: .ink, into: &image) }
        }
        for (row, label) in labels.enumerated() {
            let top = padding + (titleRows + row) * rowHeight
            // The disc's centre on the middle of a capital (cell rows 2 to 8).
            let middle = Double(top + 5 * scale + scale / 2)
            if row < categories.count {
                let color = RasterImage.Color(hex: categories[row].color)
                image.fillDisc(cx: Double(padding + 11), cy: middle, radius: 11, RasterImage.Color(r: 120, g: 120, b: 120))
                image.fillDisc(cx: Double(padding + 11), cy: middle, radius: 10, .white)
                image.fillDisc(cx: Double(padding + 11), cy: middle, radius: 8, color)
            } else {
                image.fillDisc(cx: Double(padding + 11), cy: middle, radius: 11, RasterImage.Color(r: 0, g: 114, b: 178))
                image.fillDisc(cx: Double(padding + 11), cy: middle, radius: 10, RasterImage.Color(r: 204, g: 227, b: 240))
            }
            BitmapFont.draw(label, x: textLeft, y: top, scale: scale, color: .ink, into: &image)
        }
        return image
    }
}
