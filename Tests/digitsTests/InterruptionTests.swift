import DigitsKit
import Foundation
import Testing

/// Nothing lost: killed, interrupted or out of space, `digits train` leaves either the previous
/// model or the complete new one.
@Suite("Interrupted and failed writes", .serialized)
struct InterruptionTests {
    /// A started `digits` process with its errors going to a file, and its standard output to
    /// `output` when given (else discarded).
    final class Running {
        let process = Process()
        let stderrPath: String

        init(_ arguments: [String], in directory: String, output: Pipe? = nil) throws {
            stderrPath = directory + "/.stderr"
            FileManager.default.createFile(atPath: stderrPath, contents: nil)
            process.executableURL = Binary.url
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            process.standardOutput = output ?? FileHandle(forWritingAtPath: "/dev/null")
            process.standardError = FileHandle(forWritingAtPath: stderrPath)
            try process.run()
        }

        func finish() -> (status: Int32, stderr: String) {
            process.waitUntilExit()
            let text = String(decoding: FileManager.default.contents(atPath: stderrPath) ?? Data(), as: UTF8.self)
            return (process.terminationStatus, text)
        }
    }

    /// Reads a process's standard output as it comes, so that a test waits for the line that
    /// marks an event instead of sleeping and hoping the process has got there. The pipe is
    /// read to its end, so the process never blocks on a full pipe.
    final class OutputWatch: @unchecked Sendable {
        private let lock = NSLock()
        private var bytes = Data()
        private var ended = false
        private let changed = DispatchSemaphore(value: 0)

        init(_ pipe: Pipe) {
            let handle = pipe.fileHandleForReading
            Thread.detachNewThread { [self] in
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    record(chunk)
                }
                record(nil)
            }
        }

        private func record(_ chunk: Data?) {
            lock.lock()
            if let chunk { bytes += chunk } else { ended = true }
            lock.unlock()
            changed.signal()
        }

        var text: String {
            lock.lock()
            defer { lock.unlock() }
            return String(decoding: bytes, as: UTF8.self)
        }

        /// Waits until the output holds a line containing `needle`; false when the output ends
        /// without one or `timeout` seconds pass first (a failure to report, not a hang).
        func waitForLine(containing needle: String, timeout: Double) -> Bool {
            let deadline = DispatchTime.now() + timeout
            while true {
                lock.lock()
                let found = String(decoding: bytes, as: UTF8.self).split(separator: "\n").contains { $0.contains(needle) }
                let over = ended
                lock.unlock()
                if found { return true }
                if over || changed.wait(timeout: deadline) == .timedOut { return false }
            }
        }
    }

    static func train(_ data: String, output: String, epochs: Int, quiet: Bool = true, extra: [String] = []) -> [String] {
        ["train", "--data", data, "--output", output, "--epochs", "\(epochs)", "--hidden", "16", "--validation", "0"]
            + (quiet ? ["--quiet"] : []) + extra
    }

    /// The moments of the kills, as fractions of a whole run's time: drawn from a fixed seed, so
    /// that a failing moment comes again (the run's own speed still varies a little).
    static let killSeed: UInt64 = 15

    /// Trains to completion and returns the model file's bytes.
    static func trainWhole(_ data: String, output: String, seed: Int) throws -> Data {
        let run = try Binary.run(train(data, output: output, epochs: 6, extra: ["--seed", "\(seed)"]))
        #expect(run.status == 0, "\(run.stderr)")
        return try #require(FileManager.default.contents(atPath: output))
    }

    /// The files in `folder` other than `name`, with the PID of the writer of each that is a
    /// temporary of a write to `name` (AtomicFile names them `.NAME.tmp-PID-RANDOM`), nil for
    /// any other file.
    static func strays(in folder: String, beside name: String) throws -> [(file: String, pid: Int32?)] {
        let prefix = "." + name + ".tmp-"
        return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0 != name }.map { file in
            guard file.hasPrefix(prefix) else { return (file, nil) }
            return (file, file.dropFirst(prefix.count).split(separator: "-").first.flatMap { Int32($0) })
        }
    }

    @Test func sigkillAtSeededMomentsLeavesTheOldOrTheNewModelWhole() throws {
        let data = Fixture.mnist(train: 2000, test: 50)
        let work = Fixture.folder()
        let output = work + "/models/m.safetensors"
        // The old model (seed 1), and the one every killed run would write (seed 2): training
        // is deterministic, so these are the only two files a kill may leave. The second run
        // also times a whole run.
        let old = try Self.trainWhole(data, output: output, seed: 1)
        let started = Date()
        let new = try Self.trainWhole(data, output: work + "/reference/m.safetensors", seed: 2)
        let duration = Date().timeIntervalSince(started)
        try #require(old != new)
        var moments = Random(seed: Self.killSeed)
        var killed: Set<Int32> = []
        for attempt in 0..<20 {
            try old.write(to: URL(fileURLWithPath: output))  // each run replaces the old model
            let fraction = moments.uniform() * 1.1
            let running = try Running(Self.train(data, output: output, epochs: 6, extra: ["--seed", "2"]), in: work)
            usleep(UInt32(fraction * duration * 1_000_000))
            kill(running.process.processIdentifier, SIGKILL)
            _ = running.finish()
            killed.insert(running.process.processIdentifier)
            let moment = "attempt \(attempt) (seed \(Self.killSeed)): SIGKILL at \(fixed(fraction * 100, 1))% of a \(fixed(duration, 2)) s run"
            let bytes = FileManager.default.contents(atPath: output)
            #expect(bytes == old || bytes == new, "\(moment): the model file is neither the old one nor the new one, byte for byte")
            // A kill between a temporary's creation and its rename leaves it (nothing removes a
            // file for a SIGKILLed process): any left must be a killed run's; no other file.
            let strays = try Self.strays(in: work + "/models", beside: "m.safetensors")
            #expect(strays.allSatisfy { $0.pid.map(killed.contains) ?? false }, "\(moment): left beside the model: \(strays.map(\.file))")
        }
        // The next complete write clears the temporaries the killed runs left.
        #expect(try Binary.run(Self.train(data, output: output, epochs: 1)).status == 0)
        let left = try FileManager.default.contentsOfDirectory(atPath: work + "/models")
        #expect(left == ["m.safetensors"], "left behind: \(left)")
    }

    @Test func ctrlCStopsSavesNothingAndSaysSo() throws {
        let data = Fixture.mnist(train: 2000, test: 50)
        let work = Fixture.folder()
        let output = work + "/m.safetensors"
        let pipe = Pipe()
        let running = try Running(Self.train(data, output: output, epochs: 10_000, quiet: false, extra: ["--checkpoint-every", "1"]),
                                  in: work, output: pipe)
        let watch = OutputWatch(pipe)
        // The event: the first epoch is done and its checkpoint written (the line after
        // "epoch 1/10000"). Minutes of slack for a loaded machine; past them, fail, not hang.
        guard watch.waitForLine(containing: "checkpoint saved to", timeout: 300) else {
            kill(running.process.processIdentifier, SIGKILL)
            _ = running.finish()
            Issue.record("no checkpoint within 300 s; output: \(watch.text)")
            return
        }
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
            o.hidden = [16]
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

    /// --deskew, --non-digits and --drawn-digits are written to the metadata only when on: a
    /// checkpoint made with them must not be resumed by a run without them (nor the other way
    /// round: a run with --drawn-digits does not resume a checkpoint made without).
    @Test func resumingWithAnotherDeskewNonDigitsOrDrawnDigitsIsRefused() throws {
        let data = Fixture.mnist(train: 200, test: 20)
        let work = Fixture.folder()
        let made = try Binary.run(Self.train(data, output: work + "/a.safetensors", epochs: 3,
                                             extra: ["--checkpoint-every", "1", "--deskew", "--non-digits", "20"]))
        #expect(made.status == 0, "\(made.stderr)")
        let checkpoint = work + "/a.checkpoint.safetensors"
        let cases: [([String], String)] = [
            (["--non-digits", "20"], "deskew true, this run has (none)"),
            (["--deskew"], "non_digits 20, this run has (none)"),
            (["--deskew", "--non-digits", "30"], "non_digits 20, this run has 30"),
            (["--deskew", "--non-digits", "20", "--drawn-digits", "10"], "drawn_digits (none), this run has 10"),
        ]
        for (options, message) in cases {
            let r = try Binary.run(Self.train(data, output: work + "/b.safetensors", epochs: 3, extra: ["--resume", checkpoint] + options))
            #expect(r.status == 1 && r.stderr.contains(message), "\(options): \(r.stderr)")
        }
        let same = try Binary.run(Self.train(data, output: work + "/b.safetensors", epochs: 3,
                                             extra: ["--resume", checkpoint, "--deskew", "--non-digits", "20"]))
        #expect(same.status == 0, "\(same.stderr)")
        #expect(FileManager.default.contents(atPath: work + "/a.safetensors") == FileManager.default.contents(atPath: work + "/b.safetensors"))
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
