/// An sRGB colour, 8 bits a channel.
public struct RGB: Sendable, Equatable, Hashable {
    public var r: UInt8, g: UInt8, b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        (self.r, self.g, self.b) = (r, g, b)
    }

    /// `#rrggbb`, as SVG and CSS take it.
    public var hex: String {
        let digits = Array("0123456789abcdef")
        return "#" + String([r, g, b].flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }

    /// Relative luminance, 0 (black) … 1 (white), to choose legible text over a fill.
    public var luminance: Double {
        (0.2126 * Double(r) + 0.7152 * Double(g) + 0.0722 * Double(b)) / 255
    }

    public static let white = RGB(255, 255, 255)
    public static let black = RGB(0, 0, 0)
    public static let ink = RGB(34, 34, 34)
    public static let grid = RGB(221, 221, 221)
    public static let axis = RGB(102, 102, 102)

    /// Series colours that stay apart for the common colour-vision deficiencies (Okabe–Ito).
    public static let series = [RGB(0, 114, 178), RGB(213, 94, 0), RGB(0, 158, 115), RGB(204, 121, 167)]

    /// The straight mix of `a` and `b`, t = 0 giving a.
    static func mix(_ a: RGB, _ b: RGB, _ t: Double) -> RGB {
        let t = min(1, max(0, t))
        func channel(_ x: UInt8, _ y: UInt8) -> UInt8 { UInt8((Double(x) + (Double(y) - Double(x)) * t).rounded()) }
        return RGB(channel(a.r, b.r), channel(a.g, b.g), channel(a.b, b.b))
    }
}

/// The colour scales of the report's figures.
public enum ColorScale {
    static let negative = RGB(33, 102, 172)
    static let positive = RGB(178, 24, 43)

    /// −1 … 1 onto blue … white … red: a weight's sign and strength, zero plain white.
    public static func diverging(_ v: Double) -> RGB {
        let v = v.isFinite ? min(1, max(-1, v)) : 0
        return v < 0 ? RGB.mix(.white, negative, -v) : RGB.mix(.white, positive, v)
    }

    /// 0 … 1 onto white … deep green: the confusion matrix's diagonal (images read right).
    public static func correct(_ v: Double) -> RGB {
        RGB.mix(RGB(237, 248, 233), RGB(0, 109, 44), v)
    }

    /// 0 … 1 onto white … deep orange: the confusion matrix's other cells (mistakes).
    public static func mistaken(_ v: Double) -> RGB {
        RGB.mix(.white, RGB(166, 54, 3), v)
    }
}

/// A colour image, row-major, three bytes a pixel.
public struct RGBImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, fill: RGB = .white) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        for p in 0..<(width * height) { (pixels[3 * p], pixels[3 * p + 1], pixels[3 * p + 2]) = (fill.r, fill.g, fill.b) }
    }

    public subscript(x: Int, y: Int) -> RGB {
        get {
            let p = 3 * (y * width + x)
            return RGB(pixels[p], pixels[p + 1], pixels[p + 2])
        }
        set {
            let p = 3 * (y * width + x)
            (pixels[p], pixels[p + 1], pixels[p + 2]) = (newValue.r, newValue.g, newValue.b)
        }
    }

    /// A gray image in colour.
    public init(_ gray: GrayImage) {
        width = gray.width
        height = gray.height
        pixels = gray.pixels.flatMap { [$0, $0, $0] }
    }
}
