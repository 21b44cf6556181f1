import BridgeCore
import Testing

@Suite struct KeywordMatcherTests {
    let matcher = KeywordMatcher(words: KeywordFixture.words, argumentKeywords: ["status"])

    @Test(arguments: ["Stop", "STOP", "stop.", " stop! ", "СТОП", "Cтоп", "ستوب", "توقف", "Ndalo", "otkaži", "ОДЈАВИ", "7bes", "Arrêt"])
    func stopInEveryScript(input: String) {
        #expect(matcher.match(input)?.id == "stop")
        #expect(matcher.match(input)?.argument == nil)
    }

    @Test(arguments: ["znak STOP je oboren", "panneau stop arraché", "Gropa ne rrugen Nena Tereze, STOP", "stop stop", "علامة قف"])
    func keywordsOnlyAsTheWholeMessage(input: String) {
        #expect(matcher.match(input)?.id != "stop")
    }

    @Test(arguments: ["ПОМОЋ", "pomoć", "pomoc", "POMOCH", "Pомоћ", "рomoc", "ndihmë", "aide", "?", "؟", "مساعدة", "3awni"])
    func help(input: String) {
        #expect(matcher.match(input)?.id == "help")
    }

    @Test func statusWithAnArgumentInThreeScripts() {
        #expect(matcher.match("STATUS 1001")! == ("status", "1001"))
        #expect(matcher.match("статус 1001")! == ("status", "1001"))
        #expect(matcher.match("حالة ١٠٠١")! == ("status", "1001"))
        #expect(matcher.match("Statusi #1001")! == ("status", "1001"))
        #expect(matcher.match("status1001")! == ("status", "1001"))
        #expect(matcher.match("الحالة١٠٠١")! == ("status", "1001"))
        #expect(matcher.match("status")! == ("status", nil))
        #expect(matcher.match("status 1001 1002") == nil)
    }

    @Test func onlyArgumentKeywordsTakeArguments() {
        #expect(matcher.match("stop 1001") == nil)
        #expect(matcher.match("help me") == nil)
    }

    @Test func multiWordKeywords() {
        #expect(matcher.match("mn lowl")?.id == "restart")
        #expect(matcher.match("من جديد")?.id == "restart")
        #expect(matcher.match("الغاء الاشتراك")?.id == "stop")
    }

    @Test func sharedWordsAreReportedAndResolvedByPrecedence() {
        #expect(matcher.collisions.map(\.word) == ["fillo"])
        #expect(matcher.collisions.first?.ids == ["restart", "start"])
        #expect(matcher.match("FILLO")?.id == "restart")
        #expect(matcher.matches("fillo").map(\.id) == ["restart", "start"])
        let custom = KeywordMatcher(words: ["a": ["x"], "b": ["X"]], argumentKeywords: [], precedence: ["b", "a"])
        #expect(custom.match("x")?.id == "b")
        #expect(custom.collisions.count == 1)
    }

    @Test func noKeyword() {
        #expect(matcher.match("") == nil)
        #expect(matcher.match("gropa") == nil)
        #expect(KeywordMatcher(words: ["stop": ["STOP"]]).match("stop")?.id == "stop")
    }
}
