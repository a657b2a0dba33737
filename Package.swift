// swift-tools-version:6.1
//
// digits: an MNIST handwritten-digit reader in Swift, built on the network of
// doc 001 (784-100-10, sigmoid, W_ih / W_ho).

import PackageDescription

let package = Package(
    name: "digits",
    products: [
        // MARK: - Public API
        .executable(name: "digits", targets: ["digits"]),
        .library(name: "DigitsKit", targets: ["DigitsKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: - System libraries

        // zlib, for inflating the gzip IDX files (`inflateInit2` with gzip detection).
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // MARK: - Implementation

        // All of the logic: IDX and gzip, the network, training, evaluation, model files.
        .target(
            name: "DigitsKit",
            dependencies: ["CZlib"],
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
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

        .testTarget(
            name: "DigitsKitTests",
            dependencies: ["DigitsKit"]
        ),
        .testTarget(
            name: "digitsTests",
            dependencies: ["digits", "DigitsKit"]
        ),

        // MARK: - Benchmarks

        // `make bench`: medians and ratios against peers run in the same process.
        .executableTarget(
            name: "DigitsBenchmarks",
            dependencies: ["DigitsKit"],
            path: "Tests/Benchmarks"
        ),
    ]
)
