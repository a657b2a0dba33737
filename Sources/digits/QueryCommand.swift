import ArgumentParser
import DigitsKit

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Read the digit in your own images: CSV (784 values per line, or 785 with the label first) or PNG.",
        discussion: """
            Files are recognised by content. PNG is turned into an MNIST-style image the way MNIST \
            was made (grayscale, inverted when the background is light, cropped to the ink, scaled \
            to fit 20×20, centred by mass in 28×28); a 28×28 PNG on a dark background is taken as it is. \
            The confidence is the predicted digit's share of the ten scores. Exits 1 when any input \
            could not be read; the others are still answered.
            """
    )

    @Argument(help: ArgumentHelp("Image files (CSV or PNG); - reads standard input.", valueName: "file"))
    var files: [String]

    @OptionGroup var model: ModelOptions

    @Flag(help: "Print one JSON object per image (file, prediction, scores, label when known).")
    var json = false

    @Flag(help: "Draw the 28×28 input the network saw.")
    var show = false

    @Flag(help: "Take PNG images as they are (28×28, light ink on black), without MNIST preprocessing.")
    var raw = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one image file (CSV or PNG), or - for standard input") }
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
    }

    func run() throws {
        let (model, _) = try model.load()
        var failures = 0
        let inputs = files.map { ImageInput.read($0, raw: raw) }
        let many = inputs.reduce(0) { $0 + $1.count } > 1
        for result in inputs.joined() {
            switch result {
            case .failure(let error):
                failures += 1
                Console.error("Error: \(error)")
            case .success(let image):
                let prediction = model.predict(image.pixels)
                if json {
                    Console.line(Self.json(image, prediction))
                } else {
                    if many { Console.line("\(image.source):") }
                    Console.line(Self.text(image, prediction))
                    if show { Console.line(Self.art(image.pixels)) }
                    if many { Console.line() }
                }
            }
        }
        if failures > 0 { throw ExitCode.failure }
    }

    static func text(_ image: QueryImage, _ p: Prediction) -> String {
        var first = "prediction: \(p.digit) (confidence \(fixed(p.confidence, 2)))"
        if let label = image.label {
            first += label == p.digit ? "  label \(label): correct" : "  label \(label): WRONG"
        }
        let width = 30
        let bars = (0..<10).map { k -> String in
            let v = max(0, min(1, Double(p.scores[k])))
            let eighths = Int((v * Double(width * 8)).rounded())
            let blocks = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
            var bar = String(repeating: "█", count: eighths / 8) + blocks[eighths % 8]
            bar += String(repeating: " ", count: max(0, width - bar.count))
            return "  \(k) \(bar) \(fixed(v, 3))\(k == p.digit ? " ◀" : "")"
        }
        return ([first] + bars).joined(separator: "\n")
    }

    static func json(_ image: QueryImage, _ p: Prediction) -> String {
        let scores = p.scores.map { fixed(Double($0), 6) }.joined(separator: ",")
        var out = "{\"file\":\(jsonString(image.source)),\"prediction\":\(p.digit),\"confidence\":\(fixed(p.confidence, 6)),\"scores\":[\(scores)]"
        if let label = image.label { out += ",\"label\":\(label)" }
        return out + "}"
    }

    /// The 28×28 input as text, two characters per pixel so it keeps its shape.
    static func art(_ pixels: [Float]) -> String {
        let ramp = Array(" .:-=+*#%@")
        var lines = ["  +" + String(repeating: "-", count: 56) + "+"]
        for y in 0..<28 {
            let row = (0..<28).map { x -> String in
                let c = ramp[min(ramp.count - 1, Int(pixels[y * 28 + x] / 256 * Float(ramp.count)))]
                return String(repeating: c, count: 2)
            }.joined()
            lines.append("  |" + row + "|")
        }
        lines.append(lines[0])
        return lines.joined(separator: "\n")
    }
}
