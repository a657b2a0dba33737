import Foundation
import Testing
@testable import DigitsKit

@Suite("Safetensors model files")
struct SafetensorsTests {
    static let model = Model(
        network: Reference.network(inputs: 784, hidden: 5, outputs: 10, output: .softmax),
        inputs: .book, metadata: ["loss": "cross-entropy", "note": "quote \" and \\ and\nnewline"])

    /// The header of an encoded model, as JSON text, and the data after it.
    static func split(_ bytes: [UInt8]) -> (String, [UInt8]) {
        let n = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16
        return (String(decoding: bytes[8..<(8 + n)], as: UTF8.self), Array(bytes[(8 + n)...]))
    }

    /// A file whose header is `header` (padded) followed by `data`.
    static func file(header: String, data: [UInt8]) -> [UInt8] {
        var h = Array(header.utf8)
        while h.count % 8 != 0 { h.append(0x20) }
        var out = (0..<8).map { UInt8((h.count >> (8 * $0)) & 0xff) }
        out += h
        return out + data
    }

    private func expectRejection(_ bytes: [UInt8], _ matches: (ModelError) -> Bool, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try Safetensors.decode(bytes, path: "bad-model.safetensors")
            Issue.record("a bad model was accepted", sourceLocation: sourceLocation)
        } catch {
            #expect(matches(error), "unexpected error: \(error)", sourceLocation: sourceLocation)
            #expect(error.description.hasPrefix("bad-model.safetensors: "), sourceLocation: sourceLocation)
        }
    }

    @Test func roundTripsExactly() throws {
        let bytes = Safetensors.encode(Self.model)
        let back = try Safetensors.decode(bytes, path: "m")
        #expect(back.network == Self.model.network)
        #expect(back.inputs == .book)
        #expect(back.metadata["note"] == Self.model.metadata["note"])
        #expect(Safetensors.encode(back) == bytes)
    }

    @Test func layoutIsSafetensors() {
        let bytes = Safetensors.encode(Self.model)
        let (header, data) = Self.split(bytes)
        #expect((8 + header.utf8.count) % 8 == 0)
        #expect(header.contains("\"W_ih\":{\"dtype\":\"F32\",\"shape\":[784,5],\"data_offsets\":[0,15680]}"))
        #expect(data.count == (784 * 5 + 5 * 10 + 5 + 10) * 4)
        // Little-endian float32: the first value of W_ih.
        let first = UInt32(data[0]) | UInt32(data[1]) << 8 | UInt32(data[2]) << 16 | UInt32(data[3]) << 24
        #expect(Float(bitPattern: first) == Self.model.network.W_ih[0])
    }

    @Test func savesAtomicallyAndLoads() throws {
        let path = Fixtures.folder() + "/m.safetensors"
        try Safetensors.save(Self.model, to: path)
        #expect(try Safetensors.load(path).network == Self.model.network)
        #expect(throws: ModelError.unreadable(path: path + ".missing", reason: "no such file")) { try Safetensors.load(path + ".missing") }
    }

    @Test func rejectsAFileTooShortForTheHeaderLength() {
        expectRejection([1, 2, 3]) { if case .tooSmall = $0 { true } else { false } }
    }

    @Test func rejectsAHeaderLengthLargerThanTheFile() {
        var bytes = Safetensors.encode(Self.model)
        bytes[6] = 1
        expectRejection(bytes) { if case .headerTooLarge = $0 { true } else { false } }
    }

    @Test func rejectsInvalidJSON() {
        expectRejection(Self.file(header: "{\"W_ih\": [", data: [])) { if case .invalidHeader = $0 { true } else { false } }
        expectRejection(Self.file(header: "[1, 2]", data: [])) { if case .invalidHeader = $0 { true } else { false } }
    }

    @Test func rejectsWrongDtype() {
        let (header, data) = Self.split(Safetensors.encode(Self.model))
        let changed = header.replacingOccurrences(of: "\"W_ho\":{\"dtype\":\"F32\"", with: "\"W_ho\":{\"dtype\":\"F16\"")
        expectRejection(Self.file(header: changed, data: data)) { $0 == .wrongDtype(path: "bad-model.safetensors", name: "W_ho", found: "F16") }
    }

    @Test func rejectsWrongShapes() {
        let (header, data) = Self.split(Safetensors.encode(Self.model))
        let transposed = header.replacingOccurrences(of: "\"shape\":[784,5]", with: "\"shape\":[5,784]")
        expectRejection(Self.file(header: transposed, data: data)) { if case .wrongShape(_, "W_ih", _, _) = $0 { true } else { false } }
        let inconsistent = header.replacingOccurrences(of: "\"shape\":[5,10]", with: "\"shape\":[10,5]")
        expectRejection(Self.file(header: inconsistent, data: data)) { if case .wrongShape(_, "W_ho", _, _) = $0 { true } else { false } }
    }

    @Test func rejectsOverlappingAndOutOfRangeOffsets() {
        let (header, data) = Self.split(Safetensors.encode(Self.model))
        // b_o [10] is the last 40 bytes; point it into b_h's range: overlap (and a gap at the end).
        let end = data.count
        let overlapping = header.replacingOccurrences(of: "[\(end - 40),\(end)]", with: "[\(end - 60),\(end - 20)]")
        expectRejection(Self.file(header: overlapping, data: data)) { if case .badOffsets = $0 { true } else { false } }
        let outside = header.replacingOccurrences(of: "[\(end - 40),\(end)]", with: "[\(end),\(end + 40)]")
        expectRejection(Self.file(header: outside, data: data)) { if case .badOffsets = $0 { true } else { false } }
        expectRejection(Self.file(header: header, data: data + [0, 0, 0, 0])) { if case .badOffsets = $0 { true } else { false } }
    }

    @Test func rejectsAShapeWhoseProductOverflows() {
        let (header, data) = Self.split(Safetensors.encode(Self.model))
        // 2²⁴ three times is 2⁷²: a plain product traps (debug) or wraps to 0 (unchecked).
        let huge = header.replacingOccurrences(of: "\"shape\":[10]", with: "\"shape\":[16777216,16777216,16777216]")
        #expect(huge != header)
        expectRejection(Self.file(header: huge, data: data)) {
            if case .invalidHeader(_, let reason) = $0 { reason.contains("more values than a model file can hold") } else { false }
        }
    }

    @Test func rejectsAKeyThatAppearsTwice() {
        let (header, data) = Self.split(Safetensors.encode(Self.model))
        // The same b_o entry written twice: JSON parsers keep one of them without a word.
        let entry = header.range(of: "\"b_o\":\\{[^}]*\\}", options: .regularExpression).map { String(header[$0]) }!
        let twice = header.replacingOccurrences(of: entry, with: entry + "," + entry)
        expectRejection(Self.file(header: twice, data: data)) {
            if case .invalidHeader(_, let reason) = $0 { reason == "the key \"b_o\" appears twice in the header" } else { false }
        }
        func duplicate(_ json: String) -> String? {
            Safetensors.duplicateKey(ArraySlice(Array(json.utf8))).map { "\($0.key) in \($0.in ?? "the header")" }
        }
        // Equal keys in different objects, a key equal to a value, arrays of strings: no duplicate.
        #expect(duplicate("{\"a\":{\"a\":1,\"b\":[\"a\",\"a\"]},\"c\" : \"a\",\"d\":[{\"a\":1},{\"a\":2}]}") == nil)
        #expect(duplicate("{\"a\":1,\"b\":{\"x\":1,\"y\":2,\"x\" : 3}}") == "x in b")
        #expect(duplicate("{\"a\\\"\":1,\"a\\\"\":2}") == "a\" in the header")
        // Escapes are decoded before keys are compared, as the parser decodes them.
        #expect(duplicate("{\"b_o\":1,\"b\\u005fo\":2}") == "b_o in the header")
        #expect(duplicate("{\"__metadata__\":{\"a/b\":\"1\",\"a\\/b\":\"2\"}}") == "a/b in __metadata__")
        // An object in an array is named after the array's key.
        #expect(duplicate("{\"x\":[{\"a\":1},{\"a\":1,\"a\":2}]}") == "a in x")
    }

    /// The same metadata entry twice: one of the two would be kept silently.
    @Test func rejectsAMetadataKeyThatAppearsTwice() {
        let (header, data) = Self.split(Safetensors.encode(Self.model))
        let entry = header.range(of: "\"format_version\":\"[^\"]*\"", options: .regularExpression).map { String(header[$0]) }!
        let twice = header.replacingOccurrences(of: entry, with: entry + "," + entry.replacingOccurrences(of: ":\"", with: ":\"9"))
        #expect(twice != header)
        expectRejection(Self.file(header: twice, data: data)) {
            if case .invalidHeader(_, let reason) = $0 { reason == "the key \"format_version\" appears twice in \"__metadata__\"" } else { false }
        }
    }

    @Test func rejectsNaNWeights() {
        var bytes = Safetensors.encode(Self.model)
        let (header, _) = Self.split(bytes)
        let start = 8 + header.utf8.count + 4 * 3  // W_ih[3]
        let nan = Float.nan.bitPattern
        for b in 0..<4 { bytes[start + b] = UInt8((nan >> (8 * UInt32(b))) & 0xff) }
        expectRejection(bytes) { $0 == .notFinite(path: "bad-model.safetensors", name: "W_ih", index: 3) }
    }

    @Test func rejectsMissingTensorsAndUnknownOnes() {
        expectRejection(Self.file(header: "{}", data: [])) { $0 == .missingTensor(path: "bad-model.safetensors", name: "W_ih") }
        expectRejection(Self.file(header: "{\"extra\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", data: [0, 0, 0, 0])) {
            $0 == .unexpectedTensor(path: "bad-model.safetensors", name: "extra")
        }
    }

    @Test func rejectsAnotherFormatVersion() {
        let (header, data) = Self.split(Safetensors.encode(Self.model))
        let newer = header.replacingOccurrences(of: "\"format_version\":\"1\"", with: "\"format_version\":\"9\"")
        expectRejection(Self.file(header: newer, data: data)) { if case .badMetadata(_, "format_version", "9", _) = $0 { true } else { false } }
    }

    static let python: String? = {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import safetensors.numpy, numpy"]
        check.standardError = FileHandle(forWritingAtPath: "/dev/null")
        guard (try? check.run()) != nil else { return nil }
        check.waitUntilExit()
        return check.terminationStatus == 0 ? "python3" : nil
    }()

    @Test(.enabled(if: python != nil, "Python with numpy and safetensors is not installed (pip install safetensors numpy)"))
    func pythonSafetensorsReproducesThePredictions() throws {
        let dir = Fixtures.folder()
        let path = dir + "/m.safetensors"
        var model = Self.model
        model.network.outputLayer = .sigmoid
        try Safetensors.save(model, to: path)
        let x = (0..<784).map { Float(($0 * 37) % 256) / 255 }
        let expected = model.network.query(x)
        let script = """
            import sys, json, numpy as np
            from safetensors.numpy import load_file
            t = load_file(sys.argv[1])
            x = np.array(json.loads(sys.argv[2]), dtype=np.float32)
            h = 1 / (1 + np.exp(-(t["W_ih"].T @ x + t["b_h"])))
            o = 1 / (1 + np.exp(-(t["W_ho"].T @ h + t["b_o"])))
            print(json.dumps([float(v) for v in o]))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path, "[" + x.map { "\($0)" }.joined(separator: ",") + "]"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let values = try JSONSerialization.jsonObject(with: data) as! [Double]
        for k in 0..<10 { #expect(abs(values[k] - Double(expected[k])) < 1e-5) }
    }
}

@Suite("Safetensors at any depth")
struct DeepSafetensorsTests {
    /// A network of three hidden layers, relu, with momentum's velocity: written as format 2
    /// with W_1 … W_4 and b_1 … b_4, and read back exactly.
    @Test func aDeepNetworkRoundTripsExactlyAsFormatTwo() throws {
        let network = Network(sizes: [784, 20, 13, 7, 10], hiddenActivation: .relu, outputLayer: .softmax, seed: 3)
        let velocity = Network(sizes: [784, 20, 13, 7, 10], hiddenActivation: .relu, outputLayer: .softmax, seed: 4)
        let model = Model(network: network, inputs: .unit, metadata: ["note": "deep"], velocity: velocity)
        let bytes = Safetensors.encode(model)
        let header = String(decoding: bytes[8..<8 + Int(bytes[0]) + Int(bytes[1]) << 8 + Int(bytes[2]) << 16], as: UTF8.self)
        #expect(header.contains("\"format_version\":\"2\""))
        #expect(header.contains("\"hidden_activation\":\"relu\""))
        #expect(header.contains("\"W_3\":{\"dtype\":\"F32\",\"shape\":[13,7]"))
        #expect(!header.contains("W_ih"))
        let back = try Safetensors.decode(bytes, path: "deep.safetensors")
        #expect(back.network == network)
        #expect(back.velocity == velocity)
        #expect(back.network.hiddenActivation == .relu)
    }

    /// Doc 001's network stays format 1 with W_ih, W_ho, b_h, b_o: every reader of today's files reads it.
    @Test func oneSigmoidHiddenLayerStaysFormatOne() {
        let bytes = Safetensors.encode(Model(network: Network(hiddenCount: 5, seed: 1), inputs: .unit))
        let header = String(decoding: bytes[8..<8 + Int(bytes[0]) + Int(bytes[1]) << 8], as: UTF8.self)
        #expect(header.contains("\"format_version\":\"1\"") && header.contains("\"W_ih\"") && !header.contains("W_1"))
    }

    @Test func aLayerThatDoesNotTakeTheOneBeforeIsRefused() {
        let model = Model(network: Network(sizes: [784, 6, 5, 10], hiddenActivation: .tanh, seed: 3), inputs: .unit)
        var bytes = Safetensors.encode(model)
        // W_2 declared [5, 6] against W_1's 6 units: the same byte count, a shape that does not chain.
        let from = Array("\"W_2\":{\"dtype\":\"F32\",\"shape\":[6,5]".utf8), to = Array("\"W_2\":{\"dtype\":\"F32\",\"shape\":[5,6]".utf8)
        let at = (0...(bytes.count - from.count)).first { Array(bytes[$0..<$0 + from.count]) == from }!
        bytes.replaceSubrange(at..<at + from.count, with: to)
        #expect(throws: ModelError.wrongShape(path: "m", name: "W_2", expected: "[6, units]", found: [5, 6])) {
            try Safetensors.decode(bytes, path: "m")
        }
    }
}
