import Foundation
import Testing
@testable import DigitsKit

@Suite("Image input")
struct ImageInputTests {
    private func file(_ bytes: [UInt8], name: String) -> String {
        let path = Fixtures.folder() + "/" + name
        Fixtures.write(bytes, to: path)
        return path
    }

    @Test func contentDecidesNotTheName() throws {
        let png = file(Drawing.png(Drawing.digit(), kind: .rgb, depth: 8), name: "drawing.csv")
        let csv = file(Array(CSVImageTests.line.utf8), name: "values.png")
        let fromPNG = try ImageInput.read(png, raw: false)[0].get()
        let fromCSV = try ImageInput.read(csv, raw: false)[0].get()
        #expect(fromPNG.pixels.count == 784 && fromPNG.source == png)
        #expect(fromCSV.pixels == CSVImageTests.pixels.map(Float.init))
    }

    @Test func refusesWhatIsNeither() {
        let jpeg = file([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01] + [UInt8](repeating: 0x80, count: 200), name: "photo.png")
        #expect(throws: InputError.unrecognised(path: jpeg)) { try ImageInput.read(jpeg, raw: false)[0].get() }
        let empty = file([], name: "empty.csv")
        #expect(throws: InputError.empty(path: empty)) { try ImageInput.read(empty, raw: false)[0].get() }
        let missing = Fixtures.folder() + "/none.csv"
        #expect(throws: InputError.unreadable(path: missing, reason: "no such file")) { try ImageInput.read(missing, raw: false)[0].get() }
        let folder = Fixtures.folder()
        #expect(throws: InputError.unreadable(path: folder, reason: "is a directory")) { try ImageInput.read(folder, raw: false)[0].get() }
    }

    @Test func aTwentyEightSquarePNGOnBlackIsTakenAsItIs() throws {
        let image = Drawing.digit(width: 28, height: 28, ink: 255, paper: 0, centre: (10, 10), radius: 6)
        let path = file(PNGImage.encode(image), name: "mnist.png")
        #expect(try ImageInput.read(path, raw: false)[0].get().pixels == image.pixels.map(Float.init))
    }
}
