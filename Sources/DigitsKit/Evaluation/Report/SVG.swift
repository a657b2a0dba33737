import Foundation

/// Figures as inline SVG: no namespace URL (an inline `<svg>` in HTML needs none), no
/// external reference; images are PNG data URIs.
extension Figure {
    public func svg(id: String) -> String {
        var out = "<svg id=\"\(id)\" class=\"figure\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-labelledby=\"\(id)-title\">"
        out += "<title id=\"\(id)-title\">\(escapeXML(title))</title>"
        out += "<rect width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\"/>"
        for mark in marks {
            switch mark {
            case let .rect(x, y, w, h, fill, stroke):
                out += "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(h))\" fill=\"\(fill?.hex ?? "none")\""
                if let stroke { out += " stroke=\"\(stroke.hex)\"" }
                out += "/>"
            case let .line(points, color, lineWidth, dashed):
                let list = points.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " ")
                out += "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(color.hex)\" stroke-width=\"\(n(lineWidth))\" stroke-linejoin=\"round\""
                if dashed { out += " stroke-dasharray=\"6 4\"" }
                out += "/>"
            case let .text(s, x, y, size, anchor, color, bold):
                out += "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" text-anchor=\"\(anchor.rawValue)\" fill=\"\(color.hex)\""
                if bold { out += " font-weight=\"bold\"" }
                out += ">\(escapeXML(s))</text>"
            case let .image(image, x, y, w, h):
                out += "<image x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(h))\" preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" href=\"\(image.pngDataURI)\"/>"
            }
        }
        return out + "</svg>"
    }

    /// Coordinates with at most two decimals, without a trailing ".00".
    private func n(_ v: Double) -> String {
        let s = fixed(v, 2)
        if s.hasSuffix(".00") { return String(s.dropLast(3)) }
        return s
    }
}

/// `s` with the five XML special characters escaped, for text and attribute values.
func escapeXML(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.count)
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}

/// PNG bytes as a `data:` URI, for `<img>` and SVG `<image>`.
func pngDataURI(_ png: [UInt8]) -> String {
    "data:image/png;base64," + Data(png).base64EncodedString()
}

extension RGBImage {
    public var pngDataURI: String { DigitsKit.pngDataURI(PNGImage.encode(self)) }
}

extension GrayImage {
    public var pngDataURI: String { DigitsKit.pngDataURI(PNGImage.encode(self)) }
}
