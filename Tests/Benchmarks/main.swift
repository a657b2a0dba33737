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

/// Runs a command with its output discarded; the yardstick of process-level peers.
func shell(_ executable: String, _ arguments: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw CocoaError(.fileReadUnknown) }
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
