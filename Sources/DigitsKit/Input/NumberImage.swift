/// A row of handwritten digits (a date, a postcode, a meter reading) split into its digits:
/// the ink found as for one digit (`Ground`, `RuledLines`), cut into its separate pieces
/// (`InkComponents`), specks dropped, the pieces of one digit merged (those that overlap in x:
/// the stem and bar of a 4, a 5's flag, a broken stroke), and each digit normalised on its own
/// like a picture of one digit (`Preprocess.fit`). Digits that touch are one piece and are read
/// as one (wrongly): they are not split.
public enum NumberImage {
    /// One digit of the row: its box in the picture's pixels and its MNIST-style 28×28 input.
    public struct Digit: Sendable, Equatable {
        public let box: (x0: Int, y0: Int, x1: Int, y1: Int)
        public let pixels: [Float]

        public static func == (a: Digit, b: Digit) -> Bool {
            a.box == b.box && a.pixels == b.pixels
        }
    }

    /// A row is wider than one digit: it is worked on at up to this many pixels a side.
    static let workingSide = 1024
    /// Pieces smaller than this share of the largest (in pixels) are specks, and so are pieces
    /// of fewer than 6 pixels (as for one digit).
    static let speck: Float = 0.03
    /// A digit of a row is at least this share of the tallest one's height: a dot, a dash or a
    /// speck of dirt between digits is not read as one.
    static let shortest: Float = 0.3
    /// More digits than this is not a row of digits but noise or text: refused.
    public static let mostDigits = 40

    /// The digits of `image` from left to right; empty when it holds no ink.
    public static func digits(in image: GrayImage, path: String) throws(InputError) -> [Digit] {
        let brightness = InkImage.brightness(of: image, atMost: workingSide)
        let factor = InkImage.factor(width: image.width, height: image.height, atMost: workingSide)
        guard let (ink, components) = Preprocess.separated(brightness, row: true) else { return [] }
        let largest = components.pieces.map(\.pixels).max() ?? 0
        let kept = components.pieces.indices.filter {
            components.pieces[$0].pixels >= 6 && Float(components.pieces[$0].pixels) >= speck * Float(largest)
        }
        let boxes = groups(of: kept, in: components).map { group in
            (group, group.map { components.pieces[$0] }.reduce(into: components.pieces[group[0]]) { $0.absorb($1) })
        }
        let tallest = boxes.map(\.1.height).max() ?? 0
        let digits = boxes.filter { Float($0.1.height) >= shortest * Float(tallest) }
        guard digits.count <= mostDigits else { throw .notARow(path: path, pieces: digits.count, limit: mostDigits) }
        return digits.map { group, box in
            let alone = components.keeping(group, of: ink, radius: Preprocess.keepingRadius(ink))
            let pixels = Preprocess.fit(crop(alone, to: box))
            let scaled = (x0: box.x0 * factor, y0: box.y0 * factor,
                          x1: min(image.width - 1, (box.x1 + 1) * factor - 1), y1: min(image.height - 1, (box.y1 + 1) * factor - 1))
            return Digit(box: scaled, pixels: pixels)
        }
    }

    /// The pieces grouped into digits, left to right: a piece joins a group when their
    /// x-extents overlap by at least half the narrower one's width.
    static func groups(of pieces: [Int], in components: InkComponents) -> [[Int]] {
        var groups: [(box: InkComponents.Piece, members: [Int])] = []
        for i in pieces.sorted(by: { components.pieces[$0].x0 < components.pieces[$1].x0 }) {
            let p = components.pieces[i]
            if let g = groups.indices.last(where: { overlap(groups[$0].box, p) }) {
                groups[g].box.absorb(p)
                groups[g].members.append(i)
            } else {
                groups.append((p, [i]))
            }
        }
        return groups.sorted { $0.box.x0 < $1.box.x0 }.map(\.members)
    }

    private static func overlap(_ a: InkComponents.Piece, _ b: InkComponents.Piece) -> Bool {
        let shared = min(a.x1, b.x1) - max(a.x0, b.x0) + 1
        return Float(shared) >= 0.5 * Float(min(a.width, b.width))
    }

    /// The part of `ink` inside `box`, with a small margin for the strokes' faint edges.
    private static func crop(_ ink: InkImage, to box: InkComponents.Piece) -> InkImage {
        let margin = 2
        let x0 = max(0, box.x0 - margin), y0 = max(0, box.y0 - margin)
        let x1 = min(ink.width - 1, box.x1 + margin), y1 = min(ink.height - 1, box.y1 + margin)
        var values: [Float] = []
        values.reserveCapacity((x1 - x0 + 1) * (y1 - y0 + 1))
        for y in y0...y1 { for x in x0...x1 { values.append(ink[x, y]) } }
        return InkImage(width: x1 - x0 + 1, height: y1 - y0 + 1, values: values)
    }
}
