import Foundation
import Testing

/// The digits shipped in Resources/samples, for a new user's first `digits query`.
@Suite("Resources/samples")
struct SamplesTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Resources/samples").path

    static let samples = ["seven.png", "seven.csv", "three.png", "two-light-on-dark.png", "four-photo.png"]

    /// The digit a sample's name starts with: `two-light-on-dark.png` is a 2.
    static func digit(named name: String) -> Int? {
        let words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
        let first = name.split(whereSeparator: { $0 == "-" || $0 == "." }).first.map(String.init)
        return first.flatMap { words.firstIndex(of: $0) }
    }

    @Test func theFolderHoldsTheListedSamplesAndTheirScript() throws {
        let found = try FileManager.default.contentsOfDirectory(atPath: Self.folder)
        #expect(Set(found) == Set(Self.samples + ["make_samples.py"]))
    }

    @Test(arguments: samples)
    func theShippedModelReadsEachAsTheDigitItsNameSays(name: String) throws {
        let expected = try #require(Self.digit(named: name))
        // An empty working folder: no models/digits.safetensors, so the shipped model answers.
        let result = try Binary.run(["query", "--json", Self.folder + "/" + name], in: Fixture.folder())
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["prediction"] as? Int == expected, "\(name): \(result.stdout)")
        #expect((object?["probability"] as? Double ?? 0) > 0.9, "\(name): \(result.stdout)")
    }

    /// MNIST's convention: label first, then 28×28 intensities, light ink on black, the ink
    /// within a 20×20 box, its centre of mass at the centre.
    @Test func theCSVSampleIsShapedLikeMNIST() throws {
        let text = try String(contentsOfFile: Self.folder + "/seven.csv", encoding: .utf8)
        #expect(text.hasSuffix("\n") && text.split(separator: "\n").count == 1)
        let values = text.trimmingCharacters(in: .newlines).split(separator: ",").compactMap { Int($0) }
        try #require(values.count == 785)
        #expect(values[0] == 7)
        let pixels = Array(values.dropFirst())
        #expect(pixels.allSatisfy { (0...255).contains($0) } && pixels.max() == 255)
        let inked = pixels.indices.filter { pixels[$0] > 0 }
        let (xs, ys) = (inked.map { $0 % 28 }, inked.map { $0 / 28 })
        #expect(xs.max()! - xs.min()! < 20 && ys.max()! - ys.min()! < 20)
        let mass = Double(pixels.reduce(0, +))
        let cx = inked.reduce(0.0) { $0 + Double(pixels[$1]) * (Double($1 % 28) + 0.5) } / mass
        let cy = inked.reduce(0.0) { $0 + Double(pixels[$1]) * (Double($1 / 28) + 0.5) } / mass
        #expect(abs(cx - 14) < 0.5 && abs(cy - 14) < 0.5, "centre of mass (\(cx), \(cy))")
        #expect(pixels[0] == 0 && pixels[783] == 0)  // black background
    }

    static let python: Bool = {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import numpy, PIL"]
        check.standardError = FileHandle(forWritingAtPath: "/dev/null")
        guard (try? check.run()) != nil else { return false }
        check.waitUntilExit()
        return check.terminationStatus == 0
    }()

    /// The committed files are what the script draws (pixels and values, not PNG bytes).
    @Test(.enabled(if: python, "Python with numpy and Pillow is not installed (pip install numpy pillow)"))
    func theSamplesAreWhatTheScriptDraws() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.folder + "/make_samples.py", "--check"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(message)")
    }
}
