// swift-tools-version:6.1
//
// digits: an MNIST handwritten-digit reader in Swift, built on the network of
// doc 001 (784-100-10, sigmoid, W_ih / W_ho).

import Foundation
import PackageDescription

/// Release builds of the kernels (and of nothing else) are unchecked, and use AVX2 and FMA when the machine building them has both
/// (as `-march=native` would, but pinned to one instruction set so every such machine computes
/// the same bits); elsewhere they stay portable x86-64 or the platform default.
let kernelFlags: [String] = {
    #if arch(x86_64) && os(Linux)
    if let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
       cpu.contains(" avx2"), cpu.contains(" fma") {
        return ["-Ounchecked", "-target-cpu", "haswell"]
    }
    #endif
    return ["-Ounchecked"]
}()

let package = Package(
    name: "digits",
    products: [
        // MARK: - Public API
        .executable(name: "digits", targets: ["digits"]),
        .library(name: "DigitsKit", targets: ["DigitsKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
    ],
    targets: [
        // MARK: - System libraries

        // zlib, for inflating the gzip IDX files (`inflateInit2` with gzip detection).
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // libpng, for reading the PNG images a person gives and writing exported ones.
        .systemLibrary(
            name: "CPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]
        ),

        // libjpeg-turbo, for reading photos (JPEG) a person gives.
        .systemLibrary(
            name: "CJPEG",
            pkgConfig: "libjpeg",
            providers: [.apt(["libjpeg62-turbo-dev"])]
        ),

        // MARK: - Implementation

        // libpng's full reader behind one C function that holds libpng's setjmp, so its
        // longjmp never crosses a Swift frame.
        .target(
            name: "CPNGDecode",
            dependencies: ["CPNG"]
        ),

        // libjpeg's decoder behind one C function that holds libjpeg's setjmp (as CPNGDecode).
        .target(
            name: "CJPEGDecode",
            dependencies: ["CJPEG"]
        ),

        // The numeric kernels: packed layers, SIMD training steps and inference, the
        // augmentation sampler, the worker threads. The only code with unsafe pointers, and the
        // only code a release build compiles unchecked and for the building machine's CPU.
        .target(
            name: "DigitsKernels",
            swiftSettings: [.unsafeFlags(kernelFlags, .when(configuration: .release))]
        ),

        // All of the logic: IDX and gzip, the network, training, evaluation, model files, and
        // the HTML report (typed HTML through Plot). Checked in every build: it reads the bytes
        // people and strangers give.
        .target(
            name: "DigitsKit",
            dependencies: ["CZlib", "CPNG", "CPNGDecode", "CJPEGDecode", "DigitsKernels", "DigitsResources",
                           .product(name: "Plot", package: "Plot")]
        ),

        // The model shipped with `digits`, so that `digits query` works before any training.
        .target(
            name: "DigitsResources",
            path: "Resources",
            exclude: ["README.md", "samples"],
            resources: [.copy("digits.safetensors"), .copy("reader.safetensors"), .copy("web")]
        ),

        // The command line: parses arguments, calls DigitsKit, prints.
        .executableTarget(
            name: "digits",
            dependencies: [
                "DigitsKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests

        // Writes PNG test fixtures in every colour type and bit depth (libpng's full API), and JPEG
        // ones: baseline and progressive, gray, RGB and CMYK, with EXIF orientation (libjpeg).
        .target(
            name: "PNGFixtures",
            dependencies: ["CPNG", "CJPEG"],
            path: "Tests/PNGFixtures"
        ),
        .testTarget(
            name: "DigitsKitTests",
            dependencies: ["DigitsKit", "DigitsKernels", "PNGFixtures"]
        ),
        .testTarget(
            name: "digitsTests",
            dependencies: ["digits", "DigitsKit", "DigitsResources", "PNGFixtures"]
        ),

        // MARK: - Benchmarks

        // `make bench`: medians and ratios against peers run in the same process.
        .executableTarget(
            name: "DigitsBenchmarks",
            dependencies: ["DigitsKit", "DigitsKernels"],
            path: "Tests/Benchmarks",
            exclude: ["peers.py"]
        ),
    ]
)

// MARK: - Server

// `digits-server` (`make serve`): the drawing page and the HTTP API on Hummingbird 2. A product of
// its own, so that building `digits` does not compile an HTTP stack. DIGITS_NO_SERVER leaves it
// out (the AddressSanitizer run, which has no use for a second build of SwiftNIO).
if Context.environment["DIGITS_NO_SERVER"] == nil {
    package.products.append(.executable(name: "digits-server", targets: ["digits-server"]))
    package.dependencies.append(.package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []))
    package.targets += [
        // The routes, the prediction API and the page, as a library the tests run in-process.
        .target(
            name: "DigitsServer",
            dependencies: ["DigitsKit", "DigitsResources", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        // Parses the flags and runs the server.
        .executableTarget(
            name: "digits-server",
            dependencies: ["DigitsServer", "DigitsKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(
            name: "DigitsServerTests",
            dependencies: ["DigitsServer", "DigitsKit", "DigitsResources", .product(name: "HummingbirdTesting", package: "hummingbird")]
        ),
    ]
}

// MARK: - Fuzzing

// libFuzzer harnesses, built only for `make fuzz` (DIGITS_FUZZ=1 and `--sanitize fuzzer`):
// without libFuzzer's own main they would not link, so ordinary builds leave them out.
if Context.environment["DIGITS_FUZZ"] != nil {
    for name in ["FuzzIDX", "FuzzCSV", "FuzzPNG", "FuzzJPEG", "FuzzModel"] {
        package.targets.append(.executableTarget(
            name: name,
            dependencies: ["DigitsKit"],
            path: "Tests/Fuzz/\(name)",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ))
    }
}
