import DigitsKernels
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
func shell(_ executable: String, _ arguments: [String], stdout: String = "/dev/null") throws {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
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
let binFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
let digits = binFolder + "/digits"
func line(_ label: String, _ value: String) { print("  " + label.padding(toLength: 44, withPad: " ", startingAt: 0) + value) }

// MARK: Dense products of the kernels for any depth

// The three products of a batch of 128 on an 800 × 800 layer, one thread, against numpy's sgemm
// on the same shape (printed by deep_bench.py in the same `make bench` run): the goal is ≥ 70%.
do {
    let (K, n) = (128, 800)
    let w = n / 8
    let W = vectors(n * w), bias = vectors(w), A = vectors(K * w), D = vectors(K * w), C = vectors(K * w)
    let S = floats(vectors(K * w)), AT = floats(vectors(K * w))
    for i in 0..<(n * w) { W[i] = Vector(repeating: Float(i % 7) * 0.01) }
    for i in 0..<(K * w) { A[i] = Vector(repeating: Float(i % 5) * 0.1); D[i] = Vector(repeating: Float(i % 3) * 0.01) }
    let flop = 2.0 * Double(K * n * n)
    let forward = median(runs: 21) { Kernels.multiply(floats(A), rows: K, inner: n, aStride: n, W, width: w, bias: bias, into: C) }
    let backward = median(runs: 21) { Kernels.multiplyTransposed(D, rows: K, width: w, W, units: n, into: S, sStride: n) }
    let gradient = median(runs: 21) { Kernels.addProducts(AT, rows: K, inner: n, D, width: w, scale: 0, into: W) }
    print("dense products of the kernels for any depth, 128 × 800 · 800 × 800, one thread, median of 21")
    line("forward Z = A·W + b", String(format: "%.1f GFLOP/s", flop / forward / 1e9))
    line("backward S = D·Wᵀ", String(format: "%.1f GFLOP/s", flop / backward / 1e9))
    line("gradient W += s·Aᵀ·D", String(format: "%.1f GFLOP/s", flop / gradient / 1e9))
    // The same products shared by two threads as `train --threads 2` shares them.
    let team = Team(size: 2)
    let forward2 = median(runs: 21) {
        Kernels.split(team, w, multiple: 3) { Kernels.multiply(floats(A), rows: K, inner: n, aStride: n, W, width: w, bias: bias, into: C, columns: $0) }
    }
    let backward2 = median(runs: 21) {
        Kernels.split(team, n, multiple: 3) { Kernels.multiplyTransposed(D, rows: K, width: w, W, units: n, into: S, sStride: n, part: $0) }
    }
    let gradient2 = median(runs: 21) {
        Kernels.split(team, w, multiple: 3) { Kernels.addProducts(AT, rows: K, inner: n, D, width: w, scale: 0, into: W, columns: $0) }
    }
    print("the same on two threads (train --threads 2), \(team.size) threads")
    team.stop()
    line("forward Z = A·W + b", String(format: "%.1f GFLOP/s", flop / forward2 / 1e9))
    line("backward S = D·Wᵀ", String(format: "%.1f GFLOP/s", flop / backward2 / 1e9))
    line("gradient W += s·Aᵀ·D", String(format: "%.1f GFLOP/s", flop / gradient2 / 1e9))
}
// BENCH_ONLY=products stops here.
if ProcessInfo.processInfo.environment["BENCH_ONLY"] == "products" { exit(0) }


// MARK: IDX loading

print("IDX load of \(trainImages), median of \(runs)")
let load = try median(runs: runs) { _ = try IDX.read(trainImages, kind: .images) }
let gzipPath = ["/usr/bin/gzip", "/bin/gzip"].first { FileManager.default.isExecutableFile(atPath: $0) }
line("digits IDX.read (inflate + parse)", format(load))
if let gzipPath, Gzip.isGzip(FileManager.default.contents(atPath: trainImages)!.prefix(2)) {
    let yardstick = try median(runs: runs) { try shell(gzipPath, ["-dc", trainImages]) }
    line("gzip -dc FILE > /dev/null", format(yardstick))
    line("ratio digits / gzip (target <= 1.30)", String(format: "%.2f", load / yardstick))
}

// MARK: Training and inference

let train = try directory.load(.train)
let test = try directory.load(.test)
var epochSeconds: [Int: Double] = [:]
print("training epochs on 60,000 images, 784-100-10, one thread, median of 5 epochs each")
for batch in [1, 10, 32] {
    var options = TrainingOptions()
    options.epochs = 5
    options.batchSize = batch
    options.augment = .none
    var times: [Double] = []
    _ = Trainer(options: options).train(on: train, evaluateOn: nil, epochEnd: { report, _ in times.append(report.seconds) })
    times.sort()
    epochSeconds[batch] = times[times.count / 2]
    line("batch \(batch), seconds per epoch", String(format: "%.3f s", epochSeconds[batch]!))
}
for kind in [Augmentation.affine, .elastic, .reader, .readerElastic] {
    var options = TrainingOptions()
    options.epochs = 5
    options.augment = kind
    var times: [Double] = []
    _ = try Trainer(options: options).train(on: train, evaluateOn: nil, epochEnd: { report, _ in times.append(report.seconds) })
    times.sort()
    line("batch 1 with \(kind.rawValue) distortions", String(format: "%.3f s per epoch, %.2f× the plain epoch (target ≤ 1.3×)",
                                                             times[2], times[2] / epochSeconds[1]!))
    let augmenter = Augmenter(kind: kind, seed: 1)
    let table = InputScaling.unit.table
    let boxes = Augmenter.inkBoxes(train.images)
    var inputs: SparseInputs?
    let seconds = median(runs: 5) { inputs = augmenter.distortedInputs(train.images, boxes: boxes, epoch: 1, table: table) }
    line("\(kind.rawValue) distortion of the 60,000 images", String(format: "%.3f s (made on the second core during the epoch before)", seconds))
    // An epoch's cost grows with the nonzero inputs: thicker and blurred strokes have more.
    line("  nonzero inputs per image", String(format: "%.0f (the plain images: %.0f)", Double(inputs!.values.count) / Double(train.count),
                                              Double(train.images.lazy.filter { $0 != 0 }.count) / Double(train.count)))
}
let model = Network(seed: 1)
let inference = median(runs: max(runs, 21)) { _ = Evaluation(network: model, inputs: .unit, data: test) }
line("inference over the 10,000 test images", "\(format(inference)) (target < 20 ms), \(Int(10_000 / inference)) images/s")

// MARK: Whole processes

if FileManager.default.isExecutableFile(atPath: digits) {
    let csv = NSTemporaryDirectory() + "digits-bench-query.csv"
    let image = (0..<784).map { i in (i % 28 >= 12 && i % 28 <= 15 && i / 28 >= 4 && i / 28 <= 23) ? "255" : "0" }
    try image.joined(separator: ",").write(toFile: csv, atomically: true, encoding: .utf8)
    let queryRuns = max(runs, 21)
    print("whole processes")
    let query = try median(runs: queryRuns) { try shell(digits, ["query", csv]) }
    let spawn = try median(runs: queryRuns) { try shell("/bin/true", []) }
    line("digits query x.csv (median of \(queryRuns))", "\(format(query)) (target < 30 ms)")
    line("/bin/true, the cost of starting a process", format(spawn))
    let output = NSTemporaryDirectory() + "digits-bench-model.safetensors"
    let whole = try median(runs: 3) { try shell(digits, ["train", "--data", directory.path, "--output", output, "--quiet"]) }
    line("digits train, default options (median of 3)", String(format: "%.2f s (target < 15 s)", whole))
} else {
    print("whole processes: build the release binary first (make build) to measure them")
}

// MARK: Peers, in the same run

print("peers: Tests/Benchmarks/peers.py on the same files (written from the formulas)")
let peerScript = "Tests/Benchmarks/peers.py"
let peerOutput = NSTemporaryDirectory() + "digits-bench-peers.txt"
try? shell("/usr/bin/env", ["python3", peerScript, directory.path], stdout: peerOutput)
let peerLines = (try? String(contentsOfFile: peerOutput, encoding: .utf8))?.split(separator: "\n") ?? []
if peerLines.isEmpty { print("  the peers did not run (python3 with numpy needed)") }
let ours: [String: (Int, Double)] = [
    "numpy-float32-per-example": (1, 15), "numpy-float64-doc001-dot": (1, 15),
    "pytorch-mse-batch10": (10, 10), "pytorch-ce-momentum-batch32": (32, 5),
]
for peerLine in peerLines {
    let fields = peerLine.split(separator: " ", maxSplits: 3).map(String.init)
    guard fields.count >= 3 else { continue }
    if fields[0] == "skip" {
        line(fields[1], "skipped: " + (fields.count > 2 ? fields[2...].joined(separator: " ") : ""))
        continue
    }
    guard let seconds = Double(fields[2]), let (batch, target) = ours[fields[1]], let mine = epochSeconds[batch] else { continue }
    line(fields[1], String(format: "%.3f s per epoch; digits batch %d is %.1f× faster (target >= %.0f×)", seconds, batch, seconds / mine, target))
}
