import BridgeCore
import Foundation
import Testing

/// Whole reports, guided and one-shot, in every language variant the deployments offer.
@Suite struct EngineLanguageTests {
    @Test func albanianGuidedReport() throws {
        var chat = Conversation(Repository.prishtina, phone: "+38344123456")
        let menu = chat.send("Përshëndetje")
        #expect(chat.awaiting == .language)
        #expect(menu.first?.text.contains("1 Shqip") == true)
        #expect(menu.first?.text.contains("3 Српски") == true)

        let categories = chat.send("1")
        #expect(chat.awaiting == .category)
        #expect(chat.session?.language == .albanian)
        #expect(categories.first?.text.hasPrefix("Kategoria:\n1 ") == true)
        #expect(categories.first?.encoding == .gsm7)

        chat.send("2")
        #expect(chat.awaiting == .landmark)
        chat.send("te sheshi skenderbeu")
        #expect(chat.awaiting == .description)
        let summary = chat.send("Drita nuk punon prej dy javësh")
        #expect(chat.awaiting == .confirm)
        #expect(summary.count == 1 && summary[0].segments == 1)
        #expect(summary[0].text.contains("Skenderbeu"))

        chat.send("po")
        let report = try #require(chat.submission)
        #expect(report.categoryID == "lighting")
        #expect(report.language == .albanian)
        #expect(report.landmark.id == "skanderbeg-square")
        #expect(report.landmark.text == "te sheshi skenderbeu")
        #expect(report.description == "Drita nuk punon prej dy javësh")
        #expect(report.phone == "+38344123456")
        #expect(report.deployment == "prishtina")
        #expect(report.platformCategory == Repository.prishtina.fixmystreetName(of: "lighting"))
        #expect(chat.awaiting == nil)
    }

    @Test func albanianOneShotStructured() throws {
        var chat = Conversation(Repository.prishtina, phone: "+38349111222")
        let replies = chat.send("2 / Sheshi Skenderbeu / drita nuk punon")
        #expect(chat.awaiting == .confirm)
        #expect(replies.count == 1)
        chat.send("1")
        let report = try #require(chat.submission)
        #expect(report.categoryID == "lighting")
        #expect(report.landmark.id == "skanderbeg-square")
        #expect(report.description == "drita nuk punon")
        #expect(report.language == .albanian)
    }

    @Test func serbianLatinGuidedReport() throws {
        var chat = Conversation(Repository.prishtina, phone: "+381631234567")
        chat.send("Zdravo")
        #expect(chat.awaiting == .language)
        chat.send("2")
        #expect(chat.session?.language == .serbianLatin)
        chat.send("rupa")
        #expect(chat.session?.draft.categoryID == "roads")
        chat.send("kod autobuske stanice")
        #expect(chat.session?.draft.landmark?.id == "bus-station")
        chat.send("Velika rupa na putu, opasno za auta")
        #expect(chat.awaiting == .confirm)
        chat.send("da")
        let report = try #require(chat.submission)
        #expect(report.categoryID == "roads")
        #expect(report.language == .serbianLatin)
    }

    @Test func serbianCyrillicOneShotFreeText() throws {
        var chat = Conversation(Repository.prishtina, phone: "+381631234567")
        let replies = chat.send("Рупа на путу код аутобуске станице")
        #expect(chat.session?.language == .serbianCyrillic)
        #expect(chat.awaiting == .confirm)
        #expect(replies.first?.encoding == .ucs2)
        #expect(replies.first?.segments == 1)
        chat.send("да")
        let report = try #require(chat.submission)
        #expect(report.categoryID == "roads")
        #expect(report.landmark.id == "bus-station")
        #expect(report.description == "Рупа на путу код аутобуске станице")
    }

    @Test func arabicGuidedWithArabicIndicDigits() throws {
        var chat = Conversation(Repository.casablanca, phone: "+212612345678")
        chat.send("السلام عليكم")
        #expect(chat.awaiting == .language)
        let categories = chat.send("١")
        #expect(chat.session?.language == .arabic)
        #expect(categories.first?.segments ?? 9 <= 2)
        chat.send("٤")
        #expect(chat.session?.draft.categoryID == "water")
        chat.send("قرب مسجد الحسن الثاني")
        #expect(chat.session?.draft.landmark?.id == "hassan-ii-mosque")
        let summary = chat.send("الماء كيتسرب من القادوس في الزنقة")
        #expect(summary.first?.segments == 1)
        #expect(summary.first?.text.hasPrefix("ال") == true)
        chat.send("نعم")
        let report = try #require(chat.submission)
        #expect(report.categoryID == "water")
        #expect(report.language == .arabic)
        #expect(report.landmark.latitude != nil)
    }

    @Test func persianDigitsPickTheSameOption() {
        var chat = Conversation(Repository.casablanca, phone: "+212612345678")
        chat.send("salam")
        chat.send("۱")
        chat.send("۲")
        #expect(chat.session?.draft.categoryID == "lighting")
    }

    @Test func arabiziOneShotIsUnderstoodAndAnsweredInArabic() throws {
        var chat = Conversation(Repository.casablanca, phone: "+212612345678")
        let replies = chat.send("kayn zbel bzaf 7da marche central")
        #expect(chat.session?.language == .arabic)
        #expect(chat.awaiting == .confirm)
        #expect(replies.first?.encoding == .ucs2)
        chat.send("wakha")
        let report = try #require(chat.submission)
        #expect(report.categoryID == "waste")
        #expect(report.landmark.id == "marche-central")
        #expect(report.description == "kayn zbel bzaf 7da marche central")
    }

    @Test func frenchOneShotStructuredStaysGSM() throws {
        var chat = Conversation(Repository.casablanca, phone: "+212612345678")
        let replies = chat.send("5 / Place Mohammed V / odeur d'égout très forte")
        #expect(chat.session?.language == .french)
        #expect(chat.awaiting == .confirm)
        #expect(replies.first?.encoding == .gsm7)
        chat.send("oui")
        let report = try #require(chat.submission)
        #expect(report.categoryID == "sewage")
        #expect(report.landmark.id == "place-mohammed-v")
        #expect(report.language == .french)
    }

    @Test func frenchGuidedWithTypos() throws {
        var chat = Conversation(Repository.casablanca, phone: "+33612345678")
        chat.send("Bonjour")
        #expect(chat.awaiting == .language)
        chat.send("francais")
        #expect(chat.session?.language == .french)
        chat.send("eclairrage")
        #expect(chat.session?.draft.categoryID == "lighting")
        chat.send("devant la mosquee hasan 2")
        chat.send("Le lampadaire est en panne depuis lundi")
        chat.send("OUI")
        let report = try #require(chat.submission)
        #expect(report.categoryID == "lighting")
    }

    @Test func cyrillicAnswerInLatinSession() {
        var chat = Conversation(Repository.prishtina, phone: "+38344123456")
        chat.send("Zdravo")
        chat.send("2")
        #expect(chat.session?.language == .serbianLatin)
        chat.send("расвета")
        #expect(chat.session?.draft.categoryID == "lighting")
        #expect(chat.awaiting == .landmark)
    }

    @Test func typoWithClearWinnerIsAccepted() {
        var chat = Conversation(Repository.prishtina, phone: "+38344123456")
        chat.send("Pershendetje")
        chat.send("1")
        chat.send("Kanalzimi")
        #expect(chat.session?.draft.categoryID == "sewage")
    }

    @Test func aReturningResidentIsNotAskedTheLanguageAgain() {
        var chat = Conversation(Repository.prishtina, phone: "+38344123456")
        chat.send("Pershendetje")
        chat.send("3")
        chat.send("1")
        chat.send("Скендербег")
        chat.send("Рупа на путу")
        chat.send("1")
        #expect(chat.submission != nil)
        let next = chat.send("Здраво")
        #expect(chat.awaiting == .category)
        #expect(next.first?.language == .serbianCyrillic)
    }
}
