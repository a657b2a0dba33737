/// Raw views of one epoch's inputs, so that a second thread can read them too.
package struct EpochData: @unchecked Sendable {
    package let indices: UnsafePointer<Int32>
    package let values: UnsafePointer<Float>
    package let offsets: UnsafePointer<Int>
    package let labels: UnsafePointer<UInt8>
    package let order: UnsafePointer<Int32>
}

/// Scratch space for the kernels, allocated once per run so the epoch loop allocates nothing.
package final class Workspace {
    package let width: Int, outputCount: Int, inputCount: Int
    package let h: UnsafeMutablePointer<Vector>
    package let delta_h: UnsafeMutablePointer<Vector>
    package let o: UnsafeMutablePointer<Float>
    package let delta_o: UnsafeMutablePointer<Float>
    package let back: UnsafeMutablePointer<Float>
    /// The current image's nonzero inputs, when gathered from raw pixels.
    package let active: UnsafeMutablePointer<Int32>
    package let values: UnsafeMutablePointer<Float>
    /// Examples whose largest output was their label, counted by `deltas` before each update:
    /// the epoch's running training accuracy, free because the forward pass is done anyway.
    package var hits = 0

    package init(for p: PackedNetwork) {
        width = p.width
        outputCount = p.outputCount
        inputCount = p.inputCount
        h = vectors(width)
        delta_h = vectors(width)
        o = .allocate(capacity: outputCount)
        delta_o = .allocate(capacity: outputCount)
        back = .allocate(capacity: outputCount)
        for q in [o, delta_o, back] { q.initialize(repeating: 0, count: outputCount) }
        active = .allocate(capacity: inputCount)
        active.initialize(repeating: 0, count: inputCount)
        values = .allocate(capacity: inputCount)
        values.initialize(repeating: 0, count: inputCount)
    }

    deinit {
        for p in [h, delta_h] { p.deallocate() }
        for p in [o, delta_o, back, values] { p.deallocate() }
        active.deallocate()
    }
}
