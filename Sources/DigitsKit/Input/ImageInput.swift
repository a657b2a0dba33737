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

/// Reads the images of one file (or standard input, `-`): PNG when it starts with the PNG
/// signature, CSV when it is text; the name of the file plays no part.
public enum ImageInput {
    /// Input files larger than this are refused before they are read whole.
    public static let sizeLimit = 256 << 20

    public static func read(_ path: String, raw: Bool) -> [Result<QueryImage, InputError>] {
        let bytes: [UInt8]
        do {
            bytes = try load(path)
        } catch {
            return [.failure(error)]
        }
        return images(in: bytes, path: path, raw: raw)
    }

    /// The images held by `bytes` that came from `path`.
    public static func images(in bytes: [UInt8], path: String, raw: Bool) -> [Result<QueryImage, InputError>] {
        let name = path == "-" ? "(stdin)" : path
        if bytes.isEmpty || bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return [.failure(.empty(path: name))]
        }
        if PNGImage.isPNG(bytes) {
            do {
                let image = try PNGImage.decode(bytes, path: name)
                let pixels = raw || Preprocess.isMNISTStyle(image)
                    ? try Preprocess.raw(image, path: name)
                    : try Preprocess.mnist(image, path: name)
                return [.success(QueryImage(source: name, file: name, pixels: pixels, label: nil))]
            } catch {
                return [.failure(error)]
            }
        }
        guard !bytes.contains(0), String(validating: bytes, as: UTF8.self) != nil else {
            return [.failure(.unrecognised(path: name))]
        }
        let rows = CSVImage.parse(bytes, path: name)
        if rows.isEmpty { return [.failure(.empty(path: name))] }
        let many = rows.count > 1
        return rows.map { row in
            row.map { QueryImage(source: many ? "\(name):\($0.line)" : name, file: name, pixels: $0.pixels, label: $0.label) }
        }
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
