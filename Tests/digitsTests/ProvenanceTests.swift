import DigitsKit
import Foundation
import Testing

/// A model says how it was made: the command in its metadata makes the same file again.
@Suite("digits train: provenance")
struct ProvenanceTests {
    @Test func theRecordedCommandMakesTheSameModel() throws {
        let data = Fixture.mnist(train: 200, test: 50)
        let folder = Fixture.folder()
        let first = try Binary.run(["train", "--data", data, "--output", folder + "/a.safetensors", "--epochs", "2", "--hidden", "12",
                                    "--loss", "cross-entropy", "--lr", "0.05", "--validation", "50", "--deskew", "--seed", "9",
                                    "--note", "made by a test", "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        let model = try Safetensors.load(folder + "/a.safetensors")
        let command = try #require(model.metadata["command"])
        #expect(command.hasPrefix("digits train --hidden 12 ") && command.contains("--deskew") && command.contains("--seed 9"))
        #expect(model.metadata["note"] == "made by a test")
        #expect(model.metadata["data"]?.contains("the last 50 held out for validation") == true)
        let again = command.split(separator: " ").dropFirst(2).map(String.init)
        let second = try Binary.run(["train"] + again + ["--data", data, "--output", folder + "/b.safetensors",
                                                         "--note", "made by a test", "--quiet"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(FileManager.default.contents(atPath: folder + "/a.safetensors") == FileManager.default.contents(atPath: folder + "/b.safetensors"))
    }
}
