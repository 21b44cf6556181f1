import BridgeCore
import BridgeStore
import Foundation
import Testing

/// A guided report, turn by turn: what the resident says and a piece of the SMS the bridge must answer with.
struct Script: Sendable {
    var turns: [(say: String, reply: String)]
    var language: LanguageTag
    var category: String
    var landmark: String?
    var description: String
    /// The whole thanks SMS, reference 1001 (the first report of a fresh store).
    var thanks: String

    /// Albanian; the thanks goes out in the GSM-7 spelling (ë→e, ç→c) because that saves a segment.
    static let albanian = Script(
        turns: [("Përshëndetje", "Zgjidhni gjuhën"), ("1", "Kategoria:"), ("2", "Ku "), ("te sheshi skenderbeu", "shkurt problemin"),
                ("Drita nuk punon prej dy javësh", "Raporti: Ndri"), ("po", "Faleminderit!")],
        language: .albanian, category: "lighting", landmark: "skanderbeg-square", description: "Drita nuk punon prej dy javësh",
        thanks: "Faleminderit! Raporti u pranua me numrin 1001. Do t'ju njoftojme per cdo ndryshim.")

    static let serbianCyrillic = Script(
        turns: [("Здраво", "Изаберите језик"), ("3", "Врста:"), ("4", "Где је проблем?"), ("Скендербег", "Укратко опишите проблем."),
                ("Цури вода из цеви", "Пријава: Цурење воде"), ("1", "Хвала!")],
        language: .serbianCyrillic, category: "water", landmark: "skanderbeg-square", description: "Цури вода из цеви",
        thanks: "Хвала! Пријава је примљена под бројем 1001. Јавићемо вам промене.")

    static let arabic = Script(
        turns: [("السلام عليكم", "اختر اللغة"), ("1", "الفئة:"), ("3", "أين توجد المشكلة؟"), ("السوق المركزي", "صف المشكلة باختصار."),
                ("الأزبال في كل مكان", "البلاغ: الأزبال"), ("1", "شكرا!")],
        language: .arabic, category: "waste", landmark: "marche-central", description: "الأزبال في كل مكان",
        thanks: "شكرا! تم تسجيل بلاغك برقم 1001. سنخبرك عند تغير حالته.")
}

enum Conversations {
    /// Plays `script` through `resident`'s gateway: every webhook answered 2xx, every reply sent to the double in
    /// order before the next turn, and the report in the store at the end. Returns the send requests, in order.
    @discardableResult
    static func play(_ script: Script, as resident: some Resident, from turn: Int = 0, through last: Int? = nil,
                     sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> [RecordedRequest] {
        let bridge = resident.bridge
        let last = last ?? script.turns.count - 1
        var sent: [RecordedRequest] = []
        let already = await bridge.double.sent(to: resident.phone).count
        for index in turn...last {
            let (say, expected) = script.turns[index]
            let answer = try await resident.say(say)
            #expect((200..<300).contains(answer.status), "turn \(index) '\(say)': \(answer)", sourceLocation: sourceLocation)
            sent = try await bridge.double.waitForSent(to: resident.phone, count: already + index - turn + 1, sourceLocation: sourceLocation)
            let reply = sent[already + index - turn]
            #expect(reply.text.contains(expected), "turn \(index) '\(say)': expected '\(expected)' in '\(reply.text)'",
                    sourceLocation: sourceLocation)
        }
        return sent
    }

    /// The report the script files, as the store has it.
    static func expectReport(_ script: Script, from resident: some Resident, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let reports = try await resident.bridge.reports()
        #expect(reports.count == 1, sourceLocation: sourceLocation)
        let report = try #require(reports.first, sourceLocation: sourceLocation)
        #expect(report.reference == "1001", sourceLocation: sourceLocation)
        #expect(report.gateway == resident.gateway, sourceLocation: sourceLocation)
        #expect(report.submission.phone == resident.phone, sourceLocation: sourceLocation)
        #expect(report.submission.deployment == resident.deployment, sourceLocation: sourceLocation)
        #expect(report.submission.language == script.language, sourceLocation: sourceLocation)
        #expect(report.submission.categoryID == script.category, sourceLocation: sourceLocation)
        #expect(report.submission.landmark.id == script.landmark, sourceLocation: sourceLocation)
        #expect(report.submission.description == script.description, sourceLocation: sourceLocation)
    }
}
