import DigitsKit
import Foundation

/// Folders the end-to-end tests work in: a tiny MNIST-shaped set made here (never MNIST).
enum Fixture {
    static func folder() -> String {
        let path = NSTemporaryDirectory() + "digits-cli-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Images whose label decides which band of rows is inked, so a small net learns them.
    static func mnist(train: Int = 300, test: Int = 100) -> String {
        let dir = folder()
        var r = Random(seed: 17)
        func set(_ count: Int) -> ([UInt8], [UInt8]) {
            var images: [UInt8] = [], labels: [UInt8] = []
            for _ in 0..<count {
                let label = r.below(10)
                labels.append(UInt8(label))
                images += (0..<784).map { p in (p / 28 >= label * 2 + 4 && p / 28 < label * 2 + 6 && r.below(4) != 0) ? 200 : 0 }
            }
            return (images, labels)
        }
        for (split, count) in [(Split.train, train), (.test, test)] {
            let (images, labels) = set(count)
            let files = split.files
            write(Gzip.compress(IDX.encode(dimensions: [count, 28, 28], bytes: images)), to: dir + "/" + files.images.name + ".gz")
            write(Gzip.compress(IDX.encode(dimensions: [count], bytes: labels)), to: dir + "/" + files.labels.name + ".gz")
        }
        return dir
    }

    static func write(_ bytes: [UInt8], to path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }
}
