import DigitsKit
import DigitsResources
import Foundation
import Testing

@Suite("digits query and export")
struct QueryCommandTests {
    static let pixels = (0..<784).map { i -> Int in
        let (x, y) = (i % 28, i / 28)
        return (x >= 12 && x <= 15 && y >= 4 && y <= 23) ? 255 : 0  // a "1"
    }
    static var csv: String { pixels.map(String.init).joined(separator: ",") }

    private func file(_ text: String, _ name: String = "x.csv") -> String {
        let path = Fixture.folder() + "/" + name
        Fixture.write(Array(text.utf8), to: path)
        return path
    }

    @Test func answersACSVWithTheShippedModelOnAFreshCheckout() throws {
        // An empty working folder: no models/digits.safetensors, so the embedded model answers.
        let result = try Binary.run(["query", file(Self.csv)], in: Fixture.folder())
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        let shipped = ModelLocator.choose(nil, for: .reading)!
        #expect(lines.first == "model: \(shipped.source) (\(try Safetensors.load(shipped.path).summary))")
        // A clear "1": read as 1, and surely (a confident answer on a clear digit stays confident).
        #expect(lines.dropFirst().first?.hasPrefix("prediction: 1 (probability ") == true, "\(lines.dropFirst().first ?? "")")
        #expect(lines.count == 12)  // the model, the answer and ten bars
    }

    @Test func jsonHasFileScoresAndLabel() throws {
        let path = file("1," + Self.csv + "\n")
        let result = try Binary.run(["query", "--json", path], in: Fixture.folder())
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(object["file"] as? String == path)
        #expect((object["scores"] as! [Double]).count == 10)
        let probabilities = object["probabilities"] as! [Double]
        #expect(probabilities.count == 10 && abs(probabilities.reduce(0, +) - 1) < 1e-5)
        #expect(object["label"] as? Int == 1)
        let prediction = object["prediction"] as! Int
        #expect(object["probability"] as? Double == probabilities[prediction])
        #expect((object["top"] as! [[String: Any]]).first?["digit"] as? Int == prediction)
        #expect(object["unsure"] is Bool && object["not_a_digit"] is Bool && object["verdict"] is String)
    }

    @Test func readsStandardInputAndShowsTheInput() throws {
        let result = try Binary.run(["query", "-", "--show"], stdin: Data(Self.csv.utf8), in: Fixture.folder())
        #expect(result.status == 0)
        #expect(result.stdout.contains("|                        @@@@@@@@                        |"))
    }

    @Test func goodFilesAreAnsweredWhenOthersFail() throws {
        let good = file(Self.csv)
        let bad = file("1,2,3", "short.csv")
        let result = try Binary.run(["query", good, bad, Fixture.folder() + "/missing.png"], in: Fixture.folder())
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(good):\nprediction: "))
        let errors = result.stderr.split(separator: "\n")
        #expect(errors.count == 2)
        #expect(errors[0].contains("short.csv: line 1: 3 values, expected 784"))
        #expect(errors[1].contains("missing.png: cannot read: no such file"))
    }

    @Test(arguments: [
        ("empty", [], "empty file"),
        ("783", Array((0..<783).map { _ in "0" }.joined(separator: ",").utf8), "783 values"),
        ("nan", Array(("NaN," + (0..<783).map { _ in "0" }.joined(separator: ",")).utf8), "is not a number"),
        ("big", Array(("300," + (0..<783).map { _ in "0" }.joined(separator: ",")).utf8), "outside 0–255"),
        ("letters", Array("abc,def".utf8), "2 values"),
        ("binary", [0x00, 0x01, 0xFE, 0x80, 0, 0x10, 0x4A, 0x46, 0x49, 0x46], "neither CSV, PNG nor JPEG"),
        ("a JPEG cut after its header", [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46, 0x49, 0x46], "unreadable JPEG"),
        ("signature", PNGImage.signature, "unreadable PNG"),
    ] as [(String, [UInt8], String)])
    func badInputIsOneLineNamingTheFile(name: String, content: [UInt8], message: String) throws {
        let path = Fixture.folder() + "/" + name
        Fixture.write(content, to: path)
        let result = try Binary.run(["query", path], in: Fixture.folder())
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Error: \(path): "))
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!result.stderr.contains("Fatal"))
    }

    @Test func aMissingOrCorruptModelIsAClearError() throws {
        let broken = file("garbage", "broken.safetensors")
        let result = try Binary.run(["query", "--model", broken, file(Self.csv)])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Error: \(broken): "))
    }

    @Test func exportThenQueryAgreesWithEvaluate() throws {
        // A model trained on the fixture set; for ten test images, the prediction of
        // `query` on the exported CSV and PNG is the one the evaluator makes.
        let (data, modelPath) = try EvaluateCommandTests.trained()
        let model = try Safetensors.load(modelPath)
        let test = try MNISTDirectory(path: data).load(.test)
        let expected = Evaluation.predictions(network: model.network, inputs: model.inputs, data: test)
        let out = Fixture.folder()
        for index in 0..<10 {
            for format in ["csv", "png"] {
                let path = "\(out)/\(index).\(format)"
                let export = try Binary.run(["export", "--data", data, "--index", "\(index)", "--format", format, "--output", path])
                #expect(export.status == 0, "\(export.stderr)")
                // --raw: the fixture's images are not MNIST digits, and export → query is to give back the exact input.
                let query = try Binary.run(["query", "--json", "--raw", "--model", modelPath, path])
                let object = try JSONSerialization.jsonObject(with: Data(query.stdout.utf8)) as! [String: Any]
                #expect(object["prediction"] as? Int == expected[index], "\(format) export of test image \(index)")
                if format == "csv" { #expect(object["label"] as? Int == Int(test.labels[index])) }
            }
        }
    }

    @Test func exportRefusesAnIndexPastTheEnd() throws {
        let data = Fixture.mnist(train: 20, test: 10)
        let result = try Binary.run(["export", "--data", data, "--index", "10", "--output", Fixture.folder() + "/x.csv"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("past the end of the test set (10 images)"))
    }

    @Test func exportWithoutLabelWrites784Values() throws {
        let data = Fixture.mnist(train: 20, test: 10)
        let result = try Binary.run(["export", "--data", data, "--index", "3", "--no-label", "--output", "-"])
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: ",").count == 784)
    }

    @Test(.enabled(if: DataCommandTests.mnist != nil, "MNIST_DIR does not point at the MNIST files; set it to run this test"))
    func theShippedModelIsRealAndAsAccurateAsItsMetadataSays() throws {
        // An empty folder has no models/digits.safetensors, so `evaluate` judges the shipped model.
        let result = try Binary.run(["evaluate", "--json"], environment: ["MNIST_DIR": DataCommandTests.mnist!], in: Fixture.folder())
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(object["model"] as? String == "the doc-001 model shipped with digits")
        let correct = try #require(object["correct"] as? Int), total = try #require(object["total"] as? Int)
        #expect(total == 10_000)
        #expect(Double(correct) / Double(total) >= 0.97)  // real: a trained network (chance is 10%, a linear model about 92%)
        // As accurate as it says: its test_accuracy, stored to 4 places, is what evaluating it gives.
        let shipped = try #require(DefaultModel.path)
        let stored = try #require(try Safetensors.load(shipped).metadata["test_accuracy"])
        #expect(fixed(Double(correct) / Double(total), 4) == stored, "evaluated \(correct)/\(total), metadata says \(stored)")
    }
}
