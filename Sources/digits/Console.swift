import Foundation

/// Where the commands write: whole lines straight to the file descriptors (no stdio
/// buffering, so per-epoch lines show up in a pipe or CI log as they happen).
enum Console {
    static func line(_ text: String = "") {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Whether standard error is a terminal a person is watching (and not a CI log): only then
    /// is a progress bar drawn, since in a file or a pipe every redraw would stay as a line.
    static var isInteractive: Bool {
        isatty(2) == 1 && ProcessInfo.processInfo.environment["CI"] == nil
    }

    /// Redraws a progress bar in place on standard error. The width is asked for at every
    /// redraw, so a resized window is followed.
    static func progress(_ label: String, done: Int, total: Int) {
        let line = progressLine(label, done: done, total: total, columns: terminalColumns())
        FileHandle.standardError.write(Data(("\r" + line).utf8))
    }

    static func clearProgress() {
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }

    /// `label [#####.....] done/total` in at most `columns - 1` columns: a line as wide as the
    /// terminal wraps, and `\r` then returns to the wrapped part, so every redraw would leave a
    /// line behind. ASCII only, because block characters such as █ and · take two columns in
    /// East Asian locales. A terminal too narrow for a bar of 10 gets the count alone.
    static func progressLine(_ label: String, done: Int, total: Int, columns: Int) -> String {
        let count = " \(done)/\(total)"
        let room = columns - 1 - label.count - count.count - " []".count
        guard room >= 10 else { return String((label + count).prefix(max(0, columns - 1))) }
        let width = min(room, 50)
        let filled = total > 0 ? min(width, max(0, done) * width / total) : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        return "\(label) [\(bar)]\(count)"
    }

    /// The terminal's width in columns: asked of standard error, then standard output (the
    /// kernel knows it for a terminal); else `$COLUMNS`; else 80.
    static func terminalColumns() -> Int {
        var size = winsize()
        for fd: Int32 in [2, 1] where ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 {
            return Int(size.ws_col)
        }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap({ Int($0) }), columns > 0 {
            return columns
        }
        return 80
    }
}
