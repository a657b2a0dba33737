import DigitsKit
import Foundation
import Testing

@Suite("digits train")
struct TrainCommandTests {
    static let quick = ["--hidden", "12", "--epochs", "3", "--lr", "0.5", "--validation", "0"]

    @Test func trainsReportsAndSavesTheModel() throws {
        let data = Fixture.mnist()
        let model = Fixture.folder() + "/out/m.safetensors"
        let result = try Binary.run(["train", "--data", data, "--output", model] + Self.quick)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("epoch ") }.count == 3)
        #expect(lines.contains { $0.hasPrefix("true\\pred") })
        #expect(lines.last?.hasPrefix("accuracy: ") == true)
        #expect(result.stderr.isEmpty)  // no progress bar outside a terminal
        let loaded = try Safetensors.load(model)
        #expect(loaded.network.hiddenSizes == [12])
        #expect(loaded.metadata["epochs"] == "3" && loaded.metadata["rule"] == "exact" && loaded.metadata["seed"] == "1")
        #expect(loaded.metadata["test_accuracy"] != nil)
    }

    @Test func sameSeedGivesTheSameFileBitForBit() throws {
        let data = Fixture.mnist()
        let dir = Fixture.folder()
        for name in ["a", "b"] {
            #expect(try Binary.run(["train", "--data", data, "--output", "\(dir)/\(name)", "--quiet"] + Self.quick).status == 0)
        }
        #expect(try Binary.run(["train", "--data", data, "--output", "\(dir)/c", "--quiet", "--seed", "2"] + Self.quick).status == 0)
        let a = FileManager.default.contents(atPath: dir + "/a"), b = FileManager.default.contents(atPath: dir + "/b")
        #expect(a != nil && a == b)
        #expect(FileManager.default.contents(atPath: dir + "/c") != a)
    }

    @Test func jsonIsOneObject() throws {
        let data = Fixture.mnist()
        let result = try Binary.run(["train", "--data", data, "--output", Fixture.folder() + "/m", "--json", "--batch-size", "4", "--rule", "classic"] + Self.quick)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect((object["epochs"] as! [Any]).count == 3)
        let evaluation = object["evaluation"] as! [String: Any]
        #expect(evaluation["total"] as? Int == 100)
        #expect((evaluation["confusion"] as! [[Int]]).count == 10)
    }

    @Test func aValidationSplitIsHeldOutAndReported() throws {
        let result = try Binary.run(["train", "--data", Fixture.mnist(), "--output", Fixture.folder() + "/m", "--hidden", "12",
                                     "--epochs", "2", "--validation", "100"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("on 200 images"))
        #expect(result.stdout.contains("validation: the last 100 training images"))
        #expect(result.stdout.split(separator: "\n").filter { $0.hasPrefix("epoch") && $0.contains(" val ") && $0.contains(" test ") }.count == 2)
        let tooMany = try Binary.run(["train", "--data", Fixture.mnist(), "--output", Fixture.folder() + "/m", "--validation", "300"])
        #expect(tooMany.status == 64)
        #expect(tooMany.stderr.contains("leaves no training images"))
    }

    @Test func quietPrintsOnlyTheAccuracyLine() throws {
        let result = try Binary.run(["train", "--data", Fixture.mnist(), "--output", Fixture.folder() + "/m", "--quiet"] + Self.quick)
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: "\n").count == 1)
        #expect(result.stdout.hasPrefix("accuracy: "))
    }

    @Test(arguments: [
        (["--lr", "-1"], "--lr"), (["--epochs", "0"], "--epochs"), (["--batch-size", "0"], "--batch-size"),
        (["--rule", "classic", "--loss", "cross-entropy"], "classic"), (["--rule", "newton"], "newton"),
        (["--l2", "nan"], "--l2"), (["--hidden", "0"], "--hidden"),
        (["--loss", "cross-entropy", "--targets", "book"], "sum to 1"), (["--non-digits", "-1"], "--non-digits must be"),
        (["--drawn-digits", "100001"], "--drawn-digits must be 0…100000, got 100001"),
        (["--seed", "-1"], "'-1' is invalid for '--seed"), (["--lr", "-0.5"], "--lr must be a positive number, got -0.5"),
    ])
    func refusesBadOptions(arguments: [String], mentioned: String) throws {
        let result = try Binary.run(["train", "--data", Fixture.folder()] + arguments)
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("Error: ") && result.stderr.contains(mentioned))
    }

    @Test func missingDataNamesTheFile() throws {
        let empty = Fixture.folder()
        let result = try Binary.run(["train", "--data", empty, "--output", Fixture.folder() + "/m"])
        #expect(result.status == 1)
        #expect(result.stderr == "Error: \(empty)/train-images-idx3-ubyte.gz: no such file (run `digits data fetch`, or set --data / MNIST_DIR)\n")
    }

    @Test func anUnwritableOutputFailsBeforeTraining() throws {
        let file = Fixture.folder() + "/plain-file"
        Fixture.write([1], to: file)
        let result = try Binary.run(["train", "--data", Fixture.mnist(), "--output", file + "/m.safetensors"] + Self.quick)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(file + "/m.safetensors"))
    }
}

/// Training that leaves the finite numbers stops there and saves nothing.
@Suite("digits train: divergence")
struct DivergenceTests {
    @Test func anOverflowingLearningRateStopsWithTheEpochAndLeavesThePreviousModel() throws {
        let folder = Fixture.folder()
        let output = folder + "/m.safetensors"
        let previous = Array("a model the user keeps".utf8)
        Fixture.write(previous, to: output)
        let r = try Binary.run(["train", "--data", Fixture.mnist(), "--output", output, "--lr", "3e38", "--loss", "cross-entropy",
                                "--momentum", "0.99", "--epochs", "3", "--validation", "0", "--hidden", "8"], in: folder)
        #expect(r.status == 1, "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.hasPrefix("Error: training diverged in epoch 1:") && r.stderr.contains("smaller --lr"), "\(r.stderr)")
        #expect(!r.stdout.contains("model saved"), "\(r.stdout)")
        #expect(FileManager.default.contents(atPath: output).map(Array.init) == previous)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["m.safetensors"])
    }
}

/// Where a model may not go: checked before training, and nothing there replaced.
@Suite("digits train: --output")
struct OutputDestinationTests {
    @Test func aSymlinkAFIFOAProcFileAndAnOverlongNameAreRefusedBeforeTraining() throws {
        let folder = Fixture.folder()
        let kept = folder + "/kept.safetensors"
        Fixture.write(Array("the user's file".utf8), to: kept)
        #expect(symlink(kept, folder + "/link.safetensors") == 0)
        #expect(mkfifo(folder + "/pipe", 0o600) == 0)
        let cases: [(String, String)] = [
            (folder + "/link.safetensors", "is a symbolic link"),
            (folder + "/pipe", "is not a regular file"),
            ("/proc/self/m.safetensors", "folder /proc/self is not writable"),
            (folder + "/" + String(repeating: "n", count: 250) + ".safetensors", "File name too long"),
        ]
        for (output, reason) in cases {
            let r = try Binary.run(["train", "--data", Fixture.mnist(), "--output", output] + TrainCommandTests.quick, in: folder, timeout: 120)
            #expect(r.status == 1, "\(output): \(r.status) \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(output): trained before refusing: \(r.stdout)")
            #expect(r.stderr.hasPrefix("Error: \(output): cannot write: ") && r.stderr.contains(reason), "\(output): \(r.stderr)")
        }
        var info = stat()
        #expect(lstat(folder + "/link.safetensors", &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK)
        #expect(lstat(folder + "/pipe", &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO)
        #expect(FileManager.default.contents(atPath: kept).map(Array.init) == Array("the user's file".utf8))
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder)) == ["kept.safetensors", "link.safetensors", "pipe"])
    }
}
