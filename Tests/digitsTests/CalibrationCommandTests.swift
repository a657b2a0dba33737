import DigitsKit
import Foundation
import Testing

/// The calibration `digits train` stores comes from the validation split, and from nowhere else.
@Suite("digits train: calibration on the validation split")
struct CalibrationCommandTests {
    @Test func temperatureAndThresholdsAreFittedOnTheHeldOutImages() throws {
        let data = Fixture.mnist(train: 300, test: 100)
        let output = Fixture.folder() + "/m.safetensors"
        let result = try Binary.run(["train", "--data", data, "--output", output, "--epochs", "3", "--hidden", "16",
                                     "--validation", "100", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let model = try Safetensors.load(output)
        let train = try MNISTDirectory(path: data).load(.train)
        // The same fit, done here on the last 100 training images, gives the stored numbers...
        let expected = Calibration.fit(model: model, on: train.subset(200..<300))
        #expect(model.calibration == expected)
        #expect(model.metadata["temperature"] == String(expected.temperature))
        // ...and a fit on other images (the first 100, which it trained on) does not.
        #expect(Calibration.fit(model: model, on: train.subset(0..<100)) != expected)
        #expect(model.metadata["validation_ece"] != nil)
    }

    @Test func aModelWithoutAValidationSplitIsNotCalibrated() throws {
        let data = Fixture.mnist(train: 100, test: 50)
        let output = Fixture.folder() + "/m.safetensors"
        let result = try Binary.run(["train", "--data", data, "--output", output, "--epochs", "1", "--hidden", "8",
                                     "--validation", "0", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let model = try Safetensors.load(output)
        #expect(model.metadata["temperature"] == nil && model.calibration == .uncalibrated)
    }
}
