import BridgeCore
import BridgeStore
import Foundation
import TestDoubles
import Testing

/// `smsbridge store copy`, the built executable, from a real SQLite file into a real PostgreSQL schema: every row over
/// with its ids, numbering continuing after them, all or nothing, and never into a store that holds data.
@Suite struct StoreCopyCommandTests {
    static let now = Date(timeIntervalSince1970: 1_795_770_000)
    static let phone = "+38344123456"

    /// A SQLite store with a conversation in every table: messages, a session, replies (one in parts), a local report,
    /// a submission on its way, a STATUS question, an opt-out and gateway buffers.
    static func seededSQLite(in directory: URL) async throws -> String {
        let path = directory.appendingPathComponent("bridge.sqlite").path
        let store = try SQLiteStore(path: path)
        try await store.write { tx in
            for index in 1...3 {
                let id = try tx.insertInbound(InboundRecord(gateway: "gw", providerID: "m\(index)", phone: phone, deployment: "prishtina",
                                                            text: "mesazhi \(index)", channel: .sms, receivedAt: now))
                try tx.setAnswer(StoredAnswer(status: 200, contentType: "application/json", body: "{\"n\":\(index)}"), forInbound: id)
            }
            var session = Session(phone: phone, deployment: "prishtina")
            session.language = .serbianCyrillic
            session.references = ["1001"]
            try tx.saveSession(session, at: now)
            let parts = OutboxItem(id: "reply-parts", gateway: "vonage", deployment: "prishtina", phone: phone, text: "Хвала",
                                   status: .sent, attempts: 1, nextAttemptAt: now, providerMessageID: "p1", createdAt: now)
            try tx.enqueue(parts)
            try tx.recordParts(["p1", "p2"], outboxID: parts.id)
            try tx.enqueue(OutboxItem(id: "reply-queued", gateway: "gw", deployment: "prishtina", phone: phone, text: "Në radhë",
                                      nextAttemptAt: now, createdAt: now))
            let submission = ReportSubmission(
                phone: phone, deployment: "prishtina", language: .albanian, categoryID: "roads", platformCategory: "Potholes",
                landmark: LandmarkAnswer(id: nil, text: "te sheshi", latitude: 42.66, longitude: 21.16), description: "gropë",
                submittedAt: now)
            try tx.insertReport(ReportRecord(reference: "1001", submission: submission, status: .inProgress, gateway: "gw",
                                             createdAt: now, updatedAt: now))
            _ = try tx.insertSubmission(PendingSubmission(submission: submission, gateway: "gw", nextAttemptAt: now, createdAt: now))
            try tx.insertStatusRequest(StatusRequest(deployment: "prishtina", reference: "1001", phone: phone, gateway: "gw",
                                                     language: .albanian, answers: true, createdAt: now))
            try tx.setOptedOut(true, deployment: "prishtina", phone: "+38344000000", at: now, raw: "STOP")
            try tx.setUSSDText("1*2", gateway: "at", sessionID: "s1", at: now)
            _ = try tx.addConcatPart(gateway: "vonage", phone: phone, reference: "ab", total: 2, part: 1, text: "gjysma", at: now)
        }
        return path
    }

    @Test(.enabled(if: StoreEngine.available.contains(.postgres), "needs PostgreSQL: SMSBRIDGE_TEST_POSTGRES_URL (scripts/test sets it)"))
    func everyRowMovesWithItsIdsAndNumberingContinuesAfterThem() async throws {
        let copy = try ConfigurationCopy()
        defer { copy.remove() }
        let path = try await Self.seededSQLite(in: copy.directory)
        let url = try StoreEngine.postgres.freshLocation()
        let result = try RunningCommand.run(["store", "copy", "--from", "sqlite:\(path)", "--to", "postgres"], in: copy.directory,
                                            environment: ["SMSBRIDGE_POSTGRES_URL": url])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("inbound_message: 3"), "\(result.stdout)")
        #expect(result.stdout.contains("copied 14 rows from "), "\(result.stdout)")
        #expect(!result.stdout.contains("password"), "the URL's password is never printed")

        let source = try SQLiteStore(path: path)
        let destination = try await PostgresStore(url: url)
        for phone in [Self.phone, nil] {
            #expect(try await destination.read { try $0.outboxItems(phone: phone) } == (try await source.read { try $0.outboxItems(phone: phone) }))
        }
        #expect(try await destination.read { try $0.session(deployment: "prishtina", phone: Self.phone) }
                == (try await source.read { try $0.session(deployment: "prishtina", phone: Self.phone) }))
        #expect(try await destination.read { try $0.inbound(gateway: "gw", providerID: "m2") }?.answer?.body == "{\"n\":2}")
        #expect(try await destination.read { try $0.reports() } == (try await source.read { try $0.reports() }))
        #expect(try await destination.read { try $0.submissions() } == (try await source.read { try $0.submissions() }))
        #expect(try await destination.read { try $0.statusRequests(limit: 10) } == (try await source.read { try $0.statusRequests(limit: 10) }))
        #expect(try await destination.read { try $0.isOptedOut(deployment: "prishtina", phone: "+38344000000") })
        #expect(try await destination.read { try $0.ussdText(gateway: "at", sessionID: "s1") } == "1*2")
        #expect(try await destination.write { try $0.updatePart(gateway: "vonage", providerMessageID: "p2", status: .delivered) }?.outboxID
                == "reply-parts")
        #expect(try await destination.write {
            try $0.addConcatPart(gateway: "vonage", phone: Self.phone, reference: "ab", total: 2, part: 2, text: "tjetra", at: Self.now)
        } == ["gjysma", "tjetra"], "a half-assembled message completes on the new store")
        // New rows are numbered after the copied ones.
        let next = try await destination.write {
            try $0.insertInbound(InboundRecord(gateway: "gw", providerID: "m4", phone: Self.phone, deployment: "prishtina", text: "4",
                                               channel: .sms, receivedAt: Self.now))
        }
        #expect(next == 4)
        #expect(try await destination.write { try $0.nextLocalReference() } == "1002")
        await destination.close()

        // A second copy into the same (now occupied) schema is refused, and changes nothing.
        let again = try RunningCommand.run(["store", "copy", "--from", "sqlite:\(path)", "--to", "postgres"], in: copy.directory,
                                           environment: ["SMSBRIDGE_POSTGRES_URL": url])
        #expect(again.status == 1)
        #expect(again.stderr.contains("the destination store is not empty (inbound_message: 4 rows"), "\(again.stderr)")
    }

    @Test func withoutTheURLInTheEnvironmentItSaysWhichVariableToSet() async throws {
        let copy = try ConfigurationCopy()
        defer { copy.remove() }
        let path = try await Self.seededSQLite(in: copy.directory)
        let result = try RunningCommand.run(["store", "copy", "--from", "sqlite:\(path)", "--to", "postgres"], in: copy.directory,
                                            environment: ["SMSBRIDGE_POSTGRES_URL": ""])
        #expect(result.status == 1)
        #expect(result.stderr.contains("SMSBRIDGE_POSTGRES_URL is not set: export SMSBRIDGE_POSTGRES_URL=postgres://"), "\(result.stderr)")
    }

    @Test func aURLOnTheCommandLineIsRefused() throws {
        let result = try RunningCommand.run(["store", "copy", "--to", "postgres://user:secret@127.0.0.1/db"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--to must be postgres; put the URL in the environment variable"), "\(result.stderr)")
    }
}
