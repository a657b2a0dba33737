#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Kernels {
    /// The output layer's values for images `range` of `images`: range.count × outputs
    /// scores, row-major, written to `scores`.
    package static func predict(_ p: PackedNetwork, images: UnsafePointer<UInt8>, range: Range<Int>, table: UnsafePointer<Float>,
                                scores: UnsafeMutablePointer<Float>) {
        let ws = Workspace(for: p)
        let (I, O) = (p.inputCount, p.outputCount)
        for n in range {
            let m = gather(images + n * I, count: I, table: table, into: ws)
            forward(p, active: ws.active, values: ws.values, count: m, ws)
            (scores + n * O).update(from: ws.o, count: O)
        }
    }

    /// The output layer's values for every image: count × outputs scores, row-major. Large
    /// sets are split between two threads, each with its own workspace.
    package static func predict(_ p: PackedNetwork, images: [UInt8], count: Int, table: [Float]) -> [Float] {
        let O = p.outputCount
        var scores = [Float](repeating: 0, count: count * O)
        images.withUnsafeBufferPointer { imageBuffer in
            table.withUnsafeBufferPointer { tableBuffer in
                scores.withUnsafeMutableBufferPointer { out in
                    let (images, table, scores) = (imageBuffer.baseAddress!, tableBuffer.baseAddress!, out.baseAddress!)
                    if count < 2000 {
                        predict(p, images: images, range: 0..<count, table: table, scores: scores)
                    } else {
                        let half = count / 2
                        let other = Thread2 { predict(p, images: images, range: half..<count, table: table, scores: scores) }
                        predict(p, images: images, range: 0..<half, table: table, scores: scores)
                        other.join()
                    }
                }
            }
        }
        return scores
    }
}
