import DigitsKit

/// libFuzzer entry point (`make fuzz`): every input must come back as a value or a typed
/// error, never a crash, a hang or a sanitizer report.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let model = try? Safetensors.decode(bytes, path: "fuzz") {
        _ = model.predict([Float](repeating: 128, count: 784))
    }
    return 0
}
