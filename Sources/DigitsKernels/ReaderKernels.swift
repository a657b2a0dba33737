/// The reader augmentation's changes of the ink (`InkStyle`), on the padded 30×30 float image
/// the sampler reads (pixel (x, y) at (y + 1)·30 + x + 1, the one-pixel border black). Each
/// step works on the ink's box only, grown by what the step can spread, so a digit costs
/// about its box rather than the whole image; the border is never written, so the sampler's
/// "black outside" still holds.
extension Kernels {
    /// A region of the 28×28 image: columns x0…x1, rows y0…y1.
    package typealias Box = (x0: Int, y0: Int, x1: Int, y1: Int)

    /// `box` grown by `g` pixels on every side, within the 28×28 image.
    package static func grown(_ box: Box, by g: Int) -> Box {
        (max(0, box.x0 - g), max(0, box.y0 - g), min(27, box.x1 + g), min(27, box.y1 + g))
    }

    /// One separable 3×3 operation over `box`: `tap` of each pixel's column neighbours
    /// (above, itself, below) into `scratch`, then `tap` of those along the row, and the pixel
    /// becomes finish(old value, result). Maximum, minimum and a symmetric 3-tap blur are all
    /// separable this way. The column pass covers one column more on each side (the border's
    /// included), which the row pass reads.
    @inline(__always)
    package static func threeByThree(_ s: UnsafeMutablePointer<Float>, _ scratch: UnsafeMutablePointer<Float>, over box: Box,
                             tap: (Float, Float, Float) -> Float, finish: (Float, Float) -> Float) {
        let w = 30
        for y in box.y0...box.y1 {
            let row = (y + 1) * w + 1
            for x in (box.x0 - 1)...(box.x1 + 1) {
                let i = row + x
                scratch[i] = tap(s[i - w], s[i], s[i + w])
            }
        }
        for y in box.y0...box.y1 {
            let row = (y + 1) * w + 1
            for x in box.x0...box.x1 {
                let i = row + x
                s[i] = finish(s[i], tap(scratch[i - 1], scratch[i], scratch[i + 1]))
            }
        }
    }

    /// Strokes made thicker or thinner (`InkStyle.thickness`): each step v ← v + k·(m − v),
    /// m the 3×3 maximum (dilation) or minimum (erosion), k the step's share. Returns the box
    /// the ink may now cover (a dilation spreads it by a pixel on each side).
    package static func stroke(_ s: UnsafeMutablePointer<Float>, _ scratch: UnsafeMutablePointer<Float>, box: Box, thickness: Float) -> Box {
        if thickness < 0 {
            let k = -thickness
            threeByThree(s, scratch, over: box, tap: { min($0, $1, $2) }, finish: { v, m in v + k * (m - v) })
            return box
        }
        var box = box, left = thickness
        while left > 0 {
            let k = min(1, left)
            box = grown(box, by: 1)
            threeByThree(s, scratch, over: box, tap: { max($0, $1, $2) }, finish: { v, m in v + k * (m - v) })
            left -= 1
        }
        return box
    }

    /// A Gaussian blur of standard deviation σ ≤ 1: two passes of the 3-tap kernel
    /// [w, 1 − 2w, w] along each axis, each of variance 2w, so w = σ²/4. The kernel sums to 1,
    /// so the ink's mass is kept (but for what would leave the 28×28 image). Returns the box
    /// the ink may now cover.
    package static func blur(_ s: UnsafeMutablePointer<Float>, _ scratch: UnsafeMutablePointer<Float>, box: Box, sigma: Float) -> Box {
        let w = sigma * sigma / 4, centre = 1 - 2 * w
        var box = box
        for _ in 0..<2 {
            box = grown(box, by: 1)
            threeByThree(s, scratch, over: box, tap: { w * ($0 + $2) + centre * $1 }, finish: { _, m in m })
        }
        return box
    }

    /// The brightest pixel of `box` brought back to 255, as the preprocessing of people's
    /// pictures leaves every digit (an erosion or a blur lowers the peak).
    package static func restorePeak(_ s: UnsafeMutablePointer<Float>, box: Box) {
        var peak: Float = 0
        for y in box.y0...box.y1 { for x in box.x0...box.x1 { peak = max(peak, s[(y + 1) * 30 + x + 1]) } }
        guard peak > 0, peak < 255 else { return }
        let gain = 255 / peak
        for y in box.y0...box.y1 { for x in box.x0...box.x1 { s[(y + 1) * 30 + x + 1] *= gain } }
    }

    /// The ink's changes before the geometric map: stroke, blur, peak back to 255. Returns the
    /// box the ink may now cover, for the sampler.
    package static func restyle(_ s: UnsafeMutablePointer<Float>, _ scratch: UnsafeMutablePointer<Float>, box: Box, _ ink: InkStyle) -> Box {
        var box = stroke(s, scratch, box: box, thickness: ink.thickness)
        if ink.blur > 0 { box = blur(s, scratch, box: box, sigma: ink.blur) }
        restorePeak(s, box: box)
        return box
    }

    /// A uniform number in [−1, 1) from `seed` and `pixel` alone (SplitMix64's finaliser).
    @inline(__always)
    package static func jitter(_ seed: UInt64, _ pixel: Int) -> Float {
        var z = seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(pixel + 1)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(Int32(truncatingIfNeeded: z >> 32)) * 0x1.0p-31
    }
}

/// The ink's changes after the geometric map, on the sampler's way to `base`: the tone curve,
/// then the noise, on inked pixels only (the ground stays 0, as the preprocessing leaves it,
/// and the inputs stay sparse).
package struct InkSink<Base: PixelSink>: PixelSink {
    package var base: Base
    package let tone: UnsafePointer<UInt8>
    package let noise: Float
    package let seed: UInt64

    @inline(__always) package mutating func put(_ pixel: Int, _ value: UInt8) {
        guard value != 0 else { return base.put(pixel, 0) }
        let v = Float(tone[Int(value)]) + noise * Kernels.jitter(seed, pixel)
        base.put(pixel, UInt8(min(max(v, 0), 255) + 0.5))
    }
}
