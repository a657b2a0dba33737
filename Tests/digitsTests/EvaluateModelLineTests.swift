import DigitsKit
import Foundation
import Testing

@Suite("digits evaluate: which model answered")
struct EvaluateModelLineTests {
    @Test func theFirstLineNamesTheModelAndItsArchitecture() throws {
        let (data, model) = try EvaluateCommandTests.trained()
        let result = try Binary.run(["evaluate", "--data", data, "--model", model])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").first?.hasPrefix("model: \(model) (784-12-10, sigmoid, mse, probabilities ") == true)
    }

    @Test func withoutAModelTheShippedOneSaysSo() throws {
        // An empty working folder: no models/digits.safetensors, so the embedded model answers.
        let result = try Binary.run(["evaluate", "--data", Fixture.mnist(train: 20, test: 10)], in: Fixture.folder())
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").first == "model: the doc-001 model shipped with digits (784-100-10, sigmoid, mse, probabilities not calibrated (no validation split))")
    }

    @Test func jsonCarriesModelAndArchitectureEscaped() throws {
        let data = Fixture.mnist()
        // A name with a quote, a backslash and a newline: pasted unescaped, the JSON would break.
        let model = Fixture.folder() + "/a \"b\\c\nd.safetensors"
        let train = try Binary.run(["train", "--data", data, "--output", model, "--quiet", "--loss", "cross-entropy"] + TrainCommandTests.quick)
        #expect(train.status == 0, "\(train.stderr)")
        let result = try Binary.run(["evaluate", "--data", data, "--model", model, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["model"] as? String == model)
        #expect(object?["architecture"] as? String == "784-12-10, softmax, cross-entropy")
        #expect(object?["total"] as? Int == 100)
    }

    @Test func aLossTheProjectDoesNotKnowIsLeftOut() throws {
        var model = try Safetensors.load(try EvaluateCommandTests.trained().model)
        #expect(model.architecture == "784-12-10, sigmoid, mse")
        model.metadata["loss"] = "mse\nsomething else"
        #expect(model.architecture == "784-12-10, sigmoid")
    }
}
