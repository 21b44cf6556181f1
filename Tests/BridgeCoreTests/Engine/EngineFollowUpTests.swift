import BridgeCore
import Foundation
import Testing

/// "Which of these places?" asked by SMS after the report was completed, and the resident's answer.
@Suite struct EngineFollowUpTests {
    static let places = [
        PlaceOption(name: "Furra e Bukës, Rruga Agim Ramadani", coordinate: Coordinate(latitude: 42.6601, longitude: 21.1601)),
        PlaceOption(name: "Furra e Bukës, Lagjja Ulpiana", coordinate: Coordinate(latitude: 42.6502, longitude: 21.1802)),
    ]

    /// A resident who completed a report a minute ago and was then asked which place.
    static func asked(language: LanguageTag = .albanian) -> (chat: Conversation, question: Reply) {
        var chat = Conversation(Repository.prishtina, phone: "+38344123456")
        chat.send("2 / afër furrës së bukës / drita nuk punon")
        chat.send("1")
        #expect(chat.submission != nil)
        let asked = Engine.askPlace(chat.session!, ticket: "17", places: places, language: language, Repository.prishtina, now: chat.clock)
        chat.session = asked.session
        #expect(asked.replies.count == 1)
        return (chat, asked.replies[0])
    }

    static func chosen(_ effects: [Effect]) -> (ticket: String, place: PlaceOption?)? {
        for effect in effects { if case .placeChosen(let ticket, let place) = effect { return (ticket, place) } }
        return nil
    }

    @Test func theQuestionNumbersThePlacesWithNoneOfTheseLastInTheResidentsLanguage() {
        let (_, question) = Self.asked()
        #expect(question.text.hasPrefix("Për cilin vend") || question.text.hasPrefix("Per cilin vend"), "\(question.text)")
        #expect(question.text.contains("1 Furra e Buk"))
        #expect(question.text.contains("2 Furra e Buk"))
        #expect(question.text.contains("3 Asnj"))
        let (_, serbian) = Self.asked(language: .serbianCyrillic)
        #expect(serbian.text.contains("3 Ниједно"), "\(serbian.text)")
    }

    @Test func aNumberPicksThatPlaceAndNothingIsSentBack() throws {
        var (chat, _) = Self.asked()
        let replies = chat.send("2")
        let answer = try #require(Self.chosen(chat.effects))
        #expect(answer.ticket == "17")
        #expect(answer.place == Self.places[1])
        #expect(replies.isEmpty, "the acknowledgement with the reference follows from the platform")
        #expect(chat.session?.followUp == nil)
        #expect(chat.awaiting == nil)
    }

    @Test func thePlacesNameOrNoneOfThesePicksToo() throws {
        var (chat, _) = Self.asked()
        chat.send("ulpiana")
        #expect(try #require(Self.chosen(chat.effects)).place == Self.places[1])

        var (other, _) = Self.asked()
        other.send("3")
        let none = try #require(Self.chosen(other.effects))
        #expect(none.place == nil, "none of these: the fallback point")
    }

    @Test func anUnclearAnswerIsAskedAgainThenTheFallbackIsUsedAndTheMessageHandledAsAnyOther() throws {
        var (chat, _) = Self.asked()
        let first = chat.send("hmm")
        #expect(Self.chosen(chat.effects) == nil)
        #expect(first.count == 1 && first[0].text.contains("3"), "re-asked with the range: \(first.map(\.text))")
        chat.send("nuk e di")
        #expect(Self.chosen(chat.effects) == nil)
        let third = chat.send("Përshëndetje")
        let answer = try #require(Self.chosen(chat.effects))
        #expect(answer.place == nil)
        #expect(chat.session?.followUp == nil)
        #expect(chat.awaiting != nil, "the message started a new report: \(third.map(\.text))")
    }

    @Test func commandsPassThroughAndTheQuestionWaits() {
        var (chat, _) = Self.asked()
        chat.send("NDIHMË")
        #expect(Self.chosen(chat.effects) == nil)
        #expect(chat.session?.followUp != nil)
        chat.send("1")
        #expect(Self.chosen(chat.effects)?.place == Self.places[0])
    }

    @Test func anExpiredQuestionIsDroppedAndTheMessageHandledAsAnyOther() {
        var (chat, _) = Self.asked()
        chat.send("1", after: Repository.prishtina.dialog.sessionTimeout + 60)
        #expect(Self.chosen(chat.effects) == nil, "the forwarder already filed at the fallback point")
        #expect(chat.session?.followUp == nil)
    }

    static func hinted() -> (chat: Conversation, hint: Reply) {
        var chat = Conversation(Repository.prishtina, phone: "+38344123456")
        chat.send("2 / Sheshi Skenderbeu / drita nuk punon")
        chat.send("1")
        let asked = Engine.askDuplicate(chat.session!, ticket: "9", reference: "4321", language: .albanian, Repository.prishtina, now: chat.clock)
        chat.session = asked.session
        return (chat, asked.replies[0])
    }

    static func duplicateAnswer(_ effects: [Effect]) -> Bool? {
        for effect in effects { if case .duplicateAnswered(_, let addAnyway) = effect { return addAnyway } }
        return nil
    }

    @Test func theDuplicateHintNamesTheOpenReportAndOneFilesAnyway() {
        var (chat, hint) = Self.hinted()
        #expect(hint.text.contains("4321"), "\(hint.text)")
        #expect(hint.segments == 1)
        let replies = chat.send("1")
        #expect(Self.duplicateAnswer(chat.effects) == true)
        #expect(replies.isEmpty, "the acknowledgement with the reference follows")
        #expect(chat.session?.followUp == nil)
    }

    @Test func twoOrNoWithdrawsAndSaysSo() {
        var (chat, _) = Self.hinted()
        let replies = chat.send("jo")
        #expect(Self.duplicateAnswer(chat.effects) == false)
        #expect(replies.count == 1)
        var (other, _) = Self.hinted()
        other.send("2")
        #expect(Self.duplicateAnswer(other.effects) == false)
    }

    @Test func anythingElseIsAnOrdinaryMessageAndTheHintWaits() {
        var (chat, _) = Self.hinted()
        chat.send("Përshëndetje")
        #expect(Self.duplicateAnswer(chat.effects) == nil)
        #expect(chat.session?.followUp?.duplicateOf == "4321")
        #expect(chat.awaiting != nil, "a new conversation started")
    }
}
