/// Separates the ink of a picture from what it is written on, without a fixed threshold:
/// which side is ink (dark on light or light on dark), the level of the ground at every point
/// (a phone photo of paper is brighter at one side than the other), and how noisy that ground
/// is. What is left is the ink, with its anti-aliased grey levels kept, never binarised.
enum Ground {
    /// The ink of `image`: brightness turned so that ink is high, minus the fitted ground,
    /// minus the ground's noise level (4 σ), clipped at 0.
    static func ink(of image: InkImage) -> InkImage {
        var v = image
        if inkIsDark(image) {
            for i in v.values.indices { v.values[i] = 255 - v.values[i] }
        }
        let surface = Surface.fit(to: v)
        var residual = v
        for y in 0..<v.height {
            for x in 0..<v.width { residual[x, y] = v[x, y] - surface.value(x: x, y: y, width: v.width, height: v.height) }
        }
        let threshold = 4 * noise(of: residual.values)
        for i in residual.values.indices { residual.values[i] = max(0, residual.values[i] - threshold) }
        return residual
    }

    /// Whether the ink is darker than its ground. Against a rough ground (the quadratic through
    /// every cell's median, ink or not), noise is symmetric and ink lies on one side: the side
    /// with more pixels beyond 4 σ (σ from the median absolute deviation) is the ink's. This
    /// holds for a thin pen on a vignetted photo, where the border is darker than the paper's
    /// middle. When neither side stands out (ink over half the image), the ground is what the
    /// border mostly shows, nearer one extreme of the image than the other.
    static func inkIsDark(_ image: InkImage) -> Bool {
        let rough = Surface.fit(to: image, excludingInk: false)
        var residuals = image.values
        for y in 0..<image.height {
            for x in 0..<image.width { residuals[y * image.width + x] -= rough.value(x: x, y: y, width: image.width, height: image.height) }
        }
        let middle = percentile(residuals, 0.5)
        let sigma = max(1, 1.4826 * percentile(residuals.map { abs($0 - middle) }, 0.5))
        let below = residuals.filter { $0 < middle - 4 * sigma }.count, above = residuals.filter { $0 > middle + 4 * sigma }.count
        if max(below, above) >= 3 && max(below, above) >= 2 * min(below, above) { return below > above }
        let ground = percentile(image.border, 0.5)
        let last = image.values.count - 1
        let low = orderStatistic(image.values, Int(Float(last) * 0.01)), high = orderStatistic(image.values, Int(Float(last) * 0.99))
        if high - low < 1 { return ground > 127 }
        return high - ground < ground - low
    }

    /// The noise of the ground as a standard deviation. Ink only ever lies above the fitted
    /// ground, so the residuals below it are ground alone: for noise symmetric about the
    /// surface, their median distance is the median absolute deviation (σ ≈ 1.4826 · MAD).
    static func noise(of residuals: [Float]) -> Float {
        let below = residuals.filter { $0 < 0 }.map { -$0 }
        guard !below.isEmpty else { return 0 }
        return 1.4826 * percentile(below, 0.5)
    }

    /// The `q` quantile of `values` (nearest rank; `values` not empty).
    static func percentile(_ values: [Float], _ q: Float) -> Float {
        orderStatistic(values, min(values.count - 1, Int(Float(values.count - 1) * q + 0.5)))
    }

    /// `values.sorted()[k]`, found by selection (Hoare's quickselect, median-of-three pivots)
    /// in linear time rather than by sorting: the ground of a picture takes several of these.
    /// After 64 rounds (inputs arranged against the pivots) the part left is sorted instead,
    /// so the time stays O(n log n) at worst.
    static func orderStatistic(_ values: [Float], _ k: Int) -> Float {
        var a = values
        var (lo, hi) = (0, a.count - 1)
        for _ in 0..<64 {
            guard lo < hi else { return a[k] }
            let (p, q, r) = (a[lo], a[(lo + hi) / 2], a[hi])
            let pivot = max(min(p, q), min(max(p, q), r))
            var (i, j) = (lo, hi)
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    (i, j) = (i + 1, j - 1)
                }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return a[k] }
        }
        return a[lo...hi].sorted()[k - lo]
    }
}

/// The level of the ground as a smooth surface: a quadratic in x and y, fitted to a grid of
/// cells by least squares and refitted without the cells that lie well above it (those hold
/// ink). A quadratic follows a lamp's gradient and a photo's vignetting; a cell's 30th
/// median is ground as long as less than half of the cell is ink, and lies on a gradient
/// (a lower percentile would lie under it, and leave the whole ground a little above 0).
struct Surface: Sendable {
    /// c0 + c1·u + c2·v + c3·u² + c4·u·v + c5·v², with u, v in −1…1 across the image.
    var coefficients: [Double]

    static let cellsPerSide = 8

    func value(x: Int, y: Int, width: Int, height: Int) -> Float {
        let (u, v) = Self.unit(x: Double(x) + 0.5, y: Double(y) + 0.5, width: width, height: height)
        return Float(at(u, v))
    }

    static func unit(x: Double, y: Double, width: Int, height: Int) -> (Double, Double) {
        (2 * x / Double(width) - 1, 2 * y / Double(height) - 1)
    }

    /// The ground of `image` (ink bright). `excludingInk: false` fits every cell once, for
    /// a first look before it is known which side the ink is on.
    static func fit(to image: InkImage, excludingInk: Bool = true) -> Surface {
        let cells = cellLevels(image)
        let levels = cells.map(\.level)
        let middle = Ground.percentile(levels, 0.5)
        guard excludingInk else {
            return leastSquares(cells, cells.map { _ in true }) ?? Surface(coefficients: [Double(middle), 0, 0, 0, 0, 0])
        }
        var included = levels.map { $0 <= middle }
        // Too small an image for a grid (or a fit that fails): the border's level, flat.
        var surface = Surface(coefficients: [Double(Ground.percentile(image.border, 0.5)), 0, 0, 0, 0, 0])
        for _ in 0..<3 {
            guard included.filter({ $0 }).count >= 12, let fitted = leastSquares(cells, included) else { break }
            surface = fitted
            let residuals = cells.map { Double($0.level) - surface.at($0.u, $0.v) }
            let spread = 1.4826 * median(of: zip(residuals, included).filter(\.1).map { abs($0.0) })
            included = residuals.map { $0 <= max(2.5 * spread, 1) }
        }
        return surface
    }

    private func at(_ u: Double, _ v: Double) -> Double {
        let c = coefficients
        return c[0] + c[1] * u + c[2] * v + c[3] * u * u + c[4] * u * v + c[5] * v * v
    }

    private struct Cell { let u: Double, v: Double, level: Float }

    /// The grid's cells: their centres in unit coordinates and their median level.
    private static func cellLevels(_ image: InkImage) -> [Cell] {
        let n = max(1, min(cellsPerSide, image.width / 4, image.height / 4))
        var cells: [Cell] = []
        for gy in 0..<n {
            let y0 = gy * image.height / n, y1 = (gy + 1) * image.height / n
            for gx in 0..<n {
                let x0 = gx * image.width / n, x1 = (gx + 1) * image.width / n
                var values: [Float] = []
                values.reserveCapacity((x1 - x0) * (y1 - y0))
                for y in y0..<y1 { for x in x0..<x1 { values.append(image[x, y]) } }
                let (u, v) = unit(x: Double(x0 + x1) / 2, y: Double(y0 + y1) / 2, width: image.width, height: image.height)
                cells.append(Cell(u: u, v: v, level: Ground.percentile(values, 0.5)))
            }
        }
        return cells
    }

    private static func median(of values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let s = values.sorted()
        return s[s.count / 2]
    }

    /// The quadratic through the included cells (normal equations, Gaussian elimination with
    /// partial pivoting); nil when they do not determine it (all on one line, say).
    private static func leastSquares(_ cells: [Cell], _ included: [Bool]) -> Surface? {
        // The 6 × 7 augmented matrix, row-major in one array (row i at 7i).
        var a = [Double](repeating: 0, count: 42)
        for (cell, use) in zip(cells, included) where use {
            let b: [Double] = [1, cell.u, cell.v, cell.u * cell.u, cell.u * cell.v, cell.v * cell.v]
            for i in 0..<6 {
                for j in 0..<6 { a[7 * i + j] += b[i] * b[j] }
                a[7 * i + 6] += b[i] * Double(cell.level)
            }
        }
        for column in 0..<6 {
            let pivot = (column..<6).max { abs(a[7 * $0 + column]) < abs(a[7 * $1 + column]) }!
            guard abs(a[7 * pivot + column]) > 1e-9 else { return nil }
            for k in 0..<7 { a.swapAt(7 * column + k, 7 * pivot + k) }
            for row in 0..<6 where row != column {
                let factor = a[7 * row + column] / a[7 * column + column]
                for k in column..<7 { a[7 * row + k] -= factor * a[7 * column + k] }
            }
        }
        return Surface(coefficients: (0..<6).map { (i: Int) -> Double in a[7 * i + 6] / a[7 * i + i] })
    }
}
