import BridgeCore
import Foundation
import Testing

/// Expiry, bounded retries, disambiguation, oversized input and the segment budget of every reply.
@Suite struct EngineFlowTests {
    @Test func idleSessionExpiresWithAMessageOnTheNextContact() {
        var chat = EngineKeywordTests.albanian(at: .landmark)
        let timeout = Repository.prishtina.dialog.sessionTimeout
        let replies = chat.send("ka nje grope", after: timeout + 1)
        // The old report is gone; the new message starts a new one and keeps what it says.
        #expect(chat.session?.draft.landmark == nil)
        #expect(chat.session?.draft.categoryID == "roads")
        #expect(chat.awaiting == .landmark)
        let expired = Repository.prishtina.dialog.text(.sessionExpired, .albanian)
        let sent = replies.map(\.text).joined(separator: "\n")
        #expect(sent.contains(String(expired.prefix(6))) || sent.contains(String(GSMFallbackSpelling.fold(expired).prefix(6))))
        #expect(sent.contains("Ku "))
    }

    @Test func anAnswerJustBeforeTheTimeoutIsKept() {
        var chat = EngineKeywordTests.albanian(at: .landmark)
        chat.send("te stacioni i autobuseve", after: Repository.prishtina.dialog.sessionTimeout - 1)
        #expect(chat.awaiting == .description)
    }

    @Test func invalidAnswersAreBoundedThenTheFallbackApplies() {
        var chat = EngineKeywordTests.albanian(at: .category)
        let retries = Repository.prishtina.dialog.step(.category)?.retries ?? 0
        for attempt in 1...retries {
            let replies = chat.send("qwerty zxcv")
            #expect(chat.awaiting == .category, "attempt \(attempt)")
            #expect(replies.count == 1)
            #expect(replies[0].text.contains("10"))
        }
        chat.send("qwerty zxcv")
        #expect(chat.session?.draft.categoryID == "other")
        #expect(chat.awaiting == .landmark)
    }

    @Test func outOfRangeNumberIsInvalid() {
        var chat = EngineKeywordTests.albanian(at: .category)
        chat.send("11")
        #expect(chat.awaiting == .category)
        #expect(chat.session?.draft.categoryID == nil)
        chat.send("0")
        #expect(chat.session?.draft.categoryID == nil)
    }

    @Test func languageMenuFallsBackToTheDefault() {
        var chat = Conversation(Repository.casablanca, phone: "+212612345678")
        chat.send("?!")
        let retries = Repository.casablanca.dialog.step(.language)?.retries ?? 0
        for _ in 0...retries { chat.send("zzz") }
        #expect(chat.session?.language == .arabic)
        #expect(chat.awaiting == .category)
    }

    @Test func confirmRetriesEndInARestartWithHelp() {
        var chat = EngineKeywordTests.albanian(at: .confirm)
        let retries = Repository.prishtina.dialog.step(.confirm)?.retries ?? 0
        for _ in 0..<retries { chat.send("hmm") }
        #expect(chat.awaiting == .confirm)
        let replies = chat.send("hmm")
        #expect(chat.awaiting == .category)
        #expect(chat.submission == nil)
        #expect(replies.map(\.text).joined().contains("STOP"))
    }

    @Test func answeringNoAtConfirmationStartsOver() {
        var chat = EngineKeywordTests.albanian(at: .confirm)
        chat.send("2")
        #expect(chat.submission == nil)
        #expect(chat.awaiting == .category)
        #expect(chat.session?.draft == ReportDraft())
    }

    @Test func ambiguousPlaceAsksWhichOne() throws {
        var chat = Conversation(Repository.casablanca, phone: "+33612345678")
        chat.send("Bonjour")
        chat.send("2")
        chat.send("1")
        let question = chat.send("la gare")
        #expect(chat.awaiting == .landmark)
        let candidates = try #require(chat.session?.draft.landmarkCandidates)
        #expect(Set(candidates).isSuperset(of: ["casa-voyageurs", "casa-port"]))
        #expect(question.first?.text.contains("1 ") == true)
        #expect(question.first?.segments == 1)
        let second = candidates[1]
        chat.send("2")
        #expect(chat.session?.draft.landmark?.id == second)
        #expect(chat.session?.draft.landmark?.text == "la gare")
        #expect(chat.awaiting == .description)
    }

    @Test func noneOfTheCandidatesKeepsTheResidentsWords() {
        var chat = Conversation(Repository.casablanca, phone: "+33612345678")
        chat.send("Bonjour")
        chat.send("2")
        chat.send("1")
        chat.send("la gare")
        let count = chat.session?.draft.landmarkCandidates.count ?? 0
        chat.send(String(count + 1))
        #expect(chat.session?.draft.landmark == LandmarkAnswer(id: nil, text: "la gare", latitude: nil, longitude: nil))
        #expect(chat.awaiting == .description)
    }

    @Test func unknownPlaceIsKeptUnresolved() throws {
        var chat = EngineKeywordTests.albanian(at: .landmark)
        chat.send("Rruga Xhorxh Bush nr 12, afër furrës")
        let landmark = try #require(chat.session?.draft.landmark)
        #expect(landmark.id == nil)
        #expect(landmark.text == "Rruga Xhorxh Bush nr 12, afër furrës")
        #expect(chat.awaiting == .description)
    }

    @Test func descriptionBoundsAreEnforced() {
        var chat = EngineKeywordTests.albanian(at: .description)
        let short = chat.send("ab")
        #expect(chat.awaiting == .description)
        #expect(short.first?.text.contains("500") == true)
        chat.send(String(repeating: "gropë e madhe ", count: 800))
        #expect(chat.awaiting == .description)
        #expect(chat.session?.draft.description == nil)
    }

    @Test func aTenKilobyteFirstMessageIsHandled() {
        var chat = Conversation(Repository.casablanca, phone: "+212612345678")
        let replies = chat.send(String(repeating: "زبل بزاف قرب السوق المركزي ", count: 400))
        #expect(!replies.isEmpty)
        #expect(replies.allSatisfy { $0.segments <= 2 })
        #expect((chat.session?.draft.description?.count ?? 0) <= 500)
    }

    @Test func summaryStaysOneSegmentWhateverTheDescription() {
        var chat = Conversation(Repository.casablanca, phone: "+212612345678")
        chat.send("salam")
        chat.send("1")
        chat.send("1")
        chat.send("قرب مسجد الحسن الثاني")
        let summary = chat.send(String(repeating: "حفرة كبيرة جدا في وسط الطريق ", count: 15))
        #expect(summary.count == 1)
        #expect(summary[0].segments == 1)
        #expect(summary[0].encoding == .ucs2)
    }

    /// Every reply of a varied set of conversations respects the budget: one segment, two for a UCS-2 category menu.
    @Test func everyReplyIsWithinItsSegmentBudget() {
        let scripts: [(Deployment, String, [String])] = [
            (Repository.prishtina, "+38344123456", ["hi", "1", "5", "afer stacionit", "Ujrat e zeza dalin ne rruge", "ndihme", "po"]),
            (Repository.prishtina, "+38344123456", ["hi", "2", "9", "kod stanice", "Psi lutalice napadaju decu", "da"]),
            (Repository.prishtina, "+38344123456", ["hi", "3", "xyz", "6", "Скендербег", "Графити на зиду", "ПОМОЋ", "да"]),
            (Repository.casablanca, "+212612345678", ["hi", "1", "abc", "2", "la gare", "1", "الضو مطفي", "لا"]),
            (Repository.casablanca, "+212612345678", ["hi", "2", "8", "Twin Center", "Feu rouge en panne", "non"]),
        ]
        for (deployment, phone, messages) in scripts {
            var chat = Conversation(deployment, phone: phone)
            for message in messages {
                for reply in chat.send(message) {
                    let budget = reply.awaiting == .category && reply.language.script != .latin ? 2 : 1
                    #expect(reply.segments <= budget, "\(deployment.id) '\(message)' → \(reply.text)")
                }
            }
        }
    }
}
