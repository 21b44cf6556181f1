import BridgeCore
import Foundation
import Testing

@testable import BridgeStore

/// The hand-written session JSON must say what `JSONEncoder` says of the same session, and read back unchanged.
@Suite struct SessionJSONTests {
    static func full() -> Session {
        var session = Session(phone: "+38344123456", deployment: "prishtina")
        session.language = .serbianLatin
        session.provisionalLanguage = LanguageTag("ar-MA")
        session.awaiting = .confirm
        session.draft.categoryID = "street-\"lights\""
        session.draft.landmark = LandmarkAnswer(id: "sheshi-nene-tereza", text: "te sheshi\n\"Nënë Tereza\" \\ 🚦",
                                                latitude: 42.6629138, longitude: -21.0)
        session.draft.landmarkCandidates = ["a", "Улица Ђуре Ђаковића", "\u{1}\u{1F}"]
        session.draft.landmarkText = "السلام عليكم\t"
        session.draft.description = "Rrjedh uji që nga dje / depuis hier"
        session.invalidAnswers = 2
        session.menuPage = 3
        session.lastActivity = Date(timeIntervalSince1970: 1_764_290_000.123_456)
        session.optedOut = true
        session.references = ["1001", "1002"]
        session.followUp = FollowUpQuestion(
            ticket: "42", places: [PlaceOption(name: "Rue d'Anfa", coordinate: Coordinate(latitude: 33.589886, longitude: -7.603869)),
                                   PlaceOption(name: "x", coordinate: Coordinate(latitude: 0, longitude: 1e-7))],
            language: .french, askedAt: Date(timeIntervalSince1970: 1_764_290_001), invalidAnswers: 1, duplicateOf: "77")
        return session
    }

    static var sessions: [Session] {
        var unresolved = Session(phone: "+212600000000", deployment: "casablanca")
        unresolved.draft.landmark = LandmarkAnswer(id: nil, text: "près du marché", latitude: nil, longitude: nil)
        unresolved.lastActivity = Date(timeIntervalSince1970: 0)
        var farDate = full()
        farDate.lastActivity = Date(timeIntervalSince1970: 4.1e16)
        farDate.followUp?.places = []
        farDate.followUp?.duplicateOf = nil
        return [Session(phone: "", deployment: ""), full(), unresolved, farDate]
    }

    @Test(arguments: sessions)
    func readsBackAsTheSameSession(_ session: Session) throws {
        #expect(try StoreCoding.decodeSession(SessionJSON.encode(session)) == session)
    }

    @Test(arguments: sessions)
    func saysWhatJSONEncoderSays(_ session: Session) throws {
        let ours = try JSONSerialization.jsonObject(with: SessionJSON.encode(session)) as? NSDictionary
        let foundations = try JSONSerialization.jsonObject(with: StoreCoding.encoder.encode(session)) as? NSDictionary
        #expect(ours != nil)
        #expect(ours == foundations)
    }

    @Test func refusesNumbersJSONCannotCarry() {
        var session = Self.full()
        session.draft.landmark?.latitude = .nan
        #expect(throws: SessionJSON.NonFiniteNumber.self) { try SessionJSON.encode(session) }
    }

    /// A stored property added to a session type must be added to the writer too, or it would be silently dropped.
    @Test func writesEveryStoredPropertyOfEveryType() throws {
        let session = Self.full()
        let followUp = try #require(session.followUp)
        let counts: [String: Int] = [
            "Session": Mirror(reflecting: session).children.count,
            "ReportDraft": Mirror(reflecting: session.draft).children.count,
            "LandmarkAnswer": Mirror(reflecting: try #require(session.draft.landmark)).children.count,
            "FollowUpQuestion": Mirror(reflecting: followUp).children.count,
            "PlaceOption": Mirror(reflecting: followUp.places[0]).children.count,
            "Coordinate": Mirror(reflecting: followUp.places[0].coordinate).children.count,
        ]
        #expect(counts == SessionJSON.writtenProperties)
    }
}
