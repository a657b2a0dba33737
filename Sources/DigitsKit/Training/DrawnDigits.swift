/// Digits drawn by program, for training a reader on the hands MNIST's writers lacked (issue 14):
/// each digit in the ways people write it — a 1 as one stroke, with a flag, with a flag and a
/// base; a 7 plain, barred or with a tick; a 4 open with a slanted or an upright side, or closed;
/// a 6 with a curved, a straight or a hooked stem; a 2 with a flat or a curly base; a 3 round or
/// flat-topped; an 8 as two loops or one stroke; a 9 with a straight or a curved tail — drawn with
/// a round pen by each sample's own hand (`Pen`) and brought into MNIST's convention by the same
/// `Preprocess` a person's picture goes through.
///
/// MNIST's American writers seldom put a flag on a 1 or a bar through a 7, so a reader trained
/// on MNIST alone reads a flagged 1 as a 7. Each style is a family, not a template: where a
/// stroke starts and turns, how long a flag, where a bar or a crossing sits, how big each loop
/// is, are drawn from ranges for every sample. The styles are the common ways of writing each
/// digit, which the out-of-MNIST set's pen strokes (Tests/Wild/glyphs.py) also draw, and many
/// of its shapes fall inside these ranges: that set's `drawn` and Hershey sources no longer
/// measure digits unlike the training ones (see the README).
public enum DrawnDigits {
    typealias Stroke = Pen.Stroke

    /// How many styles each digit 0…9 has (`strokes(digit:style:_:)`).
    static let styleCounts = [2, 3, 2, 2, 3, 2, 3, 3, 2, 2]

    /// `count` pictures, 784 bytes each in MNIST's convention, labelled with their digits: the digits taken
    /// in turn, each in a style, with proportions and by a hand of its own from `seed` (box
    /// 0.45…0.85 as wide as tall, a pen 4…10% of the canvas: thinner and broader than MNIST's).
    /// The same seed, the same bytes.
    public static func images(count: Int, seed: UInt64) -> Dataset {
        var random = Random(seed: seed ^ 0x0D16_175D_7A00_0002)
        var bytes = [UInt8](), labels = [UInt8]()
        bytes.reserveCapacity(count * Dataset.pixelCount)
        for i in 0..<count {
            let digit = i % 10
            let shape = strokes(digit: digit, style: random.below(styleCounts[digit]), &random)
            bytes += Pen.mnistBytes(Pen.draw(shape, aspect: 0.45...0.85, pen: 0.04...0.1, &random))
            labels.append(UInt8(digit))
        }
        return Dataset(images: bytes, labels: labels)
    }

    /// The strokes of `digit` in style `style` (0..<styleCounts[digit]), in the digit's box
    /// (x right, y down, 0…1), its proportions drawn from `random`.
    static func strokes(digit: Int, style: Int, _ random: inout Random) -> [Stroke] {
        var p = Proportions(random: random)
        defer { random = p.random }
        switch digit {
        case 0: return zero(style, &p)
        case 1: return one(style, &p)
        case 2: return two(style, &p)
        case 3: return three(style, &p)
        case 4: return four(style, &p)
        case 5: return five(style, &p)
        case 6: return six(style, &p)
        case 7: return seven(style, &p)
        case 8: return eight(style, &p)
        default: return nine(style, &p)
        }
    }

    /// A source of proportions: `p(a, b)` is uniform in a…b.
    struct Proportions {
        var random: Random
        mutating func callAsFunction(_ low: Float, _ high: Float) -> Float {
            low + Float(random.uniform()) * (high - low)
        }
    }

    /// An oval closed a little past (or short of) where it began, either way round.
    static func zero(_ style: Int, _ p: inout Proportions) -> [Stroke] {
        let start = style == 0 ? p(230, 300) : p(290, 340)
        let turn = 360 + p(-10, 35)
        return [Pen.arc(0.5, 0.5, 0.5, 0.5, start, style == 0 ? start - turn : start + turn)]
    }

    /// A stroke; with a flag; with a flag and a base.
    static func one(_ style: Int, _ p: inout Proportions) -> [Stroke] {
        let top = (x: style == 0 ? p(0.35, 0.65) : p(0.55, 0.8), y: Float(0))
        let foot = (x: top.x + p(-0.06, 0.06), y: Float(1))
        guard style > 0 else { return [[top, foot]] }
        // It reaches 0.15…0.45 of the box's width to the left of the top and falls 0.35…1.1
        // times as far: a short hook or a long flag, shallow or steep.
        let reach = p(0.15, 0.45)
        let flag = (x: top.x - reach, y: reach * p(0.35, 1.1))
        guard style > 1 else { return [[flag, top, foot]] }
        return [[flag, top, foot], [(p(0.05, 0.35), p(0.95, 1)), (p(0.8, 1), p(0.95, 1))]]
    }

    /// A hook over the top, a line down to the left, a flat or a curly base.
    static func two(_ style: Int, _ p: inout Proportions) -> [Stroke] {
        let h = p(0.28, 0.45)
        let hook = Pen.arc(0.5, h, p(0.4, 0.5), h, p(180, 220), p(365, 405))
        let corner = (x: p(0, 0.12), y: Float(1))
        if style == 0 { return [hook + [corner, (p(0.8, 1), p(0.92, 1))]] }
        return [hook + [corner, (p(0.2, 0.35), p(0.8, 0.9)), (p(0.35, 0.5), p(0.95, 1)), (p(0.8, 1), p(0.88, 0.98))]]
    }

    /// Two bowls; a flat top and one bowl.
    static func three(_ style: Int, _ p: inout Proportions) -> [Stroke] {
        let middle = p(0.38, 0.52)
        let lower = Pen.arc(0.48, (1 + middle) / 2, p(0.42, 0.5), (1 - middle) / 2, 270, p(495, 530))
        if style == 0 {
            return [Pen.arc(0.5, middle / 2, p(0.32, 0.45), middle / 2, p(185, 225), 450) + lower]
        }
        return [[(p(0, 0.15), p(0, 0.05)), (p(0.8, 1), 0), (0.48, middle)] + lower]
    }

    /// Open with a slanted side; open with an upright side; closed in one stroke.
    static func four(_ style: Int, _ p: inout Proportions) -> [Stroke] {
        let bar = p(0.55, 0.75), stem = p(0.6, 0.82)
        let foot = (x: stem + p(-0.05, 0.05), y: Float(1))
        switch style {
        case 0: return [[(p(0.45, 0.7), 0), (0, bar), (1, bar)], [(stem, p(0, 0.25)), foot]]
        case 1: return [[(p(0, 0.15), 0), (p(0, 0.1), bar), (1, bar)], [(stem, p(0.1, 0.3)), foot]]
        default: return [[foot, (stem, 0), (0, bar), (1, bar)]]
        }
    }

    /// One stroke from the flag; the flag drawn last.
    static func five(_ style: Int, _ p: inout Proportions) -> [Stroke] {
        let waist = p(0.36, 0.5), stem = p(0.08, 0.3)
        let belly = Pen.arc(0.48, (1 + waist) / 2, p(0.42, 0.5), (1 - waist) / 2, p(225, 250), p(495, 530))
        let flag = (x: p(0.75, 1), y: p(0, 0.06))
        if style == 0 { return [[flag, (stem, 0), (stem - p(0, 0.08), waist)] + belly] }
        return [[(stem, 0), (stem - p(0, 0.08), waist)] + belly, [(stem, 0), flag]]
    }

    /// A curved, a straight or a hooked stem into the loop.
    static func six(_ style: Int, _ p: inout Proportions) -> [Stroke] {
        let top = p(0.42, 0.6)
        let loop = Pen.arc(0.5, (1 + top) / 2, p(0.42, 0.5), (1 - top) / 2, 180, p(-190, -160))
        let left = (x: Float(0.02), y: (1 + top) / 2)
        switch style {
        case 0: return [[(p(0.6, 0.9), 0), (p(0.3, 0.45), p(0.08, 0.2)), (p(0.05, 0.2), p(0.3, 0.45)), left] + loop]
        case 1: return [[(p(0.55, 0.85), 0), left] + loop]
        // The hook starts high on the right (35…60° above the loop's centre line), well above
        // the loop: started lower, it would close over the loop into a 0.
        default: return [Pen.arc(0.5, left.y, p(0.42, 0.5), left.y, p(-60, -35), -180) + loop]
        }
    }

    /// A bar and a stem; with a bar through the stem; with a tick before the bar.
    static func seven(_ style: Int, _ p: inout Proportions) -> [Stroke] {
        let corner = (x: Float(1), y: Float(0)), foot = (x: p(0.15, 0.5), y: Float(1))
        let start = (x: Float(0), y: p(0, 0.06))
        switch style {
        case 0: return [[start, corner, foot]]
        case 1:
            let y = p(0.4, 0.6), x = 1 + (foot.x - 1) * y
            return [[start, corner, foot], [(x - p(0.2, 0.35), y), (x + p(0.2, 0.35), y)]]
        default: return [[(0, p(0.12, 0.28)), (0, 0), corner, foot]]
        }
    }

    /// Two loops; one stroke crossing itself in the middle.
    static func eight(_ style: Int, _ p: inout Proportions) -> [Stroke] {
        let waist = p(0.4, 0.52)
        let (upper, lower) = (p(0.28, 0.42), p(0.38, 0.5))
        if style == 0 {
            return [Pen.arc(0.5, waist / 2, upper, waist / 2, 90, 450), Pen.arc(0.5, (1 + waist) / 2, lower, (1 - waist) / 2, 270, 630)]
        }
        let start = (x: 0.5 + upper * 0.9, y: waist * 0.2)
        return [[start] + Pen.arc(0.5, waist / 2, upper, waist / 2, p(320, 340), 180)
                + Pen.arc(0.5, (1 + waist) / 2, lower, (1 - waist) / 2, 270, 630) + [start]]
    }

    /// A loop and a straight or slanted tail; a loop and a curved tail.
    static func nine(_ style: Int, _ p: inout Proportions) -> [Stroke] {
        let waist = p(0.4, 0.55), rx = p(0.4, 0.5)
        let loop = Pen.arc(0.5, waist / 2, rx, waist / 2, 0, -360)
        let joint = (x: 0.5 + rx, y: waist / 2)
        if style == 0 { return [loop + [joint, (p(0.5, 0.95), 1)]] }
        return [loop + [joint, (joint.x - p(0, 0.1), p(0.65, 0.75)), (p(0.5, 0.7), p(0.92, 0.98)), (p(0.1, 0.35), p(0.9, 1))]]
    }
}
