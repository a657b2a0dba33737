import CJPEGDecode
#if canImport(Glibc)
import Glibc
#endif

/// JPEG through libjpeg-turbo: baseline and progressive, gray, colour and CMYK, decoded to 8-bit
/// gray and turned upright as its EXIF orientation says (a phone stores the sensor's rows and
/// a tag saying how to turn them). Every libjpeg error comes back as a value (the C shim holds
/// libjpeg's setjmp). Sides are bounded as for PNG, and a large photo is decoded at 1/2, 1/4
/// or 1/8 scale by libjpeg itself, never below `InkImage.workingSide`, which is all that
/// preprocessing would keep of it. A progressive file keeps all its coefficients at full size
/// whatever the scale, so libjpeg is given at most 256 MiB and 200 scans (`CJPEGDecode.c`).
public enum JPEGImage {
    /// Every JPEG starts with SOI (FF D8) and then a marker (FF).
    public static func isJPEG(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: [0xFF, 0xD8, 0xFF])
    }

    public static func decode(_ bytes: [UInt8], path: String) throws(InputError) -> GrayImage {
        var pixels: UnsafeMutablePointer<UInt8>?
        var exif: UnsafeMutablePointer<UInt8>?
        var width: UInt32 = 0, height: UInt32 = 0
        var exifLength = 0
        var message = [CChar](repeating: 0, count: 200)
        let code = bytes.withUnsafeBufferPointer { buffer in
            cjpeg_decode_gray(buffer.baseAddress, buffer.count, UInt32(PNGImage.sideLimit), UInt32(InkImage.workingSide),
                              &pixels, &width, &height, &exif, &exifLength, &message, message.count)
        }
        let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { free(pixels); free(exif) }
        switch code {
        case 0:
            let image = GrayImage(width: Int(width), height: Int(height),
                                  pixels: Array(UnsafeBufferPointer(start: pixels, count: Int(width) * Int(height))))
            let tags = exif.map { Array(UnsafeBufferPointer(start: $0, count: exifLength)) } ?? []
            return image.oriented(EXIF.orientation(tags))
        case 2:
            let sides = text.split(separator: " ").compactMap { Int($0) }
            if sides.count == 2, sides.contains(0) { throw .badImage(path: path, format: "JPEG", reason: "zero width or height") }
            throw .imageTooLarge(path: path, format: "JPEG", width: sides.first ?? 0, height: sides.last ?? 0, limit: PNGImage.sideLimit)
        case 3:
            throw .badImage(path: path, format: "JPEG", reason: "out of memory")
        default:
            throw .badImage(path: path, format: "JPEG", reason: text.isEmpty ? "invalid JPEG data" : text)
        }
    }
}

/// The one EXIF tag a digit reader needs: Orientation (0x0112), 1…8, from the TIFF structure
/// of an APP1 segment; 1 (as stored) when it is missing or anything about it is malformed.
enum EXIF {
    static func orientation(_ tiff: [UInt8]) -> Int {
        guard tiff.count >= 8 else { return 1 }
        let little: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return 1
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= tiff.count else { return nil }
            return little ? Int(tiff[at]) | Int(tiff[at + 1]) << 8 : Int(tiff[at]) << 8 | Int(tiff[at + 1])
        }
        func u32(_ at: Int) -> Int? {
            guard let a = u16(at), let b = u16(at + 2) else { return nil }
            return little ? a | b << 16 : a << 16 | b
        }
        guard u16(2) == 42, let ifd = u32(4), let count = u16(ifd) else { return 1 }
        for entry in 0..<min(count, 512) {
            let at = ifd + 2 + 12 * entry
            guard let tag = u16(at) else { return 1 }
            if tag == 0x0112, let type = u16(at + 2), type == 3, let value = u16(at + 8), (1...8).contains(value) {
                return value
            }
        }
        return 1
    }
}

extension GrayImage {
    /// The image turned upright from EXIF orientation `o`: 2 mirrored, 3 turned 180°, 4
    /// flipped, 5 transposed, 6 turned 90° clockwise to view, 7 transversed, 8 turned 90°
    /// anticlockwise to view.
    func oriented(_ o: Int) -> GrayImage {
        guard (2...8).contains(o) else { return self }
        let swaps = o >= 5
        let (w, h) = swaps ? (height, width) : (width, height)
        var out = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                // (x, y) in the upright image comes from (sx, sy) in the stored one.
                let (sx, sy): (Int, Int)
                switch o {
                case 2: (sx, sy) = (width - 1 - x, y)
                case 3: (sx, sy) = (width - 1 - x, height - 1 - y)
                case 4: (sx, sy) = (x, height - 1 - y)
                case 5: (sx, sy) = (y, x)
                case 6: (sx, sy) = (y, height - 1 - x)
                case 7: (sx, sy) = (width - 1 - y, height - 1 - x)
                default: (sx, sy) = (width - 1 - y, x)
                }
                out[y * w + x] = pixels[sy * width + sx]
            }
        }
        return GrayImage(width: w, height: h, pixels: out)
    }
}
