import Foundation
import PNGFixtures
@testable import DigitsKit

/// Test pictures of digits, and PNG files of them in every colour type and depth.
enum Drawing {
    /// A thick ring (a "0") and a stem on a canvas: `ink` on `paper`, placed off-centre.
    static func digit(width: Int = 60, height: Int = 50, ink: UInt8 = 0, paper: UInt8 = 255,
                      centre: (Double, Double) = (22, 20), radius: Double = 12) -> GrayImage {
        var pixels = [UInt8](repeating: paper, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let dx = Double(x) + 0.5 - centre.0, dy = (Double(y) + 0.5 - centre.1) * 0.8
                let r = (dx * dx + dy * dy).squareRoot()
                let stem = abs(Double(x) + 0.5 - centre.0 - radius) < 2 && Double(y) > centre.1
                    && Double(y) < centre.1 + radius * 1.2
                if (r > radius - 4 && r < radius) || stem { pixels[y * width + x] = ink }
            }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    enum Kind: String, CaseIterable, Sendable {
        case gray, grayAlpha, rgb, rgba, palette
        var colorType: Int32 { [Kind.gray: 0, .grayAlpha: 4, .rgb: 2, .rgba: 6, .palette: 3][self]! }
        var channels: Int { [Kind.gray: 1, .grayAlpha: 2, .rgb: 3, .rgba: 4, .palette: 1][self]! }
    }

    /// `image` as a PNG of `kind` and `depth` (values rescaled to the depth; alpha opaque).
    static func png(_ image: GrayImage, kind: Kind, depth: Int, interlace: Bool = false, alpha: [UInt8]? = nil) -> [UInt8] {
        let maxValue = Double((1 << depth) - 1)
        var samples: [UInt16] = []
        var palette: [UInt8] = []
        var paletteIndex: [UInt8: UInt16] = [:]
        if kind == .palette {
            for g in Set(image.pixels).sorted() {
                paletteIndex[g] = UInt16(palette.count / 3)
                palette += [g, g, g]
            }
        }
        for (i, g) in image.pixels.enumerated() {
            let v = UInt16((Double(g) / 255 * maxValue).rounded())
            let a = UInt16((Double(alpha?[i] ?? 255) / 255 * maxValue).rounded())
            switch kind {
            case .gray: samples.append(v)
            case .grayAlpha: samples += [v, a]
            case .rgb: samples += [v, v, v]
            case .rgba: samples += [v, v, v, a]
            case .palette: samples.append(paletteIndex[g]!)
            }
        }
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        let status = samples.withUnsafeBufferPointer { s in
            palette.withUnsafeBufferPointer { p in
                pngfixture_encode(&out, &length, UInt32(image.width), UInt32(image.height), kind.colorType, Int32(depth),
                                  interlace ? 1 : 0, s.baseAddress, p.baseAddress, Int32(palette.count / 3), nil, 0)
            }
        }
        precondition(status == 0, "fixture PNG could not be written")
        defer { free(out) }
        return Array(UnsafeBufferPointer(start: out, count: length))
    }

    /// CRC-32 (as PNG chunks use), to forge headers that pass the checksum.
    static func crc32(_ bytes: some Collection<UInt8>) -> UInt32 {
        var c: UInt32 = 0xffff_ffff
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = (c >> 1) ^ (c & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~c
    }

    /// `png` with its IHDR width and height replaced (and the chunk's CRC fixed).
    static func withSize(_ png: [UInt8], width: UInt32, height: UInt32) -> [UInt8] {
        var bytes = png
        // Signature (8), length (4), "IHDR" (4), then width and height; the CRC follows 13 data bytes.
        for (offset, value) in [(16, width), (20, height)] {
            for i in 0..<4 { bytes[offset + i] = UInt8((value >> (24 - 8 * UInt32(i))) & 0xff) }
        }
        let crc = crc32(bytes[12..<29])
        for i in 0..<4 { bytes[29 + i] = UInt8((crc >> (24 - 8 * UInt32(i))) & 0xff) }
        return bytes
    }

    /// Centre of mass and ink bounding box of a 28×28 image.
    static func geometry(_ pixels: [Float]) -> (cx: Double, cy: Double, width: Int, height: Int) {
        var mass = 0.0, mx = 0.0, my = 0.0
        var (x0, y0, x1, y1) = (28, 28, -1, -1)
        for y in 0..<28 {
            for x in 0..<28 where pixels[y * 28 + x] > 0 {
                let v = Double(pixels[y * 28 + x])
                mass += v; mx += v * (Double(x) + 0.5); my += v * (Double(y) + 0.5)
                x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y)
            }
        }
        return (mx / mass, my / mass, x1 - x0 + 1, y1 - y0 + 1)
    }
}
