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

    @Test func fetchOfflineFailsWithAHint() throws {
        let dir = folder()
        let result = try Binary.run(["data", "fetch", "--data", dir, "--mirror", "file:///nonexistent/mirror/"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("could not download"))
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
}
