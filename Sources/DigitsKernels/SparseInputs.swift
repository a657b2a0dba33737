/// The nonzero inputs of every image, found once per data set rather than once per epoch:
/// image n's are entries offsets[n]..<offsets[n + 1] of `indices` (which input) and `values` (x_i).
///
/// (Unchecked Sendable: a set is only refilled by its owner, when no other thread reads it.)
package final class SparseInputs: @unchecked Sendable {
    package private(set) var count: Int
    package private(set) var offsets: [Int]
    package private(set) var indices: [Int32]
    package private(set) var values: [Float]

    package init(count: Int, offsets: [Int], indices: [Int32], values: [Float]) {
        self.count = count
        self.offsets = offsets
        self.indices = indices
        self.values = values
    }

    /// Hands over the arrays (leaving this set empty), so they can be refilled without copying.
    package func takeStorage() -> ([Int], [Int32], [Float]) {
        defer { offsets = []; indices = []; values = []; count = 0 }
        return (offsets, indices, values)
    }

    package func refill(count: Int, offsets: [Int], indices: [Int32], values: [Float]) {
        self.count = count
        self.offsets = offsets
        self.indices = indices
        self.values = values
    }

    /// The nonzero inputs of images already scaled, one row of floats each.
    package convenience init(rows: [[Float]]) {
        var offsets = [0], indices: [Int32] = [], values: [Float] = []
        offsets.reserveCapacity(rows.count + 1)
        for row in rows {
            for (i, x) in row.enumerated() where x != 0 {
                indices.append(Int32(i))
                values.append(x)
            }
            offsets.append(indices.count)
        }
        self.init(count: rows.count, offsets: offsets, indices: indices, values: values)
    }

    package init(images: [UInt8], count: Int, pixels: Int, table: [Float]) {
        self.count = count
        var offsets = [0]
        var indices: [Int32] = [], values: [Float] = []
        offsets.reserveCapacity(count + 1)
        for n in 0..<count {
            for i in 0..<pixels {
                let x = table[Int(images[n * pixels + i])]
                if x != 0 {
                    indices.append(Int32(i))
                    values.append(x)
                }
            }
            offsets.append(indices.count)
        }
        self.offsets = offsets
        self.indices = indices
        self.values = values
    }
}
