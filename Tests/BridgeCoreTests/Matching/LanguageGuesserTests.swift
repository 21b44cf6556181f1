import BridgeCore
import Testing

@Suite struct LanguageGuesserTests {
    static let candidates: [LanguageTag] = [.albanian, .serbianLatin, .serbianCyrillic, .arabic, .french]

    /// Vocabulary as a deployment would pass it: category phrases by language, keywords, yes/no words.
    static let vocabulary: [LanguageTag: [String]] = {
        var vocabulary: [LanguageTag: [String]] = [
            .albanian: ["gropa", "grope", "rruga", "drita", "mbeturina", "kanalizimi", "ndihme", "ndalo", "statusi"],
            .serbianLatin: ["rupa", "rupe", "put", "ulica", "svetlo", "smece", "kanalizacija", "pomoc", "odjava", "stanje"],
            .serbianCyrillic: ["рупа", "рупе", "пут", "улица", "светло", "смеће", "канализација", "помоћ", "одјава", "стање"],
            .arabic: ["حفرة", "طريق", "زبل", "ضو", "7fra", "triq", "zbel", "lwad", "توقف", "حالة"],
            .french: ["trou", "chaussée", "trottoir", "route", "lampadaire", "poubelle", "égout", "aide", "arrêt"],
        ]
        for (tag, words) in YesNoWords.yes { vocabulary[tag, default: []] += words }
        for (tag, words) in YesNoWords.no { vocabulary[tag, default: []] += words }
        return vocabulary
    }()

    let guesser = LanguageGuesser(vocabulary: Self.vocabulary)

    func guess(_ text: String, callingCode: LanguageTag? = nil, default language: LanguageTag = .albanian) -> LanguageGuess {
        guesser.guess(text, among: Self.candidates, defaultLanguage: language, callingCodeLanguage: callingCode)
    }

    @Test func scriptDecides() {
        #expect(guess("Рупа на путу код школе") == LanguageGuess(language: .serbianCyrillic, confidence: .script))
        #expect(guess("كاين الزبل بزاف") == LanguageGuess(language: .arabic, confidence: .script))
        #expect(guess("حفرة ١٢") == LanguageGuess(language: .arabic, confidence: .script))
    }

    @Test func arabiziGoesToArabic() {
        #expect(guess("kayn zbel bzaf") == LanguageGuess(language: .arabic, confidence: .words))
        #expect(guess("3afak l7fra f triq") == LanguageGuess(language: .arabic, confidence: .words))
        #expect(guess("bghit nblegh 3la chi haja") == LanguageGuess(language: .arabic, confidence: .words))
    }

    @Test(arguments: [
        ("Gropë e madhe në rrugë", LanguageTag.albanian),
        ("ka nje grope te madhe afer shkolles", .albanian),
        ("rupa na putu kod skole", .serbianLatin),
        ("Velika rupa na putu kod škole", .serbianLatin),
        ("trou dans la chaussée", .french),
        ("il y a un lampadaire cassé devant chez moi", .french),
    ])
    func latinTextByWords(text: String, expected: LanguageTag) {
        #expect(guess(text) == LanguageGuess(language: expected, confidence: .words))
    }

    @Test(arguments: [("Bonjour", LanguageTag.french), ("Zdravo", .serbianLatin), ("Përshëndetje", .albanian), ("salam", .arabic)])
    func greetings(text: String, expected: LanguageTag) {
        #expect(guess(text, callingCode: .albanian) == LanguageGuess(language: expected, confidence: .words))
    }

    @Test func weakTextFallsBackToCallingCodeThenDefault() {
        #expect(guess("ok", callingCode: .albanian) == LanguageGuess(language: .albanian, confidence: .callingCode))
        #expect(guess("ok", callingCode: .french, default: .albanian) == LanguageGuess(language: .french, confidence: .callingCode))
        #expect(guess("ok", callingCode: LanguageTag("de"), default: .french) == LanguageGuess(language: .french, confidence: .fallback))
        #expect(guess("1234") == LanguageGuess(language: .albanian, confidence: .fallback))
        #expect(guess("") == LanguageGuess(language: .albanian, confidence: .fallback))
    }

    @Test func scriptWithoutACandidateFallsThroughToWords() {
        let guesses = guesser.guess("Рупа на путу", among: [.albanian, .serbianLatin], defaultLanguage: .albanian, callingCodeLanguage: nil)
        #expect(guesses == LanguageGuess(language: .serbianLatin, confidence: .words))
    }

    @Test func confidenceIsOrdered() {
        #expect(LanguageGuess.Confidence.fallback < .callingCode)
        #expect(LanguageGuess.Confidence.callingCode < .words)
        #expect(LanguageGuess.Confidence.words < .script)
    }

    @Test func darijaAndMSACandidates() {
        let ary = LanguageTag("ary")
        let guesser = LanguageGuesser(vocabulary: [:])
        let guess = guesser.guess("كاين الزبل بزاف فالزنقة", among: [.arabic, ary, .french], defaultLanguage: .french, callingCodeLanguage: .french)
        #expect(guess == LanguageGuess(language: ary, confidence: .script))
        let msa = guesser.guess("يوجد حفرة في الطريق", among: [.arabic, ary], defaultLanguage: .arabic, callingCodeLanguage: nil)
        #expect(msa == LanguageGuess(language: .arabic, confidence: .script))
    }
}
