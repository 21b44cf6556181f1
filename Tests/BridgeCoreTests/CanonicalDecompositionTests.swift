import Foundation
import Testing

@testable import BridgeCore

/// The match key's decomposition, scalar by scalar and remembered, must give what Foundation's NFD gives once the marks
/// the key drops are gone.
@Suite struct CanonicalDecompositionTests {
    /// Nonspacing and enclosing marks dropped, as `TextNormalizer` does right after decomposing.
    static func withoutDroppedMarks(_ scalars: some Sequence<Unicode.Scalar>) -> [Unicode.Scalar] {
        scalars.filter { ![.nonspacingMark, .enclosingMark].contains($0.properties.generalCategory) }
    }

    static func foundation(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        withoutDroppedMarks(String(String.UnicodeScalarView(scalars)).decomposedStringWithCanonicalMapping.unicodeScalars)
    }

    @Test func everyScalarOfTheFirstPlanesDecomposesAsFoundationDoes() {
        var differing: [String] = []
        for value in 0x80..<0x3100 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if Self.withoutDroppedMarks(CanonicalDecomposition.decompose([scalar])) != Self.foundation([scalar]) {
                differing.append(String(value, radix: 16))
            }
        }
        #expect(differing.isEmpty, "U+\(differing.prefix(20).joined(separator: ", U+"))")
    }

    @Test(arguments: [
        "Përshëndetje, çka po ndodh në rrugën Nënë Tereza", "Ćao, ulica Đure Đakovića, čćžšđ", "Žurnal à l'école, où est la fève",
        "السلام عليكم، إصلاح الأضواء في الشارع", "Việt Nam đẹp quá", "한국어 텍스트", "e\u{301}\u{327}\u{300}", "a\u{0F7F}\u{0F71}b",
        "क्षत्रिय की\u{093C}", "ǅ ǈ Ǆ ﬁ", "\u{1E9B}\u{0323}",
    ])
    func textsDecomposeAsFoundationDoes(_ text: String) {
        let scalars = Array(text.unicodeScalars)
        #expect(Self.withoutDroppedMarks(CanonicalDecomposition.decompose(scalars)) == Self.foundation(scalars))
    }
}
