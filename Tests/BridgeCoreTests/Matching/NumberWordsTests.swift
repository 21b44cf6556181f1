import BridgeCore
import Testing

@Suite struct NumberWordsTests {
    @Test(arguments: [
        ("sb3a", 7), ("seb3a", 7), ("sab3a", 7), ("rb3a", 4), ("ts3od", 9), ("tes3oud", 9), ("wa7ed", 1), ("5amsa", 5),
        ("3chra", 10), ("3achra", 10), ("jouj", 2), ("tlata", 3), ("tmanya", 8), ("stta", 6),
    ])
    func arabiziNumberWords(input: String, expected: Int) {
        #expect(NumberWords.value(of: input) == expected)
    }

    @Test(arguments: [("wa7d", 1), ("wahad", 1), ("sba3a", 7), ("khmsa", 5), ("3ochra", 10), ("tsa3oud", 9), ("ZOUJ", 2)])
    func arabiziSpellingsOutsideTheListUseTheSkeleton(input: String, expected: Int) {
        #expect(NumberWords.value(of: input) == expected)
    }

    @Test(arguments: ["hada", "sir", "sur", "rab", "soir", "had"])
    func skeletonCollisionsAreNotNumbers(input: String) {
        #expect(NumberWords.value(of: input) == nil)
    }

    @Test func skeletonOnlyForSingleTokens() {
        #expect(NumberWords.number(in: "wahad zbel") == .none)
    }

    @Test(arguments: [
        ("Një", 1), ("i pari", 1), ("jedan", 1), ("Први", 1), ("première", 1), ("واحد", 1), ("الأول", 1),
        ("dy", 2), ("dve", 2), ("deux", 2), ("اثنين", 2), ("جوج", 2),
        ("tre", 3), ("tri", 3), ("trois", 3), ("ثلاثة", 3), ("تلاتة", 3),
        ("katër", 4), ("ČETIRI", 4), ("quatre", 4), ("أربعة", 4),
        ("pesë", 5), ("пет", 5), ("cinq", 5), ("خمسة", 5),
        ("gjashtë", 6), ("šest", 6), ("six", 6), ("ستة", 6),
        ("shtatë", 7), ("седам", 7), ("sept", 7), ("سبعة", 7),
        ("tetë", 8), ("osam", 8), ("huit", 8), ("ثمانية", 8), ("تمنية", 8),
        ("nëntë", 9), ("nand", 9), ("devet", 9), ("neuf", 9), ("تسعة", 9), ("تسعود", 9),
        ("dhjetë", 10), ("десет", 10), ("dix", 10), ("عشرة", 10), ("ten", 10),
    ])
    func numberWordsInEveryLanguage(input: String, expected: Int) {
        #expect(NumberWords.value(of: input) == expected)
    }

    @Test(arguments: ["1", "1.", " 1) ", "#1", "nr. 1", "Br. 1", "No 1", "№1", "n°1", "broj 1", "numri 1", "رقم ١", "\u{200F}1"])
    func prefixesAndPunctuation(input: String) {
        #expect(NumberWords.value(of: input) == 1)
    }

    @Test func numberAnswers() {
        #expect(NumberWords.number(in: "11") == .number(11))
        #expect(NumberWords.number(in: "0") == .number(0))
        #expect(NumberWords.number(in: "١٠") == .number(10))
        #expect(NumberWords.number(in: "1 2") == .severalNumbers)
        #expect(NumberWords.number(in: "1,2") == .severalNumbers)
        #expect(NumberWords.number(in: "jedan dva") == .severalNumbers)
        #expect(NumberWords.number(in: "abc") == .none)
        #expect(NumberWords.number(in: "") == .none)
        #expect(NumberWords.number(in: "1 gropa") == .none)
        #expect(NumberWords.number(in: "broj jedan") == .number(1))
        #expect(NumberWords.number(in: "no one") == .none)
        #expect(NumberWords.number(in: "99999999999999999999999") == .number(Int.max))
        #expect(NumberWords.value(of: "11") == nil)
        #expect(NumberWords.value(of: "0") == nil)
        #expect(NumberWords.value(of: "10") == 10)
    }

    @Test func digitsInsideWordsAreLetters() {
        #expect(NumberWords.value(of: "sb3a") == 7)
        #expect(NumberWords.number(in: "l7fra") == .none)
        #expect(NumberWords.number(in: "3afak") == .none)
        #expect(NumberWords.number(in: "rruga5") == .none)
    }
}
