#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be written; the destination is left as it was.
public struct WriteError: Error, Equatable, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): cannot write: \(reason)" }
}

/// Writes files so that a reader (or a crash) sees either the old file or the complete new one,
/// never a part: the bytes go to a temporary file in the same folder, are flushed to disk, and
/// the temporary file is renamed over the destination.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws(WriteError) {
        try refuseNonRegular(path)
        let (folder, name) = (directory(of: path), fileName(of: path))
        removeStaleTemporaries(in: folder, for: name)
        let temporary = temporaryPath(for: path)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                written += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw WriteError(path: path, reason: failure)
        }
    }

    /// Removes the temporary files of writes to `name` whose process is gone (killed before it
    /// could rename or remove them), so that interrupted writes leave nothing behind for long.
    static func removeStaleTemporaries(in folder: String, for name: String) {
        guard let dir = opendir(folder) else { return }
        defer { closedir(dir) }
        let prefix = temporaryPrefix(name)
        while let entry = readdir(dir) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard entryName.hasPrefix(prefix) else { continue }
            let rest = entryName.dropFirst(prefix.count)
            guard let pid = rest.split(separator: "-").first.flatMap({ Int32($0) }), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(folder + "/" + entryName) }
        }
    }

    /// Creates `path` and its parents when missing (`mkdir -p`).
    public static func createDirectory(_ path: String) throws(WriteError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 {
                let code = errno
                var info = stat()
                if code == EEXIST && stat(prefix, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR { continue }
                let reason = code == EEXIST ? "\(prefix) is a file, not a folder" : "cannot create folder \(prefix): \(String(cString: strerror(code)))"
                throw WriteError(path: path, reason: reason)
            }
        }
    }

    /// The last component of `path`.
    static func fileName(of path: String) -> String {
        String(path.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
    }

    /// How the temporary files of writes to `name` begin: `.NAME.tmp-`, then the writer's pid.
    static func temporaryPrefix(_ name: String) -> String { "." + name + ".tmp-" }

    /// A new temporary file's path beside `path`, named for this process.
    static func temporaryPath(for path: String) -> String {
        directory(of: path) + "/" + temporaryPrefix(fileName(of: path)) + "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// The folder holding `path` ("." for a bare name).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

extension AtomicFile {
    /// Fails now, rather than after an hour of work, when `path` could not be written: its
    /// folder is created if missing; what is there must be a regular file or nothing; and the
    /// temporary file the write will use is created and removed beside it, which is what
    /// finds a folder that takes no new files (/proc, /sys, a read-only disk) or a name too
    /// long for the file system.
    public static func checkWritable(_ path: String) throws(WriteError) {
        let folder = directory(of: path)
        do { try createDirectory(folder) } catch { throw WriteError(path: path, reason: error.reason) }
        try refuseNonRegular(path)
        if access(folder, W_OK) != 0 {
            throw WriteError(path: path, reason: "folder \(folder) is not writable: \(String(cString: strerror(errno)))")
        }
        let probe = temporaryPath(for: path)
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 {
            throw WriteError(path: path, reason: "cannot create a file in \(folder): \(String(cString: strerror(errno)))")
        }
        close(fd)
        unlink(probe)
    }

    /// Refuses a destination that exists and is not a regular file: renaming over it would
    /// replace a symbolic link (not the file it names), a device node, a FIFO or a folder.
    static func refuseNonRegular(_ path: String) throws(WriteError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: throw WriteError(path: path, reason: "is a folder")
        case S_IFLNK: throw WriteError(path: path, reason: "is a symbolic link: not replaced (name the file it points to)")
        default: throw WriteError(path: path, reason: "is not a regular file (a device, FIFO or socket): not replaced")
        }
    }
}
