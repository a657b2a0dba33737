import Foundation
import Testing
@testable import DigitsKit

@Suite("Atomic writes")
struct AtomicFileTests {
    @Test func writesAndReplacesLeavingNoTemporaryFile() throws {
        let dir = Fixtures.folder()
        let path = dir + "/model.bin"
        try AtomicFile.write([1, 2, 3], to: path)
        try AtomicFile.write([4, 5], to: path)
        #expect(FileManager.default.contents(atPath: path) == Data([4, 5]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["model.bin"])
    }

    @Test func failsWithTheFileNamedWhenTheFolderIsMissing() {
        let path = Fixtures.folder() + "/no/such/folder/model.bin"
        #expect(throws: WriteError.self) { try AtomicFile.write([1], to: path) }
        do { try AtomicFile.write([1], to: path) } catch { #expect(error.description.contains(path)) }
    }

    @Test func createsNestedFolders() throws {
        let dir = Fixtures.folder() + "/a/b/c"
        try AtomicFile.createDirectory(dir)
        var isDir: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) && isDir.boolValue)
    }
}
