import BridgeCore
import Testing

@Suite struct TextNormalizerTests {
    @Test(arguments: ["ПОМОЋ", "pomoć", "pomoc", "POMOĆ", "рomoc", "p\u{200F}omoć"])
    func serbianHelpInEveryScriptIsOneKey(input: String) {
        #expect(TextNormalizer.matchKey(input) == "pomoc")
    }

    @Test func chHabitIsNotFoldedGlobally() {
        // `pomoch` is the ch-habit; §2.4 leaves it to keyword synonyms rather than a global rule.
        #expect(TextNormalizer.matchKey("POMOCH") == "pomoch")
    }

    @Test func mixedScriptTokensAreRepairedToTheirMajorityScript() {
        #expect(TextNormalizer.matchKey("Cтоп") == "stop")  // Latin C + Cyrillic топ
        #expect(TextNormalizer.matchKey("СТОП") == "stop")
        #expect(TextNormalizer.matchKey("рomoc") == "pomoc")  // Cyrillic р + Latin omoc
        #expect(TextNormalizer.matchKey("Cтоп рomoc") == "stop pomoc")
        // Latin P + Cyrillic: repair reads a Cyrillic Р; the unrepaired key is offered second.
        #expect(TextNormalizer.keyVariants("Pомоћ") == ["romoc", "pomoc"])
        #expect(TextNormalizer.keyVariants("Cтоп") == ["stop", "ctop"])
        #expect(TextNormalizer.keyVariants("стоп") == ["stop"])
    }

    @Test func cyrillicDigraphs() {
        #expect(TextNormalizer.matchKey("ЉУБАВ") == "ljubav")
        #expect(TextNormalizer.matchKey("Њива") == "njiva")
        #expect(TextNormalizer.matchKey("ЏЕП") == "dzep")
        #expect(TextNormalizer.matchKey("džep") == "dzep")
        #expect(TextNormalizer.matchKey("Ђак") == "djak")
        // Accented Cyrillic outside the Serbian table must not leak Cyrillic into the key.
        #expect(TextNormalizer.matchKey("Ѐ ѝ Ёж Ї") == "e i ez ji")
        #expect(TextNormalizer.matchKey("đak") == "djak")
    }

    @Test func letterFolding() {
        #expect(TextNormalizer.matchKey("Gropë e madhe në rrugë") == "grope e madhe ne rruge")
        #expect(TextNormalizer.matchKey("e\u{0308}") == TextNormalizer.matchKey("ë"))
        #expect(TextNormalizer.matchKey("e\u{0308}") == "e")
        #expect(TextNormalizer.matchKey("İSTANBUL") == "istanbul")
        #expect(TextNormalizer.matchKey("Straße") == "strasse")
        #expect(TextNormalizer.matchKey("Œuvre, Łódź, Ørsted, æ, ı") == "oeuvre lodz orsted ae i")
        #expect(TextNormalizer.matchKey("l'école") == "l ecole")
        #expect(TextNormalizer.matchKey("Voirie/nids-de-poule") == "voirie nids de poule")
        #expect(TextNormalizer.matchKey("ÇKA, çka") == "cka cka")
    }

    @Test func arabicUnification() {
        #expect(TextNormalizer.matchKey("وَاحِد") == "واحد")
        #expect(TextNormalizer.matchKey("شـكـرا") == "شكرا")
        #expect(TextNormalizer.matchKey("ثلاثة") == TextNormalizer.matchKey("ثلاثه"))
        #expect(TextNormalizer.matchKey("أ إ آ ٱ") == "ا ا ا ا")
        #expect(TextNormalizer.matchKey("مستشفى") == "مستشفي")
        #expect(TextNormalizer.matchKey("ﻻ") == "لا")
        #expect(TextNormalizer.matchKey("کی") == "كي")
        #expect(TextNormalizer.matchKey("ڭاع") == "كاع")
        #expect(TextNormalizer.matchKey("مدرسۀ") == "مدرسه")
        #expect(TextNormalizer.matchKey("حالة؟") == "حاله")
        #expect(TextNormalizer.matchKey("نعم، شكرا") == "نعم شكرا")
    }

    @Test func arabicIsNeverTransliterated() {
        #expect(TextNormalizer.containsLetters(TextNormalizer.matchKey("زبل"), of: .arabic))
        #expect(!TextNormalizer.containsLetters(TextNormalizer.matchKey("زبل"), of: .latin))
    }

    @Test func digits() {
        #expect(TextNormalizer.matchKey("١٠") == "10")
        #expect(TextNormalizer.matchKey("۴۵۶") == "456")
        #expect(TextNormalizer.matchKey("１２") == "12")
        #expect(TextNormalizer.matchKey("2️⃣") == "2")
        #expect(TextNormalizer.matchKey("\u{200F}1\u{200E}") == "1")
        #expect(TextNormalizer.matchKey("\u{061C}١\u{200F}") == "1")
        #expect(TextNormalizer.matchKey("sb3a") == "sb3a")
    }

    @Test func punctuationAndWhitespace() {
        #expect(TextNormalizer.matchKey("  STOP.  ") == "stop")
        #expect(TextNormalizer.matchKey("«stop» !!") == "stop")
        #expect(TextNormalizer.matchKey("a\u{00A0}\tb\nc") == "a b c")
        #expect(TextNormalizer.matchKey("👍") == "")
        #expect(TextNormalizer.tokens(" nr. 1 ") == ["nr", "1"])
        #expect(TextNormalizer.tokens("") == [])
    }

    @Test func scripts() {
        #expect(TextNormalizer.dominantScript("Рупа на путу") == .cyrillic)
        #expect(TextNormalizer.dominantScript("كاين الزبل") == .arabic)
        #expect(TextNormalizer.dominantScript("kayn zbel") == .latin)
        #expect(TextNormalizer.dominantScript("123 ?!") == nil)
        #expect(TextNormalizer.dominantScript("ok زبل") == .arabic)
        #expect(TextNormalizer.containsLetters("Cтоп", of: .latin))
        #expect(TextNormalizer.containsLetters("Cтоп", of: .cyrillic))
        #expect(!TextNormalizer.containsLetters("١٢٣", of: .arabic))
    }

    @Test func keysAreIdempotent() {
        for input in ["ПОМОЋ", "Gropë e madhe", "وَاحِد", "Cтоп", "l'école", "3chra"] {
            let key = TextNormalizer.matchKey(input)
            #expect(TextNormalizer.matchKey(key) == key)
        }
    }
}
