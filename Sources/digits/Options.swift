import ArgumentParser
import DigitsKit

/// Where MNIST is read from; shared by every command that reads it.
struct DataOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: ArgumentHelp(
        "Folder holding the four MNIST files, gzip or not (default: $MNIST_DIR, else data/mnist).",
        valueName: "dir"))
    var path: String?

    var directory: MNISTDirectory { MNISTDirectory.resolve(option: path) }

    func validate() throws {
        if let path, path.isEmpty { throw ValidationError("--data needs a folder path") }
    }
}
