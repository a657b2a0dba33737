import ArgumentParser
import DigitsKit

extension Split: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write one MNIST image as CSV or PNG, to have real inputs for `digits query`."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, png }

    @Option(help: ArgumentHelp("Index of the image in the set (0-based); or give --digit.", valueName: "n"))
    var index: Int?

    @Option(help: ArgumentHelp("Export the set's first image of this digit (0…9); or give --index.", valueName: "d"))
    var digit: Int?

    @Option(help: "Which set: test or train.")
    var set = Split.test

    @Option(help: "csv (785 values, label first) or png (28×28 gray, light ink on black).")
    var format = Format.csv

    @Option(help: ArgumentHelp("File to write (default: <set>-digit<label>-index<index>.<format>, e.g. test-digit7-index0.png; - for standard output, CSV only).", valueName: "path"))
    var output: String?

    @Flag(help: "CSV without the label: 784 values.")
    var noLabel = false

    @OptionGroup var data: DataOptions

    func validate() throws {
        switch (index, digit) {
        case (nil, nil): throw ValidationError("give --index N (an image's position) or --digit D (the first image of that digit)")
        case (.some, .some): throw ValidationError("--index and --digit each choose the image: give only one")
        default: break
        }
        if let index, index < 0 { throw ValidationError("--index must be 0 or more, got \(index)") }
        if let digit, !(0...9).contains(digit) { throw ValidationError("--digit must be 0…9, got \(digit)") }
        if output == "-" && format == .png { throw ValidationError("a PNG is not written to standard output: give --output PATH") }
        if noLabel && format == .png { throw ValidationError("--no-label applies to CSV only") }
        if let output, output.isEmpty { throw ValidationError("--output needs a file path") }
    }

    func run() throws {
        let dataset = try data.directory.load(set)
        let index = try chosenIndex(in: dataset)
        let pixels = Array(dataset.image(index))
        let label = Int(dataset.labels[index])
        // The default name says what the file holds, so that `--index 7` (a 9) is not mistaken for a 7.
        let path = output ?? "\(set.rawValue)-digit\(label)-index\(index).\(format.rawValue)"
        let bytes: [UInt8]
        switch format {
        case .csv:
            bytes = Array((CSVImage.line(pixels: pixels, label: noLabel ? nil : label) + "\n").utf8)
        case .png:
            bytes = PNGImage.encode(GrayImage(width: 28, height: 28, pixels: pixels))
        }
        if path == "-" {
            Console.line(String(decoding: bytes.dropLast(), as: UTF8.self))
        } else {
            try AtomicFile.write(bytes, to: path)
            Console.error("wrote \(set.rawValue) image \(index) (a \(label)) to \(path)")
        }
    }

    /// The position asked for: `--index` as given (within the set), or the first image whose
    /// label is `--digit`.
    func chosenIndex(in dataset: Dataset) throws -> Int {
        switch (index, digit) {
        case (let index?, _):
            guard index < dataset.count else {
                throw NoSuchImage(description: "--index \(index) is past the end of the \(set.rawValue) set (\(counted(dataset.count, "image")))")
            }
            return index
        case (nil, let digit?):
            guard let found = dataset.labels.firstIndex(of: UInt8(digit)) else {
                throw NoSuchImage(description: "the \(set.rawValue) set has no image of the digit \(digit)")
            }
            return found
        case (nil, nil):
            throw ValidationError("give --index or --digit")  // validate() refuses this first
        }
    }
}

/// The set has no image as asked for: a fact about the data, not a misuse of the options, so one
/// line and exit 1 rather than a usage message.
struct NoSuchImage: Error, CustomStringConvertible {
    let description: String
}
