import DigitsKit
import Foundation
import Testing

@Suite("digits export --index and --digit")
struct ExportCommandTests {
    /// A test set whose labels are exactly `labels`, image i filled with the value i + 1.
    static func labelled(_ labels: [UInt8]) -> String {
        let dir = Fixture.folder()
        let images = labels.indices.flatMap { [UInt8](repeating: UInt8($0 + 1), count: 784) }
        for split in [Split.train, .test] {
            let files = split.files
            Fixture.write(IDX.encode(dimensions: [labels.count, 28, 28], bytes: images), to: dir + "/" + files.images.name)
            Fixture.write(IDX.encode(dimensions: [labels.count], bytes: labels), to: dir + "/" + files.labels.name)
        }
        return dir
    }

    @Test func digitExportsTheFirstImageOfThatDigit() throws {
        let data = Self.labelled([3, 7, 1, 7, 3])
        let result = try Binary.run(["export", "--data", data, "--digit", "7", "--output", "-"])
        #expect(result.status == 0, "\(result.stderr)")
        let values = result.stdout.trimmingCharacters(in: .newlines).split(separator: ",").map { Int($0)! }
        #expect(values.count == 785 && values[0] == 7)
        #expect(Set(values.dropFirst()) == [2])  // image 1, not image 3 (the other 7)
    }

    @Test func theDefaultNameSaysWhatTheFileHolds() throws {
        let data = Self.labelled([3, 7, 1, 9, 3])
        let here = Fixture.folder()
        let byIndex = try Binary.run(["export", "--data", data, "--index", "3"], in: here)
        #expect(byIndex.status == 0, "\(byIndex.stderr)")
        #expect(byIndex.stderr == "wrote test image 3 (a 9) to test-digit9-index3.csv\n")
        let byDigit = try Binary.run(["export", "--data", data, "--digit", "3", "--format", "png", "--set", "train"], in: here)
        #expect(byDigit.status == 0, "\(byDigit.stderr)")
        let written = try FileManager.default.contentsOfDirectory(atPath: here).sorted()
        #expect(written == ["test-digit9-index3.csv", "train-digit3-index0.png"])
    }

    @Test(arguments: [
        ([], "give --index N (an image's position) or --digit D"),
        (["--index", "1", "--digit", "2"], "--index and --digit each choose the image: give only one"),
        (["--digit", "10"], "--digit must be 0…9, got 10"),
        (["--digit=-1"], "--digit must be 0…9, got -1"),
        (["--index=-1"], "--index must be 0 or more, got -1"),
    ])
    func exactlyOneOfIndexAndDigit(arguments: [String], message: String) throws {
        let result = try Binary.run(["export", "--data", Self.labelled([1])] + arguments)
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("Error: \(message)"), "\(result.stderr)")
    }

    @Test func aDigitTheSetLacksIsOneLine() throws {
        let result = try Binary.run(["export", "--data", Self.labelled([1, 1, 1]), "--digit", "2", "--output", Fixture.folder() + "/x.csv"])
        #expect(result.status == 1)
        #expect(result.stderr == "Error: the test set has no image of the digit 2\n")
    }

    /// The README's example: `--digit 7` writes a 7 (test image 0), where `--index 7` is a 9.
    @Test(.enabled(if: DataCommandTests.mnist != nil, "MNIST_DIR does not point at the MNIST files; set it to run this test"))
    func theReadmeExampleWritesASeven() throws {
        let here = Fixture.folder()
        let export = try Binary.run(["export", "--data", DataCommandTests.mnist!, "--digit", "7", "--format", "png", "--output", "seven.png"], in: here)
        #expect(export.stderr == "wrote test image 0 (a 7) to seven.png\n")
        let nine = try Binary.run(["export", "--data", DataCommandTests.mnist!, "--index", "7", "--format", "png"], in: here)
        #expect(nine.stderr == "wrote test image 7 (a 9) to test-digit9-index7.png\n")
        let query = try Binary.run(["query", "--json", "seven.png"], in: here)
        let object = try JSONSerialization.jsonObject(with: Data(query.stdout.utf8)) as? [String: Any]
        #expect(object?["prediction"] as? Int == 7, "\(query.stdout) \(query.stderr)")
    }
}
