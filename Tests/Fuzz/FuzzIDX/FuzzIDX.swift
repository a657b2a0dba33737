import DigitsKit

/// libFuzzer entry point (`make fuzz`): every input must come back as a value or a typed
/// error, never a crash, a hang or a sanitizer report.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    _ = try? IDX.decode(bytes, path: "fuzz", kind: .images)
    _ = try? IDX.decode(bytes, path: "fuzz", kind: .labels)
    return 0
}
