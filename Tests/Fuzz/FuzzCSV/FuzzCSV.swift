import DigitsKit

/// libFuzzer entry point (`make fuzz`): every input must come back as a value or a typed
/// error, never a crash, a hang or a sanitizer report.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    for row in CSVImage.parse(bytes, path: "fuzz") {
        if case .success(let image) = row { precondition(image.pixels.count == 784) }
    }
    return 0
}
