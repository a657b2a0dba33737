#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A stream of bytes read front to back, so that a reader can fill its final buffer directly
/// whether the file on disk is plain or gzip.
protocol ByteSource: AnyObject {
    /// Writes up to `buffer.count` bytes into `buffer`; returns how many, 0 only at a clean end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IDXError) -> Int
}

extension ByteSource {
    /// Reads until `buffer` is full or the stream ends; returns the number of bytes read.
    func readFully(into buffer: UnsafeMutableRawBufferPointer) throws(IDXError) -> Int {
        var filled = 0
        while filled < buffer.count {
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if n == 0 { break }
            filled += n
        }
        return filled
    }
}

/// An open file read through POSIX `read(2)`: no whole-file copy, errors named by path.
final class FileSource: ByteSource {
    let path: String
    /// Size on disk when opened.
    let size: Int
    private let fd: Int32
    private(set) var offset = 0

    init(path: String) throws(IDXError) {
        self.path = path
        // O_NONBLOCK: opening a FIFO (or a device) for reading would otherwise wait for a
        // writer forever, before any check could refuse it. A regular file ignores the flag.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw .missing(path: path) }
            throw .unreadable(path: path, reason: String(cString: strerror(code)))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw .unreadable(path: path, reason: reason)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw .unreadable(path: path, reason: (info.st_mode & S_IFMT) == S_IFDIR ? "is a directory" : "not a regular file (a FIFO, socket or device)")
        }
        self.fd = fd
        self.size = Int(info.st_size)
    }

    deinit { close(fd) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IDXError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            #if canImport(Glibc)
            let n = Glibc.read(fd, base, buffer.count)
            #else
            let n = Darwin.read(fd, base, buffer.count)
            #endif
            if n >= 0 {
                offset += n
                return n
            }
            if errno == EINTR { continue }
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// The first bytes of the file, without moving the read position.
    func peek(_ count: Int) throws(IDXError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, 0) }
        guard n >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        return Array(bytes.prefix(n))
    }
}

/// Bytes already in memory, read as a stream (for data that did not come from a file, and
/// for the fuzzers).
final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IDXError) -> Int {
        let n = min(buffer.count, bytes.count - offset)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}

/// Why a whole file could not be read.
enum FileReadError: Error {
    case missing
    case unreadable(String)
    case tooLarge(Int)
}

/// The whole of a regular file, read with `read(2)`, refusing files over `limit` bytes before
/// reading them.
func readWholeFile(_ path: String, limit: Int) -> Result<[UInt8], FileReadError> {
    let file: FileSource
    do {
        file = try FileSource(path: path)
    } catch {
        if case .missing = error { return .failure(.missing) }
        if case .unreadable(_, let reason) = error { return .failure(.unreadable(reason)) }
        return .failure(.unreadable("\(error)"))
    }
    guard file.size <= limit else { return .failure(.tooLarge(file.size)) }
    // Read to the end, not to the size stat gave: files under /proc and /sys say 0 bytes and
    // hold more; a file that grows past `limit` meanwhile is refused all the same.
    var bytes = [UInt8](repeating: 0, count: min(limit, file.size) + 1)
    var filled = 0
    var read: Result<Int, IDXError> = .success(0)
    while case .success = read, filled < bytes.count {
        read = bytes.withUnsafeMutableBytes { buffer -> Result<Int, IDXError> in
            do throws(IDXError) { return .success(try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))) } catch {
                return .failure(error)
            }
        }
        guard case .success(let n) = read, n > 0 else { break }
        filled += n
        if filled == bytes.count && filled <= limit { bytes += [UInt8](repeating: 0, count: min(limit + 1, 2 * bytes.count) - bytes.count) }
    }
    switch read {
    case .success:
        guard filled <= limit else { return .failure(.tooLarge(filled)) }
        bytes.removeLast(bytes.count - filled)
        return .success(bytes)
    case .failure(.unreadable(_, let reason)):
        return .failure(.unreadable(reason))
    case .failure(let error):
        return .failure(.unreadable("\(error)"))
    }
}
