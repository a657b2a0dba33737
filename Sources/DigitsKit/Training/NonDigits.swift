#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Pictures that are no digit, for training a reader to say so (issue 14): letters whose
/// shapes no digit shares, signs and doodles, drawn with a round pen by each sample's own hand
/// (slant, turn, width, pen, wobbly points) and brought into MNIST's convention by the same
/// `Preprocess` a person's picture goes through. The network is trained to answer them with no
/// digit at all (`TargetEncoding.nonDigitTarget`): the "outlier exposure" of Hendrycks et al.
/// (2019), which teaches a classifier low confidence off the digits, so the calibrated
/// probability falls under `Calibration.notADigitBelow` on shapes like these.
///
/// Left out on purpose, because a digit can look like them: O o Q D C U e and a square (0), I l
/// J T L (1 and 7), Z z (2), S s (5), G b (6), g q P (9), a triangle (a closed 4), the plus and
/// the tick (4, 7). B stays in: no 8 has a straight back.
public enum NonDigits {
    /// A polyline in the glyph's box: x right, y down, both 0…1.
    typealias Stroke = [(x: Float, y: Float)]

    /// Points along an ellipse about (cx, cy), from angle `from` to `to` in degrees (y down, so
    /// 270° is the top), every 15°.
    static func arc(_ cx: Float, _ cy: Float, _ rx: Float, _ ry: Float, _ from: Float, _ to: Float) -> Stroke {
        let steps = max(2, Int(abs(to - from) / 15) + 1)
        return (0...steps).map { i in
            let angle = Double(from + (to - from) * Float(i) / Float(steps)) * Double.pi / 180
            return (cx + rx * Float(cos(angle)), cy + ry * Float(sin(angle)))
        }
    }

    /// The shapes, by name: each a list of strokes.
    static let glyphs: [(name: String, strokes: [Stroke])] = [
        ("A", [[(0, 1), (0.5, 0), (1, 1)], [(0.22, 0.6), (0.78, 0.6)]]),
        ("B", [[(0, 0), (0, 1)], [(0, 0), (0.55, 0)] + arc(0.55, 0.25, 0.35, 0.25, -90, 90) + [(0, 0.5)],
               [(0, 0.5), (0.6, 0.5)] + arc(0.6, 0.75, 0.4, 0.25, -90, 90) + [(0, 1)]]),
        ("E", [[(1, 0), (0, 0), (0, 1), (1, 1)], [(0, 0.5), (0.75, 0.5)]]),
        ("F", [[(1, 0), (0, 0), (0, 1)], [(0, 0.48), (0.75, 0.48)]]),
        ("H", [[(0, 0), (0, 1)], [(1, 0), (1, 1)], [(0, 0.5), (1, 0.5)]]),
        ("K", [[(0, 0), (0, 1)], [(1, 0), (0, 0.6)], [(0.3, 0.4), (1, 1)]]),
        ("M", [[(0, 1), (0, 0), (0.5, 0.65), (1, 0), (1, 1)]]),
        ("N", [[(0, 1), (0, 0), (1, 1), (1, 0)]]),
        ("R", [[(0, 1), (0, 0), (0.6, 0)] + arc(0.6, 0.25, 0.4, 0.25, -90, 90) + [(0, 0.5)], [(0.4, 0.5), (1, 1)]]),
        ("V", [[(0, 0), (0.5, 1), (1, 0)]]),
        ("W", [[(0, 0), (0.25, 1), (0.5, 0.3), (0.75, 1), (1, 0)]]),
        ("X", [[(0, 0), (1, 1)], [(1, 0), (0, 1)]]),
        ("Y", [[(0, 0), (0.5, 0.5), (1, 0)], [(0.5, 0.5), (0.5, 1)]]),
        ("h", [[(0, 0), (0, 1)], arc(0.5, 0.65, 0.5, 0.3, 180, 360) + [(1, 1)]]),
        ("k", [[(0, 0), (0, 1)], [(0.85, 0.35), (0, 0.78)], [(0.3, 0.62), (0.9, 1)]]),
        ("m", [[(0, 0.2), (0, 1)], arc(0.25, 0.5, 0.25, 0.3, 180, 360) + [(0.5, 1)], arc(0.75, 0.5, 0.25, 0.3, 180, 360) + [(1, 1)]]),
        ("n", [[(0, 0.15), (0, 1)], arc(0.5, 0.5, 0.5, 0.35, 180, 360) + [(1, 1)]]),
        ("r", [[(0, 0.1), (0, 1)], arc(0.65, 0.5, 0.65, 0.4, 180, 300)]),
        ("#", [[(0.38, 0), (0.28, 1)], [(0.76, 0), (0.66, 1)], [(0, 0.33), (1, 0.33)], [(0, 0.67), (1, 0.67)]]),
        ("*", [[(0.5, 0), (0.5, 1)], [(0.07, 0.25), (0.93, 0.75)], [(0.07, 0.75), (0.93, 0.25)]]),
        ("%", [[(0.9, 0), (0.1, 1)], arc(0.2, 0.2, 0.18, 0.2, 0, 360), arc(0.8, 0.8, 0.18, 0.2, 0, 360)]),
        ("=", [[(0, 0.3), (1, 0.3)], [(0, 0.7), (1, 0.7)]]),
        ("pi", [[(0, 0.12), (1, 0.1)], [(0.3, 0.1), (0.25, 1)], [(0.72, 0.1), (0.78, 1)]]),
        ("star", [[(0.5, 0), (0.79, 0.9), (0.02, 0.35), (0.98, 0.35), (0.21, 0.9), (0.5, 0)]]),
        ("arrow", [[(0, 0.5), (1, 0.5)], [(0.65, 0.15), (1, 0.5), (0.65, 0.85)]]),
        ("smiley", [arc(0.5, 0.5, 0.5, 0.5, 0, 360), [(0.33, 0.3), (0.33, 0.42)], [(0.67, 0.3), (0.67, 0.42)],
                    arc(0.5, 0.55, 0.28, 0.22, 20, 160)]),
    ]

    /// The side of the canvas a shape is drawn on before `Preprocess` fits it into 20×20.
    static let canvas = 64

    /// `count` pictures, 784 bytes each in MNIST's convention, the shapes taken in turn and
    /// each drawn by its own hand from `seed`: the same seed, the same bytes.
    public static func images(count: Int, seed: UInt64) -> [UInt8] {
        var random = Random(seed: seed ^ 0x0D16_175E_ED00_0001)
        var bytes = [UInt8]()
        bytes.reserveCapacity(count * Dataset.pixelCount)
        for i in 0..<count {
            let picture = draw(glyphs[i % glyphs.count].strokes, &random)
            // A drawn shape always has ink, so the preprocessing cannot call it blank.
            let pixels = (try? Preprocess.mnist(picture, path: "")) ?? [Float](repeating: 0, count: Dataset.pixelCount)
            bytes += pixels.map { UInt8(max(0, min(255, $0.rounded()))) }
        }
        return bytes
    }

    /// `strokes` drawn dark on white paper by a hand of `random`'s: the glyph's box given an
    /// aspect of 0.6…1.2, slanted by up to ±0.3, turned by up to ±0.2 rad, every point moved by
    /// up to ±4% of the box, and a round pen 3…8% of the canvas wide. (Broader pens, broad
    /// nibs and serifs were tried: with them the reader read 0.6 points fewer of the
    /// out-of-MNIST digits and said "not a digit" to no more of its letters.)
    static func draw(_ strokes: [Stroke], _ random: inout Random) -> GrayImage {
        func uniform(_ low: Float, _ high: Float) -> Float { low + Float(random.uniform()) * (high - low) }
        let size = Float(canvas)
        let (aspect, slant, turn) = (uniform(0.6, 1.2), uniform(-0.3, 0.3), uniform(-0.2, 0.2))
        let pen = uniform(0.03, 0.08) * size
        let height = 0.6 * size, width = height * aspect
        let (cosine, sine) = (Float(cos(Double(turn))), Float(sin(Double(turn))))
        let placed = strokes.map { stroke in
            stroke.map { point -> (x: Float, y: Float) in
                let x = (point.x - 0.5 + uniform(-0.04, 0.04)) * width, y = (point.y - 0.5 + uniform(-0.04, 0.04)) * height
                let sx = x - slant * y
                return (size / 2 + cosine * sx - sine * y, size / 2 + sine * sx + cosine * y)
            }
        }
        var pixels = [UInt8](repeating: 255, count: canvas * canvas)
        for py in 0..<canvas {
            for px in 0..<canvas {
                let p = (x: Float(px) + 0.5, y: Float(py) + 0.5)
                let distance = placed.map { distanceToPolyline(p, $0) }.min() ?? .infinity
                // Coverage of a round pen of diameter `pen`, with a one-pixel anti-aliased edge.
                let coverage = max(0, min(1, pen / 2 + 0.5 - distance))
                pixels[py * canvas + px] = UInt8((255 * (1 - coverage)).rounded())
            }
        }
        return GrayImage(width: canvas, height: canvas, pixels: pixels)
    }

    /// The distance from `p` to the nearest point of `line`.
    static func distanceToPolyline(_ p: (x: Float, y: Float), _ line: [(x: Float, y: Float)]) -> Float {
        var best = Float.infinity
        for (a, b) in zip(line, line.dropFirst()) {
            let (dx, dy) = (b.x - a.x, b.y - a.y)
            let length2 = dx * dx + dy * dy
            let t = length2 > 0 ? max(0, min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2)) : 0
            let (ex, ey) = (p.x - a.x - t * dx, p.y - a.y - t * dy)
            best = min(best, (ex * ex + ey * ey).squareRoot())
        }
        return best
    }
}
