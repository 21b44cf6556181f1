import Foundation
import Testing

@testable import BridgeCore

/// The NFC quick check may only skip Foundation where Foundation would change nothing.
@Suite struct CanonicalCompositionTests {
    static var stableScalars: [Unicode.Scalar] {
        CanonicalComposition.stableStarterRanges.flatMap { $0.compactMap(Unicode.Scalar.init) }
    }

    @Test func everyStableScalarIsItsOwnNFCWithCombiningClassZero() {
        var wrong: [String] = []
        for scalar in Self.stableScalars {
            let text = String(scalar)
            if text.precomposedStringWithCanonicalMapping != text || scalar.properties.canonicalCombiningClass != .notReordered {
                wrong.append(String(scalar.value, radix: 16))
            }
        }
        #expect(wrong.isEmpty, "U+\(wrong.prefix(20).joined(separator: ", U+"))")
    }

    /// A stable scalar must never be what a composition ends with: then NFC could join it to the scalar before it.
    @Test func noCanonicalCompositionInUnicodeEndsWithAStableScalar() {
        var joined: [String] = []
        for value in 0xC0..<0x30000 {
            guard let composite = Unicode.Scalar(value), composite.properties.generalCategory != .unassigned else { continue }
            let parts = Array(String(composite).decomposedStringWithCanonicalMapping.unicodeScalars)
            if parts.count > 1, let last = parts.last, CanonicalComposition.isStableStarter(last) {
                joined.append("U+\(String(value, radix: 16)) ends with U+\(String(last.value, radix: 16))")
            }
        }
        #expect(joined.isEmpty, "\(joined.prefix(10))")
    }

    @Test(arguments: [
        "Përshëndetje, çka po ndodh në rrugën Nënë Tereza", "Ćao, ulica Đure Đakovića", "Улица Ђуре Ђаковића, ћирилица",
        "السلام عليكم، الضوء مكسور", "Où est la fève… « voilà » – 5 €", "plain ASCII text 123",
    ])
    func composedTextsAreReturnedAsTheyAre(_ text: String) {
        #expect(CanonicalComposition.isComposed(text))
        #expect(CanonicalComposition.compose(text) == text.precomposedStringWithCanonicalMapping)
    }

    @Test(arguments: [
        "e\u{301}cole", "C\u{327}a", "Пе\u{0308}тар", "\u{0627}\u{0653}", "\u{212B}ngstrom", "Se\u{301}rbija \u{2000}", "한국어",
        "\u{0958}", "a\u{0315}\u{0300}",
    ])
    func otherTextsGoThroughFoundation(_ text: String) {
        #expect(!CanonicalComposition.isComposed(text))
        #expect(CanonicalComposition.compose(text) == text.precomposedStringWithCanonicalMapping)
    }

    @Test func compatibilityCompositionSkipsFoundationOnlyWhereItWouldChangeNothing() {
        var wrong: [String] = []
        for scalar in Self.stableScalars {
            let text = "a\(scalar)b"
            if CanonicalComposition.composeCompatibility(text) != text.precomposedStringWithCompatibilityMapping {
                wrong.append(String(scalar.value, radix: 16))
            }
        }
        #expect(wrong.isEmpty, "U+\(wrong.prefix(20).joined(separator: ", U+"))")
        for text in ["ﬁn du mois", "½ litre", "rruga\u{00A0}B", "Улица Ђуре", "e\u{301}", "ǅamija", "…"] {
            #expect(CanonicalComposition.composeCompatibility(text) == text.precomposedStringWithCompatibilityMapping, "\(text)")
        }
    }
}
