/// Figures drawn into pixels, for `--png`: rectangles, thick polylines, the project's bitmap
/// font, and images scaled by nearest neighbour. No antialiasing: the figures are made of
/// horizontal and vertical lines, cells, tiles and short segments, which stay crisp.
extension Figure {
    public func raster() -> RGBImage {
        var canvas = RGBImage(width: width, height: height)
        for mark in marks {
            switch mark {
            case let .rect(x, y, w, h, fill, stroke):
                let (x0, y0, x1, y1) = (Int(x.rounded()), Int(y.rounded()), Int((x + w).rounded()), Int((y + h).rounded()))
                if let fill { canvas.fill(x0, y0, x1, y1, fill) }
                if let stroke {
                    canvas.fill(x0, y0, x1, y0 + 1, stroke)
                    canvas.fill(x0, y1 - 1, x1, y1, stroke)
                    canvas.fill(x0, y0, x0 + 1, y1, stroke)
                    canvas.fill(x1 - 1, y0, x1, y1, stroke)
                }
            case let .line(points, color, lineWidth, dashed):
                canvas.polyline(points, color: color, width: lineWidth, dashed: dashed)
            case let .text(s, x, y, size, anchor, color, bold):
                canvas.text(s, x: x, y: y, size: size, anchor: anchor, color: color, bold: bold)
            case let .image(image, x, y, w, h):
                canvas.draw(image, x: x, y: y, width: w, height: h)
            }
        }
        return canvas
    }

    /// The figure as a PNG file's bytes.
    public func png() -> [UInt8] {
        PNGImage.encode(raster())
    }
}

extension RGBImage {
    /// Fills [x0, x1) × [y0, y1), clipped to the image.
    mutating func fill(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ color: RGB) {
        let (xa, xb) = (max(0, x0), min(width, x1))
        let (ya, yb) = (max(0, y0), min(height, y1))
        guard xa < xb, ya < yb else { return }
        for y in ya..<yb {
            for x in xa..<xb { self[x, y] = color }
        }
    }

    /// A polyline of the given width: a square pen stamped every quarter pixel along each
    /// segment; dashed lines draw 6 px and skip 4, as the SVG's dash array.
    mutating func polyline(_ points: [(x: Double, y: Double)], color: RGB, width lineWidth: Double, dashed: Bool) {
        let half = max(0.5, lineWidth / 2)
        var travelled = 0.0
        func stamp(_ x: Double, _ y: Double) {
            fill(Int((x - half).rounded()), Int((y - half).rounded()), Int((x + half).rounded()), Int((y + half).rounded()), color)
        }
        if points.count == 1 { stamp(points[0].x, points[0].y) }
        for (a, b) in zip(points, points.dropFirst()) {
            let (dx, dy) = (b.x - a.x, b.y - a.y)
            let length = (dx * dx + dy * dy).squareRoot()
            let steps = max(1, Int(length * 4))
            for s in 0...steps {
                let t = Double(s) / Double(steps)
                let along = travelled + t * length
                if dashed && along.truncatingRemainder(dividingBy: 10) >= 6 { continue }
                stamp(a.x + dx * t, a.y + dy * t)
            }
            travelled += length
        }
    }

    /// Text in the bitmap font at twice its size from 13 px up (glyphs 16 px tall with the
    /// descender), else at its own, so that a label takes about the width it takes in the SVG;
    /// bold widens each stroke by a pixel.
    mutating func text(_ s: String, x: Double, y: Double, size: Double, anchor: Figure.Anchor, color: RGB, bold: Bool) {
        let scale = size >= 13 ? 2 : 1
        let textWidth = s.count * Font.advance * scale - scale
        var left = Int(x.rounded())
        switch anchor {
        case .start: break
        case .middle: left -= textWidth / 2
        case .end: left -= textWidth
        }
        let top = Int(y.rounded()) - 7 * scale
        for (index, c) in s.enumerated() {
            let glyph = Font.glyph(c)
            let gx = left + index * Font.advance * scale
            for row in 0..<Font.rows {
                for column in 0..<Font.columns where glyph[row] & (1 << (Font.columns - 1 - column)) != 0 {
                    let px = gx + column * scale, py = top + row * scale
                    fill(px, py, px + scale + (bold ? 1 : 0), py + scale, color)
                }
            }
        }
    }

    /// `image` scaled into the rectangle by nearest neighbour.
    mutating func draw(_ image: RGBImage, x: Double, y: Double, width w: Double, height h: Double) {
        let (x0, y0) = (Int(x.rounded()), Int(y.rounded()))
        let (pw, ph) = (Int(w.rounded()), Int(h.rounded()))
        guard pw > 0, ph > 0, image.width > 0, image.height > 0 else { return }
        for dy in 0..<ph {
            let ty = y0 + dy
            guard ty >= 0, ty < height else { continue }
            let sy = dy * image.height / ph
            for dx in 0..<pw {
                let tx = x0 + dx
                guard tx >= 0, tx < width else { continue }
                self[tx, ty] = image[dx * image.width / pw, sy]
            }
        }
    }
}
