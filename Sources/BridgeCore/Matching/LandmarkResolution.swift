/// What the gazetteer made of a place answer: one landmark, a short list to ask about, or nothing.
public enum LandmarkResolution: Sendable, Equatable {
    /// One landmark clearly best: use its point.
    case found(Landmark)
    /// Several landmarks fit about equally; at most 5, best first, for a "did you mean" list.
    case candidates([Landmark])
    /// Nothing configured fits: keep the answer as a free-text location.
    case notFound
}
