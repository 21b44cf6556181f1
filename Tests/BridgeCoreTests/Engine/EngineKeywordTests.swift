import BridgeCore
import Foundation
import Testing

/// Keywords pre-empt any step, in every language, and only as the whole message.
@Suite struct EngineKeywordTests {
    /// An Albanian resident who has reached the step `step`.
    static func albanian(at step: StepID) -> Conversation {
        var chat = Conversation(Repository.prishtina, phone: "+38344123456")
        chat.send("Pershendetje")
        chat.send("1")
        if step == .category { return chat }
        chat.send("3")
        if step == .landmark { return chat }
        chat.send("te stacioni i autobuseve")
        if step == .description { return chat }
        chat.send("Ka shume mbeturina te kontejneri")
        return chat
    }

    @Test(arguments: [StepID.category, .landmark, .description, .confirm])
    func helpKeepsTheStep(_ step: StepID) {
        var chat = Self.albanian(at: step)
        #expect(chat.awaiting == step)
        let replies = chat.send("ndihmë")
        #expect(chat.awaiting == step)
        #expect(replies.count == 1)
        #expect(replies[0].text.contains("STOP"))
        #expect(chat.effects.isEmpty)
    }

    @Test(arguments: [StepID.category, .landmark, .description, .confirm])
    func stopOptsOutAndSilencesUntilStart(_ step: StepID) {
        var chat = Self.albanian(at: step)
        let confirmation = chat.send("NDALO")
        #expect(chat.effects == [.optOut])
        #expect(confirmation.count == 1)
        #expect(chat.session?.optedOut == true)
        #expect(chat.awaiting == nil)
        #expect(chat.send("Pershendetje").isEmpty)
        #expect(chat.send("2").isEmpty)
        #expect(chat.send("HELP").isEmpty)
        let back = chat.send("START")
        #expect(chat.effects == [.optIn])
        #expect(back.count == 1)
        #expect(chat.session?.optedOut == false)
    }

    @Test func stopInsideASentenceIsADescription() throws {
        var chat = Conversation(Repository.prishtina, phone: "+381631234567")
        chat.send("Zdravo")
        chat.send("2")
        chat.send("8")
        chat.send("kod autobuske stanice")
        chat.send("znak STOP je oboren")
        #expect(chat.session?.optedOut == false)
        #expect(chat.awaiting == .confirm)
        chat.send("da")
        #expect(try #require(chat.submission).description == "znak STOP je oboren")
    }

    @Test func stopInEveryScript() {
        for word in ["STOP", "stop.", "СТОП", "Odjava", "توقف", "ARRÊT", "7bes"] {
            var chat = Self.albanian(at: .landmark)
            chat.send(word)
            #expect(chat.session?.optedOut == true, "\(word) must opt out")
        }
    }

    @Test(arguments: [StepID.landmark, .description, .confirm])
    func restartDropsTheReport(_ step: StepID) {
        var chat = Self.albanian(at: step)
        let replies = chat.send("RIFILLO")
        #expect(chat.awaiting == .category)
        #expect(chat.session?.draft == ReportDraft())
        #expect(replies.map(\.text).joined().contains("Kategoria"))
        #expect(chat.submission == nil)
    }

    @Test func cancelIsRestartNotOptOut() {
        var chat = Self.albanian(at: .description)
        chat.send("CANCEL")
        #expect(chat.session?.optedOut == false)
        #expect(chat.awaiting == .category)
    }

    @Test func backReasksThePreviousStepAndForgetsItsAnswer() {
        var chat = Self.albanian(at: .description)
        #expect(chat.session?.draft.landmark != nil)
        chat.send("MBRAPA")
        #expect(chat.awaiting == .landmark)
        #expect(chat.session?.draft.landmark == nil)
        chat.send("BACK")
        #expect(chat.awaiting == .category)
        #expect(chat.session?.draft.categoryID == nil)
    }

    @Test func languageSwitchMidDialogKeepsTheAnswers() {
        var chat = Self.albanian(at: .landmark)
        let menu = chat.send("JEZIK")
        #expect(chat.awaiting == .language)
        #expect(menu.first?.text.contains("Српски") == true)
        let next = chat.send("3")
        #expect(chat.session?.language == .serbianCyrillic)
        #expect(chat.session?.draft.categoryID == "waste")
        #expect(chat.awaiting == .landmark)
        #expect(next.first?.language == .serbianCyrillic)
        #expect(next.first?.text.contains("Где") == true)
    }

    @Test func languageByNameTellsScriptsApart() {
        var chat = Self.albanian(at: .category)
        chat.send("GJUHA")
        chat.send("Српски")
        #expect(chat.session?.language == .serbianCyrillic)
        chat.send("GJUHA")
        chat.send("srpski")
        #expect(chat.session?.language == .serbianLatin)
    }

    @Test func statusWithReferenceInThreeScripts() {
        for (text, reference) in [("STATUSI 1001", "1001"), ("статус 1002", "1002"), ("حالة ١٠٠٣", "1003")] {
            var chat = Self.albanian(at: .landmark)
            chat.send(text)
            #expect(chat.effects == [.statusQuery(reference: reference)], "\(text)")
            #expect(chat.awaiting == .landmark)
        }
    }

    @Test func statusWithoutAnyReportSaysSo() {
        var chat = Self.albanian(at: .category)
        let replies = chat.send("STATUS")
        #expect(chat.effects.isEmpty)
        #expect(replies.count == 1)
    }

    @Test func aBareReferenceOutsideAReportAsksItsStatus() {
        var chat = Conversation(Repository.prishtina, phone: "+38344123456")
        chat.send("2 / Sheshi Skenderbeu / drita nuk punon")
        chat.send("1")
        chat.session?.references.append("1007")
        chat.send("1007")
        #expect(chat.effects == [.statusQuery(reference: "1007")])
        #expect(chat.awaiting == nil)
    }
}
