import DigitsKit
import Foundation

// `make bench`: each measurement is a median over repeated runs, set beside a peer measured in
// the same run (the machine is small and noisy, so only ratios from one run mean much).

/// Seconds taken by `body`, median of `runs` after one warm-up run.
func median(runs: Int, _ body: () throws -> Void) rethrows -> Double {
    try body()
    var times: [Double] = []
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    times.sort()
    return times[times.count / 2]
}

/// Runs a command with its output discarded, through posix_spawn and waitpid (Foundation's
/// Process adds tens of milliseconds of its own on Linux, which would swamp what is measured).
func shell(_ executable: String, _ arguments: [String]) throws {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0 else { throw CocoaError(.fileReadUnknown) }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    guard status == 0 else { throw CocoaError(.fileReadUnknown) }
}

func format(_ seconds: Double) -> String { String(format: "%.1f ms", seconds * 1000) }

let directory = MNISTDirectory.resolve(option: CommandLine.arguments.dropFirst().first)
guard let trainImages = directory.locate(.trainImages) else {
    print("benchmark needs MNIST: set MNIST_DIR or pass the folder (\(directory.path) has no train-images-idx3-ubyte[.gz])")
    exit(1)
}
let runs = Int(ProcessInfo.processInfo.environment["BENCH_RUNS"] ?? "") ?? 11

print("IDX load: \(trainImages), median of \(runs)")
let load = try median(runs: runs) { _ = try IDX.read(trainImages, kind: .images) }
let gzipPath = ["/usr/bin/gzip", "/bin/gzip"].first { FileManager.default.isExecutableFile(atPath: $0) }
if let gzipPath, Gzip.isGzip(FileManager.default.contents(atPath: trainImages)!.prefix(2)) {
    let yardstick = try median(runs: runs) { try shell(gzipPath, ["-dc", trainImages]) }
    print("  digits IDX.read (inflate + parse)   \(format(load))")
    print("  gzip -dc FILE > /dev/null           \(format(yardstick))")
    print(String(format: "  ratio digits / gzip: %.2f (target <= 1.30)", load / yardstick))
} else {
    print("  digits IDX.read   \(format(load)) (file not gzip, or no gzip here: no yardstick)")
}

// `digits query` on one CSV with the default model, as a whole process, beside the cost of
// starting any process (`/bin/true`) measured the same way.
let digits = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("digits").path
if FileManager.default.isExecutableFile(atPath: digits) {
    let csv = NSTemporaryDirectory() + "digits-bench-query.csv"
    let image = (0..<784).map { i in (i % 28 >= 12 && i % 28 <= 15 && i / 28 >= 4 && i / 28 <= 23) ? "255" : "0" }
    try image.joined(separator: ",").write(toFile: csv, atomically: true, encoding: .utf8)
    let queryRuns = max(runs, 21)
    print("digits query, whole process, median of \(queryRuns)")
    let query = try median(runs: queryRuns) { try shell(digits, ["query", csv]) }
    let spawn = try median(runs: queryRuns) { try shell("/bin/true", []) }
    print("  digits query x.csv                  \(format(query)) (target < 30 ms)")
    print("  /bin/true (process start)           \(format(spawn))")
} else {
    print("digits query: build the release binary first (make build) to measure it")
}
