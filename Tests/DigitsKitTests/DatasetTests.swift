import Testing
@testable import DigitsKit

@Suite("Dataset")
struct DatasetTests {
    private func arrays(images: Int, labels: Int) -> (IDX.Array, IDX.Array) {
        (IDX.Array(dimensions: [images, 28, 28], bytes: Fixtures.images(count: images)),
         IDX.Array(dimensions: [labels], bytes: Fixtures.labels(count: labels)))
    }

    @Test func pairsImagesWithLabels() throws {
        let (images, labels) = arrays(images: 12, labels: 12)
        let set = try Dataset(images: images, imagesPath: "i", labels: labels, labelsPath: "l")
        #expect(set.count == 12)
        #expect(set.image(3).count == 784)
        #expect(Array(set.image(1)) == Array(Fixtures.images(count: 2)[784...]))
        #expect(set.labelHistogram == [2, 2, 1, 1, 1, 1, 1, 1, 1, 1])
        #expect(set.subset(10..<12).labels == [0, 1])
    }

    @Test func rejectsDifferentCounts() {
        let (images, labels) = arrays(images: 5, labels: 6)
        #expect(throws: IDXError.countMismatch(images: "a-images", imageCount: 5, labels: "a-labels", labelCount: 6)) {
            try Dataset(images: images, imagesPath: "a-images", labels: labels, labelsPath: "a-labels")
        }
        let message = IDXError.countMismatch(images: "a-images", imageCount: 5, labels: "a-labels", labelCount: 6).description
        #expect(message.contains("a-images") && message.contains("a-labels") && message.contains("5") && message.contains("6"))
    }

    @Test func rejectsLabelAboveNine() {
        let (images, _) = arrays(images: 3, labels: 3)
        let labels = IDX.Array(dimensions: [3], bytes: [1, 12, 3])
        #expect(throws: IDXError.labelOutOfRange(path: "the-labels", index: 1, label: 12)) {
            try Dataset(images: images, imagesPath: "i", labels: labels, labelsPath: "the-labels")
        }
        #expect(IDXError.labelOutOfRange(path: "the-labels", index: 1, label: 12).description.contains("the-labels"))
    }

    @Test func rejectsImagesThatAreNot28By28() {
        let images = IDX.Array(dimensions: [1, 32, 32], bytes: [UInt8](repeating: 0, count: 1024))
        let labels = IDX.Array(dimensions: [1], bytes: [0])
        #expect(throws: IDXError.wrongImageSize(path: "big", rows: 32, cols: 32)) {
            try Dataset(images: images, imagesPath: "big", labels: labels, labelsPath: "l")
        }
    }

    @Test(.enabled(if: Fixtures.mnistDirectory != nil, "MNIST_DIR does not point at the MNIST files; set it to run this test"))
    func loadsTheRealTestSet() throws {
        let set = try MNISTDirectory(path: Fixtures.mnistDirectory!).load(.test)
        #expect(set.count == 10_000)
        #expect(set.images.count == 10_000 * 28 * 28)
        #expect(set.labelHistogram == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
    }
}
