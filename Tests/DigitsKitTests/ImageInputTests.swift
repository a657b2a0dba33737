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
        let fromPNG = try ImageInput.read(png)[0].get()
        let fromCSV = try ImageInput.read(csv, normalisation: .never)[0].get()
        #expect(fromPNG.pixels.count == 784 && fromPNG.source == png)
        #expect(fromCSV.pixels == CSVImageTests.pixels.map(Float.init))
    }

    @Test func refusesWhatIsNeither() {
        let binary = file([0x00, 0x01, 0x02, 0x80, 0xFE] + [UInt8](repeating: 0x80, count: 200), name: "photo.png")
        #expect(throws: InputError.unrecognised(path: binary)) { try ImageInput.read(binary)[0].get() }
        // A JPEG's signature with no image behind it is a JPEG that cannot be read, whatever its name.
        let jpeg = file([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01] + [UInt8](repeating: 0x80, count: 200), name: "photo.png")
        #expect { try ImageInput.read(jpeg)[0].get() } throws: { error in
            guard case .badImage(jpeg, "JPEG", _)? = error as? InputError else { return false }
            return true
        }
        let empty = file([], name: "empty.csv")
        #expect(throws: InputError.empty(path: empty)) { try ImageInput.read(empty)[0].get() }
        let missing = Fixtures.folder() + "/none.csv"
        #expect(throws: InputError.unreadable(path: missing, reason: "no such file")) { try ImageInput.read(missing)[0].get() }
        let folder = Fixtures.folder()
        #expect(throws: InputError.unreadable(path: folder, reason: "is a directory")) { try ImageInput.read(folder)[0].get() }
    }

    @Test func aTwentyEightSquarePNGOnBlackIsNormalisedLikeAnyOtherUnlessRaw() throws {
        let image = Drawing.digit(width: 28, height: 28, ink: 255, paper: 0, centre: (10, 10), radius: 6)
        let path = file(PNGImage.encode(image), name: "small.png")
        let read = try ImageInput.read(path)[0].get().pixels
        let g = Drawing.geometry(read)
        #expect(abs(g.cx - 14.5) <= 0.5 && abs(g.cy - 14.5) <= 0.5, "centre of mass at (\(g.cx), \(g.cy))")
        #expect(max(g.width, g.height) >= 19, "not scaled up into the 20-pixel box: \(g.width)×\(g.height)")
        #expect(try ImageInput.read(path, normalisation: .never)[0].get().pixels == image.pixels.map(Float.init))
    }
}
