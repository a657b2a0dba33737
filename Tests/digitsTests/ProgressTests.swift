import DigitsKit
import Foundation
import Testing
@testable import digits

@Suite("digits train: progress and counts")
struct ProgressTests {
    @Test func theBarNeverFillsTheLastColumn() {
        for columns in 0...200 {
            for done in [0, 1, 2_047, 30_000, 60_000] {
                let line = Console.progressLine("training", done: done, total: 60_000, columns: columns)
                #expect(line.count <= max(0, columns - 1), "\(columns) columns: \(line)")
                #expect(line.unicodeScalars.allSatisfy { $0.isASCII })
            }
        }
    }

    @Test func theBarShowsHowFarTheEpochIs() {
        let half = Console.progressLine("training", done: 30_000, total: 60_000, columns: 80)
        #expect(half.hasPrefix("training [") && half.hasSuffix("] 30000/60000"))
        let bar = half.drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }
        #expect(bar.count == 50 && bar.filter { $0 == "#" }.count == 25)
        #expect(Console.progressLine("training", done: 5, total: 0, columns: 80).contains("[...."))
        #expect(Console.progressLine("training", done: 5, total: 9, columns: 20) == "training 5/9")
    }

    @Test func countsOfOneAreSingular() {
        #expect(counted(1, "epoch") == "1 epoch")
        #expect(counted(0, "epoch") == "0 epochs")
        #expect(counted(30, "training image") == "30 training images")
        #expect(counted(2, "mouse", plural: "mice") == "2 mice")
    }

    @Test func oneEpochIsSaidSo() throws {
        let result = try Binary.run(["train", "--data", Fixture.mnist(), "--output", Fixture.folder() + "/m",
                                     "--hidden", "12", "--epochs", "1", "--validation", "1", "--warmup", "0"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("  1 epoch, lr "), "\(result.stdout)")
        #expect(result.stdout.contains("validation: the last 1 training image, held out"))
        #expect(!result.stdout.contains("1 epochs") && !result.stdout.contains("1 training images"))
    }

    @Test func noBarWhenStandardErrorIsNotATerminal() throws {
        let result = try Terminal.run(["train", "--data", Fixture.mnist(), "--output", Fixture.folder() + "/m"] + TrainCommandTests.quick,
                                      columns: nil, environment: ["COLUMNS": "40"])
        #expect(result.status == 0)
        #expect(!result.stderr.contains("\r") && !result.stderr.contains("#") && !result.stderr.contains("\u{1B}"))
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    /// The bar on a real (pseudo-)terminal: as wide as the window allows and never wider, the
    /// window's width winning over a `COLUMNS` that says otherwise.
    @Test func theBarFitsTheTerminal() throws {
        let data = Fixture.mnist()
        var widest: [UInt16: Int] = [:]
        for columns: UInt16 in [40, 120] {
            let result = try Terminal.run(["train", "--data", data, "--output", Fixture.folder() + "/m"] + TrainCommandTests.quick,
                                          columns: columns, environment: ["COLUMNS": "200"])
            #expect(result.status == 0, "\(result.stderr)")
            let redraws = Terminal.redraws(result.stderr)
            #expect(redraws.contains { $0.hasPrefix("training [#") }, "\(redraws)")
            #expect(redraws.allSatisfy { $0.count < Int(columns) }, "\(columns) columns: \(redraws)")
            widest[columns] = redraws.map(\.count).max() ?? 0
        }
        #expect(widest[40]! <= 39 && widest[120]! > 40)
    }
}
