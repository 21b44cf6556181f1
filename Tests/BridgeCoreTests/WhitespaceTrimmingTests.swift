import Foundation
import Testing

@testable import BridgeCore

/// `trimmingWhitespace` replaced Foundation's `trimmingCharacters(in:)` on the hot path: same results, scalar for scalar.
@Suite struct WhitespaceTrimmingTests {
    /// Every scalar Foundation counts as whitespace or newline, and some it does not (zero-width space, BOM, NBSP's kin).
    static let edges: [Unicode.Scalar] = (0...0x3000).compactMap { Unicode.Scalar($0) }.filter {
        CharacterSet.whitespacesAndNewlines.contains($0) || $0.properties.isWhitespace || [0x200B, 0x180E, 0x2060].contains($0.value)
    } + ["\u{FEFF}", "\u{E0020}"]

    @Test func everyWhitespaceScalarTrimsAsFoundationDoes() {
        for scalar in Self.edges {
            for text in ["\(scalar)a b\(scalar)", "\(scalar)\(scalar)", "x\(scalar)", "\(scalar)\u{301}x"] {
                #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines),
                        "U+\(String(scalar.value, radix: 16)) with newlines")
                #expect(text.trimmingWhitespace(newlines: false) == text.trimmingCharacters(in: .whitespaces),
                        "U+\(String(scalar.value, radix: 16)) without newlines")
            }
        }
    }

    @Test(arguments: ["", " ", "  Përshëndetje \n", "\t السلام عليكم \u{00A0}", "Здраво\r\n", "\n\n", "a", " ë ", "\u{3000}全角\u{3000}"])
    func textsTrimAsFoundationDoes(_ text: String) {
        #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(text.trimmingWhitespace(newlines: false) == text.trimmingCharacters(in: .whitespaces))
        #expect(text[...].trimmingWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines), "on a substring too")
    }
}
