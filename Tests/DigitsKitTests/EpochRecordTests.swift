import Foundation
import Testing
@testable import DigitsKit

@Suite("EpochRecord")
struct EpochRecordTests {
    static let report = EpochReport(epoch: 3, loss: 0.059_123_46, accuracy: 0.958_96, validationAccuracy: 0.95,
                                    trainingAccuracy: 0.941_249, seconds: 1.234_56, examples: 10)

    /// The model's history: loss to 6 decimals, accuracies to 4, no time, keys sorted.
    @Test func aModelsHistoryIsRoundedAndLeavesTheTimeOut() {
        #expect(Model.historyJSON([Self.report])
            == #"[{"accuracy":0.959,"epoch":3,"loss":0.059123,"training_accuracy":0.9412,"validation_accuracy":0.95}]"#)
    }

    @Test func anAbsentAccuracyIsLeftOut() {
        let r = EpochReport(epoch: 1, loss: 0.5, accuracy: nil, seconds: 2, examples: 1)
        #expect(Model.historyJSON([r]) == #"[{"epoch":1,"loss":0.5}]"#)
        #expect(encodedLine(EpochRecord(r, withSeconds: true)) == #"{"epoch":1,"loss":0.5,"seconds":2}"#)
    }

    /// What a model stores is what it reads back (to the stored precision).
    @Test func theHistoryReadsBackFromTheMetadata() {
        let model = Model(network: Network(hiddenCount: 2, seed: 1), inputs: .unit,
                          metadata: ["history": Model.historyJSON([Self.report])])
        let back = model.history
        #expect(back.count == 1 && back[0].epoch == 3 && back[0].loss == 0.059123)
        #expect(back[0].accuracy == 0.959 && back[0].trainingAccuracy == 0.9412 && back[0].validationAccuracy == 0.95)
    }
}
