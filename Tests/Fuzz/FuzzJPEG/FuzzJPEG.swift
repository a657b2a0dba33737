import DigitsKit

/// libFuzzer entry point (`make fuzz`): every input must come back as a value or a typed
/// error, never a crash, a hang or a sanitizer report.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    // The whole path of `digits query` for a photo: content sniffing, libjpeg-turbo and the EXIF reader, MNIST preprocessing.
    for normalisation in [Normalisation.automatic, .always, .never] {
        for result in ImageInput.images(in: bytes, path: "fuzz", normalisation: normalisation) {
            if case .success(let image) = result { precondition(image.pixels.count == 784 && image.pixels.allSatisfy { $0 >= 0 && $0 <= 255 }) }
        }
    }
    return 0
}
