import DigitsKit
import Foundation
import Testing

/// Nothing lost: killed, interrupted or out of space, `digits train` leaves either the previous
/// model or the complete new one.
@Suite("Interrupted and failed writes", .serialized)
struct InterruptionTests {
    /// A started `digits` process with its output going to files.
    final class Running {
        let process = Process()
        let stderrPath: String

        init(_ arguments: [String], in directory: String) throws {
            stderrPath = directory + "/.stderr"
            FileManager.default.createFile(atPath: stderrPath, contents: nil)
            process.executableURL = Binary.url
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            process.standardError = FileHandle(forWritingAtPath: stderrPath)
            try process.run()
        }

        func finish() -> (status: Int32, stderr: String) {
            process.waitUntilExit()
            let text = String(decoding: FileManager.default.contents(atPath: stderrPath) ?? Data(), as: UTF8.self)
            return (process.terminationStatus, text)
        }
    }

    static func train(_ data: String, output: String, epochs: Int, extra: [String] = []) -> [String] {
        ["train", "--data", data, "--output", output, "--epochs", "\(epochs)", "--hidden", "16", "--validation", "0", "--quiet"] + extra
    }

    @Test func sigkillAtRandomMomentsNeverLeavesAPartialModel() throws {
        let data = Fixture.mnist(train: 2000, test: 50)
        let work = Fixture.folder()
        let output = work + "/models/m.safetensors"
        // The previous model, and how long a whole run takes.
        let started = Date()
        let first = try Binary.run(Self.train(data, output: output, epochs: 6))
        #expect(first.status == 0, "\(first.stderr)")
        let duration = Date().timeIntervalSince(started)
        let previous = try Safetensors.load(output).network
        var generator = SystemRandomNumberGenerator()
        var sawNew = false, sawOld = false
        for attempt in 0..<20 {
            let running = try Running(Self.train(data, output: output, epochs: 6, extra: ["--seed", "\(attempt + 2)"]), in: work)
            usleep(UInt32(Double.random(in: 0...(duration * 1.1), using: &generator) * 1_000_000))
            kill(running.process.processIdentifier, SIGKILL)
            _ = running.finish()
            // Whatever moment the kill came at, the file is a whole model: the old one or a new one.
            let model = try Safetensors.load(output)
            if model.network == previous { sawOld = true } else { sawNew = true }
        }
        #expect(sawOld || sawNew)
        // The next complete write clears the temporaries the killed runs left.
        #expect(try Binary.run(Self.train(data, output: output, epochs: 1)).status == 0)
        let left = try FileManager.default.contentsOfDirectory(atPath: work + "/models")
        #expect(left == ["m.safetensors"], "left behind: \(left)")
    }

    @Test func ctrlCStopsSavesNothingAndSaysSo() throws {
        let data = Fixture.mnist(train: 2000, test: 50)
        let work = Fixture.folder()
        let output = work + "/m.safetensors"
        let running = try Running(Self.train(data, output: output, epochs: 10_000, extra: ["--checkpoint-every", "1"]), in: work)
        usleep(1_500_000)
        running.process.interrupt()
        let (status, stderr) = running.finish()
        #expect(status == 130)
        #expect(stderr.contains("interrupted in epoch") && stderr.contains("no model saved"), "\(stderr)")
        #expect(stderr.contains("--resume \(work)/m.checkpoint.safetensors"), "\(stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
        let left = try FileManager.default.contentsOfDirectory(atPath: work).filter { $0 != ".stderr" }
        #expect(left == ["m.checkpoint.safetensors"], "\(left)")
        #expect(try CheckpointFile.load(work + "/m.checkpoint.safetensors", options: {
            var o = TrainingOptions()
            o.hidden = 16
            o.epochs = 10_000
            o.validation = 0
            return o
        }()).history.count >= 1)
    }

    @Test func resumingFromACheckpointGivesTheSameModelFile() throws {
        let data = Fixture.mnist(train: 500, test: 50)
        let work = Fixture.folder()
        let whole = try Binary.run(Self.train(data, output: work + "/a.safetensors", epochs: 4, extra: ["--checkpoint-every", "3"]))
        #expect(whole.status == 0, "\(whole.stderr)")
        let checkpoint = work + "/a.checkpoint.safetensors"
        #expect(FileManager.default.fileExists(atPath: checkpoint))
        let resumed = try Binary.run(Self.train(data, output: work + "/b.safetensors", epochs: 4, extra: ["--resume", checkpoint]))
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let a = FileManager.default.contents(atPath: work + "/a.safetensors"), b = FileManager.default.contents(atPath: work + "/b.safetensors")
        #expect(a != nil && a == b)
        // Other options than the checkpoint's are refused, naming the difference.
        let other = try Binary.run(Self.train(data, output: work + "/c.safetensors", epochs: 4, extra: ["--resume", checkpoint, "--lr", "0.2"]))
        #expect(other.status == 1)
        #expect(other.stderr.contains("learning_rate 0.4, this run has 0.2"))
    }

    /// A small tmpfs mounted for the test, when this machine allows mounting (root, in CI).
    static func mountTiny(_ options: String) -> String? {
        let dir = Fixture.folder()
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", options, "tmpfs", dir]
        mount.standardError = FileHandle(forWritingAtPath: "/dev/null")
        guard (try? mount.run()) != nil else { return nil }
        mount.waitUntilExit()
        return mount.terminationStatus == 0 ? dir : nil
    }

    static func unmount(_ dir: String) {
        let umount = Process()
        umount.executableURL = URL(fileURLWithPath: "/bin/umount")
        umount.arguments = [dir]
        try? umount.run()
        umount.waitUntilExit()
    }

    static let canMount: Bool = {
        guard let probe = mountTiny("size=16k") else { return false }
        unmount(probe)
        return true
    }()

    @Test(.enabled(if: canMount, "mounting a tmpfs is not allowed here (needs root)"))
    func diskFullKeepsThePreviousModel() throws {
        let data = Fixture.mnist(train: 100, test: 20)
        let disk = try #require(Self.mountTiny("size=64k"))
        defer { Self.unmount(disk) }
        let output = disk + "/m.safetensors"
        let small = try Binary.run(["train", "--data", data, "--output", output, "--epochs", "1", "--hidden", "2", "--validation", "0", "--quiet"])
        #expect(small.status == 0, "\(small.stderr)")
        let before = FileManager.default.contents(atPath: output)
        let big = try Binary.run(["train", "--data", data, "--output", output, "--epochs", "1", "--hidden", "30", "--validation", "0", "--quiet"])
        #expect(big.status == 1)
        #expect(big.stderr.hasPrefix("Error: \(output): cannot write: "), "\(big.stderr)")
        #expect(big.stderr.split(separator: "\n").count == 1)
        #expect(FileManager.default.contents(atPath: output) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk) == ["m.safetensors"])
    }

    @Test(.enabled(if: canMount, "mounting a tmpfs is not allowed here (needs root)"))
    func aReadOnlyFolderFailsBeforeTraining() throws {
        let disk = try #require(Self.mountTiny("size=16k,ro"))
        defer { Self.unmount(disk) }
        let result = try Binary.run(["train", "--data", Fixture.mnist(train: 50, test: 10), "--output", disk + "/m.safetensors", "--validation", "0"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)  // nothing trained
        #expect(result.stderr.contains(disk + "/m.safetensors") && result.stderr.contains("not writable"), "\(result.stderr)")
    }
}
