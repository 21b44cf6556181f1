import BridgeCore
import BridgeStore
import Foundation
import TestDoubles
import Testing

/// The retention purge on both engines: texts and sessions past the cutoff go; reports, references, statuses,
/// delivery outcomes and opt-outs stay, and nothing newer is touched.
@Suite struct RetentionPurgeTests {
    static let day: TimeInterval = 86_400
    static let now = Date(timeIntervalSince1970: 1_795_770_000)
    static let old = now.addingTimeInterval(-100 * day)
    static let recent = now.addingTimeInterval(-1 * day)
    static let cutoff = now.addingTimeInterval(-90 * day)
    static let phone = "+38344123456"

    /// An old and a recent conversation, each with its messages, replies and buffers, and an old report.
    static func seeded(_ engine: StoreEngine) async throws -> (any Store, String) {
        let path = try engine.freshLocation()
        let store = try await engine.open(path)
        try await store.write { tx in
            for (label, at, phone) in [("old", old, phone), ("recent", recent, "+38344765432")] {
                let id = try tx.insertInbound(InboundRecord(gateway: "gw", providerID: "\(label)-1", phone: phone, deployment: "prishtina",
                                                            text: "drita nuk punon te \(label)", channel: .sms, receivedAt: at))
                try tx.setAnswer(StoredAnswer(status: 200, contentType: "text/plain", body: "CON Raporti: \(label)"), forInbound: id)
                try tx.enqueue(OutboxItem(id: "\(label)-delivered", gateway: "gw", deployment: "prishtina", phone: phone, text: "Faleminderit \(label)",
                                          status: .delivered, nextAttemptAt: at, createdAt: at))
                var session = Session(phone: phone, deployment: "prishtina")
                session.language = .albanian
                try tx.saveSession(session, at: at)
                try tx.setUSSDText("1*2*\(label)", gateway: "gw", sessionID: "ussd-\(label)", at: at)
                _ = try tx.addConcatPart(gateway: "gw", phone: phone, reference: "r-\(label)", total: 2, part: 1, text: "gjysma", at: at)
            }
            // An old reply still waiting for its retry: never blanked before it is sent.
            try tx.enqueue(OutboxItem(id: "old-queued", gateway: "gw", deployment: "prishtina", phone: phone, text: "ende në radhë",
                                      nextAttemptAt: now, createdAt: old))
            let submission = ReportSubmission(
                phone: phone, deployment: "prishtina", language: .albanian, categoryID: "lighting", platformCategory: "Street lighting",
                landmark: LandmarkAnswer(id: "skanderbeg-square", text: "te sheshi", latitude: 42.66, longitude: 21.16),
                description: "Drita nuk punon", submittedAt: old)
            try tx.insertReport(ReportRecord(reference: "1001", submission: submission, status: .fixed, gateway: "gw", createdAt: old, updatedAt: old))
            try tx.setOptedOut(true, deployment: "prishtina", phone: "+38344000000", at: old, raw: "STOP")
        }
        return (store, path)
    }

    @Test(arguments: StoreEngine.available) func textsAndSessionsPastTheCutoffGoAndEverythingElseStays(_ engine: StoreEngine) async throws {
        let (store, path) = try await Self.seeded(engine)
        let counts = try await store.write { try $0.purge(before: Self.cutoff) }
        #expect(counts == PurgeCounts(inboundTexts: 1, outboxTexts: 1, sessions: 1, gatewayBuffers: 2))

        // Read back through a new connection to the same store, as after a restart.
        let reopened = try await engine.open(path)
        try await reopened.read { tx in
            let old = try tx.inbound(gateway: "gw", providerID: "old-1")
            #expect(old?.record.text == "")
            #expect(old?.answer == StoredAnswer(status: 200, contentType: "text/plain", body: ""), "status kept, screen text gone")
            #expect(old?.record.phone == Self.phone, "the row stays: a gateway retry is still recognised")
            #expect(try tx.inbound(gateway: "gw", providerID: "recent-1")?.record.text == "drita nuk punon te recent")

            #expect(try tx.outbox(id: "old-delivered")?.text == "")
            #expect(try tx.outbox(id: "old-delivered")?.status == .delivered)
            #expect(try tx.outbox(id: "recent-delivered")?.text == "Faleminderit recent")
            #expect(try tx.outbox(id: "old-queued")?.text == "ende në radhë")

            #expect(try tx.session(deployment: "prishtina", phone: Self.phone) == nil)
            #expect(try tx.session(deployment: "prishtina", phone: "+38344765432") != nil)
            #expect(try tx.ussdText(gateway: "gw", sessionID: "ussd-old") == nil)
            #expect(try tx.ussdText(gateway: "gw", sessionID: "ussd-recent") == "1*2*recent")

            let report = try tx.report(reference: "1001")
            #expect(report?.status == .fixed)
            #expect(report?.submission.phone == Self.phone, "status updates still reach the resident")
            #expect(try tx.isOptedOut(deployment: "prishtina", phone: "+38344000000"))
        }
        // The second half of the old multipart message never arrived: its first half is gone, so it never completes.
        let completed = try await reopened.write { tx in
            try tx.addConcatPart(gateway: "gw", phone: Self.phone, reference: "r-old", total: 2, part: 2, text: "tjetra", at: Self.now)
        }
        #expect(completed == nil)
    }

    @Test(arguments: StoreEngine.available) func aSecondPurgeFindsNothingMore(_ engine: StoreEngine) async throws {
        let (store, _) = try await Self.seeded(engine)
        _ = try await store.write { try $0.purge(before: Self.cutoff) }
        #expect(try await store.write { try $0.purge(before: Self.cutoff) } == PurgeCounts())
    }

    @Test(arguments: StoreEngine.available) func aCutoffBeforeEverythingChangesNothing(_ engine: StoreEngine) async throws {
        let (store, _) = try await Self.seeded(engine)
        #expect(try await store.write { try $0.purge(before: Self.old.addingTimeInterval(-1)) } == PurgeCounts())
        #expect(try await store.read { try $0.sessionCount() } == 2)
    }
}
