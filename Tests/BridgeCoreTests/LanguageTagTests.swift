import BridgeCore
import Testing

@Suite struct LanguageTagTests {
    @Test func scriptFollowsTheTag() {
        #expect(LanguageTag.serbianCyrillic.script == .cyrillic)
        #expect(LanguageTag.serbianLatin.script == .latin)
        #expect(LanguageTag.arabic.script == .arabic)
        #expect(LanguageTag.serbianCyrillic.primary == "sr")
    }
}
