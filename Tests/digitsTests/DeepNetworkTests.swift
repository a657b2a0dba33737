import DigitsKit
import Foundation
import Testing

/// Networks of any depth through the real binary: train, checkpoint and resume, evaluate, query
/// and report, and the options refused.
@Suite("digits at any depth")
struct DeepNetworkTests {
    static func train(_ data: String, output: String, _ extra: [String]) -> [String] {
        ["train", "--data", data, "--output", output, "--epochs", "4", "--validation", "0", "--quiet", "--lr", "0.2",
         "--batch-size", "8", "--momentum", "0.5", "--loss", "cross-entropy"] + extra
    }

    /// A 784-24-12-10 tanh network with dropout and momentum: a run resumed from its checkpoint
    /// gives the same file, and every command reads the model.
    @Test func aDeepTanhNetworkTrainsResumesAndIsReadByEveryCommand() throws {
        let data = Fixture.mnist(train: 400, test: 60)
        let work = Fixture.folder()
        let deep = ["--hidden", "24,12", "--activation", "tanh", "--dropout", "0.1"]
        let whole = try Binary.run(Self.train(data, output: work + "/a.safetensors", deep + ["--checkpoint-every", "3"]))
        #expect(whole.status == 0, "\(whole.stderr)")
        let resumed = try Binary.run(Self.train(data, output: work + "/b.safetensors", deep + ["--resume", work + "/a.checkpoint.safetensors"]))
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let a = FileManager.default.contents(atPath: work + "/a.safetensors")
        #expect(a != nil && a == FileManager.default.contents(atPath: work + "/b.safetensors"))
        let model = try Safetensors.load(work + "/a.safetensors")
        #expect(model.network.sizes == [784, 24, 12, 10] && model.network.hiddenActivation == .tanh)
        #expect(model.metadata["dropout"] == "0.1" && model.metadata["command"]?.contains("--hidden 24,12 --activation tanh --dropout 0.1") == true)

        let evaluate = try Binary.run(["evaluate", "--data", data, "--model", work + "/a.safetensors"])
        #expect(evaluate.status == 0, "\(evaluate.stderr)")
        #expect(evaluate.stdout.contains("784-24-12-10, tanh, softmax"), "\(evaluate.stdout)")
        let csv = work + "/x.csv"
        try ((0..<784).map { $0 / 28 == 12 ? "200" : "0" }.joined(separator: ",")).write(toFile: csv, atomically: true, encoding: .utf8)
        let query = try Binary.run(["query", "--model", work + "/a.safetensors", "--json", csv])
        #expect(query.status == 0, "\(query.stderr)")
        #expect(query.stdout.contains("\"prediction\""))
        let report = try Binary.run(["report", "--data", data, "--model", work + "/a.safetensors", "--output", work + "/r.html"])
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOfFile: work + "/r.html", encoding: .utf8)
        #expect(html.contains("784-24-12-10"))
        #expect(html.components(separatedBy: "alt=\"back-query of digit ").count - 1 == 10)
    }

    /// relu cannot be run backwards: the report says so instead of drawing the back-query.
    @Test func aReluReportSaysTheBackQueryCannotBeDrawn() throws {
        let data = Fixture.mnist(train: 200, test: 40)
        let work = Fixture.folder()
        let run = try Binary.run(Self.train(data, output: work + "/m.safetensors", ["--hidden", "16,8", "--activation", "relu"]))
        #expect(run.status == 0, "\(run.stderr)")
        let report = try Binary.run(["report", "--data", data, "--model", work + "/m.safetensors", "--output", work + "/r.html"])
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOfFile: work + "/r.html", encoding: .utf8)
        #expect(html.contains("relu has none"))
        #expect(!html.contains("alt=\"back-query of digit "))
    }

    /// `--threads` shares each product among threads by output ranges: the same file bit for bit.
    @Test func threadsGiveTheSameModelBitForBit() throws {
        let data = Fixture.mnist(train: 200, test: 30)
        let work = Fixture.folder()
        let wide = ["--hidden", "136,52", "--activation", "relu", "--dropout", "0.2", "--epochs", "2"]
        for threads in ["1", "2", "3"] {
            let run = try Binary.run(Self.train(data, output: work + "/t\(threads).safetensors", wide + ["--threads", threads]))
            #expect(run.status == 0, "\(run.stderr)")
        }
        let one = FileManager.default.contents(atPath: work + "/t1.safetensors")
        #expect(one != nil)
        #expect(one == FileManager.default.contents(atPath: work + "/t2.safetensors"))
        #expect(one == FileManager.default.contents(atPath: work + "/t3.safetensors"))
    }

    @Test(arguments: [
        (["--hidden", "0,5"], "--hidden sizes must be 1…10000 each, got 0"),
        (["--hidden", "10,,5"], "--hidden"),
        (["--hidden", "300,x"], "--hidden"),
        (["--hidden", Array(repeating: "4", count: 16).joined(separator: ",")], "--hidden takes 1…15 layer sizes, got 16"),
        (["--dropout", "0.95"], "--dropout must be 0 ≤ p ≤ 0.9, got 0.95"),
        (["--activation", "softplus"], "--activation"),
        (["--threads", "0"], "--threads must be 1…64, got 0"),
        (["--threads", "x"], "--threads"),
    ])
    func badDepthOptionsAreRefusedInOneLine(arguments: [String], message: String) throws {
        let output = Fixture.folder() + "/m"
        let result = try Binary.run(["train", "--data", Fixture.mnist(train: 20, test: 10), "--output", output] + arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
