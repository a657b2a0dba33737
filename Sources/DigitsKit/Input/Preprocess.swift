/// Turns a person's picture into what MNIST's images are, the way MNIST itself was made, for
/// every image whatever its size and ground: the ground found from the image (`Ground`), ruled
/// lines and stray ink removed (`RuledLines`, `InkComponents`), the digit's bounding box scaled
/// to fit 20×20 keeping its aspect ratio (anti-aliased by area averaging), placed in 28×28 with
/// its centre of mass on pixel 14 (where MNIST's training images have it: mean 14.0 in x and y).
/// An image that already is an MNIST digit comes out unchanged: its box is 19 or 20 pixels
/// (no rescaling within 6%, so 19 to 21), its centre of mass within half a pixel of 14 (a shift by a whole pixel,
/// rounded, moves it by none) and its brightest pixel 254 or 255 (no stretching within 2%);
/// only a speck of dirt apart from the digit, which some of MNIST's have, is dropped.
public enum Preprocess {
    public static let box = 20
    public static let side = 28
    /// The pixel MNIST centres the mass on (0-based, x and y).
    static let centre: Float = 14

    /// How ink must differ from its ground (0…255) to be read: less is a blank page.
    static let minimumContrast: Float = 12
    /// The digit's pieces are found on ink above this share of its strongest level.
    static let pieceLevel: Float = 0.25

    /// The 784 MNIST-style intensities (0…255) for `image`.
    public static func mnist(_ image: GrayImage, path: String) throws(InputError) -> [Float] {
        guard let ink = digitInk(InkImage.brightness(of: image)) else { throw .blank(path: path) }
        return fit(ink)
    }

    /// The same for 784 values already light ink on black (a CSV line that is not in MNIST's
    /// convention: too large, too small or off-centre).
    public static func mnist(pixels: [Float], path: String) throws(InputError) -> [Float] {
        let bytes = pixels.map { UInt8(max(0, min(255, $0.rounded()))) }
        return try mnist(GrayImage(width: side, height: side, pixels: bytes), path: path)
    }

    /// The ink of the digit in `image`, or nil when there is none to read.
    static func digitInk(_ image: InkImage) -> InkImage? {
        guard let (ink, pieces) = separated(image) else { return nil }
        let chosen = pieces.digit(width: ink.width, height: ink.height)
        let pixels = chosen.reduce(0) { $0 + pieces.pieces[$1].pixels }
        guard pixels >= 6 else { return nil }
        return pieces.keeping(chosen, of: ink, radius: keepingRadius(ink))
    }

    /// The ink of `image` without its ground and ruled lines, and its pieces; nil when there
    /// is no ink. `row`: a row of digits (`RuledLines`).
    static func separated(_ image: InkImage, row: Bool = false) -> (InkImage, InkComponents)? {
        var ink = Ground.ink(of: image)
        let strongest = ink.values.max() ?? 0
        guard strongest >= minimumContrast else { return nil }
        let level = pieceLevel * strongest
        RuledLines.remove(from: &ink, threshold: level, row: row)
        return (ink, InkComponents(ink, threshold: level))
    }

    /// How far from a kept piece faint ink is kept: a stroke's anti-aliased edge.
    static func keepingRadius(_ ink: InkImage) -> Int { 2 + max(ink.width, ink.height) / 100 }

    /// The ink's box fitted into 20×20 and its centre of mass put on pixel 14.
    static func fit(_ ink: InkImage) -> [Float] {
        let (w, h) = (ink.width, ink.height)
        var (x0, y0, x1, y1) = (w, h, -1, -1)
        var mass: Float = 0, mx: Float = 0, my: Float = 0
        for y in 0..<h {
            for x in 0..<w where ink[x, y] > 0 {
                let v = ink[x, y]
                x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y)
                mass += v; mx += v * Float(x); my += v * Float(y)
            }
        }
        let (cx, cy) = (mx / mass, my / mass)
        let scale = Float(box) / Float(max(x1 - x0 + 1, y1 - y0 + 1))
        let out = abs(scale - 1) <= 0.06
            ? shifted(ink, by: ((centre - cx).rounded(), (centre - cy).rounded()))
            : resampled(ink, rows: y0...y1, columns: x0...x1, scale: scale,
                        offset: (centre + 0.5 - scale * (cx + 0.5), centre + 0.5 - scale * (cy + 0.5)))
        // The brightest pixel made 255, unless it is within 2% of it already (as MNIST's are).
        let peak = out.max() ?? 0
        let gain = peak >= 250 ? 1 : peak > 0 ? 255 / peak : 0
        return out.map { min(255, ($0 * gain).rounded()) }
    }

    /// Already the right size: moved by whole pixels, so nothing is blurred.
    private static func shifted(_ ink: InkImage, by shift: (Float, Float)) -> [Float] {
        let (dx, dy) = (Int(shift.0), Int(shift.1))
        var out = [Float](repeating: 0, count: side * side)
        for y in 0..<ink.height where (0..<side).contains(y + dy) {
            for x in 0..<ink.width where (0..<side).contains(x + dx) { out[(y + dy) * side + x + dx] = ink[x, y] }
        }
        return out
    }

    /// Output = scale · (source − origin) + offset on continuous coordinates, each output pixel
    /// the average of the source area it covers (a separable box filter: rows, then columns).
    private static func resampled(_ ink: InkImage, rows: ClosedRange<Int>, columns: ClosedRange<Int>,
                                  scale: Float, offset: (Float, Float)) -> [Float] {
        let weightsX = columns.map { areaWeights(index: $0, scale: scale, offset: offset.0) }
        var across = [Float](repeating: 0, count: rows.count * side)
        for (r, y) in rows.enumerated() {
            for (c, x) in columns.enumerated() {
                let v = ink[x, y]
                if v == 0 { continue }
                for (X, weight) in weightsX[c] { across[r * side + X] += v * weight }
            }
        }
        var out = [Float](repeating: 0, count: side * side)
        for (r, y) in rows.enumerated() {
            for (Y, weight) in areaWeights(index: y, scale: scale, offset: offset.1) {
                for X in 0..<side { out[Y * side + X] += across[r * side + X] * weight }
            }
        }
        // Each output pixel covers 1/scale² source pixels: the sums become averages.
        return out.map { $0 * scale * scale }
    }

    /// The output pixels that source pixel `index` ([index, index+1)) lands on along one axis,
    /// each with the length of the overlap in source units.
    private static func areaWeights(index: Int, scale: Float, offset: Float) -> [(Int, Float)] {
        let a = scale * Float(index) + offset, b = scale * Float(index + 1) + offset
        var list: [(Int, Float)] = []
        var X = Int(a.rounded(.down))
        while Float(X) < b {
            let overlap = min(b, Float(X + 1)) - max(a, Float(X))
            if X >= 0 && X < side && overlap > 0 { list.append((X, overlap / scale)) }
            X += 1
        }
        return list
    }

    /// The image as it is (already 28×28 MNIST-style: light ink on black).
    public static func raw(_ image: GrayImage, path: String) throws(InputError) -> [Float] {
        guard image.width == side, image.height == side else {
            throw .notMNISTSize(path: path, width: image.width, height: image.height)
        }
        return image.pixels.map(Float.init)
    }

    /// Whether 784 values are already in MNIST's convention, as MNIST's own images all are:
    /// light ink on a black ground, the ink's box 16 to 22 pixels on its longer side (MNIST's
    /// are 19 or 20), its centre of mass within 1.5 pixels of pixel 14 in x and y (MNIST's are
    /// within 0.5). A CSV line that is not is normalised like a picture.
    public static func isMNISTConvention(_ pixels: [Float]) -> Bool {
        guard pixels.count == side * side else { return false }
        // The median is above 127 (a light ground) when at most half the pixels are 127 or
        // less: counted, not sorted (this runs for every line and every API request).
        if pixels.reduce(0, { $0 + ($1 > 127 ? 0 : 1) }) <= pixels.count / 2 { return false }
        var (x0, y0, x1, y1) = (side, side, -1, -1)
        var mass: Float = 0, mx: Float = 0, my: Float = 0
        for y in 0..<side {
            for x in 0..<side where pixels[y * side + x] > 0 {
                let v = pixels[y * side + x]
                x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y)
                mass += v; mx += v * Float(x); my += v * Float(y)
            }
        }
        guard mass > 0 else { return true }
        let longer = max(x1 - x0 + 1, y1 - y0 + 1)
        return (16...22).contains(longer) && abs(mx / mass - centre) <= 1.5 && abs(my / mass - centre) <= 1.5
    }
}
