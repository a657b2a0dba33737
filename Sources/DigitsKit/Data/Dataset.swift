/// Labelled 28×28 images, as MNIST ships them: the raw bytes, contiguous, one image after
/// another, with their labels. Scaling to the network's inputs happens at training time.
public struct Dataset: Sendable {
    public static let rows = 28
    public static let cols = 28
    public static let pixelCount = rows * cols

    /// count × 28 × 28 pixel intensities 0…255, row-major.
    public let images: [UInt8]
    /// One digit 0…9 per image, or `notADigit` for a picture that is none (`NonDigits`).
    public let labels: [UInt8]

    /// The label of a picture that is no digit: never in MNIST's files, only in training sets
    /// that `appending(nonDigits:)` made.
    public static let notADigit: UInt8 = 10

    public var count: Int { labels.count }

    /// Pairs images with labels, refusing anything that would make a wrong data set: a
    /// different count, images that are not 28×28, a label above 9.
    public init(images: IDX.Array, imagesPath: String, labels: IDX.Array, labelsPath: String) throws(IDXError) {
        let (rows, cols) = (images.dimensions[1], images.dimensions[2])
        guard rows == Self.rows, cols == Self.cols else {
            throw .wrongImageSize(path: imagesPath, rows: rows, cols: cols)
        }
        guard images.dimensions[0] == labels.dimensions[0] else {
            throw .countMismatch(images: imagesPath, imageCount: images.dimensions[0], labels: labelsPath, labelCount: labels.dimensions[0])
        }
        if let bad = labels.bytes.firstIndex(where: { $0 > 9 }) {
            throw .labelOutOfRange(path: labelsPath, index: bad, label: labels.bytes[bad])
        }
        self.images = images.bytes
        self.labels = labels.bytes
    }

    /// A data set from bytes already checked (fixtures, subsets, exports).
    public init(images: [UInt8], labels: [UInt8]) {
        precondition(images.count == labels.count * Self.pixelCount, "images and labels disagree")
        precondition(labels.allSatisfy { $0 <= Self.notADigit }, "labels are digits or notADigit")
        self.images = images
        self.labels = labels
    }

    /// The 784 pixels of image `index`.
    public func image(_ index: Int) -> ArraySlice<UInt8> {
        images[index * Self.pixelCount..<(index + 1) * Self.pixelCount]
    }

    /// How many images of each digit 0…9 (pictures that are no digit are not counted).
    public var labelHistogram: [Int] {
        var histogram = [Int](repeating: 0, count: 10)
        for label in labels where label < Self.notADigit { histogram[Int(label)] += 1 }
        return histogram
    }

    /// The images `range` (for validation splits and quick runs).
    public func subset(_ range: Range<Int>) -> Dataset {
        Dataset(
            images: Array(images[range.lowerBound * Self.pixelCount..<range.upperBound * Self.pixelCount]),
            labels: Array(labels[range]))
    }

    /// This set with `images` (784 bytes each) added at the end, labelled `notADigit`.
    public func appending(nonDigits images: [UInt8]) -> Dataset {
        appending(Dataset(images: images, labels: [UInt8](repeating: Self.notADigit, count: images.count / Self.pixelCount)))
    }

    /// This set with `other`'s images and labels added at the end.
    public func appending(_ other: Dataset) -> Dataset {
        Dataset(images: images + other.images, labels: labels + other.labels)
    }
}
