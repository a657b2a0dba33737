import DigitsKernels
import Dispatch
import Synchronization

/// Which distortions training images get, new ones every epoch.
public enum Augmentation: String, Sendable, CaseIterable {
    /// The images as they are.
    case none
    /// A small random affine map: rotation, scale, shear and shift.
    case affine
    /// The affine map plus an elastic distortion (Simard et al., ICDAR 2003).
    case elastic
    /// People's digits as the preprocessing hands them over (issue 14): the digit's size and
    /// place in its box varied, strokes thinner (a pen photographed large is thinner than
    /// MNIST's once fitted to 20 pixels), blurred, ink fainter than its peak and a little noisy,
    /// on top of a rotation and shear like `affine`'s.
    case reader
    /// `reader` with strokes made thicker too, up to two steps of dilation (a marker, or a
    /// digit drawn small with a wide brush).
    case readerThick = "reader-thick"
    /// `reader` with Simard's elastic field as well.
    case readerElastic = "reader-elastic"

    /// Whether the distortion includes an elastic field.
    var isElastic: Bool { self == .elastic || self == .readerElastic }
    /// Whether the ink itself is changed too (stroke, blur, tone, noise).
    var isReader: Bool { self == .reader || self == .readerThick || self == .readerElastic }
}

/// Random distortions of 28×28 training images, decided only by the seed, the epoch and the
/// image's index, so a run is the same whichever thread draws them and whenever.
public struct Augmenter: Sendable {
    public let kind: Augmentation
    public let seed: UInt64
    /// Elastic displacement fields, each 784 x-offsets then 784 y-offsets, in pixels.
    let fields: [Float]
    /// The largest displacement of any field.
    let reach: Float
    /// The reader's tone curves, `toneLevels` tables of 256 bytes (empty for other kinds).
    let tones: [UInt8]

    public static let fieldCount = 256
    /// Rotation up to ±12°, scale 0.9–1.1 per axis, shear up to ±0.15, shift up to ±2 pixels.
    public static let maxRotation: Float = 12 * .pi / 180
    public static let maxScale: Float = 0.1
    public static let maxShear: Float = 0.15
    public static let maxShift: Float = 2
    /// Simard's elastic parameters: uniform noise smoothed by a Gaussian of σ, scaled by α.
    public static let sigma: Float = 4
    public static let alpha: Float = 34

    public init(kind: Augmentation, seed: UInt64) {
        self.kind = kind
        self.seed = seed
        fields = kind.isElastic ? Self.makeFields(seed: seed) : []
        reach = Kernels.reach(of: fields)
        tones = kind.isReader ? Self.makeTones() : []
    }

    /// The distortion of image `index` in epoch `epoch`.
    package func distortion(epoch: Int, index: Int) -> Distortion {
        guard kind != .none else { return .identity }
        var r = Random(seed: seed &+ 0xA076_1D64_78BD_642F &* UInt64(epoch + 1) &+ 0xE703_7ED1_A0B4_28DB &* UInt64(index + 1))
        if kind.isReader { return readerDistortion(&r) }
        func uniform(_ limit: Float) -> Float { Float(r.uniform() * 2 - 1) * limit }
        let angle = uniform(Self.maxRotation), shear = uniform(Self.maxShear)
        let sx = 1 + uniform(Self.maxScale), sy = 1 + uniform(Self.maxScale)
        let (cosine, sine) = (Float(cos(Double(angle))), Float(sin(Double(angle))))
        // A = R(angle) · [[1, shear], [0, 1]] · diag(sx, sy)
        var t = Distortion(a: cosine * sx, b: (cosine * shear - sine) * sy, c: sine * sx, d: (sine * shear + cosine) * sy,
                           shiftX: uniform(Self.maxShift), shiftY: uniform(Self.maxShift))
        if kind == .elastic { drawField(&r, into: &t) }
        return t
    }

    /// Which of the bank's fields `t` gets, and which of its eight variants.
    func drawField(_ r: inout Random, into t: inout Distortion) {
        t.field = r.below(Self.fieldCount)
        t.swapField = r.below(2) == 1
        t.negateX = r.below(2) == 1
        t.negateY = r.below(2) == 1
    }

    /// `image` (784 bytes) under `t`.
    package func apply(_ t: Distortion, to image: some Collection<UInt8>) -> [UInt8] {
        precondition(image.count == Dataset.pixelCount)
        var out = [UInt8](repeating: 0, count: Dataset.pixelCount)
        Kernels.resample(Array(image), index: 0, t, fields: fields, reach: reach, tones: tones, into: &out)
        return out
    }

    /// Every image of `images` (count × 784 bytes) distorted for `epoch`.
    public func distort(_ images: [UInt8], epoch: Int) -> [UInt8] {
        let count = images.count / Dataset.pixelCount
        var out = [UInt8](repeating: 0, count: images.count)
        for n in 0..<count {
            Kernels.resample(images, index: n, distortion(epoch: epoch, index: n), fields: fields, reach: reach, tones: tones,
                             into: &out)
        }
        return out
    }

    /// The same distorted images, as the training kernels read them: their nonzero inputs
    /// (scaled by `table`), made without an intermediate copy, all on this thread.
    package func distortedInputs(_ images: [UInt8], boxes: [SIMD4<Int32>]? = nil, epoch: Int, table: [Float]) -> SparseInputs {
        let preparation = EpochPreparation(self, images: images, boxes: boxes ?? Self.inkBoxes(images), epoch: epoch,
                                           table: table, reusing: nil, background: false)
        return preparation.finish()
    }

    /// The bounding box of each image's ink (x0, y0, x1, y1), found once per data set.
    public static func inkBoxes(_ images: [UInt8]) -> [SIMD4<Int32>] {
        Kernels.inkBoxes(images, count: images.count / Dataset.pixelCount)
    }

    /// The bank of elastic fields: uniform noise in [−1, 1] per pixel and direction, smoothed
    /// by a Gaussian of σ (separably, zero outside), scaled by α.
    static func makeFields(seed: UInt64) -> [Float] {
        var r = Random(seed: seed ^ 0x0E1A_571C_F1E1_D5ED)
        let side = Dataset.cols
        let radius = Int((3 * sigma).rounded(.up))
        let kernel = (-radius...radius).map { Float(exp(-Double($0 * $0) / Double(2 * sigma * sigma))) }
        let total = kernel.reduce(0, +)
        let weights = kernel.map { $0 / total }
        func smooth(_ field: [Float]) -> [Float] {
            var rows = [Float](repeating: 0, count: field.count), out = rows
            for y in 0..<side {
                for x in 0..<side {
                    var s: Float = 0
                    for k in -radius...radius where x + k >= 0 && x + k < side { s += weights[k + radius] * field[y * side + x + k] }
                    rows[y * side + x] = s
                }
            }
            for y in 0..<side {
                for x in 0..<side {
                    var s: Float = 0
                    for k in -radius...radius where y + k >= 0 && y + k < side { s += weights[k + radius] * rows[(y + k) * side + x] }
                    out[y * side + x] = s * alpha
                }
            }
            return out
        }
        var bank: [Float] = []
        bank.reserveCapacity(fieldCount * 2 * side * side)
        for _ in 0..<(fieldCount * 2) {
            bank += smooth((0..<(side * side)).map { _ in Float(r.uniform() * 2 - 1) })
        }
        return bank
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// One epoch's distorted inputs, made in chunks of images by a background thread while the
/// epoch before trains; when training ends first, the trainer takes chunks from the back, so
/// the two cores share what is left. Each image's inputs depend on the image alone, so the
/// result is the same whoever made which chunk.
final class EpochPreparation: @unchecked Sendable {
    private let augmenter: Augmenter
    private let images: [UInt8]
    private let boxes: [SIMD4<Int32>]
    private let epoch: Int
    private let table: [Float]
    private let count: Int
    private let chunks: Int
    static let chunkSize = 500
    /// The next chunk from the front (the background's) and the last one not yet taken.
    private let claims: Mutex<(front: Int, back: Int)>
    private let backgroundDone = DispatchSemaphore(value: 0)
    // The front chunks, in order, by the background thread.
    private var offsets: [Int] = []
    private var indices: [Int32] = []
    private var values: [Float] = []

    /// Starts making `epoch`'s inputs, refilling the storage of `old` (a set nobody reads any
    /// more) when there is one; on a background thread unless `background` is false.
    init(_ augmenter: Augmenter, images: [UInt8], boxes: [SIMD4<Int32>], epoch: Int, table: [Float],
         reusing old: SparseInputs?, background: Bool = true) {
        self.augmenter = augmenter
        self.images = images
        self.boxes = boxes
        self.epoch = epoch
        self.table = table
        count = images.count / Dataset.pixelCount
        chunks = (count + Self.chunkSize - 1) / Self.chunkSize
        claims = Mutex((front: 0, back: chunks - 1))
        if let old { (offsets, indices, values) = old.takeStorage() }
        offsets.removeAll(keepingCapacity: true)
        indices.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        offsets.append(0)
        if background {
            DispatchQueue.global().async { self.runFront() }
        } else {
            runFront()
        }
    }

    private func make(_ chunk: Int, _ indices: inout [Int32], _ values: inout [Float], _ ends: inout [Int]) {
        let range = (chunk * Self.chunkSize)..<min(count, (chunk + 1) * Self.chunkSize)
        Kernels.distortSparse(images, range: range, boxes: boxes, distortion: { self.augmenter.distortion(epoch: self.epoch, index: $0) },
                              fields: augmenter.fields, reach: augmenter.reach, tones: augmenter.tones, table: table,
                              indices: &indices, values: &values, ends: &ends)
    }

    private func runFront() {
        while true {
            let chunk: Int? = claims.withLock { state in
                guard state.front <= state.back else { return nil }
                state.front += 1
                return state.front - 1
            }
            guard let chunk else { break }
            make(chunk, &indices, &values, &offsets)
        }
        backgroundDone.signal()
    }

    /// Helps with the chunks left (from the back), waits for the background, and returns the
    /// whole epoch's inputs.
    func finish() -> SparseInputs {
        var tail: [(indices: [Int32], values: [Float], ends: [Int])] = []
        while true {
            let chunk: Int? = claims.withLock { state in
                guard state.front <= state.back else { return nil }
                state.back -= 1
                return state.back + 1
            }
            guard let chunk else { break }
            var part: (indices: [Int32], values: [Float], ends: [Int]) = ([], [], [])
            make(chunk, &part.indices, &part.values, &part.ends)
            tail.append(part)
        }
        backgroundDone.wait()
        backgroundDone.signal()
        // The back chunks were made last to first: append them first to last.
        for part in tail.reversed() {
            let base = indices.count
            indices.append(contentsOf: part.indices)
            values.append(contentsOf: part.values)
            offsets.append(contentsOf: part.ends.map { $0 + base })
        }
        return SparseInputs(count: count, offsets: offsets, indices: indices, values: values)
    }
}
