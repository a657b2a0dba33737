import CZlib

/// gzip, through zlib: a streaming inflater that IDX reads through, and a compressor for the
/// fixtures and files the project writes.
public enum Gzip {
    /// The two bytes every gzip member starts with (RFC 1952).
    public static let magic: [UInt8] = [0x1f, 0x8b]

    /// Whether `bytes` start like a gzip stream; content decides, never the file name.
    public static func isGzip(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: magic)
    }

    /// Compresses `bytes` into one gzip member (RFC 1952, CRC-32 and length trailer).
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 16: write a gzip header and trailer instead of zlib's.
        guard czlib_deflateInit2(&stream, level, 15 + 16) == Z_OK else {
            fatalError("zlib deflateInit2 failed: out of memory")
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(bytes.count))) + 32
        var output = [UInt8](repeating: 0, count: bound)
        var input = bytes
        let written: Int = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                let status = deflate(&stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "deflate into a deflateBound buffer must finish")
                return outBuf.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(written))
    }
}

/// Inflates a gzip file as it is read, in fixed chunks, so memory stays at one input buffer
/// however large the file claims to be. Concatenated gzip members are read as one stream,
/// as `gzip -dc` does.
final class GzipSource: ByteSource {
    private let file: ByteSource
    private let path: String
    private var stream = z_stream()
    private let input: UnsafeMutableRawBufferPointer
    private var inputEnded = false
    private var finished = false

    static let chunkSize = 1 << 16

    /// Inflates what `file` holds; errors name `path`.
    init(file: ByteSource, path: String) throws(IDXError) {
        self.file = file
        self.path = path
        input = .allocate(byteCount: Self.chunkSize, alignment: 16)
        // windowBits 15 + 32: detect gzip (or zlib) from the header.
        guard czlib_inflateInit2(&stream, 15 + 32) == Z_OK else {
            input.deallocate()
            throw .corruptGzip(path: path, reason: "zlib could not start (out of memory)")
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    private var message: String {
        stream.msg.map { String(cString: $0) } ?? "invalid data"
    }

    private func refill() throws(IDXError) {
        let n = try file.read(into: input)
        if n == 0 { inputEnded = true }
        stream.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.avail_in = uInt(n)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IDXError) -> Int {
        guard !finished, let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        stream.next_out = base.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(min(buffer.count, Int(UInt32.max)))
        let capacity = Int(stream.avail_out)
        while stream.avail_out > 0 {
            if stream.avail_in == 0 && !inputEnded {
                try refill()
            }
            let status = inflate(&stream, Z_NO_FLUSH)
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                // The member's CRC-32 and length have been checked by zlib. Another member may follow.
                if stream.avail_in == 0 && !inputEnded { try refill() }
                if stream.avail_in == 0 {
                    finished = true
                    return capacity - Int(stream.avail_out)
                }
                inflateReset(&stream)
            case Z_BUF_ERROR:
                // No progress possible: needs input that is not there.
                if inputEnded {
                    throw .corruptGzip(path: path, reason: "unexpected end of file (the gzip stream is truncated)")
                }
            case Z_DATA_ERROR:
                throw .corruptGzip(path: path, reason: message)
            case Z_MEM_ERROR:
                throw .corruptGzip(path: path, reason: "zlib ran out of memory")
            default:
                throw .corruptGzip(path: path, reason: "zlib error \(status): \(message)")
            }
        }
        return capacity
    }
}
