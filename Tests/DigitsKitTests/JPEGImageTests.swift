import Foundation
import PNGFixtures
import Testing
@testable import DigitsKit

extension Drawing {
    /// The body of an EXIF segment ("Exif\0\0" and TIFF) holding only Orientation = `o`.
    static func exif(orientation o: Int, bigEndian: Bool = false) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 64)
        let n = jpegfixture_exif(&out, Int32(o), bigEndian ? 1 : 0)
        return Array(out.prefix(n))
    }

    /// `image` as a JPEG: 1 component (gray), 3 (RGB, with a warm colour cast) or 4 (CMYK as
    /// Adobe writes it: inverted, the gray in K).
    static func jpeg(_ image: GrayImage, components: Int = 1, progressive: Bool = false, quality: Int = 92,
                     orientation: Int = 0) -> [UInt8] {
        var samples: [UInt8] = []
        for g in image.pixels {
            switch components {
            case 1: samples.append(g)
            case 3: samples += [g, UInt8(Double(g) * 0.93), UInt8(Double(g) * 0.8)]
            default: samples += [255, 255, 255, g]
            }
        }
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        _ = samples.withUnsafeBufferPointer { s in
            jpegfixture_encode(&out, &length, UInt32(image.width), UInt32(image.height), s.baseAddress, Int32(components),
                               progressive ? 1 : 0, Int32(quality), Int32(orientation))
        }
        defer { free(out) }
        return Array(UnsafeBufferPointer(start: out, count: length))
    }

    /// `image` stored the way a camera would store it for EXIF orientation 3, 6 or 8 (so that
    /// a reader honouring the tag shows `image` upright). Written from the tag's definition,
    /// independently of the reader.
    static func stored(_ image: GrayImage, forOrientation o: Int) -> GrayImage {
        let (w, h) = (image.width, image.height)
        switch o {
        case 3:
            return GrayImage(width: w, height: h, pixels: (0..<w * h).map { i in image[w - 1 - i % w, h - 1 - i / w] })
        case 6:  // Shown turned 90° clockwise: stored turned 90° anticlockwise.
            return GrayImage(width: h, height: w, pixels: (0..<w * h).map { i in image[w - 1 - i / h, i % h] })
        default:  // 8: shown turned anticlockwise: stored turned clockwise.
            return GrayImage(width: h, height: w, pixels: (0..<w * h).map { i in image[i / h, h - 1 - i % h] })
        }
    }
}

@Suite("JPEG input")
struct JPEGImageTests {
    static let digit = Drawing.digit(width: 64, height: 48, centre: (24, 22), radius: 14)

    static func meanDifference(_ a: GrayImage, _ b: GrayImage) -> Double {
        zip(a.pixels, b.pixels).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(a.pixels.count)
    }

    @Test(arguments: [(1, false), (1, true), (3, false), (3, true), (4, false), (4, true)])
    func decodesGrayColourAndCMYKBaselineAndProgressive(components: Int, progressive: Bool) throws {
        let bytes = Drawing.jpeg(Self.digit, components: components, progressive: progressive)
        #expect(JPEGImage.isJPEG(bytes))
        let image = try JPEGImage.decode(bytes, path: "d.jpg")
        #expect(image.width == 64 && image.height == 48)
        // Luma of the warm cast is ~0.91 of the gray: allow that and JPEG's ringing.
        let limit = components == 3 ? 16.0 : 4.0
        #expect(Self.meanDifference(image, Self.digit) < limit, "\(components) components: off by \(Self.meanDifference(image, Self.digit))")
    }

    @Test(arguments: [3, 6, 8])
    func exifOrientationTurnsThePhotoUpright(orientation: Int) throws {
        let stored = Drawing.stored(Self.digit, forOrientation: orientation)
        let image = try JPEGImage.decode(Drawing.jpeg(stored, orientation: orientation), path: "r.jpg")
        #expect(image.width == 64 && image.height == 48)
        #expect(Self.meanDifference(image, Self.digit) < 4, "orientation \(orientation): not upright")
        #expect(EXIF.orientation(Array(Drawing.exif(orientation: orientation, bigEndian: true).dropFirst(6))) == orientation)
        // Without the tag the same pixels are not upright: the test can tell.
        let untagged = try JPEGImage.decode(Drawing.jpeg(stored), path: "r.jpg")
        #expect(untagged.width != 64 || Self.meanDifference(untagged, Self.digit) > 20)
    }

    @Test func malformedEXIFIsIgnored() {
        #expect(EXIF.orientation([]) == 1)
        #expect(EXIF.orientation(Array(Drawing.exif(orientation: 6).dropFirst(6).prefix(12))) == 1)
        #expect(EXIF.orientation(Array(Drawing.exif(orientation: 9).dropFirst(6))) == 1)
        #expect(EXIF.orientation(Array(Drawing.exif(orientation: 6).dropFirst(6))) == 6)
    }

    @Test func badJPEGsAreTypedErrors() {
        let good = Drawing.jpeg(Self.digit)
        #expect(throws: InputError.self) { try JPEGImage.decode(Array(good.prefix(good.count / 2)), path: "cut.jpg") }
        #expect(throws: InputError.self) { try JPEGImage.decode([0xFF, 0xD8, 0xFF, 0xE0], path: "stub.jpg") }
        var big = good
        // SOF0's height and width (after FF C0, length, precision) forged to 20000 × 20000.
        if let sof = (0..<big.count - 1).first(where: { big[$0] == 0xFF && big[$0 + 1] == 0xC0 }) {
            big[sof + 5] = 0x4E; big[sof + 6] = 0x20; big[sof + 7] = 0x4E; big[sof + 8] = 0x20
        }
        #expect(throws: InputError.imageTooLarge(path: "big.jpg", format: "JPEG", width: 20000, height: 20000, limit: 10000)) {
            try JPEGImage.decode(big, path: "big.jpg")
        }
    }

    @Test func aLargePhotoIsDecodedScaledDown() throws {
        let photo = Drawing.digit(width: 1600, height: 1200, centre: (800, 600), radius: 300)
        let image = try JPEGImage.decode(Drawing.jpeg(photo, quality: 70), path: "p.jpg")
        #expect(image.width == 400 && image.height == 300, "decoded at \(image.width)×\(image.height)")
    }
}
