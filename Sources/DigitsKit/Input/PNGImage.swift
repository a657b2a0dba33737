import CPNG
import CPNGDecode
#if canImport(Glibc)
import Glibc
#endif

/// PNG through libpng: every colour type, bit depth 1–16, palette, alpha and interlacing come
/// out as 8-bit gray and alpha, and every libpng error comes back as a value (the C shim holds
/// libpng's setjmp), so a bad file cannot take the process down. Reading uses libpng's full
/// API, because the simplified one (libpng 1.6.39) misreads interlaced 16-bit images; writing
/// uses the simplified API.
public enum PNGImage {
    /// The eight bytes every PNG starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Images declaring more pixels than this per side are refused before anything is allocated.
    public static let sideLimit = 10_000

    public static func isPNG(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: signature)
    }

    /// Decodes `bytes` to grayscale, compositing alpha onto the background the ink is not:
    /// dark strokes on a transparent canvas land on white, light strokes on black.
    public static func decode(_ bytes: [UInt8], path: String) throws(InputError) -> GrayImage {
        var pixels: UnsafeMutablePointer<UInt8>?
        var width: UInt32 = 0, height: UInt32 = 0
        var message = [CChar](repeating: 0, count: 160)
        let code = bytes.withUnsafeBufferPointer { buffer in
            cpng_decode_gray_alpha(buffer.baseAddress, buffer.count, UInt32(sideLimit), &pixels, &width, &height, &message, message.count)
        }
        let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch code {
        case 0:
            defer { free(pixels) }
            // Read in place, not copied into an array first: a picture at the 10,000 × 10,000
            // limit then needs 3 bytes a pixel at the most (gray and alpha, and the gray made).
            let ga = UnsafeBufferPointer(start: pixels, count: Int(width) * Int(height) * 2)
            return composite(ga, width: Int(width), height: Int(height))
        case 2:
            let sides = text.split(separator: " ").compactMap { Int($0) }
            if sides.count == 2, sides.contains(0) { throw .badPNG(path: path, reason: "zero width or height") }
            throw .pngTooLarge(path: path, width: sides.first ?? 0, height: sides.last ?? 0, limit: sideLimit)
        case 3:
            throw .badPNG(path: path, reason: "out of memory")
        default:
            throw .badPNG(path: path, reason: text.isEmpty ? "invalid PNG data" : text)
        }
    }

    /// Gray and alpha to gray: transparent areas become the background, chosen to contrast
    /// with the (alpha-weighted) mean of the opaque pixels.
    static func composite(_ ga: UnsafeBufferPointer<UInt8>, width: Int, height: Int) -> GrayImage {
        let count = width * height
        var weighted = 0.0, alphaSum = 0.0
        var opaque = true
        for p in 0..<count {
            let a = Double(ga[2 * p + 1])
            if a < 255 { opaque = false }
            weighted += Double(ga[2 * p]) * a
            alphaSum += a
        }
        if opaque {
            return GrayImage(width: width, height: height, pixels: (0..<count).map { ga[2 * $0] })
        }
        let inkMean = alphaSum > 0 ? weighted / alphaSum : 0
        let background = inkMean < 128 ? 255.0 : 0.0
        let gray = (0..<count).map { p -> UInt8 in
            let a = Double(ga[2 * p + 1]) / 255
            return UInt8((Double(ga[2 * p]) * a + background * (1 - a)).rounded())
        }
        return GrayImage(width: width, height: height, pixels: gray)
    }

    /// An 8-bit grayscale PNG of `image`.
    public static func encode(_ image: GrayImage) -> [UInt8] {
        encode(image.pixels, width: image.width, height: image.height, format: png_uint_32(PNG_FORMAT_GRAY), channels: 1)
    }

    /// An 8-bit RGB PNG of `image` (the report's figures).
    public static func encode(_ image: RGBImage) -> [UInt8] {
        encode(image.pixels, width: image.width, height: image.height, format: png_uint_32(PNG_FORMAT_RGB), channels: 3)
    }

    private static func encode(_ pixels: [UInt8], width: Int, height: Int, format: png_uint_32, channels: Int) -> [UInt8] {
        var png = png_image()
        png.version = png_uint_32(PNG_IMAGE_VERSION)
        png.width = png_uint_32(width)
        png.height = png_uint_32(height)
        png.format = format
        defer { png_image_free(&png) }
        var size: png_alloc_size_t = 0
        let stride = png_int_32(width * channels)
        // First call sizes the output, second writes it.
        _ = pixels.withUnsafeBytes { png_image_write_to_memory(&png, nil, &size, 0, $0.baseAddress, stride, nil) }
        var out = [UInt8](repeating: 0, count: Int(size))
        let ok = out.withUnsafeMutableBytes { buffer in
            pixels.withUnsafeBytes { png_image_write_to_memory(&png, buffer.baseAddress, &size, 0, $0.baseAddress, stride, nil) }
        }
        precondition(ok != 0, "libpng could not encode a \(width)×\(height) image of \(channels) channels")
        return Array(out.prefix(Int(size)))
    }
}
