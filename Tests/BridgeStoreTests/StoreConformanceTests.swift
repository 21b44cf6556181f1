import BridgeCore
import BridgeStore
import Foundation
import TestDoubles
import Testing

/// The store contract, run unchanged against SQLite (real files) and PostgreSQL (a real server): dedupe, transactions,
/// restart survival, outbox ordering, parts, references, opt-outs and gateway state.
@Suite struct StoreConformanceTests {

    static let now = Date(timeIntervalSince1970: 1_795_770_000)

    static func inbound(_ id: String, text: String = "1") -> InboundRecord {
        InboundRecord(gateway: "gw", providerID: id, phone: "+38344123456", deployment: "prishtina", text: text, channel: .sms, receivedAt: now)
    }

    @Test func sqliteRunsInWALMode() async throws {
        let store = try SQLiteStore(path: try StoreEngine.sqlite.freshLocation())
        #expect(try await store.journalMode() == "wal")
    }

    @Test(arguments: StoreEngine.available) func dedupeKeyIsGatewayAndProviderID(_ engine: StoreEngine) async throws {
        let store = try await engine.make()
        let id = try await store.write { try $0.insertInbound(Self.inbound("m1")) }
        try await store.write { try $0.setAnswer(StoredAnswer(status: 200, contentType: "text/xml", body: "<Response/>"), forInbound: id) }
        let again = try await store.read { try $0.inbound(gateway: "gw", providerID: "m1") }
        #expect(again?.answer == StoredAnswer(status: 200, contentType: "text/xml", body: "<Response/>"))
        await #expect(throws: (any Error).self) {
            _ = try await store.write { try $0.insertInbound(Self.inbound("m1")) }
        }
        let other = InboundRecord(gateway: "other", providerID: "m1", phone: "+38344123456", deployment: "prishtina", text: "1",
                                  channel: .sms, receivedAt: Self.now)
        _ = try await store.write { try $0.insertInbound(other) }
        #expect(try await store.read { try $0.inboundCount() } == 2)
    }

    @Test(arguments: StoreEngine.available) func aFailedTransactionLeavesNothing(_ engine: StoreEngine) async throws {
        let store = try await engine.make()
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await store.write { tx in
                _ = try tx.insertInbound(Self.inbound("m1"))
                try tx.enqueue(OutboxItem(gateway: "gw", deployment: "prishtina", phone: "+38344123456", text: "hi", nextAttemptAt: Self.now,
                                          createdAt: Self.now))
                throw Boom()
            }
        }
        #expect(try await store.read { try $0.inboundCount() } == 0)
        #expect(try await store.read { try $0.outboxItems(phone: nil) }.isEmpty)
    }

    @Test(arguments: StoreEngine.available) func sessionsAndOutboxSurviveARestart(_ engine: StoreEngine) async throws {
        let path = try engine.freshLocation()
        var session = Session(phone: "+38344123456", deployment: "prishtina")
        session.language = .serbianCyrillic
        session.awaiting = .landmark
        session.draft.categoryID = "roads"
        do {
            let store = try await engine.open(path)
            let saved = session
            try await store.write { tx in
                try tx.saveSession(saved, at: Self.now)
                try tx.enqueue(OutboxItem(gateway: "gw", deployment: "prishtina", phone: saved.phone, text: "Где?", nextAttemptAt: Self.now,
                                          createdAt: Self.now))
            }
        }
        let reopened = try await engine.open(path)
        #expect(try await reopened.read { try $0.session(deployment: "prishtina", phone: "+38344123456") } == session)
        let due = try await reopened.read { try $0.dueOutbox(now: Self.now, limit: 10) }
        #expect(due.map(\.text) == ["Где?"])
    }

    @Test(arguments: StoreEngine.available) func outboxIsDueInQueueOrderAndOnlyWhenDue(_ engine: StoreEngine) async throws {
        let store = try await engine.make()
        try await store.write { tx in
            for (index, text) in ["first", "second", "third"].enumerated() {
                try tx.enqueue(OutboxItem(gateway: "gw", deployment: "d", phone: "+38344123456", text: text,
                                          nextAttemptAt: Self.now.addingTimeInterval(index == 2 ? 60 : 0), createdAt: Self.now))
            }
        }
        let due = try await store.read { try $0.dueOutbox(now: Self.now, limit: 10) }
        #expect(due.map(\.text) == ["first", "second"])
        #expect(try await store.read { try $0.nextDue() } == Self.now)
    }

    @Test(arguments: StoreEngine.available) func referencesCountFrom1001(_ engine: StoreEngine) async throws {
        let store = try await engine.make()
        let first = try await store.write { try $0.nextReference() }
        #expect(first == "1001")
        let submission = ReportSubmission(
            phone: "+38344123456", deployment: "prishtina", language: .albanian, categoryID: "roads", platformCategory: "Potholes",
            landmark: LandmarkAnswer(id: nil, text: "x", latitude: nil, longitude: nil), description: "gropë", submittedAt: Self.now)
        try await store.write { try $0.insertReport(ReportRecord(reference: "1001", submission: submission, status: .open, gateway: "gw",
                                                                  createdAt: Self.now, updatedAt: Self.now)) }
        #expect(try await store.write { try $0.nextReference() } == "1002")
        #expect(try await store.read { try $0.report(reference: "1001") }?.submission == submission)
    }

    @Test(arguments: StoreEngine.available) func optOutsAndGatewayStatePersist(_ engine: StoreEngine) async throws {
        let store = try await engine.make()
        try await store.write { tx in
            try tx.setOptedOut(true, deployment: "d", phone: "+1", at: Self.now, raw: "STOP")
            try tx.setUSSDText("1*2", gateway: "at", sessionID: "s1", at: Self.now)
        }
        #expect(try await store.read { try $0.isOptedOut(deployment: "d", phone: "+1") })
        #expect(try await store.read { try $0.ussdText(gateway: "at", sessionID: "s1") } == "1*2")
        try await store.write { try $0.setOptedOut(false, deployment: "d", phone: "+1", at: Self.now, raw: "START") }
        #expect(try await store.read { try $0.isOptedOut(deployment: "d", phone: "+1") } == false)
    }

    @Test(arguments: StoreEngine.available) func concatenatedPartsAssembleOnceInOrderWhateverTheArrivalOrder(_ engine: StoreEngine) async throws {
        let store = try await engine.make()
        func add(_ part: Int, _ text: String) async throws -> [String]? {
            try await store.write { try $0.addConcatPart(gateway: "v", phone: "+1", reference: "ab", total: 3, part: part, text: text, at: Self.now) }
        }
        #expect(try await add(3, "ci") == nil)
        #expect(try await add(1, "Dri") == nil)
        #expect(try await add(1, "Dri") == nil)
        #expect(try await add(2, "ta nuk punon ") == ["Dri", "ta nuk punon ", "ci"])
    }

    @Test(arguments: StoreEngine.available) func aMessageInPartsIsDeliveredOnlyWhenEveryPartIs(_ engine: StoreEngine) async throws {
        let store = try await engine.make()
        let item = OutboxItem(gateway: "vonage", deployment: "d", phone: "+1", text: "long", nextAttemptAt: Self.now, createdAt: Self.now)
        try await store.write { tx in
            try tx.enqueue(item)
            try tx.recordParts(["p1", "p2"], outboxID: item.id)
        }
        let first = try await store.write { try $0.updatePart(gateway: "vonage", providerMessageID: "p1", status: .delivered) }
        #expect(first?.outboxID == item.id)
        #expect(first?.parts.sorted { $0.rawValue < $1.rawValue } == [.delivered, .sent])
        let late = try await store.write { try $0.updatePart(gateway: "vonage", providerMessageID: "p1", status: .sent) }
        #expect(late?.parts.filter { $0 == .delivered }.count == 1, "a late 'sent' must not undo 'delivered'")
        let second = try await store.write { try $0.updatePart(gateway: "vonage", providerMessageID: "p2", status: .delivered) }
        #expect(second?.parts == [.delivered, .delivered])
        #expect(try await store.write { try $0.updatePart(gateway: "other", providerMessageID: "p2", status: .failed) } == nil)
    }
}
