import ArgumentParser
import DigitsKit

struct DataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Find, check and download the MNIST files.",
        subcommands: [Verify.self, Fetch.self]
    )

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the four MNIST files and check their SHA-256 against the canonical values.",
            discussion: "Exits 0 only when all four are present, valid and match."
        )

        @OptionGroup var data: DataOptions

        func run() throws {
            let directory = data.directory
            Console.line("data: \(directory.path) (from \(directory.source.rawValue))")
            let results = directory.verify()
            for result in results { Console.line(Report.line(result)) }
            let bad = results.filter { !$0.isOK }
            guard bad.isEmpty else { throw VerifyFailure(failures: bad) }
            Console.line("all four files verified")
        }
    }

    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download the MNIST files that are missing or wrong, checking each before it is kept.",
            discussion: "Mirrors are tried in order; each file is checked against its SHA-256 and written atomically. A file that is there and does not verify is kept, moved aside to NAME.not-mnist (never over another file), and the message says where; with --missing-only it stops the fetch instead."
        )

        @OptionGroup var data: DataOptions

        @Option(name: .customLong("mirror"), help: ArgumentHelp(
            "Base URL to download from, tried in the order given (repeatable; default: the public mirrors).",
            valueName: "url"))
        var mirrors: [String] = []

        @Flag(help: "Download only the files that are missing: a file there that does not verify stops the fetch with nothing changed (what make train does, so that a folder of another data set is never touched).")
        var missingOnly = false

        func run() async throws {
            let directory = data.directory
            Console.line("data: \(directory.path) (from \(directory.source.rawValue))")
            let fetcher = MNISTFetcher(mirrors: mirrors.isEmpty ? MNISTFetcher.defaultMirrors : mirrors)
            let results = try await fetcher.fetch(into: directory, missingOnly: missingOnly) { Console.line($0) }
            for result in results { Console.line(Report.line(result)) }
            Console.line("all four files verified")
        }
    }
}

/// The one-line error of `data verify` when files fall short: each, with its problem.
struct VerifyFailure: Error, CustomStringConvertible {
    let failures: [Verification]
    var description: String {
        let items = failures.map { result -> String in
            switch result.outcome {
            case .missing: return "\(result.path)[.gz]: not found"
            case .invalid(let error): return error.description
            case .checksumMismatch(let found): return "\(result.path): sha256 \(found.prefix(12))…, expected \(result.file.sha256.prefix(12))…"
            case .ok: return result.path
            }
        }
        return "\(failures.count) of 4 MNIST files missing or wrong: " + items.joined(separator: "; ") + " (run `digits data fetch`)"
    }
}

/// How a verification reads in the terminal.
enum Report {
    static func line(_ result: Verification) -> String {
        let name = result.path
        switch result.outcome {
        case .ok:
            let what = result.file.kind == .images
                ? "\(counted(result.dimensions[0], "image")) of \(result.dimensions[1])×\(result.dimensions[2])"
                : counted(result.dimensions[0], "label")
            return "ok       \(name): \(what), sha256 matches"
        case .missing:
            return "MISSING  \(name)[.gz]: not found"
        case .invalid(let error):
            return "INVALID  \(error)"
        case .checksumMismatch(let found):
            return "MISMATCH \(name): sha256 expected \(result.file.sha256), found \(found)"
        }
    }
}
