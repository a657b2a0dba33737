/// Everything the training report shows, computed once from a model and the test set: the
/// evaluation, the most confident mistakes, what the hidden units look for, and what the
/// network imagines for each digit. `html()` and `figures()` only draw it.
public struct TrainingReport: Sendable {
    /// A test image the network reads wrong.
    public struct Mistake: Sendable {
        /// Position in the test set (0-based).
        public let index: Int
        public let label: Int
        public let prediction: Prediction
        /// The image as a person sees it: dark ink on white paper.
        public let image: GrayImage
    }

    public let model: Model
    /// Where the model came from, as the report names it.
    public let modelSource: String
    /// Where the test images came from.
    public let testSource: String
    public let evaluation: Evaluation
    /// The mistakes, the most confident first (ties by test index).
    public let mistakes: [Mistake]
    /// Seconds the training took, when the report is written by `digits train --report`
    /// (model files hold no times, so that the same seed gives the same bytes).
    public let trainingSeconds: Double?
    /// The reliability diagram's bins on the test set (calibrated probabilities), and its ECE.
    public let reliability: (bins: [Calibration.Bin], ece: Double)

    /// `test` as the model reads it: deskewed already when the model deskews.
    public init(model: Model, modelSource: String, test: Dataset, testSource: String, mistakeCount: Int = 48,
                trainingSeconds: Double? = nil) {
        self.model = model
        self.modelSource = modelSource
        self.testSource = testSource
        self.trainingSeconds = trainingSeconds
        let answers = Calibration.answers(model: model, on: test)
        reliability = (Calibration.reliability(probabilities: answers.calibrated, right: answers.right),
                       Calibration.expectedError(probabilities: answers.calibrated, right: answers.right))
        let digits = Evaluation.predictions(network: model.network, inputs: model.inputs, data: test)
        evaluation = Evaluation(predictions: digits, labels: test.labels)
        // The mistakes, with the calibrated probability the model gives each (`Model.predict`).
        let wrongIndices = digits.indices.filter { digits[$0] != Int(test.labels[$0]) }
        let wrong = zip(wrongIndices, model.predict(wrongIndices.map { Array(test.image($0)).map(Float.init) }, deskewed: true))
            .map { (index: $0, prediction: $1) }
        let ranked = wrong.sorted { a, b in
            a.prediction.probability != b.prediction.probability ? a.prediction.probability > b.prediction.probability : a.index < b.index
        }
        mistakes = ranked.prefix(max(0, mistakeCount)).map { r in
            Mistake(index: r.index, label: Int(test.labels[r.index]), prediction: r.prediction,
                    image: Self.paper(Array(test.image(r.index))))
        }
    }

    /// MNIST's pixels (ink 255 on 0) as ink on paper (ink dark on white), 28×28.
    static func paper(_ pixels: [UInt8]) -> GrayImage {
        GrayImage(width: Dataset.cols, height: Dataset.rows, pixels: pixels.map { 255 - $0 })
    }

    /// Whether the inputs are a 28×28 image, so that weights and back-queries can be drawn as one.
    var inputsAreImages: Bool { model.network.inputCount == Dataset.pixelCount }

    /// Column j of the first layer's weights (W_ih for one hidden layer), the incoming weights of
    /// unit j of the first hidden layer, on the diverging scale, each tile scaled to its own
    /// largest |weight| (blue negative, white 0, red positive).
    public func hiddenUnitTiles() -> [RGBImage] {
        guard inputsAreImages else { return [] }
        let first = model.network.layers[0]
        let (I, H) = (first.inputCount, first.outputCount)
        return (0..<H).map { j in
            let weights = (0..<I).map { Double(first.W[$0 * H + j]) }
            let largest = weights.map(abs).max() ?? 0
            var tile = RGBImage(width: Dataset.cols, height: Dataset.rows)
            for i in 0..<I {
                tile[i % Dataset.cols, i / Dataset.cols] = ColorScale.diverging(largest > 0 ? weights[i] / largest : 0)
            }
            return tile
        }
    }

    /// The output digit unit j of the first hidden layer feeds most strongly (largest
    /// W_ho[j, k]); nil when more layers lie between it and the outputs.
    public func strongestOutput(ofHiddenUnit j: Int) -> Int? {
        let n = model.network
        guard n.layers.count == 2 else { return nil }
        let W_ho = n.layers[1].W
        return argmax((0..<n.outputCount).map { W_ho[j * n.outputCount + $0] })
    }

    /// The back-query of every digit (the book's 0.99 / 0.01 targets) as ink on paper, or why
    /// the network cannot be run backwards.
    public func backQueryImages() -> Result<[GrayImage], BackQueryError> {
        guard inputsAreImages else { return .success([]) }
        return Result { () throws(BackQueryError) in
            try (0..<model.network.outputCount).map { (d) throws(BackQueryError) in
                let x = try model.network.backquery(digit: d)
                return GrayImage(width: Dataset.cols, height: Dataset.rows, pixels: x.map { UInt8((255 * (1 - $0)).rounded()) })
            }
        }
    }

    /// A mistake's caption: true digit, prediction, probability.
    static func caption(_ m: Mistake) -> String {
        "\(m.label) as \(m.prediction.digit) \(fixed(Double(m.prediction.probability) * 100, 0))%"
    }

    /// Every figure of the report, each with the file name `--png` gives it.
    public func figures() -> [(name: String, figure: Figure)] {
        var list: [(String, Figure)] = [
            ("learning-curves", Charts.learningCurves(model.history)),
            ("confusion", Charts.confusion(evaluation)),
            ("reliability", Charts.reliability(reliability.bins, ece: reliability.ece, calibrated: model.calibration.fitted)),
            ("mistakes", Charts.tileSheet(title: "The most confident mistakes: true digit as prediction, probability",
                                          tiles: mistakes.map { (RGBImage($0.image), Self.caption($0)) }, columns: 8, tileSize: 64)),
        ]
        if inputsAreImages {
            list.append(("hidden-units", Charts.tileSheet(
                title: "Incoming weights of each hidden unit (blue negative, red positive)",
                tiles: hiddenUnitTiles().enumerated().map { ($1, String($0)) }, columns: 10, tileSize: 56, captionHeight: 14)))
            list.append(("back-query", Charts.tileSheet(
                title: "Back-query: the input the network imagines for each digit",
                tiles: ((try? backQueryImages().get()) ?? []).enumerated().map { (RGBImage($1), "digit \($0)") },
                columns: 10, tileSize: 84)))
        }
        return list
    }
}

extension TrainingReport {
    /// Writes the page to `htmlPath` and, with `pngDirectory`, each figure as `<name>.png` there
    /// (the folder made when missing); every file atomically. Returns the paths written.
    public func write(htmlTo htmlPath: String, pngDirectory: String? = nil) throws(WriteError) -> [String] {
        var written: [String] = []
        if let pngDirectory {
            try AtomicFile.createDirectory(pngDirectory)
            for (name, figure) in figures() {
                let path = (pngDirectory.hasSuffix("/") ? pngDirectory : pngDirectory + "/") + name + ".png"
                try AtomicFile.write(figure.png(), to: path)
                written.append(path)
            }
        }
        try AtomicFile.write(Array(html().utf8), to: htmlPath)
        return [htmlPath] + written
    }
}
