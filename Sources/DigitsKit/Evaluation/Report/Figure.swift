/// A figure as a list of marks on a canvas of fixed size, so that one description gives both
/// the inline SVG of the HTML report and the PNG of `--png`.
public struct Figure: Sendable {
    /// Where a text's x coordinate sits along it.
    public enum Anchor: String, Sendable {
        case start, middle, end
    }

    public enum Mark: Sendable {
        /// An axis-aligned rectangle, filled and/or outlined.
        case rect(x: Double, y: Double, width: Double, height: Double, fill: RGB?, stroke: RGB?)
        /// A polyline through `points`.
        case line(points: [(x: Double, y: Double)], color: RGB, width: Double, dashed: Bool)
        /// One line of text whose baseline starts, centres or ends at (x, y).
        case text(String, x: Double, y: Double, size: Double, anchor: Anchor, color: RGB, bold: Bool)
        /// An image scaled to the rectangle, pixels kept square and sharp.
        case image(RGBImage, x: Double, y: Double, width: Double, height: Double)
    }

    /// What the figure shows, for its SVG title and a screen reader.
    public let title: String
    public let width: Int
    public let height: Int
    public private(set) var marks: [Mark] = []

    public init(title: String, width: Int, height: Int) {
        self.title = title
        self.width = width
        self.height = height
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: RGB? = nil, stroke: RGB? = nil) {
        marks.append(.rect(x: x, y: y, width: w, height: h, fill: fill, stroke: stroke))
    }

    mutating func line(_ points: [(x: Double, y: Double)], color: RGB, width: Double = 1, dashed: Bool = false) {
        marks.append(.line(points: points, color: color, width: width, dashed: dashed))
    }

    mutating func text(_ s: String, _ x: Double, _ y: Double, size: Double = 13, anchor: Anchor = .start,
                       color: RGB = .ink, bold: Bool = false) {
        marks.append(.text(s, x: x, y: y, size: size, anchor: anchor, color: color, bold: bold))
    }

    mutating func image(_ image: RGBImage, _ x: Double, _ y: Double, _ w: Double, _ h: Double) {
        marks.append(.image(image, x: x, y: y, width: w, height: h))
    }
}
