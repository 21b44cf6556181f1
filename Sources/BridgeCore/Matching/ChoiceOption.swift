/// One answer a choice state accepts besides its number.
public struct ChoiceOption: Sendable, Equatable {
    /// The option's labels and synonyms in every language and script, as written; they are
    /// normalised by the matcher. A label with slashes ("Rrugë/gropa") also counts part by part.
    public var phrases: [String]

    public init(phrases: [String]) {
        self.phrases = phrases
    }
}

/// Which rule recognised an option, so the engine can confirm the loose ones ("Did you mean …?").
public enum ChoiceMatchKind: String, Sendable {
    case number, numberWord, label, containment, fuzzy, prefix
}

/// The outcome of matching a reply against a numbered list of options.
public enum ChoiceMatch: Sendable, Equatable {
    /// The option at this 0-based index (the resident saw it as `index + 1`).
    case option(index: Int, kind: ChoiceMatchKind)
    /// A single number (or number word) outside 1…N, as typed: `0`, `11`.
    case outOfRange(Int)
    /// Several options fit equally well; 0-based indices, best first.
    case ambiguous([Int])
    /// Nothing fits, or the reply is invalid in a choice state (several numbers, a number with text).
    case noMatch
    /// Nothing left after normalisation (blank, only punctuation or emoji).
    case empty
}
