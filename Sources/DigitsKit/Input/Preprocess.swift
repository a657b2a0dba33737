/// Turns a person's picture into what MNIST's images are, the way MNIST itself was made:
/// white ink on black, the digit's bounding box scaled to fit 20×20 keeping its aspect ratio
/// (anti-aliased by area averaging), placed in 28×28 with its centre of mass at the centre.
public enum Preprocess {
    public static let box = 20.0
    public static let side = 28

    /// The 784 MNIST-style intensities (0…255) for `image`.
    public static func mnist(_ image: GrayImage, path: String) throws(InputError) -> [Float] {
        let (w, h) = (image.width, image.height)
        // Dark ink on light paper is inverted: the border (where paper is) tells which.
        var border: [UInt8] = []
        for x in 0..<w { border.append(image[x, 0]); border.append(image[x, h - 1]) }
        for y in 0..<h { border.append(image[0, y]); border.append(image[w - 1, y]) }
        border.sort()
        let paper = Double(border[border.count / 2])
        let invert = paper > 127
        let background = invert ? 255 - paper : paper
        // Ink above the background level, rescaled to 0…255; faint noise (under a tenth of
        // the strongest ink) is dropped so it cannot stretch the bounding box.
        var ink = image.pixels.map { p -> Double in
            let v = invert ? 255 - Double(p) : Double(p)
            return max(0, v - background) * 255 / max(1, 255 - background)
        }
        let strongest = ink.max() ?? 0
        guard strongest > 0 else { throw .blank(path: path) }
        for i in ink.indices where ink[i] < strongest * 0.1 { ink[i] = 0 }

        var (x0, y0, x1, y1) = (w, h, -1, -1)
        var mass = 0.0, mx = 0.0, my = 0.0
        for y in 0..<h {
            for x in 0..<w where ink[y * w + x] > 0 {
                let v = ink[y * w + x]
                x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y)
                mass += v
                mx += v * (Double(x) + 0.5)
                my += v * (Double(y) + 0.5)
            }
        }
        let (cx, cy) = (mx / mass, my / mass)
        // Output coordinate = scale · (source − origin) + offset, with the centre of mass on 14.
        let scale = box / Double(max(x1 - x0 + 1, y1 - y0 + 1))
        let half = Double(side) / 2
        let offsetX = half - scale * cx, offsetY = half - scale * cy
        let weightsX = areaWeights(count: w, scale: scale, offset: offsetX)
        let weightsY = areaWeights(count: h, scale: scale, offset: offsetY)

        // Separable box filter: rows first, then columns.
        var rows = [Double](repeating: 0, count: h * side)
        for y in y0...y1 {
            for (x, list) in weightsX.enumerated() where x >= x0 && x <= x1 {
                let v = ink[y * w + x]
                if v == 0 { continue }
                for (X, weight) in list { rows[y * side + X] += v * weight }
            }
        }
        var out = [Double](repeating: 0, count: side * side)
        for y in y0...y1 {
            for (Y, weight) in weightsY[y] {
                for X in 0..<side { out[Y * side + X] += rows[y * side + X] * weight }
            }
        }
        // Each output pixel averages the source area it covers: divide by that area (1/scale²).
        let norm = scale * scale
        let peak = (out.max() ?? 0) * norm
        let gain = peak > 0 ? 255 / peak : 0
        return out.map { Float(min(255, ($0 * norm * gain).rounded())) }
    }

    /// For each source index along one axis, the output pixels its extent [i, i+1) maps onto
    /// and the length of each overlap, in output units.
    private static func areaWeights(count: Int, scale: Double, offset: Double) -> [[(Int, Double)]] {
        (0..<count).map { i in
            let a = scale * Double(i) + offset, b = scale * Double(i + 1) + offset
            var list: [(Int, Double)] = []
            var X = Int(a.rounded(.down))
            while Double(X) < b {
                let overlap = min(b, Double(X + 1)) - max(a, Double(X))
                if X >= 0 && X < side && overlap > 0 { list.append((X, overlap / scale)) }
                X += 1
            }
            return list
        }
    }

    /// The image as it is (already 28×28 MNIST-style: light ink on black).
    public static func raw(_ image: GrayImage, path: String) throws(InputError) -> [Float] {
        guard image.width == side, image.height == side else {
            throw .notMNISTSize(path: path, width: image.width, height: image.height)
        }
        return image.pixels.map(Float.init)
    }

    /// Whether `image` already looks like an MNIST image: 28×28 on a dark background.
    public static func isMNISTStyle(_ image: GrayImage) -> Bool {
        guard image.width == side, image.height == side else { return false }
        var border: [UInt8] = []
        for i in 0..<side { border += [image[i, 0], image[i, side - 1], image[0, i], image[side - 1, i]] }
        border.sort()
        return border[border.count / 2] < 128
    }
}
