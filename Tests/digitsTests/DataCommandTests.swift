import Foundation
import Testing
@testable import DigitsKit

@Suite("digits data")
struct DataCommandTests {
    static var mnist: String? {
        guard let dir = ProcessInfo.processInfo.environment["MNIST_DIR"], !dir.isEmpty,
              MNISTDirectory(path: dir).locate(.testImages) != nil else { return nil }
        return dir
    }

    private func folder() -> String {
        let path = NSTemporaryDirectory() + "digits-cli-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func helpListsTheSubcommands() throws {
        let result = try Binary.run(["data", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("verify") && result.stdout.contains("fetch"))
    }

    @Test func verifyOnAnEmptyFolderNamesEachMissingFile() throws {
        let dir = folder()
        let result = try Binary.run(["data", "verify", "--data", dir])
        #expect(result.status == 1)
        #expect(result.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("MISSING") }.count == 4)
        let errorLines = result.stderr.split(separator: "\n")
        #expect(errorLines.count == 1)
        #expect(result.stderr.contains(dir + "/train-images-idx3-ubyte"))
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func verifyNamesACorruptFileAndItsProblem() throws {
        let dir = folder()
        var bytes = IDX.encode(dimensions: [3], bytes: [1, 2, 3])
        bytes[3] = 0x07
        FileManager.default.createFile(atPath: dir + "/t10k-labels-idx1-ubyte", contents: Data(bytes))
        let result = try Binary.run(["data", "verify"], environment: ["MNIST_DIR": dir])
        #expect(result.status == 1)
        #expect(result.stdout.contains("INVALID  \(dir)/t10k-labels-idx1-ubyte: bad magic number: expected 0x00000801, found 0x00000807"))
        #expect(result.stdout.contains("(from MNIST_DIR)"))
    }

    /// A mirror that is not there is no sign of being offline: the hint says where to put the files.
    @Test func fetchFromAMirrorThatIsNotThereFailsWithAHint() throws {
        let dir = folder()
        let result = try Binary.run(["data", "fetch", "--data", dir, "--mirror", "file:///nonexistent/mirror/"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("could not download"))
        #expect(result.stderr.contains("Put the four MNIST files") && !result.stderr.contains("Offline?"))
        #expect(result.stderr.contains(dir))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test(.enabled(if: mnist != nil, "MNIST_DIR does not point at the MNIST files; set it to run this test"))
    func verifyPassesOnTheRealFiles() throws {
        let result = try Binary.run(["data", "verify"], environment: ["MNIST_DIR": Self.mnist!])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("10000 images of 28×28"))
        #expect(result.stdout.hasSuffix("all four files verified\n"))
    }

    /// Another data set under MNIST's four names, of MNIST's shapes (as Fashion-MNIST is):
    /// uncompressed IDX, a pattern no checksum of MNIST's matches. Returns each path and its bytes.
    static func anotherDataSet(in dir: String) -> [(String, [UInt8])] {
        MNISTFile.all.map { file in
            let count = file.name.hasPrefix("train") ? 60_000 : 10_000
            let dimensions = file.kind == .images ? [count, 28, 28] : [count]
            // A repeating pattern, doubled up to size (a per-byte loop is slow in a debug build).
            var pattern = (0..<(file.kind == .images ? 251 : 10)).map(UInt8.init)
            while pattern.count < dimensions.reduce(1, *) { pattern += pattern }
            let bytes = IDX.encode(dimensions: dimensions, bytes: Array(pattern.prefix(dimensions.reduce(1, *))))
            let path = dir + "/" + file.name
            Fixture.write(bytes, to: path)
            return (path, bytes)
        }
    }

    @Test func fetchMissingOnlyStopsAtAnotherDataSetAndChangesNothing() throws {
        let dir = folder()
        let files = Self.anotherDataSet(in: dir)
        let result = try Binary.run(["data", "fetch", "--missing-only", "--data", dir, "--mirror", "file:///nonexistent/mirror/"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Error: \(files[0].0): present but not MNIST's") && result.stderr.contains("another data set"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        for (path, bytes) in files { #expect(FileManager.default.contents(atPath: path).map(Array.init) == bytes, "\(path) changed") }
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir)) == Set(files.map { ($0.0 as NSString).lastPathComponent }))
    }

    @Test(.enabled(if: mnist != nil, "MNIST_DIR does not point at the MNIST files; set it to run this test"))
    func fetchMovesAnotherDataSetAsideNeverOverAFileAndSaysWhere() throws {
        let dir = folder()
        let files = Self.anotherDataSet(in: dir)
        // A name fetch would move to is taken already: it must be left alone too.
        let taken = files[0].0 + ".not-mnist"
        Fixture.write(Array("taken".utf8), to: taken)
        let result = try Binary.run(["data", "fetch", "--data", dir, "--mirror", "file://" + Self.mnist! + "/"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\(files[0].0): did not verify as MNIST's file, moved to \(files[0].0).not-mnist-2"), "\(result.stdout)")
        #expect(FileManager.default.contents(atPath: taken).map(Array.init) == Array("taken".utf8))
        for (index, (path, bytes)) in files.enumerated() {
            let aside = path + (index == 0 ? ".not-mnist-2" : ".not-mnist")
            #expect(FileManager.default.contents(atPath: aside).map(Array.init) == bytes, "\(aside) does not hold the user's bytes")
        }
        let verify = try Binary.run(["data", "verify", "--data", dir])
        #expect(verify.status == 0, "\(verify.stdout)")
    }

    @Test func aFileGivenAsDataAndAMissingFileMirrorSayWhatIsWrong() throws {
        let file = folder() + "/notes.txt"
        Fixture.write(Array("x".utf8), to: file)
        let asData = try Binary.run(["evaluate", "--data", file])
        #expect(asData.status == 64 && asData.stderr.contains("--data \(file) is a file, not a folder"), "\(asData.stderr)")
        let offline = try Binary.run(["data", "fetch", "--data", folder(), "--mirror", "file:///nonexistent/mirror/"])
        #expect(offline.stderr.contains("file:///nonexistent/mirror/train-images-idx3-ubyte.gz: no such file"), "\(offline.stderr)")
    }
}
