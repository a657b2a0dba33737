import DigitsKit
import Foundation
import Testing

/// Bad files from strangers, through the real commands: every one gets a non-zero exit below
/// 128, one line on stderr naming the file, no crash report, and nothing written.
@Suite("Robustness: the bad-input corpus through the binary")
struct RobustnessTests {
    /// A tiny valid model (4 hidden units) to evaluate and query with.
    static func tinyModel() throws -> String {
        let path = Fixture.folder() + "/tiny.safetensors"
        try Safetensors.save(Model(network: Network(hiddenCount: 4, seed: 2), inputs: .unit), to: path)
        return path
    }

    /// Runs `arguments` in a fresh working folder and checks the failure is clean: exit code,
    /// one stderr line naming `file`, no fatal error, no file left in the working folder.
    static func expectCleanFailure(_ arguments: [String], file: String, _ what: String,
                                   sourceLocation: SourceLocation = #_sourceLocation) throws {
        let cwd = Fixture.folder()
        let result = try Binary.run(arguments, in: cwd)
        #expect(result.status > 0 && result.status < 128, "\(what): exit \(result.status)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(what): stderr was \(result.stderr.debugDescription)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(file), "\(what): stderr does not name \(file): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Sanitizer"), "\(what)", sourceLocation: sourceLocation)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cwd).isEmpty, "\(what): left files behind", sourceLocation: sourceLocation)
    }

    // MARK: IDX

    static let labels = IDX.encode(dimensions: [10], bytes: (0..<10).map { UInt8($0) })
    static let images = IDX.encode(dimensions: [10, 28, 28], bytes: (0..<7840).map { UInt8($0 % 251) })

    /// Every way the corpus breaks an IDX file, each named.
    static var idxCases: [(String, String, [UInt8])] {
        var cases: [(String, String, [UInt8])] = []
        let (l, i) = (MNISTFile.testLabels.name, MNISTFile.testImages.name)
        for (offset, value) in [(0, 1), (1, 0x80), (2, 0x0D), (3, 2)] {
            var bad = labels
            bad[offset] = UInt8(value)
            cases.append(("labels header byte \(offset) = \(value)", l, bad))
        }
        for (offset, field) in [(4, "count"), (8, "rows"), (12, "columns")] {
            for value: UInt32 in [0, 29, 0xFFFF_FFFF] {
                var bad = images
                for b in 0..<4 { bad[offset + b] = UInt8((value >> (24 - 8 * UInt32(b))) & 0xff) }
                cases.append(("images \(field) = \(value)", i, bad))
            }
        }
        for cut in 0..<labels.count { cases.append(("labels cut at \(cut)", l, Array(labels.prefix(cut)))) }
        for cut in [1, 4, 8, 15, 16, 17, 100, images.count - 1] { cases.append(("images cut at \(cut)", i, Array(images.prefix(cut)))) }
        cases.append(("trailing bytes", l, labels + [0, 0]))
        let gz = Gzip.compress(images)
        cases.append(("gzip cut short", i, Array(gz.prefix(gz.count - 6))))
        var crc = gz
        crc[crc.count - 7] ^= 0x55
        cases.append(("gzip with a wrong CRC", i, crc))
        cases.append(("2^32 bytes declared", i, IDX.encode(dimensions: [65536, 256, 256], bytes: [])))
        cases.append(("label above 9", l, IDX.encode(dimensions: [10], bytes: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])))
        cases.append(("counts differ", l, IDX.encode(dimensions: [9], bytes: Array(repeating: 1, count: 9))))
        return cases
    }

    @Test func idxCorpusThroughEvaluateAndVerify() throws {
        let model = try Self.tinyModel()
        for (what, name, bytes) in Self.idxCases {
            let dir = Fixture.folder()
            Fixture.write(Self.images, to: dir + "/" + MNISTFile.testImages.name)
            Fixture.write(Self.labels, to: dir + "/" + MNISTFile.testLabels.name)
            Fixture.write(bytes, to: dir + "/" + name)
            let file = dir + "/" + name
            try Self.expectCleanFailure(["evaluate", "--data", dir, "--model", model], file: file, "evaluate, \(what)")
            try Self.expectCleanFailure(["data", "verify", "--data", dir], file: file, "data verify, \(what)")
        }
    }

    // MARK: CSV and PNG

    static var imageCases: [(String, [UInt8])] {
        let zeros = { (n: Int) in (0..<n).map { _ in "0" }.joined(separator: ",") }
        var cases: [(String, [UInt8])] = [
            ("empty", []),
            ("783 values", Array(zeros(783).utf8)),
            ("786 values", Array(zeros(786).utf8)),
            ("NaN", Array(("NaN," + zeros(783)).utf8)),
            ("1e999", Array(("1e999," + zeros(783)).utf8)),
            ("negative", Array(("-3," + zeros(783)).utf8)),
            ("over 255", Array(("256," + zeros(783)).utf8)),
            ("letters", Array(("a,b,c," + zeros(781)).utf8)),
            ("a 10 MB single line", Array(String(repeating: "12,", count: 3_500_000).utf8)),
        ]
        let png = PNGImage.encode(GrayImage(width: 40, height: 30, pixels: (0..<1200).map { UInt8($0 % 200) }))
        cases.append(("PNG signature only", PNGImage.signature))
        cases.append(("PNG with a truncated IDAT", Array(png.prefix(png.count - 20))))
        var crc = png
        crc[30] ^= 0xff
        cases.append(("PNG with a wrong CRC", crc))
        cases.append(("PNG of zero width", withSize(png, width: 0, height: 30)))
        cases.append(("PNG declaring 100000 × 100000", withSize(png, width: 100_000, height: 100_000)))
        cases.append(("a JPEG signature with garbage behind it", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [UInt8](repeating: 0x42, count: 300)))
        return cases
    }

    /// `png` with new IHDR dimensions and a CRC that matches them.
    static func withSize(_ png: [UInt8], width: UInt32, height: UInt32) -> [UInt8] {
        var bytes = png
        for (offset, value) in [(16, width), (20, height)] {
            for i in 0..<4 { bytes[offset + i] = UInt8((value >> (24 - 8 * UInt32(i))) & 0xff) }
        }
        var c: UInt32 = 0xffff_ffff
        for b in bytes[12..<29] {
            c ^= UInt32(b)
            for _ in 0..<8 { c = (c >> 1) ^ (c & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        c = ~c
        for i in 0..<4 { bytes[29 + i] = UInt8((c >> (24 - 8 * UInt32(i))) & 0xff) }
        return bytes
    }

    @Test func csvAndPNGCorpusThroughQuery() throws {
        let model = try Self.tinyModel()
        for (what, bytes) in Self.imageCases {
            let path = Fixture.folder() + "/input.png"
            Fixture.write(bytes, to: path)
            try Self.expectCleanFailure(["query", "--model", model, path], file: path, "query, \(what)")
        }
    }

    // MARK: Model files

    static var modelCases: [(String, [UInt8])] {
        let good = Safetensors.encode(Model(network: Network(hiddenCount: 4, seed: 2), inputs: .unit))
        let headerLength = Int(good[0]) | Int(good[1]) << 8
        let header = String(decoding: good[8..<(8 + headerLength)], as: UTF8.self)
        let data = Array(good[(8 + headerLength)...])
        func file(_ text: String, _ body: [UInt8] = data) -> [UInt8] {
            var h = Array(text.utf8)
            while h.count % 8 != 0 { h.append(0x20) }
            return (0..<8).map { UInt8((h.count >> (8 * $0)) & 0xff) } + h + body
        }
        var nan = good
        for b in 0..<4 { nan[8 + headerLength + 8 + b] = [0x00, 0x00, 0xC0, 0x7F][b] }
        let end = data.count
        return [
            ("header length larger than the file", [0xFF, 0xFF, 0, 0, 0, 0, 0, 0] + Array(good[8...])),
            ("invalid JSON", file("{\"W_ih\": {\"dtype\": ")),
            ("wrong dtype", file(header.replacingOccurrences(of: "\"W_ih\":{\"dtype\":\"F32\"", with: "\"W_ih\":{\"dtype\":\"I64\""))),
            ("wrong shapes", file(header.replacingOccurrences(of: "[784,4]", with: "[4,784]"))),
            ("overlapping offsets", file(header.replacingOccurrences(of: "[\(end - 40),\(end)]", with: "[\(end - 44),\(end - 4)]"))),
            ("out-of-range offsets", file(header.replacingOccurrences(of: "[\(end - 40),\(end)]", with: "[\(end),\(end + 40)]"))),
            ("NaN weights", nan),
            ("empty file", []),
        ]
    }

    @Test func modelCorpusThroughEvaluateAndQuery() throws {
        let data = Fixture.mnist(train: 20, test: 10)
        let csv = Fixture.folder() + "/x.csv"
        Fixture.write(Array((0..<784).map { _ in "0" }.joined(separator: ",").utf8), to: csv)
        for (what, bytes) in Self.modelCases {
            let path = Fixture.folder() + "/model.safetensors"
            Fixture.write(bytes, to: path)
            try Self.expectCleanFailure(["evaluate", "--data", data, "--model", path], file: path, "evaluate, \(what)")
            try Self.expectCleanFailure(["query", "--model", path, csv], file: path, "query, \(what)")
        }
    }
}

/// Files that are not regular files: opening one for reading must not wait for a writer.
@Suite("digits on FIFOs")
struct FIFOTests {
    @Test func aFIFOAsQueryFileModelOrMNISTFileIsRefusedAtOnce() throws {
        let folder = Fixture.folder()
        let fifo = folder + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        let csv = folder + "/x.csv"
        Fixture.write(Array((0..<784).map { _ in "0" }.joined(separator: ",").utf8), to: csv)
        let data = Fixture.mnist(train: 20, test: 10)
        try FileManager.default.removeItem(atPath: data + "/t10k-images-idx3-ubyte.gz")
        #expect(mkfifo(data + "/t10k-images-idx3-ubyte.gz", 0o600) == 0)
        let cases: [([String], String)] = [
            (["query", fifo], fifo),
            (["query", "--model", fifo, csv], fifo),
            (["evaluate", "--data", data], data + "/t10k-images-idx3-ubyte.gz"),
        ]
        for (arguments, path) in cases {
            // Nobody ever opens the FIFO for writing: a reader that blocks in open(2) hangs here
            // until the timeout kills it (status −1).
            let r = try Binary.run(arguments, in: folder, timeout: 60)
            #expect(r.status == 1, "\(arguments): status \(r.status), \(r.stderr)")
            #expect(r.stderr.contains(path) && r.stderr.contains("not a regular file"), "\(arguments): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(arguments): one line: \(r.stderr)")
        }
    }
}

/// A picture at the command line's 10,000 × 10,000 limit: read within ~4 bytes a pixel, and
/// refused by --raw (which reads 28 × 28 only) from its header, before decoding.
@Suite("digits query on a picture at the size limit")
struct HugePictureTests {
    /// Runs `digits arguments` under a python3 parent of its own, whose only child it is, and
    /// returns its exit status and peak resident memory in bytes (getrusage of the children).
    static func peak(_ arguments: [String]) throws -> (status: Int, bytes: Int) {
        let script = "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
            + "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, Binary.url.path] + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let fields = text.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return (fields.first ?? -1, 1024 * (fields.last ?? 0))
    }

    /// AddressSanitizer's shadow memory and red zones are part of a sanitized binary's peak:
    /// the bound is for the binaries people run.
    static let sanitized = ProcessInfo.processInfo.environment["ASAN_OPTIONS"] != nil

    static func hugePicture() -> String {
        let side = 10_000
        let path = Fixture.folder() + "/huge.png"
        Fixture.write(PNGImage.encode(GrayImage(width: side, height: side, pixels: [UInt8](repeating: 255, count: side * side))), to: path)
        return path
    }

    @Test(.disabled(if: sanitized, "AddressSanitizer adds its own memory"))
    func aPictureAtTheLimitIsReadInAtMostFourBytesAPixel() throws {
        let side = 10_000
        let read = try Self.peak(["query", Self.hugePicture()])
        #expect(read.status == 0, "a blank page is answered, not refused")
        // 4 bytes a pixel, and 64 MB for the program itself (about 30 here).
        #expect(read.bytes <= 4 * side * side + 64 << 20, "peak \(read.bytes / (1 << 20)) MB for \(side * side / 1_000_000) megapixels")
    }

    @Test func rawRefusesAPictureThatIsNot28By28BeforeDecodingIt() throws {
        let path = Self.hugePicture()
        let raw = try Binary.run(["query", "--raw", path], timeout: 60)
        #expect(raw.status == 1 && raw.stderr.contains("--raw needs a 28 × 28 image, this one is 10000 × 10000"), "\(raw.stderr)")
        // Decoded, the picture alone would be 300 MB and more.
        let rawPeak = try Self.peak(["query", "--raw", path])
        #expect(rawPeak.bytes < (Self.sanitized ? 250 : 150) << 20, "--raw decoded the picture before refusing it: peak \(rawPeak.bytes / (1 << 20)) MB")
    }
}

/// A CSV of 100 MB in one line (784 fields, the last one huge, or a few huge ones) is read in
/// about one byte a byte: the file itself, no String of it, no copy of a field to name it.
@Suite("digits query on a CSV line of 100 MB")
struct HugeCSVTests {
    @Test(.disabled(if: HugePictureTests.sanitized, "AddressSanitizer adds its own memory"))
    func aHundredMegabyteLineIsReadInAboutOneByteAByte() throws {
        let size = 100 << 20
        let folder = Fixture.folder()
        let cases: [(name: String, bytes: [UInt8])] = [
            ("last.csv", Array(String(repeating: "0,", count: 783).utf8) + [UInt8](repeating: UInt8(ascii: "1"), count: size)),
            ("every.csv", Array(([String](repeating: String(repeating: "7", count: size / 784), count: 784)).joined(separator: ",").utf8)),
        ]
        for (name, bytes) in cases {
            Fixture.write(bytes, to: folder + "/" + name)
            let read = try HugePictureTests.peak(["query", folder + "/" + name])
            #expect(read.status == 1, "\(name): a line of over-long numbers is a bad line")
            // The file once, and 64 MB for the program itself (about 30 here).
            #expect(read.bytes <= bytes.count + 64 << 20, "\(name): peak \(read.bytes / (1 << 20)) MB for a \(bytes.count / (1 << 20)) MB file")
        }
    }
}
