/// The separate pieces of ink in an image (8-connected), found on a mask of the stronger ink.
/// Reading one digit keeps the piece that is the digit and those close to it (the flag of a 5,
/// the bar of a 4), and drops what is not: a sliver of a neighbouring digit or the page's edge
/// at the border, specks of dirt. Reading a number orders the pieces from left to right.
struct InkComponents: Sendable {
    struct Piece: Sendable, Equatable {
        var x0: Int, y0: Int, x1: Int, y1: Int
        var mass: Float
        var mx: Float, my: Float
        var pixels: Int

        var width: Int { x1 - x0 + 1 }
        var height: Int { y1 - y0 + 1 }
        var cx: Float { mx / mass }
        var cy: Float { my / mass }

        func touchesBorder(width w: Int, height h: Int) -> Bool {
            x0 == 0 || y0 == 0 || x1 == w - 1 || y1 == h - 1
        }

        /// The gap between two boxes (0 when they overlap), in pixels, the larger axis.
        func gap(to other: Piece) -> Int {
            max(0, max(other.x0 - x1, x0 - other.x1, other.y0 - y1, y0 - other.y1) - 1)
        }

        mutating func absorb(_ other: Piece) {
            x0 = min(x0, other.x0); y0 = min(y0, other.y0); x1 = max(x1, other.x1); y1 = max(y1, other.y1)
            mass += other.mass; mx += other.mx; my += other.my; pixels += other.pixels
        }
    }

    /// For every pixel, the index of its piece in `pieces`, or −1 off the mask.
    let labels: [Int32]
    let pieces: [Piece]

    /// Pieces of the pixels of `ink` above `threshold`.
    init(_ ink: InkImage, threshold: Float) {
        let (w, h) = (ink.width, ink.height)
        var labels = [Int32](repeating: -1, count: w * h)
        var pieces: [Piece] = []
        var stack: [Int] = []
        for start in 0..<(w * h) where labels[start] < 0 && ink.values[start] > threshold {
            let id = Int32(pieces.count)
            var piece = Piece(x0: w, y0: h, x1: -1, y1: -1, mass: 0, mx: 0, my: 0, pixels: 0)
            labels[start] = id
            stack.append(start)
            while let p = stack.popLast() {
                let (x, y) = (p % w, p / w)
                let v = ink.values[p]
                piece.absorb(Piece(x0: x, y0: y, x1: x, y1: y, mass: v, mx: v * Float(x), my: v * Float(y), pixels: 1))
                for dy in -1...1 {
                    for dx in -1...1 {
                        let (nx, ny) = (x + dx, y + dy)
                        guard nx >= 0, ny >= 0, nx < w, ny < h else { continue }
                        let q = ny * w + nx
                        if labels[q] < 0 && ink.values[q] > threshold {
                            labels[q] = id
                            stack.append(q)
                        }
                    }
                }
            }
            pieces.append(piece)
        }
        self.labels = labels
        self.pieces = pieces
    }

    /// The pieces that make the digit: the heaviest piece, weighted towards the centre and
    /// away from the border, and every piece within a quarter of the digit's size of it that
    /// does not touch a border the digit itself stays clear of.
    func digit(width w: Int, height h: Int) -> [Int] {
        guard !pieces.isEmpty else { return [] }
        let diagonal = Float(max(w, h))
        func score(_ p: Piece) -> Float {
            let dx: Float = (p.cx + 0.5 - Float(w) / 2) / diagonal
            let dy: Float = (p.cy + 0.5 - Float(h) / 2) / diagonal
            let border: Float = p.touchesBorder(width: w, height: h) ? 0.3 : 1
            return p.mass / (1 + 8 * (dx * dx + dy * dy)) * border
        }
        let main = pieces.indices.max { score(pieces[$0]) < score(pieces[$1]) }!
        var kept = [main]
        var box = pieces[main]
        var changed = true
        while changed {
            changed = false
            for i in pieces.indices where !kept.contains(i) {
                let p = pieces[i]
                let reach = max(2, max(box.width, box.height) / 4)
                let strayAtBorder = p.touchesBorder(width: w, height: h) && !box.touchesBorder(width: w, height: h)
                if p.gap(to: box) <= reach && !strayAtBorder && p.mass >= box.mass * 0.005 {
                    kept.append(i)
                    box.absorb(p)
                    changed = true
                }
            }
        }
        return kept
    }

    /// `ink` with everything farther than `radius` pixels (in x or y) from the given pieces
    /// set to 0, so the faint anti-aliased edge of a kept stroke stays and the rest goes.
    func keeping(_ chosen: [Int], of ink: InkImage, radius: Int) -> InkImage {
        let (w, h) = (ink.width, ink.height)
        let wanted = Set(chosen.map(Int32.init))
        var near = [Bool](repeating: false, count: w * h)
        for y in 0..<h {
            for x in 0..<w where wanted.contains(labels[y * w + x]) {
                for ny in max(0, y - radius)...min(h - 1, y + radius) {
                    for nx in max(0, x - radius)...min(w - 1, x + radius) { near[ny * w + nx] = true }
                }
            }
        }
        var out = ink
        for i in out.values.indices where !near[i] { out.values[i] = 0 }
        return out
    }
}
