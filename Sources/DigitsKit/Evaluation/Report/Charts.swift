#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The report's figures, drawn from numbers by the project's own chart code.
public enum Charts {
    /// Loss, and training / validation / test accuracy, per epoch: two panels side by side.
    public static func learningCurves(_ history: [EpochReport]) -> Figure {
        var figure = Figure(title: "Learning curves: training loss, and accuracy per epoch", width: 920, height: 360)
        let epochs = history.map { Double($0.epoch) }
        guard !history.isEmpty else {
            figure.text("This model file holds no per-epoch history.", 460, 170, size: 15, anchor: .middle, color: .axis)
            return figure
        }
        panel(&figure, left: 0, title: "training loss (mean per example)", unit: "",
              series: [("loss", RGB.series[0], epochs, history.map(\.loss))])
        var accuracy: [(String, RGB, [Double], [Double])] = []
        func add(_ name: String, _ color: RGB, _ values: [Double?]) {
            let points = zip(epochs, values).compactMap { e, v in v.map { (e, $0 * 100) } }
            if !points.isEmpty { accuracy.append((name, color, points.map(\.0), points.map(\.1))) }
        }
        add("training (running)", RGB.series[1], history.map(\.trainingAccuracy))
        add("validation", RGB.series[2], history.map(\.validationAccuracy))
        add("test", RGB.series[0], history.map(\.accuracy))
        panel(&figure, left: 460, title: "accuracy (%)", unit: "%", series: accuracy, ceiling: 100)
        return figure
    }

    /// The reliability diagram (Guo et al. 2017, fig. 1): for each bin of probability, the
    /// accuracy of the answers in it as a bar, against the diagonal a calibrated model follows;
    /// each bar's count under it.
    public static func reliability(_ bins: [Calibration.Bin], ece: Double, calibrated: Bool) -> Figure {
        var figure = Figure(title: "Reliability on the test set", width: 560, height: 440)
        let (x0, x1, y0, y1) = (70.0, 530.0, 50.0, 370.0)
        figure.text("Accuracy per bin of probability (ECE \(fixed(ece * 100, 2))%\(calibrated ? "" : ", not calibrated"))",
                    x0, 24, size: 15, bold: true)
        func px(_ p: Double) -> Double { x0 + p * (x1 - x0) }
        func py(_ a: Double) -> Double { y1 - a * (y1 - y0) }
        for t in stride(from: 0.0, through: 1.0, by: 0.2) {
            figure.line([(x0, py(t)), (x1, py(t))], color: .grid)
            figure.text(fixed(t, 1), x0 - 6, py(t) + 4, size: 12, anchor: .end, color: .axis)
            figure.text(fixed(t, 1), px(t), y1 + 18, size: 12, anchor: .middle, color: .axis)
        }
        for bin in bins where bin.count > 0 {
            figure.rect(px(bin.lower) + 1, py(bin.accuracy), px(bin.upper) - px(bin.lower) - 2, y1 - py(bin.accuracy),
                        fill: RGB.series[0], stroke: nil)
            figure.text(String(bin.count), (px(bin.lower) + px(bin.upper)) / 2, y1 + 34, size: 10, anchor: .middle, color: .axis)
        }
        figure.line([(x0, y1), (x1, y0)], color: .axis, dashed: true)
        figure.line([(x0, y0), (x0, y1), (x1, y1)], color: .axis)
        figure.text("probability of the answer (counts under the bars)", (x0 + x1) / 2, y1 + 56, size: 13, anchor: .middle, color: .axis)
        figure.text("accuracy", 16, (y0 + y1) / 2, size: 13, color: .axis)
        return figure
    }

    /// One chart of `series` (name, colour, x, y) in the 460 × 360 panel starting at `left`,
    /// with its legend in a row under the axis.
    private static func panel(_ figure: inout Figure, left: Double, title: String, unit: String,
                              series: [(String, RGB, [Double], [Double])], ceiling: Double? = nil) {
        let (x0, x1, y0, y1) = (left + 64, left + 444, 52.0, 286.0)
        figure.text(title, left + 64, 22, size: 15, bold: true)
        let xs = series.flatMap(\.2), ys = series.flatMap(\.3).filter(\.isFinite)
        guard let xMax = xs.max(), let yLow = ys.min(), let yHigh = ys.max() else {
            figure.text("not recorded", (x0 + x1) / 2, (y0 + y1) / 2, anchor: .middle, color: .axis)
            return
        }
        let xDomain = xMax > 1 ? (1.0, xMax) : (0.0, 2.0)
        var yTicks = niceTicks(yLow, yHigh)
        if let ceiling { yTicks = yTicks.filter { $0 <= ceiling } }
        let yDomain = (yTicks.first!, max(yTicks.last!, yHigh))
        func px(_ x: Double) -> Double { x0 + (x - xDomain.0) / (xDomain.1 - xDomain.0) * (x1 - x0) }
        func py(_ y: Double) -> Double {
            let span = yDomain.1 - yDomain.0
            return span > 0 ? y1 - (y - yDomain.0) / span * (y1 - y0) : (y0 + y1) / 2
        }
        for t in yTicks {
            figure.line([(x0, py(t)), (x1, py(t))], color: .grid)
            figure.text(tickLabel(t, ticks: yTicks) + unit, x0 - 6, py(t) + 4, size: 12, anchor: .end, color: .axis)
        }
        for t in niceTicks(max(1, xDomain.0), xDomain.1, integers: true) where t >= xDomain.0 && t <= xDomain.1 {
            figure.line([(px(t), y1), (px(t), y1 + 5)], color: .axis)
            figure.text(tickLabel(t, ticks: [1]), px(t), y1 + 19, size: 12, anchor: .middle, color: .axis)
        }
        figure.line([(x0, y0), (x0, y1), (x1, y1)], color: .axis)
        figure.text("epoch", (x0 + x1) / 2, y1 + 40, size: 13, anchor: .middle, color: .axis)
        for (index, (name, color, sx, sy)) in series.enumerated() {
            let points = zip(sx, sy).filter { $0.1.isFinite }.map { (x: px($0.0), y: py($0.1)) }
            figure.line(points, color: color, width: 2)
            if points.count <= 40 {
                for p in points { figure.rect(p.x - 2.5, p.y - 2.5, 5, 5, fill: color) }
            }
            if series.count > 1 {
                let (lx, ly) = (x0 + Double(index) * 150, y1 + 64)
                figure.line([(lx, ly - 4), (lx + 22, ly - 4)], color: color, width: 3)
                figure.text(name, lx + 28, ly, size: 12, color: .ink)
            }
        }
    }

    /// About five round tick values covering low…high (steps of 1, 2 or 5 × 10ⁿ).
    static func niceTicks(_ low: Double, _ high: Double, integers: Bool = false) -> [Double] {
        var (low, high) = (low, high)
        if high - low < 1e-12 { (low, high) = (low - 0.5, high + 0.5) }
        let raw = (high - low) / 5
        let magnitude = pow(10, floor(log10(raw)))
        var step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        if integers { step = max(1, step.rounded()) }
        let first = floor(low / step) * step, last = ceil(high / step) * step
        var ticks: [Double] = []
        var t = first
        while t <= last + step * 1e-9 {
            ticks.append((t / step).rounded() * step)
            t += step
        }
        return ticks
    }

    /// A tick's label with as many decimals as the ticks' step needs.
    static func tickLabel(_ t: Double, ticks: [Double]) -> String {
        let step = ticks.count > 1 ? abs(ticks[1] - ticks[0]) : 1
        let decimals = step >= 1 ? 0 : Int(ceil(-log10(step) - 1e-9))
        return fixed(t, decimals)
    }

    /// The confusion matrix as a heat map: true digit on rows, prediction on columns, counts in
    /// the cells; the diagonal green and outlined, the mistakes orange by count (square root, so
    /// that a handful still shows); recall beside each row, precision under each column.
    public static func confusion(_ evaluation: Evaluation) -> Figure {
        let cell = 46.0
        let (gx, gy) = (92.0, 70.0)
        var figure = Figure(title: "Confusion matrix: rows the true digit, columns the prediction; recall per row, precision per column",
                            width: Int(gx + 10 * cell + 100), height: Int(gy + 10 * cell + 64))
        let m = evaluation.confusion
        let largestMistake = (0..<10).flatMap { t in (0..<10).filter { $0 != t }.map { m[t][$0] } }.max() ?? 0
        figure.text("predicted digit", gx + 5 * cell, 22, size: 14, anchor: .middle, bold: true)
        figure.text("true", 34, gy + 5 * cell - 4, size: 14, anchor: .middle, bold: true)
        figure.text("digit", 34, gy + 5 * cell + 14, size: 14, anchor: .middle, bold: true)
        figure.text("recall", gx + 10 * cell + 50, gy - 12, size: 13, anchor: .middle, bold: true)
        figure.text("precision", gx - 10, gy + 10 * cell + 30, size: 12, anchor: .end, bold: true)
        for d in 0..<10 {
            figure.text(String(d), gx + (Double(d) + 0.5) * cell, gy - 12, size: 14, anchor: .middle)
            figure.text(String(d), gx - 12, gy + (Double(d) + 0.5) * cell + 5, size: 14, anchor: .end)
            figure.text(percent(evaluation.recall(d)), gx + 10 * cell + 50, gy + (Double(d) + 0.5) * cell + 5, size: 12, anchor: .middle)
            let column = gx + (Double(d) + 0.5) * cell
            figure.text(fixed(evaluation.precision(d) * 100, 1), column, gy + 10 * cell + 30, size: 12, anchor: .middle)
        }
        for t in 0..<10 {
            let rowTotal = m[t].reduce(0, +)
            for p in 0..<10 {
                let count = m[t][p]
                let fill: RGB
                if t == p {
                    fill = ColorScale.correct(rowTotal > 0 ? 0.55 + 0.45 * Double(count) / Double(rowTotal) : 0)
                } else {
                    fill = count == 0 || largestMistake == 0 ? .white : ColorScale.mistaken((Double(count) / Double(largestMistake)).squareRoot())
                }
                let (x, y) = (gx + Double(p) * cell, gy + Double(t) * cell)
                figure.rect(x, y, cell, cell, fill: fill, stroke: .grid)
                let textColor: RGB = count == 0 ? RGB(187, 187, 187) : (fill.luminance < 0.55 ? .white : .ink)
                figure.text(String(count), x + cell / 2, y + cell / 2 + 4, size: count >= 1000 ? 11 : 13, anchor: .middle,
                            color: textColor, bold: t == p)
            }
        }
        for d in 0..<10 {
            figure.rect(gx + Double(d) * cell, gy + Double(d) * cell, cell, cell, stroke: RGB(0, 68, 27))
        }
        figure.text("precision in %, under each predicted digit", gx + 5 * cell, gy + 10 * cell + 52, size: 11, anchor: .middle, color: .axis)
        return figure
    }

    /// Images in a grid with a caption under each, for the PNG versions of the galleries.
    public static func tileSheet(title: String, tiles: [(image: RGBImage, caption: String)], columns: Int,
                                 tileSize: Double = 56, captionHeight: Double = 18) -> Figure {
        let columns = max(1, min(columns, tiles.count))
        let rows = (tiles.count + columns - 1) / columns
        let (pitchX, pitchY) = (tileSize + 10, tileSize + captionHeight + 10)
        var figure = Figure(title: title, width: Int(Double(columns) * pitchX + 10), height: Int(Double(rows) * pitchY + 10))
        for (index, tile) in tiles.enumerated() {
            let x = 10 + Double(index % columns) * pitchX
            let y = 10 + Double(index / columns) * pitchY
            figure.image(tile.image, x, y, tileSize, tileSize)
            figure.rect(x, y, tileSize, tileSize, stroke: .grid)
            if captionHeight > 0 {
                figure.text(tile.caption, x + tileSize / 2, y + tileSize + captionHeight - 4, size: 11, anchor: .middle)
            }
        }
        return figure
    }
}
