/// A guess at the language a resident writes in, with how it was reached, so the engine can ask
/// the language question only when the guess is weak.
public struct LanguageGuess: Sendable, Equatable {
    /// One of the candidates, or the default language when nothing decided.
    public var language: LanguageTag
    /// How much to trust `language`: the engine may confirm anything below `.words`.
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

        /// Weakest first, so `confidence >= .words` reads as "the text itself decided".
        public static func < (lhs: Confidence, rhs: Confidence) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Plain memberwise initialiser, public so tests and other modules can state expectations.
    public init(language: LanguageTag, confidence: Confidence) {
        self.language = language
        self.confidence = confidence
    }
}
