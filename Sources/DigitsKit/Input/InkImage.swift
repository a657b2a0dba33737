/// An image as ink intensities in `Float`: 0 where there is none, larger where there is more.
/// Preprocessing works on this rather than on `Double` arrays, and on a copy no larger than
/// `InkImage.workingSide` per side, so the work and memory of reading a digit do not grow with
/// the size of the photo it came in.
struct InkImage: Sendable, Equatable {
    let width: Int
    let height: Int
    var values: [Float]

    /// Photos are averaged down to at most this many pixels on their longer side before any
    /// other step: a digit needs 20 × 20 in the end, and at this size a digit that fills only a
    /// fifth of the frame still has ~75 pixels to be scaled from.
    static let workingSide = 384

    init(width: Int, height: Int, values: [Float]) {
        precondition(values.count == width * height)
        self.width = width
        self.height = height
        self.values = values
    }

    subscript(x: Int, y: Int) -> Float {
        get { values[y * width + x] }
        set { values[y * width + x] = newValue }
    }

    /// The pixels of the outermost rows and columns.
    var border: [Float] {
        var values: [Float] = []
        values.reserveCapacity(2 * (width + height))
        for x in 0..<width { values.append(self[x, 0]); values.append(self[x, height - 1]) }
        for y in 0..<height { values.append(self[0, y]); values.append(self[width - 1, y]) }
        return values
    }

    /// The whole factor a `width` × `height` image is averaged down by to fit `side`.
    static func factor(width: Int, height: Int, atMost side: Int) -> Int {
        max(1, (max(width, height) + side - 1) / side)
    }

    /// The brightness of `image` (0…255), area-averaged by a whole factor so that neither side
    /// exceeds `side`. One pass over the source bytes; partial blocks at the right and bottom
    /// edges average the pixels they have.
    static func brightness(of image: GrayImage, atMost side: Int = workingSide) -> InkImage {
        let factor = factor(width: image.width, height: image.height, atMost: side)
        let w = (image.width + factor - 1) / factor, h = (image.height + factor - 1) / factor
        if factor == 1 { return InkImage(width: w, height: h, values: image.pixels.map(Float.init)) }
        var sums = [Float](repeating: 0, count: w * h)
        image.pixels.withUnsafeBufferPointer { source in
            for y in 0..<image.height {
                let row = (y / factor) * w
                let base = y * image.width
                for x in 0..<image.width { sums[row + x / factor] += Float(source[base + x]) }
            }
        }
        for Y in 0..<h {
            let rows = min(factor, image.height - Y * factor)
            for X in 0..<w {
                let columns = min(factor, image.width - X * factor)
                sums[Y * w + X] /= Float(rows * columns)
            }
        }
        return InkImage(width: w, height: h, values: sums)
    }
}
