/// The width and height a PNG or JPEG declares, read from its header before any decoding, so
/// that the API can refuse a picture over its pixel limit before the decoder allocates it.
package enum DeclaredSize {
    /// nil when the header cannot be found: the decoder then says what is wrong.
    package static func of(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        if bytes.count >= 24, bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), bytes[12..<16].elementsEqual("IHDR".utf8) {
            return (bigEndian(bytes, 16, 4), bigEndian(bytes, 20, 4))
        }
        return bytes.starts(with: [0xFF, 0xD8]) ? jpeg(bytes) : nil
    }

    /// The sides in the first start-of-frame segment (SOF0…SOF15 but DHT, JPG and DAC).
    private static func jpeg(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        var at = 2
        while at + 4 <= bytes.count {
            guard bytes[at] == 0xFF else { return nil }
            let marker = bytes[at + 1]
            if marker == 0xFF { at += 1; continue }  // fill byte
            if (0xD0...0xD7).contains(marker) || marker == 0x01 { at += 2; continue }  // no length
            if marker == 0xDA || marker == 0xD9 { return nil }  // scan data or end before any frame
            let length = bigEndian(bytes, at + 2, 2)
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard at + 9 <= bytes.count else { return nil }
                return (bigEndian(bytes, at + 7, 2), bigEndian(bytes, at + 5, 2))
            }
            at += 2 + length
        }
        return nil
    }

    private static func bigEndian(_ bytes: [UInt8], _ at: Int, _ count: Int) -> Int {
        bytes[at..<(at + count)].reduce(0) { $0 << 8 | Int($1) }
    }
}
