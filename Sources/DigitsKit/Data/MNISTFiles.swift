import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One of the four files MNIST is distributed as, with the checksum of its decompressed bytes.
public struct MNISTFile: Sendable, Hashable {
    public let name: String
    public let kind: IDX.Kind
    public let count: Int
    /// SHA-256 of the decompressed IDX bytes (the canonical values; a recompressed copy passes).
    public let sha256: String

    public static let trainImages = MNISTFile(
        name: "train-images-idx3-ubyte", kind: .images, count: 60_000,
        sha256: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db")
    public static let trainLabels = MNISTFile(
        name: "train-labels-idx1-ubyte", kind: .labels, count: 60_000,
        sha256: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5")
    public static let testImages = MNISTFile(
        name: "t10k-images-idx3-ubyte", kind: .images, count: 10_000,
        sha256: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7")
    public static let testLabels = MNISTFile(
        name: "t10k-labels-idx1-ubyte", kind: .labels, count: 10_000,
        sha256: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")

    public static let all = [trainImages, trainLabels, testImages, testLabels]
}

/// The two halves of MNIST.
public enum Split: String, Sendable, CaseIterable {
    case train, test

    public var files: (images: MNISTFile, labels: MNISTFile) {
        self == .train ? (.trainImages, .trainLabels) : (.testImages, .testLabels)
    }
}

/// The folder MNIST is read from: `--data`, else `MNIST_DIR`, else `data/mnist` (relative to
/// the working directory, which is the repository when run through `make` or `swift run`).
public struct MNISTDirectory: Sendable {
    public enum Source: String, Sendable { case option = "--data", environment = "MNIST_DIR", fallback = "default" }

    public static let fallbackPath = "data/mnist"

    public let path: String
    public let source: Source

    public init(path: String, source: Source = .option) {
        self.path = path
        self.source = source
    }

    public static func resolve(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> MNISTDirectory {
        if let option, !option.isEmpty { return MNISTDirectory(path: option, source: .option) }
        if let env = environment["MNIST_DIR"], !env.isEmpty { return MNISTDirectory(path: env, source: .environment) }
        return MNISTDirectory(path: fallbackPath, source: .fallback)
    }

    /// Where `file` is: its plain name if present, else with `.gz`; nil when neither exists.
    public func locate(_ file: MNISTFile) -> String? {
        for candidate in [file.name, file.name + ".gz"] {
            let full = path + "/" + candidate
            if FileManager.default.fileExists(atPath: full) { return full }
        }
        return nil
    }

    /// Reads one IDX file of MNIST; a missing file is named as its `.gz` form, the one `fetch` writes.
    public func read(_ file: MNISTFile) throws(IDXError) -> IDX.Array {
        guard let location = locate(file) else { throw .missing(path: path + "/" + file.name + ".gz") }
        return try IDX.read(location, kind: file.kind)
    }

    /// Loads the images and labels of `split`, checked against each other.
    public func load(_ split: Split) throws(IDXError) -> Dataset {
        let (imageFile, labelFile) = split.files
        let images = try read(imageFile)
        let labels = try read(labelFile)
        return try Dataset(
            images: images, imagesPath: locate(imageFile) ?? imageFile.name,
            labels: labels, labelsPath: locate(labelFile) ?? labelFile.name)
    }

    /// Checks each of the four files: present, a valid IDX file, and the canonical checksum.
    public func verify() -> [Verification] {
        MNISTFile.all.map { file in
            guard let location = locate(file) else { return Verification(file: file, path: path + "/" + file.name, outcome: .missing) }
            return Verification.check(file, at: location)
        }
    }
}

/// What `verify` found for one file.
public struct Verification: Sendable {
    public enum Outcome: Sendable, Equatable {
        case ok
        case missing
        case invalid(IDXError)
        case checksumMismatch(found: String)
    }

    public let file: MNISTFile
    /// The file checked; for a missing one, where it was looked for (without `.gz`).
    public let path: String
    public let outcome: Outcome
    /// The dimensions read, when the file parsed.
    public var dimensions: [Int] = []

    public var isOK: Bool { outcome == .ok }

    /// Parses the file at `path` and compares the checksum of its decompressed bytes.
    public static func check(_ file: MNISTFile, at path: String) -> Verification {
        do {
            let array = try IDX.read(path, kind: file.kind)
            var hash = SHA256()
            hash.update(array.header)
            hash.update(array.bytes)
            let digest = hash.finalizeHex()
            let outcome: Outcome = digest == file.sha256 ? .ok : .checksumMismatch(found: digest)
            return Verification(file: file, path: path, outcome: outcome, dimensions: array.dimensions)
        } catch {
            return Verification(file: file, path: path, outcome: .invalid(error))
        }
    }
}

/// Why `digits data fetch` could not complete.
public struct FetchError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let directory: String
    /// Each mirror tried, with what went wrong there.
    public let attempts: [(url: String, reason: String)]

    public var description: String {
        let tried = attempts.map { "\($0.url): \($0.reason)" }.joined(separator: "; ")
        // "Offline?" only when every mirror failed for want of a network; a mirror that sent
        // bytes that are not MNIST's was reached, and says something else.
        let offline = attempts.allSatisfy { $0.reason.hasPrefix(Self.noNetwork) || $0.reason == Self.timedOut }
        let sentAFile = attempts.contains { $0.reason.hasPrefix(Self.checksumMismatch) || $0.reason.hasPrefix(Self.notAValidFile) }
        let hint = offline ? "Offline? " : sentAFile ? "A mirror sent a file that is not MNIST's (a changed or wrong mirror?). " : ""
        return "\(file): could not download (\(tried)). \(hint)Put the four MNIST files (.gz or not) in \(directory), or point --data / MNIST_DIR at a folder that has them"
    }

    /// How `MNISTFetcher` words a mirror it could not reach, and one that sent the wrong file.
    static let noNetwork = "no network"
    static let timedOut = "timed out"
    static let checksumMismatch = "checksum mismatch"
    static let notAValidFile = "not a valid file"
}

/// Downloads the MNIST files that are missing or wrong, from public mirrors in order, checks
/// each against its checksum before it takes its place, and writes it atomically.
public struct MNISTFetcher: Sendable {
    /// The mirrors in use today; the original host no longer serves the files.
    public static let defaultMirrors = [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ]

    public let mirrors: [String]
    public let download: @Sendable (URL) async throws -> [UInt8]

    public init(mirrors: [String] = defaultMirrors, download: @escaping @Sendable (URL) async throws -> [UInt8] = MNISTFetcher.get) {
        self.mirrors = mirrors
        self.download = download
    }

    /// GET over HTTP(S) through URLSession; `file://` URLs are read from disk (for mirrors on a
    /// local disk, and for the tests, which have no network).
    public static func get(_ url: URL) async throws -> [UInt8] {
        if url.isFileURL {
            switch readWholeFile(url.path, limit: downloadLimit) {
            case .success(let bytes): return bytes
            case .failure(.missing): throw FileMirrorError(reason: "no such file")
            case .failure(.unreadable(let reason)): throw FileMirrorError(reason: reason)
            case .failure(.tooLarge(let size)): throw FileMirrorError(reason: "\(size) bytes, over the \(downloadLimit)-byte limit")
            }
        }
        var request = URLRequest(url: url)
        request.timeoutInterval = 30
        let (data, response) = try await URLSession.shared.data(for: request)
        if let http = response as? HTTPURLResponse, http.statusCode != 200 {
            throw URLError(.badServerResponse, userInfo: [NSLocalizedDescriptionKey: "HTTP \(http.statusCode)"])
        }
        return [UInt8](data)
    }

    /// No file of MNIST is this large (the training images are 9.9 MB gzipped, 47 MB not).
    public static let downloadLimit = 128 << 20

    /// Makes every file of `directory` verify; `log` hears one line per file. A file there
    /// that does not verify is the user's: with `missingOnly` it stops the fetch before anything
    /// changes (`FetchError.notMNIST`); otherwise it is moved aside under a name that says so
    /// (`Self.asideName`), never over another file, before the download takes its place.
    public func fetch(into directory: MNISTDirectory, missingOnly: Bool = false, log: (String) -> Void) async throws -> [Verification] {
        try AtomicFile.createDirectory(directory.path)
        var results: [Verification] = []
        var todo: [MNISTFile] = []
        for file in MNISTFile.all {
            guard let present = directory.locate(file) else { todo.append(file); continue }
            let verification = Verification.check(file, at: present)
            if verification.isOK {
                log("\(present): present, checksum ok")
                results.append(verification)
            } else if missingOnly {
                throw NotMNISTError(verification: verification)
            } else {
                todo.append(file)
            }
        }
        for file in todo { results.append(try await fetch(file, into: directory, log: log)) }
        return results
    }

    /// Moves `path` to `path.not-mnist` (or `.not-mnist-2`, `-3`…: never over a file that is
    /// there) with link and unlink, which unlike rename cannot replace; returns the new name.
    static func moveAside(_ path: String) throws(WriteError) -> String {
        for n in 1...1000 {
            let aside = path + ".not-mnist" + (n == 1 ? "" : "-\(n)")
            if link(path, aside) == 0 {
                unlink(path)
                return aside
            }
            if errno != EEXIST { throw WriteError(path: path, reason: "cannot move it aside to \(aside): \(String(cString: strerror(errno)))") }
        }
        throw WriteError(path: path, reason: "cannot move it aside: 1000 .not-mnist names already taken")
    }

    private func fetch(_ file: MNISTFile, into directory: MNISTDirectory, log: (String) -> Void) async throws -> Verification {
        let destination = directory.path + "/" + file.name + ".gz"
        let stale = directory.locate(file)
        var attempts: [(url: String, reason: String)] = []
        for mirror in mirrors {
            let address = mirror.hasSuffix("/") ? mirror : mirror + "/"
            guard let url = URL(string: address + file.name + ".gz") else {
                attempts.append((address, "not a URL"))
                continue
            }
            let bytes: [UInt8]
            do {
                bytes = try await download(url)
            } catch {
                attempts.append((url.absoluteString, Self.reason(error)))
                continue
            }
            // Check the download under a temporary name before it replaces anything.
            let staging = directory.path + "/." + file.name + ".gz.download"
            try AtomicFile.write(bytes, to: staging)
            let verification = Verification.check(file, at: staging)
            guard verification.isOK else {
                unlink(staging)
                switch verification.outcome {
                case .checksumMismatch(let found):
                    attempts.append((url.absoluteString, "\(FetchError.checksumMismatch): expected \(file.sha256), found \(found)"))
                case .invalid(let error): attempts.append((url.absoluteString, "\(FetchError.notAValidFile): \(error)"))
                default: attempts.append((url.absoluteString, FetchError.notAValidFile))
                }
                continue
            }
            // What was there did not verify: it may be another data set with MNIST's names,
            // so it is kept, under a name that says what happened (and it no longer shadows
            // the good .gz when it was an uncompressed copy).
            if let stale {
                let aside: String
                do { aside = try Self.moveAside(stale) } catch {
                    unlink(staging)
                    throw error
                }
                log("\(stale): did not verify as MNIST's file, moved to \(aside)")
            }
            guard rename(staging, destination) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(staging)
                throw WriteError(path: destination, reason: reason)
            }
            log("\(destination): downloaded from \(url.absoluteString), checksum ok")
            return Verification(file: file, path: destination, outcome: .ok, dimensions: verification.dimensions)
        }
        throw FetchError(file: file.name + ".gz", directory: directory.path, attempts: attempts)
    }

    private static func reason(_ error: Error) -> String {
        if let urlError = error as? URLError {
            switch urlError.code {
            case .notConnectedToInternet, .cannotFindHost, .dnsLookupFailed, .cannotConnectToHost, .networkConnectionLost:
                return "\(FetchError.noNetwork) (\(urlError.localizedDescription))"
            case .timedOut: return FetchError.timedOut
            default: return urlError.localizedDescription
            }
        }
        if let mirror = error as? FileMirrorError { return mirror.reason }
        let ns = error as NSError
        return ns.localizedDescription
    }
}

/// A `file://` mirror that could not be read.
struct FileMirrorError: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}

/// A file that is there under MNIST's name and is not MNIST's (`fetch(missingOnly: true)`).
public struct NotMNISTError: Error, CustomStringConvertible {
    public let verification: Verification
    public var description: String {
        let problem: String
        switch verification.outcome {
        case .checksumMismatch(let found): problem = "sha256 \(found), expected \(verification.file.sha256)"
        case .invalid(let error): problem = "\(error)"
        default: problem = "it does not verify"
        }
        return "\(verification.path): present but not MNIST's \(verification.file.name) (\(problem)); it may be another data set with MNIST's file names (Fashion-MNIST has them): nothing was changed; move it elsewhere, or point --data / MNIST_DIR at MNIST, or run `digits data fetch` to move it aside and download"
    }
}
