import Foundation

/// Where the model shipped with `digits` (this folder's `digits.safetensors`) is found: SwiftPM
/// copies it into a resource folder next to the built executable.
///
/// Looked up by hand rather than through `Bundle.module`, whose accessor stops the process
/// when the folder is missing (a binary copied elsewhere); here that is just "no default model".
public enum DefaultModel {
    public static let fileName = "digits.safetensors"
    /// The model trained for people's digits, which `digits query` and the server read with.
    public static let readerFileName = "reader.safetensors"
    static let bundleName = "digits_DigitsResources.resources"

    /// The embedded doc-001 model's path (what `make model` regenerates), or nil when this
    /// build has none beside it.
    public static var path: String? { find(fileName) }

    /// The embedded reader model's path, or nil.
    public static var readerPath: String? { find(readerFileName) }

    static func find(_ fileName: String) -> String? {
        var folders: [String] = []
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            folders.append((executable as NSString).deletingLastPathComponent)
        }
        folders.append(Bundle.main.bundlePath)
        folders.append(((CommandLine.arguments.first ?? "") as NSString).deletingLastPathComponent)
        for folder in folders {
            for candidate in [folder + "/" + bundleName + "/" + fileName, folder + "/" + bundleName + "/Contents/Resources/" + fileName] {
                if FileManager.default.fileExists(atPath: candidate) { return candidate }
            }
        }
        return nil
    }
}
