/// What the gazetteer made of a place answer: one landmark, a short list to ask about, or nothing.
public enum LandmarkResolution: Sendable, Equatable {
    case found(Landmark)
    /// Several landmarks fit about equally; at most 5, best first, for a "did you mean" list.
    case candidates([Landmark])
    case notFound
}
