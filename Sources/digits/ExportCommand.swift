import ArgumentParser
import DigitsKit

extension Split: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write one MNIST image as CSV or PNG, to have real inputs for `digits query`."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, png }

    @Option(help: "Index of the image in the set (0-based).")
    var index: Int

    @Option(help: "Which set: test or train.")
    var set = Split.test

    @Option(help: "csv (785 values, label first) or png (28×28 gray, light ink on black).")
    var format = Format.csv

    @Option(help: ArgumentHelp("File to write (default: <set>-<index>.<format>; - for standard output, CSV only).", valueName: "path"))
    var output: String?

    @Flag(help: "CSV without the label: 784 values.")
    var noLabel = false

    @OptionGroup var data: DataOptions

    func validate() throws {
        guard index >= 0 else { throw ValidationError("--index must be 0 or more, got \(index)") }
        if output == "-" && format == .png { throw ValidationError("a PNG is not written to standard output: give --output PATH") }
        if noLabel && format == .png { throw ValidationError("--no-label applies to CSV only") }
        if let output, output.isEmpty { throw ValidationError("--output needs a file path") }
    }

    func run() throws {
        let dataset = try data.directory.load(set)
        guard index < dataset.count else {
            throw ValidationError("--index \(index) is past the end of the \(set.rawValue) set (\(dataset.count) images)")
        }
        let pixels = Array(dataset.image(index))
        let label = Int(dataset.labels[index])
        let path = output ?? "\(set.rawValue)-\(index).\(format.rawValue)"
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
            Console.error("wrote \(set.rawValue) image \(index) (label \(label)) to \(path)")
        }
    }
}
