import DigitsKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Distortion {
    /// The reader's map, given in terms of the output: the digit scaled by `scale` (per axis),
    /// sheared by `shear` and turned by `angle`, about its centre of mass, which is then moved
    /// by `offset` pixels. The centre of mass is taken at (14, 14), where MNIST puts it (mean
    /// 14.0, sd 0.3 over the training set), so a scale does not move it.
    package static func reader(angle: Float = 0, shear: Float = 0, scale: (x: Float, y: Float), offset: (x: Float, y: Float)) -> Distortion {
        let (cosine, sine) = (Float(cos(Double(angle))), Float(sin(Double(angle))))
        let (ix, iy) = (1 / scale.x, 1 / scale.y)
        // Output → source: A = R(angle)·[[1, shear], [0, 1]]·diag(1/sx, 1/sy).
        var t = Distortion(a: cosine * ix, b: (cosine * shear - sine) * iy, c: sine * ix, d: (sine * shear + cosine) * iy,
                           shiftX: 0, shiftY: 0)
        // The sampler reads A·(p − c) + c + shift, c = 13.5; output m + offset must read the
        // centre of mass m = 14: shift = (m − c) − A·(m − c + offset).
        let (ux, uy) = (0.5 + offset.x, 0.5 + offset.y)
        t.shiftX = 0.5 - (t.a * ux + t.b * uy)
        t.shiftY = 0.5 - (t.c * ux + t.d * uy)
        return t
    }
}

extension Augmenter {
    /// The longer side of the digit's box, in pixels (MNIST's is 20): people's digits reach
    /// the network a little smaller or larger when a speck or a stray stroke was part of what
    /// the preprocessing fitted, or when part of the digit was too faint to count.
    public static let readerBox: ClosedRange<Float> = 16...22
    public static let mnistBox: Float = 20
    /// The width, against the height, varied by up to ±15% (narrow and wide hands).
    public static let readerWidth: Float = 0.15
    /// The centre of mass moved by up to ±1.5 pixels in x and in y.
    public static let readerOffset: Float = 1.5
    /// Stroke thickness (see `InkStyle.thickness`), uniform over −0.6…0: thinner only. On
    /// the out-of-MNIST set of Tests/Wild (1,250 digits rendered from fonts and pen strokes
    /// as photos, scans and drawings), thinning lifted 8- and 10-epoch runs by 1–2 points
    /// over `affine`, while any share of thickening cost 1–6 points (that set's pens are
    /// 0.9–2.8 pixels wide once fitted to 20, no wider than MNIST's).
    public static let readerThickness: ClosedRange<Float> = -0.6...0
    /// `reader-thick`'s: uniform over −0.6…1.5, a third of the thickened ones by more than
    /// one dilation.
    public static let readerThickThickness: ClosedRange<Float> = -0.6...1.5
    /// Blur σ, uniform over 0…1 pixel.
    public static let readerBlur: Float = 1
    /// Tone curves: γ = e^u for u on `toneLevels` even steps over −0.5…0.5 (γ 0.61…1.65).
    public static let toneLevels = 33
    public static let toneRange: Float = 0.5
    /// Noise on the ink, up to ±24 grey levels.
    public static let readerNoise: Float = 24

    /// γ of tone curve `level`.
    public static func gamma(ofTone level: Int) -> Float {
        Float(exp(Double(toneRange) * (2 * Double(level) / Double(toneLevels - 1) - 1)))
    }

    /// The tone curves, each 256 bytes: made once, so an image's curve costs a table look-up
    /// per pixel rather than a power.
    static func makeTones() -> [UInt8] {
        (0..<toneLevels).flatMap { level -> [UInt8] in
            let gamma = Double(gamma(ofTone: level))
            return (0...255).map { UInt8((255 * pow(Double($0) / 255, gamma)).rounded()) }
        }
    }

    /// A reader distortion: the rotation and shear of `affine`, then the size, width and place
    /// of the digit in its box and the ink's changes, all uniform over their ranges.
    func readerDistortion(_ r: inout Random) -> Distortion {
        func uniform(_ low: Float, _ high: Float) -> Float { low + Float(r.uniform()) * (high - low) }
        let angle = uniform(-Self.maxRotation, Self.maxRotation), shear = uniform(-Self.maxShear, Self.maxShear)
        let box = uniform(Self.readerBox.lowerBound, Self.readerBox.upperBound)
        let width = 1 + uniform(-Self.readerWidth, Self.readerWidth)
        let offset = (x: uniform(-Self.readerOffset, Self.readerOffset), y: uniform(-Self.readerOffset, Self.readerOffset))
        let thickness = kind == .readerThick ? Self.readerThickThickness : Self.readerThickness
        var ink = InkStyle(thickness: uniform(thickness.lowerBound, thickness.upperBound))
        ink.blur = uniform(0, Self.readerBlur)
        ink.tone = r.below(Self.toneLevels)
        ink.noise = uniform(0, Self.readerNoise)
        ink.noiseSeed = r.next()
        // The preprocessing fits the box of the ink as drawn: a dilation's extra pixel on each
        // side is part of what is brought to `box`, so thick strokes do not make big digits.
        let scale = box / (Self.mnistBox + 2 * max(0, ink.thickness))
        var t = Distortion.reader(angle: angle, shear: shear, scale: (scale * width, scale), offset: offset)
        t.ink = ink
        if kind.isElastic { drawField(&r, into: &t) }
        return t
    }
}
