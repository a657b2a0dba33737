import Foundation
@testable import DigitsKit

/// Small IDX files made by the tests themselves (never MNIST bytes), raw and through zlib.
enum Fixtures {
    /// A fresh empty folder under the system's temporary folder.
    static func folder(_ name: String = #function) -> String {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let path = NSTemporaryDirectory() + "digits-tests-\(safe)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ bytes: [UInt8], to path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }

    /// `count` 28×28 images whose pixels follow a simple pattern, and labels `i % 10`.
    static func images(count: Int) -> [UInt8] {
        (0..<count * 784).map { UInt8(truncatingIfNeeded: ($0 * 7 + $0 / 784) % 256) }
    }

    static func labels(count: Int) -> [UInt8] {
        (0..<count).map { UInt8($0 % 10) }
    }

    static func imageFile(count: Int) -> [UInt8] {
        IDX.encode(dimensions: [count, 28, 28], bytes: images(count: count))
    }

    static func labelFile(count: Int) -> [UInt8] {
        IDX.encode(dimensions: [count], bytes: labels(count: count))
    }

    /// A folder holding a tiny MNIST-shaped set under the four canonical names.
    static func mnistFolder(trainCount: Int = 20, testCount: Int = 10, gzip: Bool = true) -> String {
        let dir = folder()
        let files: [(MNISTFile, [UInt8])] = [
            (.trainImages, imageFile(count: trainCount)), (.trainLabels, labelFile(count: trainCount)),
            (.testImages, imageFile(count: testCount)), (.testLabels, labelFile(count: testCount)),
        ]
        for (file, bytes) in files {
            write(gzip ? Gzip.compress(bytes) : bytes, to: dir + "/" + file.name + (gzip ? ".gz" : ""))
        }
        return dir
    }

    /// The folder of the real MNIST files, when the environment points at one.
    static var mnistDirectory: String? {
        guard let dir = ProcessInfo.processInfo.environment["MNIST_DIR"], !dir.isEmpty else { return nil }
        return MNISTDirectory(path: dir).locate(.testImages) == nil ? nil : dir
    }
}
