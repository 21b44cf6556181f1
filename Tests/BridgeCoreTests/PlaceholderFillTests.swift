import Testing

@testable import BridgeCore

/// Placeholders are filled in one pass: what a resident typed is shown as typed, even when it looks like a placeholder.
@Suite struct PlaceholderFillTests {
    @Test func everyNamedPlaceholderIsFilledAndOthersStay() {
        #expect(MessageRenderer.fill("{a} and {a}, {b}; {unknown} {", ["a": "x", "b": "yë"]) == "x and x, yë; {unknown} {")
        #expect(MessageRenderer.fill("no placeholders", ["a": "x"]) == "no placeholders")
        #expect(MessageRenderer.fill("{{a}}", ["a": "x"]) == "{x}")
        #expect(MessageRenderer.fill("Raporti: {category}, {landmark}", [:]) == "Raporti: {category}, {landmark}")
    }

    @Test func aValueIsNeverFilledAgain() {
        let text = MessageRenderer.fill("{category}: {description} ({landmark})",
                                        ["category": "Ujë", "description": "shiko {landmark}", "landmark": "Sheshi"])
        #expect(text == "Ujë: shiko {landmark} (Sheshi)")
    }
}
