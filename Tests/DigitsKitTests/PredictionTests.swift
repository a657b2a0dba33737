import Foundation
import Testing
@testable import DigitsKit

@Suite("Prediction")
struct PredictionTests {
    /// `predict` reads through the kernels' forward pass: held to the reference `query` on the
    /// same scaled inputs (to float rounding; the kernels sum in another order).
    @Test func predictScalesIntensitiesAsTheModelWasTrained() {
        let network = Reference.network(inputs: 784, hidden: 6, outputs: 10)
        let pixels = (0..<784).map { Float(($0 * 7) % 256) }
        for scaling in InputScaling.allCases {
            let model = Model(network: network, inputs: scaling)
            let expected = network.query(pixels.map { scaling.scale(intensity: $0) })
            let scores = model.predict(pixels).scores
            #expect(zip(scores, expected).allSatisfy { abs($0 - $1) < 1e-5 }, "\(scaling): \(scores) against \(expected)")
            #expect(model.predict(pixels).digit == argmax(expected))
        }
    }

    /// `query`, the server and the report read through `Model.predict`: at depth, for every
    /// activation, a batch (a whole 64 and a remainder, a blank image among them) gives the
    /// reference forward pass's outputs and its calibrated probabilities, image by image.
    @Test(arguments: [HiddenActivation.sigmoid, .tanh, .relu])
    func predictAtDepthIsTheReferenceForwardPass(activation: HiddenActivation) {
        let n = Reference.network(sizes: [784, 20, 13, 10], activation: activation, output: .softmax, seed: 4)
        let network = Network(layers: n.layers.map { Layer(inputCount: $0.inputCount, outputCount: $0.outputCount, W: $0.W.map { $0 * 0.1 }, b: $0.b) },
                              hiddenActivation: activation, outputLayer: .softmax)
        let calibration = Calibration(temperature: 1.5, unsureBelow: 0.6, notADigitBelow: 0.2, fitted: true)
        let model = Model(network: network, inputs: .unit, metadata: calibration.stored(in: [:]))
        let data = KernelsTests.dataset(count: 69)
        let images = (0..<69).map { data.image($0).map(Float.init) } + [[Float](repeating: 0, count: 784)]
        let predictions = model.predict(images)
        #expect(predictions.count == 70)
        var largest: Float = 0
        for (i, pixels) in images.enumerated() {
            let a = network.feedforward(pixels.map { InputScaling.unit.scale(intensity: $0) })
            let p = calibration.probabilities(a.z_o)
            for k in 0..<10 {
                largest = max(largest, abs(predictions[i].scores[k] - a.o[k]), abs(predictions[i].probabilities[k] - p[k]))
            }
        }
        #expect(largest < 2e-5)
        let alone = model.predict(images[0])
        #expect(zip(alone.scores, predictions[0].scores).allSatisfy { abs($0 - $1) < 1e-6 } && alone.verdict == predictions[0].verdict)
    }

    /// A network whose output pre-activations are `b_o` whatever the image: all weights 0.
    static func model(z: [Float], calibration: Calibration) -> Model {
        let network = Network(inputCount: 784, hiddenCount: 2, outputCount: 10, W_ih: [Float](repeating: 0, count: 1568),
                              W_ho: [Float](repeating: 0, count: 20), b_o: z)
        return Model(network: network, inputs: .unit, metadata: calibration.stored(in: [:]))
    }

    @Test func probabilitiesAreTheSoftmaxOfTheOutputsOverTheTemperature() {
        let z: [Float] = [2, 0, 1, 0, 0, 0, 0, 0, 0, -1]
        let calibration = Calibration(temperature: 2, unsureBelow: 0.5, notADigitBelow: 0.2, fitted: true)
        let p = Self.model(z: z, calibration: calibration).predict([Float](repeating: 0, count: 784))
        let e = z.map { exp(Double($0) / 2) }
        for k in 0..<10 { #expect(abs(Double(p.probabilities[k]) - e[k] / e.reduce(0, +)) < 1e-6) }
        #expect(p.digit == 0 && p.top.map(\.digit) == [0, 2])
    }

    @Test func verdictsFollowTheThresholds() {
        let calibration = Calibration(temperature: 1, unsureBelow: 0.6, notADigitBelow: 0.25, fitted: true)
        let blank = [Float](repeating: 0, count: 784)
        // p(0) = e^5 / (e^5 + 9) ≈ 0.94; e^1 / (e^1 + e^0.8 + 8) ≈ 0.20; two level leaders ≈ 0.40 each.
        #expect(Self.model(z: [5, 0, 0, 0, 0, 0, 0, 0, 0, 0], calibration: calibration).predict(blank).verdict == .sure)
        #expect(Self.model(z: [3, 3, 0, 0, 0, 0, 0, 0, 0, 0], calibration: calibration).predict(blank).verdict == .unsure)
        #expect(Self.model(z: [1, 0.8, 0, 0, 0, 0, 0, 0, 0, 0], calibration: calibration).predict(blank).verdict == .notADigit)
    }
}

@Suite("Calibration")
struct CalibrationTests {
    @Test func expectedCalibrationErrorByHand() {
        // Bin 14 (0.933…1): two answers at 0.95, one right: |0.5 − 0.95| = 0.45.
        // Bin 8 (0.533…0.6): two at 0.55, both right: |1 − 0.55| = 0.45. Each half the answers.
        let ece = Calibration.expectedError(probabilities: [0.95, 0.95, 0.55, 0.55], right: [true, false, true, true])
        #expect(abs(ece - 0.45) < 1e-6)
        #expect(Calibration.expectedError(probabilities: [0.75, 0.75, 0.75, 0.75], right: [true, true, true, false]) < 1e-6)
    }

    @Test func theSureThresholdIsTheLowestThatKeepsTheSureAnswersRight() {
        // From the top: 1/1 right (≥ 99.5%: 0.99), 2/2 (0.9), 2/3, 3/4 — so 0.9.
        #expect(Calibration.sureThreshold([0.8, 0.99, 0.7, 0.9], [false, true, true, true]) == 0.9)
        #expect(Calibration.sureThreshold([0.8, 0.99], [false, false]) == 1)
    }

    /// Logits made three times too confident for labels drawn from softmax(z): the fit finds
    /// T ≈ 3, and the likelihood there is better than a little either side.
    @Test func temperatureUndoesKnownOverconfidence() {
        var random = Random(seed: 11)
        var logits: [[Float]] = [], labels: [Int] = []
        for _ in 0..<6000 {
            let z = (0..<10).map { _ in Float(random.normal(sd: 2)) }
            var p = z
            OutputLayer.softmax.apply(&p)
            var u = Float(random.uniform()), label = 9
            for k in 0..<10 { u -= p[k]; if u <= 0 { label = k; break } }
            logits.append(z.map { $0 * 3 })
            labels.append(label)
        }
        let c = Calibration.fit(logits: logits, labels: labels)
        #expect(abs(c.temperature - 3) < 0.25, "T = \(c.temperature)")
        #expect(c.fitted && c.notADigitBelow <= c.unsureBelow)
        // Temperature changes no answer: which are right is the same for every T.
        let right = zip(logits, labels).map { argmax($0.0) == $0.1 }
        let calibrated = logits.map { Calibration(temperature: c.temperature, unsureBelow: 0, notADigitBelow: 0, fitted: true).probabilities($0).max()! }
        let raw = logits.map { Calibration.uncalibrated.probabilities($0).max()! }
        #expect(Calibration.expectedError(probabilities: calibrated, right: right)
                < Calibration.expectedError(probabilities: raw, right: right) / 3)
    }

    @Test func metadataRoundTripsAndNonsenseIsUncalibrated() {
        let c = Calibration(temperature: 1.75, unsureBelow: 0.9, notADigitBelow: 0.4, fitted: true)
        #expect(Calibration(metadata: c.stored(in: ["x": "y"])) == c)
        #expect(Calibration(metadata: [:]) == .uncalibrated)
        #expect(Calibration(metadata: ["temperature": "-1", "unsure_below": "0.9", "not_a_digit_below": "0.4"]) == .uncalibrated)
        #expect(Calibration(metadata: ["temperature": "nan", "unsure_below": "0.9", "not_a_digit_below": "0.4"]) == .uncalibrated)
    }
}
