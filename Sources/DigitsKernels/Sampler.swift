#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the augmentation sampler puts a pixel: into an image, or straight into the list of
/// nonzero inputs (visited row by row, so in order).
package protocol PixelSink {
    mutating func put(_ pixel: Int, _ value: UInt8)
}

package struct ByteSink: PixelSink {
    package let pixels: UnsafeMutablePointer<UInt8>
    @inline(__always) package mutating func put(_ pixel: Int, _ value: UInt8) { pixels[pixel] = value }
}

package struct SparseSink: PixelSink {
    package let table: UnsafePointer<Float>
    package let indices: UnsafeMutablePointer<Int32>
    package let values: UnsafeMutablePointer<Float>
    package var count = 0
    @inline(__always) package mutating func put(_ pixel: Int, _ value: UInt8) {
        let x = table[Int(value)]
        indices[count] = Int32(pixel)
        values[count] = x
        count += x != 0 ? 1 : 0
    }
}

/// The sampler's working memory for one thread: the padded 30×30 image (its border stays
/// black), a second one for the reader's separable passes, and one image's nonzero inputs.
package final class SamplerBuffers {
    package let source: UnsafeMutablePointer<Float>
    package let scratch: UnsafeMutablePointer<Float>
    package let slotIndex: UnsafeMutablePointer<Int32>
    package let slotValue: UnsafeMutablePointer<Float>

    package init() {
        source = .allocate(capacity: 2 * 30 * 30)
        source.initialize(repeating: 0, count: 2 * 30 * 30)
        scratch = source + 30 * 30
        slotIndex = .allocate(capacity: 784)
        slotIndex.initialize(repeating: 0, count: 784)
        slotValue = .allocate(capacity: 784)
        slotValue.initialize(repeating: 0, count: 784)
    }

    deinit {
        source.deallocate()
        slotIndex.deallocate()
        slotValue.deallocate()
    }
}

extension Kernels {
    /// Image `n` of `images`, as floats with a black border of one pixel (30 × 30), so every
    /// bilinear neighbour is in bounds (the border is written once, by the caller's zeroing).
    @inline(__always)
    private static func pad(_ images: UnsafePointer<UInt8>, _ n: Int, into source: UnsafeMutablePointer<Float>) {
        let image = images + n * 784
        for y in 0..<28 {
            let row = source + (y + 1) * 30 + 1, pixels = image + y * 28
            for x in 0..<28 { row[x] = Float(pixels[x]) }
        }
    }

    /// The bounding box (x0, y0, x1, y1) of each image's ink, (28, 28, −1, −1) for a blank one.
    package static func inkBoxes(_ images: [UInt8], count: Int) -> [SIMD4<Int32>] {
        images.withUnsafeBufferPointer { buffer in
            (0..<count).map { n in
                var (x0, y0, x1, y1): (Int32, Int32, Int32, Int32) = (28, 28, -1, -1)
                let image = buffer.baseAddress! + n * 784
                for y in 0..<28 {
                    var any: UInt8 = 0
                    for x in 0..<28 { any |= image[y * 28 + x] }
                    if any == 0 { continue }
                    y0 = min(y0, Int32(y)); y1 = Int32(y)
                    for x in 0..<28 where image[y * 28 + x] != 0 {
                        x0 = min(x0, Int32(x)); x1 = max(x1, Int32(x))
                    }
                }
                return SIMD4(x0, y0, x1, y1)
            }
        }
    }

    /// Puts into `out`, row by row, the distorted image's pixels that may be nonzero:
    /// out(p) = bilinear sample of `source` at A·(p − c) + c + shift + field(p),
    /// c = (13.5, 13.5), black outside (Augmenter's distortion). Only the output region the
    /// ink's box can reach is visited (the box, widened by the field's reach, mapped back
    /// through A⁻¹).
    @inline(__always)
    private static func sample<Sink: PixelSink>(_ source: UnsafePointer<Float>, box: (Int, Int, Int, Int), _ t: Distortion,
                                                bank: UnsafePointer<Float>, reach: Float, into out: inout Sink) {
        let (side, padded) = (28, 30)
        let centre: Float = 13.5
        var (ox0, oy0, ox1, oy1) = (0, 0, side - 1, side - 1)
        let determinant = t.a * t.d - t.b * t.c
        if abs(determinant) > 1e-3 {
            let (ia, ib, ic, id) = (t.d / determinant, -t.b / determinant, -t.c / determinant, t.a / determinant)
            let margin = reach + 1
            var (lx, ly, hx, hy) = (Float.infinity, Float.infinity, -Float.infinity, -Float.infinity)
            for (sx, sy) in [(Float(box.0) - margin, Float(box.1) - margin), (Float(box.2) + margin, Float(box.1) - margin),
                             (Float(box.0) - margin, Float(box.3) + margin), (Float(box.2) + margin, Float(box.3) + margin)] {
                let (dx, dy) = (sx - centre - t.shiftX, sy - centre - t.shiftY)
                let (px, py) = (ia * dx + ib * dy + centre, ic * dx + id * dy + centre)
                lx = min(lx, px); hx = max(hx, px); ly = min(ly, py); hy = max(hy, py)
            }
            ox0 = max(0, Int(lx.rounded(.down)) - 1); oy0 = max(0, Int(ly.rounded(.down)) - 1)
            ox1 = min(side - 1, Int(hx.rounded(.up)) + 1); oy1 = min(side - 1, Int(hy.rounded(.up)) + 1)
        }
        guard ox0 <= ox1, oy0 <= oy1 else { return }
        let sign = (x: Float(t.negateX ? -1 : 1), y: Float(t.negateY ? -1 : 1))
        let fieldX = bank + (t.field ?? 0) * 2 * side * side
        let fieldY = fieldX + side * side
        let hasField = t.field != nil
        let (inkLeft, inkTop) = (Float(box.0) - 1, Float(box.1) - 1)
        let (inkRight, inkBottom) = (Float(box.2) + 1, Float(box.3) + 1)
        // Without a field, x and y steps of the source point are constant: A's columns.
        for y in oy0...oy1 {
            let py = Float(y) - centre
            var sx = t.a * (Float(ox0) - centre) + t.b * py + centre + t.shiftX
            var sy = t.c * (Float(ox0) - centre) + t.d * py + centre + t.shiftY
            for x in ox0...ox1 {
                var qx = sx, qy = sy
                sx += t.a
                sy += t.c
                if hasField {
                    let i = y * side + x
                    let (fx, fy) = t.swapField ? (fieldY[i], fieldX[i]) : (fieldX[i], fieldY[i])
                    qx += sign.x * fx
                    qy += sign.y * fy
                }
                // Outside the ink's box (widened by the one pixel a bilinear neighbour reaches)
                // every neighbour is black: the pixel stays 0 without being sampled.
                if !(qx > inkLeft && qx < inkRight && qy > inkTop && qy < inkBottom) { continue }
                let x0 = Int32(qx + 1) - 1, y0 = Int32(qy + 1) - 1  // floor, as qx, qy > −1
                let fx = qx - Float(x0), fy = qy - Float(y0)
                let i = Int(y0 + 1) * padded + Int(x0 + 1)
                let top = source[i] + fx * (source[i + 1] - source[i])
                let bottom = source[i + padded] + fx * (source[i + padded + 1] - source[i + padded])
                // A convex combination of bytes: within 0…255, so +0.5 and truncation round it.
                out.put(y * side + x, UInt8(truncatingIfNeeded: min(Int32(top + fy * (bottom - top) + 0.5), 255)))
            }
        }
    }

    /// The largest displacement in a bank of elastic fields (0 for none).
    package static func reach(of fields: [Float]) -> Float {
        fields.reduce(0) { max($0, abs($1)) }
    }

    /// One image, padded in `source`, under `t` into `sink`: with the reader's ink changes
    /// first when `t` has them (`restyle` in `source`, then `InkSink` on the way out).
    @inline(__always)
    private static func distortOne<Sink: PixelSink>(_ source: UnsafeMutablePointer<Float>, _ scratch: UnsafeMutablePointer<Float>,
                                                    box: Box, _ t: Distortion, bank: UnsafePointer<Float>, reach: Float,
                                                    tones: UnsafePointer<UInt8>, into sink: inout Sink) {
        guard let ink = t.ink else {
            sample(source, box: box, t, bank: bank, reach: reach, into: &sink)
            return
        }
        let styled = restyle(source, scratch, box: box, ink)
        var inkSink = InkSink(base: sink, tone: tones + ink.tone * 256, noise: ink.noise, seed: ink.noiseSeed)
        sample(source, box: styled, t, bank: bank, reach: reach, into: &inkSink)
        sink = inkSink.base
    }

    /// Image `index` of `images` under `t`, written as bytes to image `index` of `out` (which
    /// is zero there).
    package static func resample(_ images: [UInt8], index: Int, _ t: Distortion, fields: [Float], reach: Float, tones: [UInt8],
                         into out: inout [UInt8]) {
        let b = inkBoxes(Array(images[(index * 784)..<((index + 1) * 784)]), count: 1)[0]
        guard b.z >= 0 else { return }
        let buffers = SamplerBuffers()
        images.withUnsafeBufferPointer { image in
            fields.withUnsafeBufferPointer { bank in
                tones.withUnsafeBufferPointer { curves in
                    out.withUnsafeMutableBufferPointer { destination in
                        pad(image.baseAddress!, index, into: buffers.source)
                        var sink = ByteSink(pixels: destination.baseAddress! + index * 784)
                        distortOne(buffers.source, buffers.scratch, box: (Int(b.x), Int(b.y), Int(b.z), Int(b.w)), t,
                                   bank: bank.baseAddress ?? UnsafePointer(buffers.source), reach: reach,
                                   tones: curves.baseAddress ?? UnsafePointer(image.baseAddress!), into: &sink)
                    }
                }
            }
        }
    }

    /// The nonzero inputs of images `range` of `images` under their distortions, appended
    /// straight to `indices` and `values` (no intermediate image, no blank pixel visited), with
    /// each image's end position appended to `ends`.
    package static func distortSparse(_ images: [UInt8], range: Range<Int>, boxes: [SIMD4<Int32>], distortion: (Int) -> Distortion,
                              fields: [Float], reach: Float, tones: [UInt8], table: [Float],
                              indices: inout [Int32], values: inout [Float], ends: inout [Int]) {
        let buffers = SamplerBuffers()
        images.withUnsafeBufferPointer { image in
            fields.withUnsafeBufferPointer { bank in
                tones.withUnsafeBufferPointer { curves in
                    table.withUnsafeBufferPointer { scale in
                        let bankBase = bank.baseAddress ?? UnsafePointer(buffers.source)
                        let toneBase = curves.baseAddress ?? UnsafePointer(image.baseAddress!)
                        for n in range {
                            let b = boxes[n]
                            var sink = SparseSink(table: scale.baseAddress!, indices: buffers.slotIndex, values: buffers.slotValue)
                            if b.z >= 0 {
                                pad(image.baseAddress!, n, into: buffers.source)
                                distortOne(buffers.source, buffers.scratch, box: (Int(b.x), Int(b.y), Int(b.z), Int(b.w)),
                                           distortion(n), bank: bankBase, reach: reach, tones: toneBase, into: &sink)
                            }
                            // Pixels were visited row by row, so the indices are in order.
                            indices.append(contentsOf: UnsafeBufferPointer(start: buffers.slotIndex, count: sink.count))
                            values.append(contentsOf: UnsafeBufferPointer(start: buffers.slotValue, count: sink.count))
                            ends.append(indices.count)
                        }
                    }
                }
            }
        }
    }
}
