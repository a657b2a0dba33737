/// Momentum for gradient descent, one parameter at a time: the formula the kernels apply to
/// every weight and bias after each batch.
///
/// With g the step plain SGD would take (−α times the averaged gradient, weight decay
/// included): v ← μv + g, then w ← w + v (classical, Polyak) or w ← w + μv + g (Nesterov's
/// look-ahead, in the form of Sutskever et al. 2013, which needs no gradient at a shifted
/// point). μ = 0 is plain SGD either way.
struct Momentum: Sendable, Equatable {
    var mu: Float
    var nesterov: Bool

    init(mu: Float, nesterov: Bool) {
        self.mu = mu
        self.nesterov = nesterov
    }

    func step(_ w: inout Float, velocity v: inout Float, plainStep g: Float) {
        v = g.addingProduct(v, mu)
        w += nesterov ? g.addingProduct(v, mu) : v
    }
}
