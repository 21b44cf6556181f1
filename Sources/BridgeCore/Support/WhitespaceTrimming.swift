/// Whitespace trimming without Foundation's bridge to `NSString`, which showed up at 4% of the server's CPU because
/// every inbound text and every rendered prompt went through it.
///
/// Same set as Foundation: `.whitespacesAndNewlines` is the Unicode White_Space property plus the zero-width space
/// (U+200B, which Foundation still counts); `.whitespaces` is that set without the line and paragraph breaks (U+000A to
/// U+000D, U+0085, U+2028, U+2029). Works on Unicode scalars, as Foundation does, so a combining mark after a space is
/// kept.
extension StringProtocol {
    /// `trimmingCharacters(in: .whitespacesAndNewlines)`, or `.whitespaces` when `newlines` is false.
    public func trimmingWhitespace(newlines: Bool = true) -> String {
        let scalars = unicodeScalars
        func trimmed(_ scalar: Unicode.Scalar) -> Bool {
            guard scalar.properties.isWhitespace || scalar.value == 0x200B else { return false }
            return newlines || !Self.isLineBreak(scalar)
        }
        guard let first = scalars.firstIndex(where: { !trimmed($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !trimmed($0) }) ?? first
        // Scalar indices are string indices; slicing at them keeps the scalars in between as they are.
        return String(self[first..<scalars.index(after: last)])
    }

    private static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }
}
