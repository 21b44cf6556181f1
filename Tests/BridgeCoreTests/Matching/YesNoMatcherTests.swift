import BridgeCore
import Testing

@Suite struct YesNoMatcherTests {
    let matcher = YesNoMatcher.standard
    static let en = LanguageTag("en")

    @Test(arguments: [
        ("po", LanguageTag.albanian, true), ("Po", .albanian, true), ("jo", .albanian, false), ("PO PO", .albanian, true),
        ("po faleminderit", .albanian, true), ("jo, faleminderit", .albanian, false),
        ("da", .serbianLatin, true), ("ne", .serbianLatin, false), ("Да", .serbianCyrillic, true), ("НЕ", .serbianCyrillic, false),
        ("ne", .serbianCyrillic, false), ("da, hvala", .serbianLatin, true), ("важи", .serbianLatin, true),
        ("oui", .french, true), ("Non merci", .french, false), ("d'accord", .french, true), ("bien sûr", .french, true),
        ("نعم", .arabic, true), ("لا", .arabic, false), ("واخا", .arabic, true), ("wakha", .arabic, true),
        ("la", .arabic, false), ("LA", .arabic, false), ("لا شكرا", .arabic, false), ("yes", en, true),
    ])
    func sessionLanguage(input: String, language: LanguageTag, expected: Bool) {
        #expect(matcher.match(input, language: language) == expected)
    }

    @Test func wordsThatMeanSomethingElseElsewhereNeedTheSessionLanguage() {
        #expect(matcher.match("ne", language: .albanian) == nil)  // Albanian "në" (in) / "ne" (we)
        #expect(matcher.match("ne", language: .french) == nil)
        #expect(matcher.match("po", language: .serbianLatin) == nil)  // Serbian "po" (by)
        #expect(matcher.match("la", language: .french) == nil)  // French article
        #expect(matcher.match("la", language: .albanian) == nil)
    }

    @Test func unambiguousWordsWorkAcrossLanguages() {
        #expect(matcher.match("oui", language: .albanian) == true)
        #expect(matcher.match("da", language: .albanian) == true)
        #expect(matcher.match("jo", language: .serbianLatin) == false)
        #expect(matcher.match("wakha", language: .french) == true)
        #expect(matcher.match("نعم", language: .french) == true)
        #expect(matcher.match("non", language: .arabic) == false)
        #expect(matcher.match("ok", language: .albanian) == true)
    }

    @Test func otherWordsOrBothMeaningsGiveNil() {
        #expect(matcher.match("ne znam", language: .serbianLatin) == nil)
        #expect(matcher.match("po jo", language: .albanian) == nil)
        #expect(matcher.match("oui non", language: .french) == nil)
        #expect(matcher.match("gropa", language: .albanian) == nil)
        #expect(matcher.match("", language: .albanian) == nil)
        #expect(matcher.match("1", language: .albanian) == nil)  // digits are the caller's
        #expect(matcher.match("👍", language: .french) == nil)
    }

    @Test func configuredVocabulary() {
        let matcher = YesNoMatcher(yes: [.albanian: ["po"], .serbianLatin: ["da"]], no: [.albanian: ["jo"], .serbianLatin: ["ne"]])
        #expect(matcher.match("po", language: .albanian) == true)
        #expect(matcher.match("ne", language: .serbianCyrillic) == false)  // same primary language
        #expect(matcher.match("ne", language: .albanian) == nil)
        #expect(matcher.match("da", language: .albanian) == true)
    }
}
