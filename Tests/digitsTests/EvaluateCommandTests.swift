import DigitsKit
import Foundation
import Testing

@Suite("digits evaluate")
struct EvaluateCommandTests {
    /// A data folder and a model trained on it.
    static func trained() throws -> (data: String, model: String) {
        let data = Fixture.mnist()
        let model = Fixture.folder() + "/m.safetensors"
        let result = try Binary.run(["train", "--data", data, "--output", model, "--quiet"] + TrainCommandTests.quick)
        #expect(result.status == 0, "\(result.stderr)")
        return (data, model)
    }

    @Test func reportsTheSameAccuracyAsTraining() throws {
        let (data, model) = try Self.trained()
        let result = try Binary.run(["evaluate", "--data", data, "--model", model])
        #expect(result.status == 0)
        let last = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix("accuracy: ") && last.hasSuffix("/100)"))
        let stored = try Safetensors.load(model).metadata["test_accuracy"]!
        let printed = last.split(separator: "(")[1].split(separator: "/")[0]
        #expect(Double(printed)! / 100 == Double(stored)!)
    }

    @Test func jsonAndMinimumAccuracy() throws {
        let (data, model) = try Self.trained()
        let json = try Binary.run(["evaluate", "--data", data, "--model", model, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let accuracy = object["accuracy"] as! Double
        #expect(object["total"] as? Int == 100 && (object["confusion"] as! [[Int]]).count == 10)
        #expect(try Binary.run(["evaluate", "--data", data, "--model", model, "--min-accuracy", "0"]).status == 0)
        if accuracy < 1 {
            let below = try Binary.run(["evaluate", "--data", data, "--model", model, "--min-accuracy", "100"])
            #expect(below.status == 1)
            #expect(below.stderr.contains("is below the required 100.00%"))
        }
    }

    @Test func aCorruptModelIsOneLineNamingTheFile() throws {
        let path = Fixture.folder() + "/broken.safetensors"
        Fixture.write(Array("not a model at all".utf8), to: path)
        let result = try Binary.run(["evaluate", "--data", Fixture.mnist(), "--model", path])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Error: \(path): "))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!result.stderr.contains("Fatal"))
    }

    @Test func aMissingModelSaysSo() throws {
        let path = Fixture.folder() + "/none.safetensors"
        let result = try Binary.run(["evaluate", "--data", Fixture.mnist(), "--model", path])
        #expect(result.status == 1)
        #expect(result.stderr == "Error: \(path): cannot read the model: no such file\n")
    }
}
