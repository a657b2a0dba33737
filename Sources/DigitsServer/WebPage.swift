import DigitsResources
import Foundation

/// The drawing page (`Resources/web`), read once at start and served from memory.
public struct WebPage: Sendable {
    public struct File: Sendable {
        public let contentType: String
        public let bytes: [UInt8]
    }

    /// Request path → file.
    public let files: [String: File]

    static let contentTypes = ["html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8",
                               "css": "text/css; charset=utf-8", "svg": "image/svg+xml"]

    /// Reads every file of `folder`; `index.html` also answers `/`.
    public init(folder: String) throws {
        var files: [String: File] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() {
            let ext = name.split(separator: ".").last.map(String.init) ?? ""
            guard let type = Self.contentTypes[ext] else { continue }
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
            files["/" + name] = File(contentType: type, bytes: bytes)
        }
        guard let index = files["/index.html"] else {
            throw APIError(500, "\(folder): no index.html")
        }
        files["/"] = index
        self.files = files
    }

    /// The page shipped beside the binary.
    public static func shipped() throws -> WebPage {
        guard let folder = WebFiles.folder else {
            throw APIError(500, "the drawing page is not beside this binary (the folder digits_DigitsResources.resources/web of its build folder was not copied with it): run it from its build folder, or copy that folder beside it")
        }
        return try WebPage(folder: folder)
    }
}
