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
    /// The shapes, by name: each a list of strokes.
    static let glyphs: [(name: String, strokes: [Pen.Stroke])] = [
        ("A", [[(0, 1), (0.5, 0), (1, 1)], [(0.22, 0.6), (0.78, 0.6)]]),
        ("B", [[(0, 0), (0, 1)], [(0, 0), (0.55, 0)] + Pen.arc(0.55, 0.25, 0.35, 0.25, -90, 90) + [(0, 0.5)],
               [(0, 0.5), (0.6, 0.5)] + Pen.arc(0.6, 0.75, 0.4, 0.25, -90, 90) + [(0, 1)]]),
        ("E", [[(1, 0), (0, 0), (0, 1), (1, 1)], [(0, 0.5), (0.75, 0.5)]]),
        ("F", [[(1, 0), (0, 0), (0, 1)], [(0, 0.48), (0.75, 0.48)]]),
        ("H", [[(0, 0), (0, 1)], [(1, 0), (1, 1)], [(0, 0.5), (1, 0.5)]]),
        ("K", [[(0, 0), (0, 1)], [(1, 0), (0, 0.6)], [(0.3, 0.4), (1, 1)]]),
        ("M", [[(0, 1), (0, 0), (0.5, 0.65), (1, 0), (1, 1)]]),
        ("N", [[(0, 1), (0, 0), (1, 1), (1, 0)]]),
        ("R", [[(0, 1), (0, 0), (0.6, 0)] + Pen.arc(0.6, 0.25, 0.4, 0.25, -90, 90) + [(0, 0.5)], [(0.4, 0.5), (1, 1)]]),
        ("V", [[(0, 0), (0.5, 1), (1, 0)]]),
        ("W", [[(0, 0), (0.25, 1), (0.5, 0.3), (0.75, 1), (1, 0)]]),
        ("X", [[(0, 0), (1, 1)], [(1, 0), (0, 1)]]),
        ("Y", [[(0, 0), (0.5, 0.5), (1, 0)], [(0.5, 0.5), (0.5, 1)]]),
        ("h", [[(0, 0), (0, 1)], Pen.arc(0.5, 0.65, 0.5, 0.3, 180, 360) + [(1, 1)]]),
        ("k", [[(0, 0), (0, 1)], [(0.85, 0.35), (0, 0.78)], [(0.3, 0.62), (0.9, 1)]]),
        ("m", [[(0, 0.2), (0, 1)], Pen.arc(0.25, 0.5, 0.25, 0.3, 180, 360) + [(0.5, 1)], Pen.arc(0.75, 0.5, 0.25, 0.3, 180, 360) + [(1, 1)]]),
        ("n", [[(0, 0.15), (0, 1)], Pen.arc(0.5, 0.5, 0.5, 0.35, 180, 360) + [(1, 1)]]),
        ("r", [[(0, 0.1), (0, 1)], Pen.arc(0.65, 0.5, 0.65, 0.4, 180, 300)]),
        ("#", [[(0.38, 0), (0.28, 1)], [(0.76, 0), (0.66, 1)], [(0, 0.33), (1, 0.33)], [(0, 0.67), (1, 0.67)]]),
        ("*", [[(0.5, 0), (0.5, 1)], [(0.07, 0.25), (0.93, 0.75)], [(0.07, 0.75), (0.93, 0.25)]]),
        ("%", [[(0.9, 0), (0.1, 1)], Pen.arc(0.2, 0.2, 0.18, 0.2, 0, 360), Pen.arc(0.8, 0.8, 0.18, 0.2, 0, 360)]),
        ("=", [[(0, 0.3), (1, 0.3)], [(0, 0.7), (1, 0.7)]]),
        ("pi", [[(0, 0.12), (1, 0.1)], [(0.3, 0.1), (0.25, 1)], [(0.72, 0.1), (0.78, 1)]]),
        ("star", [[(0.5, 0), (0.79, 0.9), (0.02, 0.35), (0.98, 0.35), (0.21, 0.9), (0.5, 0)]]),
        ("arrow", [[(0, 0.5), (1, 0.5)], [(0.65, 0.15), (1, 0.5), (0.65, 0.85)]]),
        ("smiley", [Pen.arc(0.5, 0.5, 0.5, 0.5, 0, 360), [(0.33, 0.3), (0.33, 0.42)], [(0.67, 0.3), (0.67, 0.42)],
                    Pen.arc(0.5, 0.55, 0.28, 0.22, 20, 160)]),
    ]

    /// `count` pictures, 784 bytes each in MNIST's convention, the shapes taken in turn and
    /// each drawn by its own hand from `seed`: the same seed, the same bytes.
    public static func images(count: Int, seed: UInt64) -> [UInt8] {
        var random = Random(seed: seed ^ 0x0D16_175E_ED00_0001)
        var bytes = [UInt8]()
        bytes.reserveCapacity(count * Dataset.pixelCount)
        for i in 0..<count {
            // Pens 3…10% of the canvas wide (3…8% before the drawn digits came): beside the drawn
            // digits' 4…10% pens, the reader read 0.1 points more of the out-of-MNIST pictures
            // and said "not a digit" to one more of its non-digits (measured with the first
            // drawn digits). Broad nibs and serifs were tried before: 0.6 points fewer digits
            // read, no more letters caught.
            bytes += Pen.mnistBytes(Pen.draw(glyphs[i % glyphs.count].strokes, aspect: 0.6...1.2, pen: 0.03...0.1, &random))
        }
        return bytes
    }
}
