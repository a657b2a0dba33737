/// Removes the lines of ruled or squared paper: thin bands of ink that run across (nearly) the
/// whole image while the rest of the ink keeps well clear of the sides they reach. Where a
/// stroke of the digit crosses a band, the band takes the lesser of the ink just beyond each
/// side of it, so the stroke continues through it and the line does not.
enum RuledLines {
    /// A row (column) belongs to a line when ink covers this share of it.
    static let coverage: Float = 0.9

    /// `row: true` for a row of digits, which spans the width itself: there a horizontal band
    /// is a line whatever the rest of the ink does (no digit has a stroke across the whole row).
    static func remove(from ink: inout InkImage, threshold: Float, row: Bool = false) {
        let (w, h) = (ink.width, ink.height)
        guard w >= 8, h >= 8 else { return }
        let rows = bands(count: h, length: w) { ink[$1, $0] > threshold }
        let columns = bands(count: w, length: h) { ink[$0, $1] > threshold }
        guard !rows.isEmpty || !columns.isEmpty else { return }
        // The extent of the other ink, ignoring every band and a pixel either side of it.
        func inBand(_ i: Int, _ bands: [Range<Int>]) -> Bool { bands.contains { ($0.lowerBound - 1...$0.upperBound).contains(i) } }
        var (x0, y0, x1, y1) = (w, h, -1, -1)
        for y in 0..<h where !inBand(y, rows) {
            for x in 0..<w where !inBand(x, columns) && ink[x, y] > threshold {
                x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y)
            }
        }
        if row || x1 - x0 + 1 <= w * 3 / 4 {
            for band in rows { bridge(band, count: h, length: w) { y, x in ink[x, y] } set: { y, x, v in ink[x, y] = v } }
        }
        if y1 - y0 + 1 <= h * 3 / 4 {
            for band in columns { bridge(band, count: w, length: h) { x, y in ink[x, y] } set: { x, y, v in ink[x, y] = v } }
        }
    }

    /// Runs of lines (rows, or columns) covered ≥ 90% by ink, no thicker than 1/20 of the
    /// image (at least 2). `isInk(line, position)`.
    private static func bands(count: Int, length: Int, isInk: (Int, Int) -> Bool) -> [Range<Int>] {
        let covered = (0..<count).map { line in
            Float((0..<length).filter { isInk(line, $0) }.count) >= coverage * Float(length)
        }
        var bands: [Range<Int>] = []
        var start = 0
        while start < count {
            guard covered[start] else { start += 1; continue }
            var end = start
            while end < count && covered[end] { end += 1 }
            if end - start <= max(2, count / 20) { bands.append(start..<end) }
            start = end
        }
        return bands
    }

    /// Replaces a band (and a line either side) by the lesser of the ink two lines beyond it on
    /// each side, position by position.
    private static func bridge(_ band: Range<Int>, count: Int, length: Int,
                               get: (Int, Int) -> Float, set: (Int, Int, Float) -> Void) {
        let before = band.lowerBound - 2, after = band.upperBound + 1
        for line in max(0, band.lowerBound - 1)..<min(count, band.upperBound + 1) {
            for p in 0..<length {
                let a = before >= 0 ? get(before, p) : 0, b = after < count ? get(after, p) : 0
                set(line, p, min(get(line, p), min(a, b)))
            }
        }
    }
}
