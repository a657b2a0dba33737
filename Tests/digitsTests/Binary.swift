import Foundation

/// Runs the built `digits` executable, as a user would, and collects what it prints.
struct Binary {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The `digits` next to the test bundle (SwiftPM builds it for this test target).
    static var url: URL {
        if let override = ProcessInfo.processInfo.environment["DIGITS_BIN"] { return URL(fileURLWithPath: override) }
        return Bundle.main.bundleURL.appendingPathComponent("digits")
    }

    /// Runs `digits arguments`; output goes through files, so no pipe can fill and block it.
    /// A run still going after `timeout` seconds is killed and reported with status −1 (a
    /// hang then fails its test instead of stalling the suite).
    static func run(_ arguments: [String], environment: [String: String] = [:], stdin: Data = Data(),
                    in directory: String? = nil, timeout: Double = 900) throws -> Result {
        let scratch = NSTemporaryDirectory() + "digits-run-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        for name in ["in", "out", "err"] { FileManager.default.createFile(atPath: scratch + "/" + name, contents: nil) }
        try stdin.write(to: URL(fileURLWithPath: scratch + "/in"))

        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "MNIST_DIR")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardInput = FileHandle(forReadingAtPath: scratch + "/in")
        process.standardOutput = FileHandle(forWritingAtPath: scratch + "/out")
        process.standardError = FileHandle(forWritingAtPath: scratch + "/err")
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        let hung = finished.wait(timeout: .now() + timeout) == .timedOut
        if hung {
            process.terminate()
            process.waitUntilExit()
        }
        return Result(
            status: hung ? -1 : process.terminationStatus,
            stdout: String(decoding: FileManager.default.contents(atPath: scratch + "/out") ?? Data(), as: UTF8.self),
            stderr: String(decoding: FileManager.default.contents(atPath: scratch + "/err") ?? Data(), as: UTF8.self))
    }
}
