import Testing
@testable import DigitsKit

@Suite("Prediction")
struct PredictionTests {
    @Test func confidenceIsTheShareOfTheScores() {
        let p = Prediction(digit: 2, scores: [0.1, 0, 0.3, 0, 0, 0, 0, 0, 0, 0])
        #expect(abs(p.confidence - 0.75) < 1e-6)
    }

    @Test func predictScalesIntensitiesAsTheModelWasTrained() {
        let network = Reference.network(inputs: 784, hidden: 6, outputs: 10)
        let pixels = (0..<784).map { Float(($0 * 7) % 256) }
        for scaling in InputScaling.allCases {
            let model = Model(network: network, inputs: scaling)
            let expected = network.query(pixels.map { scaling.scale(intensity: $0) })
            #expect(model.predict(pixels).scores == expected)
            #expect(model.predict(pixels).digit == argmax(expected))
        }
    }
}
