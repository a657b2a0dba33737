import Foundation

/// One image to classify, whatever it came from.
public struct QueryImage: Sendable {
    /// The file, with the line for CSV (`digits.csv:3`).
    public let source: String
    public let file: String
    /// 784 intensities 0…255, MNIST-style (light ink on black).
    public let pixels: [Float]
    public let label: Int?
}

/// Whether an image is made into an MNIST digit before it is read.
public enum Normalisation: Sendable, Equatable {
    /// Pictures always; CSV lines only when they are not in MNIST's convention
    /// (`Preprocess.isMNISTConvention`).
    case automatic
    /// Every image, CSV lines included (`digits query --normalize`).
    case always
    /// None: 784 values, or a 28×28 picture, taken exactly as they are (`--raw`).
    case never
}

/// Reads the images of one file (or standard input, `-`): PNG or JPEG when it starts with their
/// signature, CSV when it is text; the name of the file plays no part.
public enum ImageInput {
    /// Input files larger than this are refused before they are read whole.
    public static let sizeLimit = 256 << 20

    public static func read(_ path: String, normalisation: Normalisation = .automatic) -> [Result<QueryImage, InputError>] {
        let bytes: [UInt8]
        do {
            bytes = try load(path)
        } catch {
            return [.failure(error)]
        }
        return images(in: bytes, path: path, normalisation: normalisation)
    }

    /// The images held by `bytes` that came from `path`.
    public static func images(in bytes: [UInt8], path: String, normalisation: Normalisation = .automatic) -> [Result<QueryImage, InputError>] {
        let name = path == "-" ? "(stdin)" : path
        if bytes.isEmpty || bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return [.failure(.empty(path: name))]
        }
        if PNGImage.isPNG(bytes) || JPEGImage.isJPEG(bytes) {
            do throws(InputError) {
                // --raw reads 28 × 28 pictures only: say so from the header, before decoding
                // (a 10,000 × 10,000 picture would cost a second and 300 MB to refuse).
                if normalisation == .never, let (width, height) = DeclaredSize.of(bytes), (width, height) != (28, 28) {
                    throw InputError.notMNISTSize(path: name, width: width, height: height)
                }
                let image = PNGImage.isPNG(bytes) ? try PNGImage.decode(bytes, path: name) : try JPEGImage.decode(bytes, path: name)
                // Taken as it is, a picture still has to hold ink, as a CSV line has (`values`).
                let pixels = normalisation == .never
                    ? try values(try Preprocess.raw(image, path: name), path: name, normalisation: .never).get()
                    : try Preprocess.mnist(image, path: name)
                return [.success(QueryImage(source: name, file: name, pixels: pixels, label: nil))]
            } catch {
                return [.failure(error)]
            }
        }
        // Validated in place (no String of the whole file: a 200 MB CSV costs 200 MB, not 400).
        guard !bytes.contains(0), (try? UTF8Span(validating: bytes.span)) != nil else {
            return [.failure(.unrecognised(path: name))]
        }
        let rows = CSVImage.parse(bytes, path: name)
        if rows.isEmpty { return [.failure(.empty(path: name))] }
        let many = rows.count > 1
        return rows.map { row in
            row.flatMap { row -> Result<QueryImage, InputError> in
                let source = many ? "\(name):\(row.line)" : name
                return values(row.pixels, path: source, normalisation: normalisation)
                    .map { QueryImage(source: source, file: name, pixels: $0, label: row.label) }
            }
        }
    }

    /// 784 values given as numbers (a CSV line, the API's JSON): blank when none reaches the
    /// contrast a picture's ink needs, else normalised like a picture when asked or when they
    /// are not in MNIST's convention (`Preprocess.isMNISTConvention`), else as they are.
    public static func values(_ pixels: [Float], path: String, normalisation: Normalisation = .automatic) -> Result<[Float], InputError> {
        guard (pixels.max() ?? 0) >= Preprocess.minimumContrast else { return .failure(.blank(path: path)) }
        let normalise = normalisation == .always || (normalisation == .automatic && !Preprocess.isMNISTConvention(pixels))
        guard normalise else { return .success(pixels) }
        return Result { () throws(InputError) in try Preprocess.mnist(pixels: pixels, path: path) }
    }

    /// The picture (PNG or JPEG) in the file at `path` (`-`: standard input), decoded to gray
    /// and upright, without any normalisation: for reading a row of digits.
    public static func picture(_ path: String) throws(InputError) -> GrayImage {
        try picture(in: try load(path), path: path == "-" ? "(stdin)" : path)
    }

    public static func picture(in bytes: [UInt8], path: String) throws(InputError) -> GrayImage {
        if PNGImage.isPNG(bytes) { return try PNGImage.decode(bytes, path: path) }
        if JPEGImage.isJPEG(bytes) { return try JPEGImage.decode(bytes, path: path) }
        throw .notAPicture(path: path)
    }

    private static func load(_ path: String) throws(InputError) -> [UInt8] {
        if path == "-" {
            let data = FileHandle.standardInput.readData(ofLength: sizeLimit + 1)
            if data.count > sizeLimit { throw .tooLarge(path: "(stdin)", bytes: data.count, limit: sizeLimit) }
            return [UInt8](data)
        }
        switch readWholeFile(path, limit: sizeLimit) {
        case .success(let bytes): return bytes
        case .failure(.missing): throw .unreadable(path: path, reason: "no such file")
        case .failure(.unreadable(let reason)): throw .unreadable(path: path, reason: reason)
        case .failure(.tooLarge(let size)): throw .tooLarge(path: path, bytes: size, limit: sizeLimit)
        }
    }
}
