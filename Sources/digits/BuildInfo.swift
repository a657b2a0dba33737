import DigitsKit

/// What `digits --version` prints: the version, the commit, the build configuration, and the
/// CPU features the kernels use, so that a bug report says exactly which binary it is about.
enum BuildInfo {
    static let version = "0.5.0"

    /// `make` (its build-info rule) writes the git-ignored `BuildCommit.generated.swift` beside
    /// this file, making `BuildInfo` conform to `RecordedCommit`. SwiftPM has no way to pass a
    /// value into the build without changing Package.swift, and asking git at run time would
    /// describe wherever the binary runs, not what it was built from. A plain `swift build`
    /// compiles without that file, and the commit is then unknown.
    static var commit: String? {
        let type: Any.Type = BuildInfo.self
        return (type as? RecordedCommit.Type)?.recordedCommit
    }

    static var configuration: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }

    static var system: String {
        #if os(Linux)
        "Linux"
        #elseif os(macOS)
        "macOS"
        #else
        "another system"
        #endif
    }

    static var text: String {
        let commitLine = commit.map { "commit \($0) (recorded by make)" } ?? "commit unknown (built without make)"
        return """
            digits \(version)
            \(commitLine)
            build: \(configuration), \(CPUFeatures.architecture), \(system)
            cpu: \(CPUFeatures.summary)
            """
    }
}

/// The commit a build was made from, when `make` recorded it (see `BuildInfo.commit`).
protocol RecordedCommit {
    static var recordedCommit: String { get }
}
