/// Digits drawn by program, for training a reader on the hands MNIST's writers lacked (issue 14):
/// each digit in the styles people write it in — a 1 as one stroke, with a flag, with a flag and
/// a base; a 7 with and without a bar; a 4 open, closed or with an upright left side; a 6 with a
/// hook over the top; a 2 with a flat or a curly base; a 3 round or flat-topped; an 8 as two loops
/// or one stroke; a 9 with a straight, slanted or curved tail — drawn with a round pen by each
/// sample's own hand (`Pen`) and brought into MNIST's convention by the same `Preprocess` a
/// person's picture goes through.
///
/// MNIST's American writers seldom put a flag on a 1 or a bar through a 7, so a reader trained
/// on MNIST alone reads a flagged 1 as a 7. The shapes here are this file's own, not those of
/// the out-of-MNIST set's strokes (Tests/Wild/glyphs.py) or the drawing test's, so that those
/// stay a measurement of digits the reader was not shown.
public enum DrawnDigits {
    typealias Stroke = Pen.Stroke

    /// The styles of each digit 0…9, each a list of strokes in the digit's box.
    static let styles: [[[Stroke]]] = [
        // 0: an oval closed clockwise or anticlockwise, a little past where it began.
        [[Pen.arc(0.5, 0.5, 0.5, 0.5, 270, 650)], [Pen.arc(0.5, 0.5, 0.5, 0.5, 270, -110)]],
        // 1: a stroke; with a flag; with a flag and a base.
        [[[(0.5, 0), (0.5, 1)]],
         [[(0.25, 0.25), (0.65, 0), (0.65, 1)]],
         [[(0.1, 0.35), (0.65, 0), (0.65, 1)]],
         [[(0.2, 0.3), (0.62, 0), (0.62, 1)], [(0.25, 1), (1, 1)]]],
        // 2: a hook over the top, down to the left, a flat or a wavy base.
        [[Pen.arc(0.5, 0.3, 0.45, 0.3, 190, 380) + [(0, 1), (1, 1)]],
         [Pen.arc(0.5, 0.3, 0.45, 0.3, 200, 390) + [(0.05, 0.97), (0.3, 0.88), (0.6, 0.98), (1, 0.94)]]],
        // 3: two bowls; a flat top and one bowl.
        [[Pen.arc(0.45, 0.25, 0.45, 0.25, 200, 450) + Pen.arc(0.45, 0.73, 0.5, 0.27, 270, 520)],
         [[(0.05, 0), (0.9, 0), (0.4, 0.4)] + Pen.arc(0.45, 0.7, 0.5, 0.3, 270, 520)]],
        // 4: open with a slanted side; open with an upright side; closed in one stroke.
        [[[(0.65, 0), (0, 0.65), (1, 0.65)], [(0.7, 0.05), (0.7, 1)]],
         [[(0.1, 0), (0.05, 0.6), (1, 0.6)], [(0.75, 0.2), (0.75, 1)]],
         [[(0.7, 1), (0.7, 0), (0, 0.65), (1, 0.65)]]],
        // 5: one stroke from the flag; the flag drawn last.
        [[[(0.9, 0), (0.2, 0), (0.12, 0.45)] + Pen.arc(0.45, 0.7, 0.5, 0.3, 225, 520)],
         [[(0.2, 0), (0.12, 0.45)] + Pen.arc(0.45, 0.7, 0.5, 0.3, 225, 520), [(0.2, 0), (0.9, 0)]]],
        // 6: a curved or a straight stem into the loop; a hook over the top, as type draws it.
        [[[(0.8, 0), (0.45, 0.12), (0.15, 0.4), (0.05, 0.7)] + Pen.arc(0.5, 0.72, 0.45, 0.28, 180, -170)],
         [[(0.7, 0), (0.1, 0.65)] + Pen.arc(0.5, 0.72, 0.42, 0.28, 190, -160)],
         [Pen.arc(0.5, 0.42, 0.45, 0.42, -25, -180) + Pen.arc(0.5, 0.72, 0.45, 0.28, 180, -170)]],
        // 7: a bar and a stem; with a bar through it; with a tick at the start.
        [[[(0, 0), (1, 0), (0.35, 1)]],
         [[(0, 0), (1, 0), (0.35, 1)], [(0.3, 0.5), (0.85, 0.5)]],
         [[(0, 0.15), (0, 0), (1, 0), (0.4, 1)]]],
        // 8: two loops; one stroke crossing in the middle.
        [[Pen.arc(0.5, 0.25, 0.38, 0.25, 90, 450), Pen.arc(0.5, 0.73, 0.48, 0.27, 270, 630)],
         [[(0.85, 0.15)] + Pen.arc(0.5, 0.25, 0.38, 0.25, 330, 180) + Pen.arc(0.5, 0.75, 0.48, 0.25, 270, 630) + [(0.85, 0.15)]]],
        // 9: a loop and a straight, a slanted or a curved tail.
        [[Pen.arc(0.5, 0.28, 0.45, 0.28, 0, -360) + [(0.95, 0.28), (0.9, 1)]],
         [Pen.arc(0.5, 0.28, 0.45, 0.28, 0, -360) + [(0.95, 0.28), (0.6, 1)]],
         [Pen.arc(0.5, 0.28, 0.45, 0.28, 0, -360) + [(0.95, 0.28), (0.9, 0.7), (0.7, 0.95), (0.35, 1)]]],
    ]

    /// `count` pictures, 784 bytes each in MNIST's convention, and their digits: the digits taken
    /// in turn, each in a style and by a hand of its own from `seed` (box 0.45…0.85 as wide as
    /// tall, a pen 4…10% of the canvas: thinner and broader than MNIST's). The same seed, the
    /// same bytes.
    public static func images(count: Int, seed: UInt64) -> (images: [UInt8], labels: [UInt8]) {
        var random = Random(seed: seed ^ 0x0D16_175D_7A00_0002)
        var bytes = [UInt8](), labels = [UInt8]()
        bytes.reserveCapacity(count * Dataset.pixelCount)
        for i in 0..<count {
            let digit = i % 10
            let style = styles[digit][random.below(styles[digit].count)]
            bytes += Pen.mnistBytes(Pen.draw(style, aspect: 0.45...0.85, pen: 0.04...0.1, &random))
            labels.append(UInt8(digit))
        }
        return (bytes, labels)
    }
}
