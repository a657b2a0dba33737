import Foundation
import Testing
@testable import DigitsKit

@Suite("MNIST files: find, verify, fetch")
struct MNISTFilesTests {
    @Test func dataFolderComesFromOptionThenEnvironmentThenDefault() {
        let env = ["MNIST_DIR": "/from/env"]
        #expect(MNISTDirectory.resolve(option: "/opt", environment: env).path == "/opt")
        #expect(MNISTDirectory.resolve(option: nil, environment: env).path == "/from/env")
        #expect(MNISTDirectory.resolve(option: nil, environment: env).source == .environment)
        #expect(MNISTDirectory.resolve(option: nil, environment: [:]).path == "data/mnist")
    }

    @Test func findsFilesWithOrWithoutGz() {
        let gz = MNISTDirectory(path: Fixtures.mnistFolder(gzip: true))
        let plain = MNISTDirectory(path: Fixtures.mnistFolder(gzip: false))
        #expect(gz.locate(.trainImages)?.hasSuffix("train-images-idx3-ubyte.gz") == true)
        #expect(plain.locate(.trainImages)?.hasSuffix("train-images-idx3-ubyte") == true)
        #expect(MNISTDirectory(path: Fixtures.folder()).locate(.testLabels) == nil)
    }

    @Test func loadsASplitAndNamesTheMissingFile() throws {
        let dir = MNISTDirectory(path: Fixtures.mnistFolder(trainCount: 20, testCount: 10))
        let train = try dir.load(.train), test = try dir.load(.test)
        #expect(train.count == 20)
        #expect(test.count == 10)
        let empty = MNISTDirectory(path: Fixtures.folder())
        #expect(throws: IDXError.missing(path: empty.path + "/t10k-images-idx3-ubyte.gz")) { try empty.load(.test) }
    }

    @Test func verifyReportsMismatchAndMissingPerFile() {
        let dir = Fixtures.mnistFolder()
        try? FileManager.default.removeItem(atPath: dir + "/t10k-labels-idx1-ubyte.gz")
        let results = MNISTDirectory(path: dir).verify()
        #expect(results.count == 4)
        if case .checksumMismatch(let found) = results[0].outcome {
            #expect(found == SHA256.hex(Fixtures.imageFile(count: 20)))
        } else {
            Issue.record("expected a checksum mismatch, got \(results[0].outcome)")
        }
        #expect(results[3].outcome == .missing)
    }

    /// "Offline?" when no mirror could be reached at all; a mirror that sent something that is
    /// not an IDX file was reached, and the hint says so instead.
    @Test func theHintSaysOfflineOnlyWhenNoMirrorWasReached() async throws {
        func failure(_ download: @escaping @Sendable (URL) async throws -> [UInt8]) async -> String {
            let fetcher = MNISTFetcher(mirrors: ["https://a.invalid/", "https://b.invalid/"], download: download)
            do {
                _ = try await fetcher.fetch(into: MNISTDirectory(path: Fixtures.folder())) { _ in }
                return "fetched"
            } catch {
                return "\(error)"
            }
        }
        let offline = await failure { _ in throw URLError(.notConnectedToInternet) }
        #expect(offline.contains("no network") && offline.contains("Offline? Put the four MNIST files"), "\(offline)")
        let page = await failure { _ in Array("<html>not found</html>".utf8) }
        #expect(page.contains("not a valid file") && page.contains("A mirror sent a file that is not MNIST's") && !page.contains("Offline?"), "\(page)")
    }

    @Test func fetchRefusesADownloadWithTheWrongChecksumAndWritesNothing() async throws {
        let dir = MNISTDirectory(path: Fixtures.folder())
        let fetcher = MNISTFetcher(mirrors: ["https://mirror.invalid/mnist/"]) { _ in
            Gzip.compress(Fixtures.imageFile(count: 2))
        }
        do {
            _ = try await fetcher.fetch(into: dir) { _ in }
            Issue.record("a download with the wrong checksum was accepted")
        } catch let error as FetchError {
            #expect(error.file == "train-images-idx3-ubyte.gz")
            #expect(error.description.contains("checksum mismatch"))
            #expect(error.description.contains("A mirror sent a file that is not MNIST's") && !error.description.contains("Offline?"))
            #expect(error.attempts.count == 1)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func fetchOfflineSaysWhereToPutTheFiles() async {
        let dir = MNISTDirectory(path: Fixtures.folder())
        let fetcher = MNISTFetcher(mirrors: ["https://a.invalid/", "https://b.invalid/"]) { _ in
            throw URLError(.notConnectedToInternet)
        }
        do {
            _ = try await fetcher.fetch(into: dir) { _ in }
            Issue.record("fetch succeeded without a network")
        } catch {
            let message = "\(error)"
            #expect(message.contains("a.invalid") && message.contains("b.invalid"))
            #expect(message.contains(dir.path) && message.contains("MNIST_DIR"))
        }
    }

    @Test(.enabled(if: Fixtures.mnistDirectory != nil, "MNIST_DIR does not point at the MNIST files; set it to run this test"))
    func fetchFromALocalMirrorVerifiesAndKeepsTheFiles() async throws {
        // A file:// mirror exercises the whole path but the HTTP request: download, checksum,
        // atomic placement, and a corrupt copy moved aside.
        let source = Fixtures.mnistDirectory!
        let dir = MNISTDirectory(path: Fixtures.folder() + "/nested/mnist")
        try AtomicFile.createDirectory(dir.path)
        Fixtures.write(Fixtures.labelFile(count: 10_000), to: dir.path + "/t10k-labels-idx1-ubyte")
        let fetcher = MNISTFetcher(mirrors: ["file:///nonexistent/", URL(fileURLWithPath: source).absoluteString])
        var lines: [String] = []
        let results = try await fetcher.fetch(into: dir) { lines.append($0) }
        #expect(results.allSatisfy { $0.isOK })
        #expect(dir.verify().allSatisfy { $0.isOK })
        #expect(lines.contains { $0.contains("t10k-labels-idx1-ubyte: did not verify as MNIST's file, moved to ") })
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(left == (MNISTFile.all.map { $0.name + ".gz" } + ["t10k-labels-idx1-ubyte.not-mnist"]).sorted())
    }
}
