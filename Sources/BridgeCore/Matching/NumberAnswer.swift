/// What a message says as a number, for states that must tell "11" (out of range) from "1 2"
/// (several numbers) from "abc" (no number at all).
public enum NumberAnswer: Equatable, Sendable {
    /// The whole message is one number (any size, including 0), as digits or as a number word.
    case number(Int)
    /// The message holds two or more numbers ("1 2", "jedan dva").
    case severalNumbers
    /// The message is not a number.
    case none
}
