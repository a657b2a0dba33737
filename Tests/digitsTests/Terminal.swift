import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs `digits` with standard error on a pseudo-terminal of a chosen width, the way a person's
/// terminal is, or on a plain file; and without `CI` in its environment, so that what decides
/// whether a progress bar is drawn is the terminal alone.
enum Terminal {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `digits arguments` and returns its exit status and everything it wrote to standard
    /// error: a terminal `columns` wide when given, else a file. Standard output is discarded.
    static func run(_ arguments: [String], columns: UInt16?, environment: [String: String] = [:]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = Binary.url
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "CI")
        env.removeValue(forKey: "MNIST_DIR")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        guard let columns else { return try runOnFile(process) }
        return try runOnTerminal(process, columns: columns)
    }

    private static func runOnFile(_ process: Process) throws -> (status: Int32, stderr: String) {
        let path = NSTemporaryDirectory() + "digits-stderr-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: path, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: path) }
        process.standardError = FileHandle(forWritingAtPath: path)
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        return (process.terminationStatus, text)
    }

    /// The child gets the terminal's end as standard error; this side reads the other end until
    /// the kernel says no one holds the terminal's end any more (EIO), which is after the exit.
    private static func runOnTerminal(_ process: Process, columns: UInt16) throws -> (status: Int32, stderr: String) {
        var master: Int32 = -1, slave: Int32 = -1
        var size = winsize(ws_row: 24, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&master, &slave, nil, nil, &size) == 0 else { throw Failure(description: "openpty failed: errno \(errno)") }
        defer { close(master) }
        // Not inherited by the processes other tests start meanwhile, which would keep it open.
        _ = fcntl(master, F_SETFD, FD_CLOEXEC)
        _ = fcntl(slave, F_SETFD, FD_CLOEXEC)
        let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        process.standardError = terminal
        try process.run()
        try terminal.close()
        var screen: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(master, &buffer, buffer.count)
            if n > 0 { screen += buffer[0..<n] } else if n < 0 && errno == EINTR { continue } else { break }
        }
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: screen, as: UTF8.self))
    }

    /// What a terminal shows one redraw at a time: the text between carriage returns, newlines
    /// and line clears.
    static func redraws(_ screen: String) -> [String] {
        screen.replacingOccurrences(of: "\u{1B}[2K", with: "\r")
            .split(whereSeparator: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" })
            .map(String.init)
    }
}
