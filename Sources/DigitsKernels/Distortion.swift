/// A map from the pixels of a distorted image back to the original: the source point of output
/// pixel p is A·(p − centre) + centre + shift, plus an elastic displacement field when there is
/// one. Sampled bilinearly; outside the image is black.
package struct Distortion: Sendable, Equatable {
    /// The matrix A = [[a, b], [c, d]], acting on (x, y).
    package var a: Float, b: Float, c: Float, d: Float
    package var shiftX: Float, shiftY: Float
    /// The displacement field (an index in the augmenter's bank), and how it is applied:
    /// its x and y swapped, and either negated — eight variants of each field.
    package var field: Int?
    package var swapField = false
    package var negateX = false
    package var negateY = false
    /// How the ink itself is changed, for the reader augmentation (nil: not at all).
    package var ink: InkStyle?

    package init(a: Float, b: Float, c: Float, d: Float, shiftX: Float, shiftY: Float, field: Int? = nil,
                swapField: Bool = false, negateX: Bool = false, negateY: Bool = false, ink: InkStyle? = nil) {
        (self.a, self.b, self.c, self.d, self.shiftX, self.shiftY) = (a, b, c, d, shiftX, shiftY)
        (self.field, self.swapField, self.negateX, self.negateY, self.ink) = (field, swapField, negateX, negateY, ink)
    }

    package static let identity = Distortion(a: 1, b: 0, c: 0, d: 1, shiftX: 0, shiftY: 0)

    /// A pure shift: the ink moves by (dx, dy) pixels.
    package static func shift(_ dx: Float, _ dy: Float) -> Distortion {
        Distortion(a: 1, b: 0, c: 0, d: 1, shiftX: -dx, shiftY: -dy)
    }
}

/// How the reader augmentation changes the ink of a digit (issue 14), in the order a person's
/// picture gets it: the stroke drawn thicker or thinner, the picture blurred, and then, after
/// the preprocessing has brought the brightest pixel to 255, ink that does not all reach that
/// peak and a little noise on it. MNIST's pen and scanner have none of this.
package struct InkStyle: Sendable, Equatable {
    /// The change of stroke width. Below 0: a grey-level erosion (3×3 minimum) blended in by
    /// −thickness; 0…1: a dilation (3×3 maximum) blended in by thickness; 1…2: one whole
    /// dilation and a second blended in by thickness − 1 (a marker). Blending makes the width
    /// vary continuously, where whole steps would add or take two pixels at once.
    package var thickness: Float
    /// σ of a Gaussian blur, in pixels (an unsharp scan, a photo slightly out of focus).
    package var blur: Float
    /// Which tone curve v ↦ 255·(v/255)^γ of the augmenter's bank: γ > 1 leaves most of the
    /// ink fainter than its peak (a pencil, a grey pen, uneven light), γ < 1 fuller (a
    /// marker). The peak stays 255, as the preprocessing makes it.
    package var tone: Int
    /// Each inked pixel moves by up to ±noise grey levels (paper grain, sensor and JPEG noise,
    /// which the stretch to 255 amplifies for faint ink), from a hash of `noiseSeed` and the
    /// pixel, so the noise does not depend on the order pixels are visited in.
    package var noise: Float
    package var noiseSeed: UInt64

    /// The tone curve that leaves the ink as it is (γ = 1): the middle of the augmenter's 33.
    package static let identityTone = 16

    package init(thickness: Float = 0, blur: Float = 0, tone: Int = identityTone, noise: Float = 0, noiseSeed: UInt64 = 0) {
        self.thickness = thickness
        self.blur = blur
        self.tone = tone
        self.noise = noise
        self.noiseSeed = noiseSeed
    }
}
