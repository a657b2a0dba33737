import Foundation

/// Debian's headless Chromium, for the tests that render the report as a browser does.
enum Chromium {
    /// The browser, when installed (`CHROMIUM` names another).
    static let path: String? = {
        let candidates = [ProcessInfo.processInfo.environment["CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser"]
        return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static let skipReason: Comment = "Chromium is not installed (apt-get install chromium; .ci/run installs it): the browser test cannot run"

    /// Runs the browser headless on `url` with `arguments`; returns its standard output.
    static func run(_ arguments: [String], url: String) throws -> (status: Int32, stdout: String) {
        let out = NSTemporaryDirectory() + "chromium-\(UUID().uuidString).out"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: out) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        // Root in a container needs --no-sandbox; a profile of its own keeps runs apart.
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                             "--user-data-dir=" + NSTemporaryDirectory() + "chromium-profile-\(UUID().uuidString)"] + arguments + [url]
        process.standardOutput = FileHandle(forWritingAtPath: out)
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: FileManager.default.contents(atPath: out) ?? Data(), as: UTF8.self))
    }
}

import Testing
