import Foundation

/// Where the drawing page served by `digits-server` (this folder's `web/`) is found: beside
/// the built executable, in the same resource folder as the shipped model.
public enum WebFiles {
    /// The folder holding index.html, or nil when this build has none beside it.
    public static var folder: String? {
        guard let model = DefaultModel.path else { return nil }
        let folder = (model as NSString).deletingLastPathComponent + "/web"
        return FileManager.default.fileExists(atPath: folder + "/index.html") ? folder : nil
    }
}
