#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shapes drawn by program with a round pen, each by its own hand: what `NonDigits` and
/// `DrawnDigits` make their training pictures with. A shape is a list of strokes in its box
/// (x right, y down, both 0…1); a hand gives the box its aspect, slants and turns it, moves every
/// point a little and chooses the pen; the picture is dark ink on white paper, which the same
/// `Preprocess` a person's picture goes through brings into MNIST's convention.
enum Pen {
    /// A polyline in the shape's box: x right, y down, both 0…1.
    typealias Stroke = [(x: Float, y: Float)]

    /// The side of the canvas a shape is drawn on before `Preprocess` fits it into 20×20.
    static let canvas = 64

    /// Points along an ellipse about (cx, cy), from angle `from` to `to` in degrees (y down, so
    /// 270° is the top), every 15°.
    static func arc(_ cx: Float, _ cy: Float, _ rx: Float, _ ry: Float, _ from: Float, _ to: Float) -> Stroke {
        let steps = max(2, Int(abs(to - from) / 15) + 1)
        return (0...steps).map { i in
            let angle = Double(from + (to - from) * Float(i) / Float(steps)) * Double.pi / 180
            return (cx + rx * Float(cos(angle)), cy + ry * Float(sin(angle)))
        }
    }

    /// `strokes` drawn dark on white paper by a hand of `random`'s: the box 0.6 of the canvas
    /// tall and `aspect` times as wide, slanted by up to ±0.3, turned by up to ±0.2 rad, every
    /// point moved by up to ±4% of the box, and a round pen `pen` of the canvas wide.
    static func draw(_ strokes: [Stroke], aspect: ClosedRange<Float>, pen: ClosedRange<Float>, _ random: inout Random) -> GrayImage {
        func uniform(_ range: ClosedRange<Float>) -> Float {
            range.lowerBound + Float(random.uniform()) * (range.upperBound - range.lowerBound)
        }
        let size = Float(canvas)
        let (widthShare, slant, turn) = (uniform(aspect), uniform(-0.3...0.3), uniform(-0.2...0.2))
        let penWidth = uniform(pen) * size
        let height = 0.6 * size, width = height * widthShare
        let (cosine, sine) = (Float(cos(Double(turn))), Float(sin(Double(turn))))
        let placed = strokes.map { stroke in
            stroke.map { point -> (x: Float, y: Float) in
                let x = (point.x - 0.5 + uniform(-0.04...0.04)) * width, y = (point.y - 0.5 + uniform(-0.04...0.04)) * height
                let sx = x - slant * y
                return (size / 2 + cosine * sx - sine * y, size / 2 + sine * sx + cosine * y)
            }
        }
        var pixels = [UInt8](repeating: 255, count: canvas * canvas)
        for py in 0..<canvas {
            for px in 0..<canvas {
                let p = (x: Float(px) + 0.5, y: Float(py) + 0.5)
                let distance = placed.map { distanceToPolyline(p, $0) }.min() ?? .infinity
                // Coverage of a round pen of diameter `penWidth`, with a one-pixel anti-aliased edge.
                let coverage = max(0, min(1, penWidth / 2 + 0.5 - distance))
                pixels[py * canvas + px] = UInt8((255 * (1 - coverage)).rounded())
            }
        }
        return GrayImage(width: canvas, height: canvas, pixels: pixels)
    }

    /// A drawn picture in MNIST's convention, 784 bytes (a drawn shape always has ink, so the
    /// preprocessing cannot call it blank).
    static func mnistBytes(_ picture: GrayImage) -> [UInt8] {
        let pixels = (try? Preprocess.mnist(picture, path: "")) ?? [Float](repeating: 0, count: Dataset.pixelCount)
        return pixels.map { UInt8(max(0, min(255, $0.rounded()))) }
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
