import ArgumentParser
import DigitsKit

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Read the digit in your own images: PNG, JPEG, or CSV (784 values per line, or 785 with the label first).",
        discussion: """
            Files are recognised by content. Every picture is made into an MNIST digit the way MNIST \
            was made (ground found and removed, ink cropped, fitted into 20×20, centred by mass in \
            28×28); CSV lines too when they are not already in MNIST's convention (--normalize: \
            always; --raw: never). The probability is calibrated (softmax of the outputs over a \
            temperature fitted on the validation split); below the model's threshold the answer is \
            "unsure" with the two most likely digits, and an image with no ink or no likely digit is \
            "not a digit". Exits 1 when any input could not be read; the others are still answered.
        """
    )

    @Argument(help: ArgumentHelp("Image files (PNG, JPEG or CSV); - reads standard input.", valueName: "file"))
    var files: [String]

    @OptionGroup var model: ModelOptions

    @Flag(help: "Print one JSON object per image (file, prediction, probability, verdict, unsure, not_a_digit, top, probabilities, scores, label when known; with --number: number and digits).")
    var json = false

    @Flag(help: "Draw the 28×28 input the network saw.")
    var show = false

    @Flag(help: "Take images exactly as they are (784 values, or a 28×28 picture of light ink on black): no MNIST normalisation.")
    var raw = false

    @Flag(help: "Normalise CSV lines too (crop, fit 20×20, centre by mass), even those already in MNIST's convention.")
    var normalize = false

    @Flag(help: "Read a row of digits in each picture (a date, a postcode, a meter reading): split into pieces of ink, read left to right. Touching digits are not split.")
    var number = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one image file (CSV or PNG), or - for standard input") }
        if raw && normalize { throw ValidationError("--raw and --normalize exclude each other") }
        if number && (raw || normalize) { throw ValidationError("--number normalises each digit it finds: it takes neither --raw nor --normalize") }
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
    }

    func run() throws {
        let (model, choice) = try model.load(for: .reading)
        if !json { Console.line("model: \(choice.source) (\(model.summary))") }
        if number { return try readNumbers(model) }
        var failures = 0
        let inputs = files.map { ImageInput.read($0, normalisation: raw ? .never : normalize ? .always : .automatic) }
        let many = inputs.reduce(0) { $0 + $1.count } > 1
        for results in inputs {
            for result in results {
                switch result {
                case .failure(.blank(let path)):
                    // No ink is an answer, not an error: "not a digit".
                    if json { Console.line(Answer.blank(file: path).json) } else { Console.line("\(many ? path + ": " : "")not a digit (no ink: the image is blank)") }
                case .failure(let error):
                    failures += 1
                    Console.error("Error: \(error)")
                case .success(let image):
                    let prediction = model.predict(image.pixels)
                    if json {
                        Console.line(Answer(prediction, file: image.source, label: image.label).json)
                    } else {
                        if many { Console.line("\(image.source):") }
                        Console.line(Self.text(image, prediction))
                        if show { Console.line(Self.art(image.pixels)) }
                        if many { Console.line() }
                    }
                }
            }
        }
        if failures > 0 { throw ExitCode.failure }
    }

    /// `--number`: each picture's row of digits, as a number and digit by digit.
    private func readNumbers(_ model: Model) throws {
        var failures = 0
        for file in files {
            do {
                let picture = try ImageInput.picture(file)
                let digits = try NumberImage.digits(in: picture, path: file == "-" ? "(stdin)" : file).map { ($0, model.predict($0.pixels)) }
                let answer = NumberAnswer(file: file == "-" ? "(stdin)" : file, digits: digits)
                if json { Console.line(answer.json); continue }
                if files.count > 1 { Console.line("\(answer.file ?? file):") }
                Console.line(digits.isEmpty ? "number: none (no ink)" : "number: \(answer.number)")
                for (digit, p) in digits {
                    let what = p.verdict == .notADigit ? "not a digit" : p.verdict == .unsure ? "\(p.digit)?" : "\(p.digit) "
                    Console.line("  \(what)  probability \(fixed(Double(p.probability), 2))  at x \(digit.box.x0)–\(digit.box.x1), y \(digit.box.y0)–\(digit.box.y1)")
                }
            } catch {
                failures += 1
                Console.error("Error: \(error)")
            }
        }
        if failures > 0 { throw ExitCode.failure }
    }

    /// The answer in words, then the ten probabilities as bars.
    static func text(_ image: QueryImage, _ p: Prediction) -> String {
        let percentOf = { (v: Float) in fixed(Double(v), 2) }
        var first: String
        switch p.verdict {
        case .sure: first = "prediction: \(p.digit) (probability \(percentOf(p.probability)))"
        case .unsure:
            let (a, b) = (p.top[0], p.top[1])
            first = "unsure: \(a.digit) (probability \(percentOf(a.probability))) or \(b.digit) (\(percentOf(b.probability)))"
        case .notADigit: first = "not a digit (best guess \(p.digit), probability \(percentOf(p.probability)))"
        }
        if let label = image.label {
            first += label == p.digit ? "  label \(label): correct" : "  label \(label): WRONG"
        }
        let width = 30
        let bars = (0..<10).map { k -> String in
            let v = max(0, min(1, Double(p.probabilities[k])))
            let eighths = Int((v * Double(width * 8)).rounded())
            let blocks = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
            var bar = String(repeating: "█", count: eighths / 8) + blocks[eighths % 8]
            bar += String(repeating: " ", count: max(0, width - bar.count))
            return "  \(k) \(bar) \(fixed(v, 3))\(k == p.digit ? " ◀" : "")"
        }
        return ([first] + bars).joined(separator: "\n")
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
