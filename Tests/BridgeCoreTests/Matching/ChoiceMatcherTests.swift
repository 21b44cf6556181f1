import BridgeCore
import Testing

@Suite struct ChoiceMatcherTests {
    let matcher = CategoryFixture.matcher

    /// §2.8 "Tested with a prototype": every one of these is option 1.
    @Test(arguments: ["1", "1.", " 1) ", "#1", "nr. 1", "Br. 1", "one", "Një", "nje", "NJI", "jedan", "Један", "un",
                      "UNE", "واحد", "وَاحِد", "wa7ed", "WAHED", "ouahed", "wahd", "١", "۱", "１", "\u{200F}1", "1\u{200E}"])
    func prototypeInputsGiveOne(input: String) {
        #expect(matcher.match(input).index == 0)
    }

    @Test(arguments: [
        ("sb3a", 7), ("rb3a", 4), ("ts3od", 9), ("5amsa", 5), ("khamsa", 5), ("3chra", 10), ("١٠", 10), ("2️⃣", 2),
        ("četiri", 4), ("cetiri", 4), ("четири", 4), ("katër", 4), ("kater", 4), ("ثلاثة", 3), ("ثلاثه", 3),
    ])
    func prototypeNumbers(input: String, expected: Int) {
        #expect(matcher.match(input).index == expected - 1)
    }

    @Test func digitsAreNumbersAndWordsAreNumberWords() {
        #expect(matcher.match("3") == .option(index: 2, kind: .number))
        #expect(matcher.match("tri") == .option(index: 2, kind: .numberWord))
        #expect(matcher.match("sab3a") == .option(index: 6, kind: .numberWord))
    }

    @Test func outOfRangeAndSeveralNumbers() {
        #expect(matcher.match("11") == .outOfRange(11))
        #expect(matcher.match("0") == .outOfRange(0))
        #expect(matcher.match("1 2") == .noMatch)
        #expect(matcher.match("1, 2") == .noMatch)
        #expect(matcher.match("10") == .option(index: 9, kind: .number))
        #expect(ChoiceMatcher(options: Array(CategoryFixture.options.prefix(2))).match("tri") == .outOfRange(3))
    }

    @Test func numberWithTextIsInvalid() {
        #expect(matcher.match("1 Sent from my iPhone") == .noMatch)
        #expect(matcher.match("2 gropa e madhe") == .noMatch)
    }

    @Test func emptyAfterNormalisation() {
        #expect(matcher.match("   ") == .empty)
        #expect(matcher.match("?!…") == .empty)
        #expect(matcher.match("\u{200F}") == .empty)
    }

    @Test(arguments: [
        ("Rrugë/gropa", 0), ("RRUGE", 0), ("Путеви", 0), ("nids de poule", 0), ("ضو الزنقة", 1), ("Éclairage public", 1),
        ("eclairage", 1), ("zbel", 2), ("ĐUBRE", 2), ("djubre", 2), ("الأزبال", 2), ("fuite d'eau", 3), ("Lwad l7ar", 4),
        ("Канализација", 4), ("الواد الحار", 4), ("graffiti", 5), ("jerda", 6), ("panneaux", 7), ("Životinje lutalice", 8),
        ("Tjetër", 9), ("autre", 9), ("أخرى", 9),
    ])
    func labelsAndSynonymsInEveryScript(input: String, expected: Int) {
        #expect(matcher.match(input) == .option(index: expected, kind: .label))
    }

    @Test(arguments: [
        ("ka nje grope te madhe", 0), ("trou dans la chaussée", 0), ("drita nuk punon", 1), ("kayn zbel bzaf", 2),
        ("curi voda iz cevi", 3), ("ima smrad kod zgrade", 4), ("فيه حفرة كبيرة", 0), ("الحفرة كبيرة", 0),
        ("le feu rouge est cassé près du trou", 7), ("ما كاينش الضو", 1),
    ])
    func containment(input: String, expected: Int) {
        #expect(matcher.match(input) == .option(index: expected, kind: .containment))
    }

    @Test func containmentTieIsAmbiguous() {
        #expect(matcher.match("drita te gropa") == .ambiguous([0, 1]))
    }

    @Test func fuzzy() {
        #expect(matcher.match("Kanalzimi") == .option(index: 4, kind: .fuzzy))
        #expect(matcher.match("mbeturinat") == .option(index: 2, kind: .fuzzy))
        #expect(matcher.match("llampa") == .option(index: 1, kind: .fuzzy))
        #expect(matcher.match("kanalizacia") == .option(index: 4, kind: .fuzzy))
    }

    @Test func shortTokensAreExactOnly() {
        // `pat` is one edit from `pas` and `put`, `tek` from `tag`: at 3 characters nothing is fuzzy.
        #expect(matcher.match("pat") == .noMatch)
        #expect(matcher.match("tek") == .noMatch)
        // `tre` is the number word 3, never a typo of a label.
        let trees = ChoiceMatcher(options: [ChoiceOption(phrases: ["tree"]), ChoiceOption(phrases: ["bush"])])
        #expect(trees.match("tre") == .outOfRange(3))
        #expect(trees.match("tri") == .outOfRange(3))
        let short = ChoiceMatcher(options: [ChoiceOption(phrases: ["tri"]), ChoiceOption(phrases: ["lak"])])
        #expect(short.match("lag") == .noMatch)
    }

    @Test func fuzzyTieIsAmbiguous() {
        let matcher = ChoiceMatcher(options: [
            ChoiceOption(phrases: ["Parku"]), ChoiceOption(phrases: ["Marku"]), ChoiceOption(phrases: ["Lumi"]),
        ])
        #expect(matcher.match("Darku") == .ambiguous([0, 1]))
        #expect(matcher.match("Parky") == .option(index: 0, kind: .fuzzy))
    }

    @Test func uniquePrefix() {
        #expect(matcher.match("kanal") == .option(index: 4, kind: .prefix))
        #expect(matcher.match("graff") == .option(index: 5, kind: .prefix))
        #expect(matcher.match("kan") == .noMatch)
    }

    @Test func sharedLabelIsAmbiguous() {
        let matcher = ChoiceMatcher(options: [ChoiceOption(phrases: ["Park", "Jerda"]), ChoiceOption(phrases: ["park"])])
        #expect(matcher.match("PARK") == .ambiguous([0, 1]))
    }

    @Test func stopIsNotACategory() {
        #expect(matcher.match("stop") == .noMatch)
    }

    @Test func keycapAndFullWidthDigits() {
        #expect(matcher.match("1️⃣") == .option(index: 0, kind: .number))
        #expect(matcher.match("１０") == .option(index: 9, kind: .number))
    }
}

extension ChoiceMatch {
    /// The matched index whatever the rule, for tests that only care about the option.
    var index: Int? {
        if case .option(let index, _) = self { return index }
        return nil
    }
}
