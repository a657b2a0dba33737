/// Deskewing as in LeCun's MNIST table ("deskewing" preprocessing): the image's second-order
/// moments give its slant, α = μ11 / μ02 (the covariance of x and y over the variance of y,
/// intensities as weights), and a horizontal shear by α about the centre of mass makes the
/// digit upright: output(x, y) = input(x + α·(y − ȳ), y), sampled bilinearly. A model trained
/// on deskewed images (`digits train --deskew`) deskews what it reads too.
public enum Deskew {
    /// The slant α of 28×28 `pixels` (0 for an empty image or a flat line).
    static func slant(_ pixels: [Float]) -> Float {
        let side = Preprocess.side
        var mass: Float = 0, mx: Float = 0, my: Float = 0
        for y in 0..<side { for x in 0..<side { let v = pixels[y * side + x]; mass += v; mx += v * Float(x); my += v * Float(y) } }
        guard mass > 0 else { return 0 }
        let (cx, cy) = (mx / mass, my / mass)
        var mu11: Float = 0, mu02: Float = 0
        for y in 0..<side {
            for x in 0..<side {
                let v = pixels[y * side + x]
                mu11 += v * (Float(x) - cx) * (Float(y) - cy)
                mu02 += v * (Float(y) - cy) * (Float(y) - cy)
            }
        }
        return mu02 > 0 ? mu11 / mu02 : 0
    }

    /// `pixels` (28×28, 0…255) sheared upright.
    public static func apply(_ pixels: [Float]) -> [Float] {
        let side = Preprocess.side
        let alpha = slant(pixels)
        var mass: Float = 0, my: Float = 0
        for (i, v) in pixels.enumerated() { mass += v; my += v * Float(i / side) }
        guard mass > 0, alpha != 0 else { return pixels }
        let cy = my / mass
        var out = [Float](repeating: 0, count: side * side)
        for y in 0..<side {
            let sx0 = alpha * (Float(y) - cy)
            for x in 0..<side {
                let sx = Float(x) + sx0
                let x0 = Int(sx.rounded(.down)), f = sx - Float(x0)
                let a = (0..<side).contains(x0) ? pixels[y * side + x0] : 0
                let b = (0..<side).contains(x0 + 1) ? pixels[y * side + x0 + 1] : 0
                out[y * side + x] = (a * (1 - f) + b * f).rounded()
            }
        }
        return out
    }
}

extension Dataset {
    /// Every image deskewed (`Deskew`), the labels as they are.
    public func deskewed() -> Dataset {
        var images = [UInt8]()
        images.reserveCapacity(self.images.count)
        for i in 0..<count {
            images += Deskew.apply(image(i).map(Float.init)).map { UInt8(max(0, min(255, $0))) }
        }
        return Dataset(images: images, labels: labels)
    }
}
