/// A guess at the language a resident writes in, with how it was reached, so the engine can ask
/// the language question only when the guess is weak.
public struct LanguageGuess: Sendable, Equatable {
    public var language: LanguageTag
    public var confidence: Confidence

    /// How the guess was made, weakest first.
    public enum Confidence: Int, Sendable, Comparable {
        /// Nothing in the text helped: the deployment default.
        case fallback
        /// Nothing in the text helped; the sender's country calling code decided.
        case callingCode
        /// Letters specific to one language or known words won clearly.
        case words
        /// The text is in a script only one candidate uses (Cyrillic, Arabic).
        case script

        public static func < (lhs: Confidence, rhs: Confidence) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public init(language: LanguageTag, confidence: Confidence) {
        self.language = language
        self.confidence = confidence
    }
}
