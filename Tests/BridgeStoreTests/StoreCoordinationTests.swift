import BridgeCore
import BridgeStore
import Foundation
import TestDoubles
import Testing

/// What several instances sharing one store rely on, run on both engines, with two store objects on the same database
/// standing in for two instances: claims are won once, a resident's messages keep their order whoever sends them,
/// released and expired claims come back, named leases have one holder, and concurrent writes lose nothing.
@Suite struct StoreCoordinationTests {
    static let now = Date(timeIntervalSince1970: 1_795_770_000)
    static let phone = "+38344123456"

    static func reply(_ text: String, phone: String = phone, at: Date = now) -> OutboxItem {
        OutboxItem(id: text, gateway: "gw", deployment: "prishtina", phone: phone, text: text, nextAttemptAt: at, createdAt: at)
    }

    static func submission(at: Date = now) -> PendingSubmission {
        let report = ReportSubmission(
            phone: phone, deployment: "prishtina", language: .albanian, categoryID: "roads", platformCategory: "Potholes",
            landmark: LandmarkAnswer(id: nil, text: "te sheshi", latitude: nil, longitude: nil), description: "gropë", submittedAt: at)
        return PendingSubmission(submission: report, gateway: "gw", nextAttemptAt: at, createdAt: at)
    }

    @Test(arguments: StoreEngine.available) func anOutboxClaimIsWonOnceAndHoldsTheResidentsLaterMessages(_ engine: StoreEngine) async throws {
        let location = try engine.freshLocation()
        let a = try await engine.open(location)
        let b = try await engine.open(location)
        try await a.write { tx in
            try tx.enqueue(Self.reply("first"))
            try tx.enqueue(Self.reply("second"))
            try tx.enqueue(Self.reply("other", phone: "+38344999999"))
        }
        let until = Self.now.addingTimeInterval(30)
        #expect(try await b.write { try $0.claimOutbox(id: "second", owner: "b", now: Self.now, until: until) } == false,
                "an earlier message to the same number is still queued")
        #expect(try await a.write { try $0.claimOutbox(id: "first", owner: "a", now: Self.now, until: until) })
        #expect(try await b.write { try $0.claimOutbox(id: "first", owner: "b", now: Self.now, until: until) } == false)
        // While a holds "first", nobody sees the number's messages as due; the other resident's is.
        #expect(try await b.read { try $0.dueOutbox(now: Self.now, limit: 10) }.map(\.id) == ["other"])
        // a sends it: writing the item back ends the claim, and "second" can be claimed, by b.
        var sent = try #require(try await a.read { try $0.outbox(id: "first") })
        #expect(sent.leaseOwner == "a")
        sent.status = .sent
        sent.leaseOwner = nil
        let done = sent
        try await a.write { try $0.updateOutbox(done) }
        #expect(try await b.write { try $0.claimOutbox(id: "second", owner: "b", now: Self.now, until: until) })
        // b dies: after the lease its claim runs out and a takes the message over.
        #expect(try await a.read { try $0.dueOutbox(now: until, limit: 10) }.map(\.id) == ["second", "other"])
        #expect(try await a.write { try $0.claimOutbox(id: "second", owner: "a", now: until, until: until.addingTimeInterval(30)) })
    }

    @Test(arguments: StoreEngine.available) func anInstanceStartingAgainTakesItsClaimsBackAtOnce(_ engine: StoreEngine) async throws {
        let store = try await engine.make()
        let id = try await store.write { tx in
            try tx.enqueue(Self.reply("mine"))
            try tx.enqueue(Self.reply("theirs", phone: "+38344999999"))
            return try tx.insertSubmission(Self.submission())
        }
        let until = Self.now.addingTimeInterval(300)
        let claims = try await store.write { tx throws -> [Bool] in
            [try tx.claimOutbox(id: "mine", owner: "a", now: Self.now, until: until),
             try tx.claimOutbox(id: "theirs", owner: "b", now: Self.now, until: until),
             try tx.claimSubmission(id: id, owner: "a", now: Self.now, until: until),
             try tx.claimSubmission(id: id, owner: "b", now: Self.now, until: until)]
        }
        #expect(claims == [true, true, true, false])
        let later = Self.now.addingTimeInterval(5)
        #expect(try await store.write { try $0.releaseClaims(owner: "a", now: later) } == 2)
        #expect(try await store.read { try $0.dueOutbox(now: later, limit: 10) }.map(\.id) == ["mine"], "b's claim still runs")
        #expect(try await store.read { try $0.dueSubmissions(now: later, limit: 10) }.map(\.id) == [id])
    }

    @Test(arguments: StoreEngine.available) func anOutboxClaimIsRenewedOnlyByItsHolderAndOnlyWhileQueued(_ engine: StoreEngine) async throws {
        let location = try engine.freshLocation()
        let a = try await engine.open(location)
        let b = try await engine.open(location)
        try await a.write { try $0.enqueue(Self.reply("only")) }
        let until = Self.now.addingTimeInterval(30)
        #expect(try await a.write { try $0.claimOutbox(id: "only", owner: "a", now: Self.now, until: until) })
        let later = Self.now.addingTimeInterval(60)
        #expect(try await b.write { try $0.renewOutboxClaim(id: "only", owner: "b", until: later) } == false)
        #expect(try await a.write { try $0.renewOutboxClaim(id: "only", owner: "a", until: later) })
        #expect(try await b.read { try $0.outbox(id: "only") }?.nextAttemptAt == later)
        // Past the first lease, the renewed claim still keeps b out.
        #expect(try await b.write { try $0.claimOutbox(id: "only", owner: "b", now: until.addingTimeInterval(1), until: later) } == false)
        try await a.write { tx in
            var sent = try #require(try tx.outbox(id: "only"))
            sent.status = .sent
            sent.leaseOwner = nil
            try tx.updateOutbox(sent)
        }
        #expect(try await a.write { try $0.renewOutboxClaim(id: "only", owner: "a", until: later) } == false, "nothing to renew once sent")
    }

    @Test(arguments: StoreEngine.available) func aSubmissionClaimIsRenewedOnlyByItsHolder(_ engine: StoreEngine) async throws {
        let store = try await engine.make()
        let id = try await store.write { try $0.insertSubmission(Self.submission()) }
        let until = Self.now.addingTimeInterval(30)
        #expect(try await store.write { try $0.claimSubmission(id: id, owner: "a", now: Self.now, until: until) })
        #expect(try await store.read { try $0.dueSubmissions(now: Self.now.addingTimeInterval(10), limit: 10) }.isEmpty)
        #expect(try await store.write { try $0.renewSubmissionClaim(id: id, owner: "a", until: until.addingTimeInterval(30)) })
        #expect(try await store.read { try $0.dueSubmissions(now: until, limit: 10) }.isEmpty, "renewed past the first lease")
        #expect(try await store.write { try $0.renewSubmissionClaim(id: id, owner: "b", until: until.addingTimeInterval(60)) } == false)
        let expired = until.addingTimeInterval(31)
        #expect(try await store.write { try $0.claimSubmission(id: id, owner: "b", now: expired, until: expired.addingTimeInterval(30)) })
        #expect(try await store.write { try $0.renewSubmissionClaim(id: id, owner: "a", until: expired.addingTimeInterval(60)) } == false,
                "a lost it: b holds it now")
    }

    @Test(arguments: StoreEngine.available) func aNamedLeaseHasOneHolderUntilItRunsOut(_ engine: StoreEngine) async throws {
        let location = try engine.freshLocation()
        let a = try await engine.open(location)
        let b = try await engine.open(location)
        let poller = "status-poller"
        #expect(try await a.write { try $0.acquireLease(name: poller, owner: "a", now: Self.now, until: Self.now.addingTimeInterval(60)) })
        #expect(try await b.write { try $0.acquireLease(name: poller, owner: "b", now: Self.now.addingTimeInterval(59), until: Self.now.addingTimeInterval(120)) } == false)
        #expect(try await a.write { try $0.acquireLease(name: poller, owner: "a", now: Self.now.addingTimeInterval(50), until: Self.now.addingTimeInterval(110)) },
                "the holder renews")
        #expect(try await b.write { try $0.acquireLease(name: poller, owner: "b", now: Self.now.addingTimeInterval(100), until: Self.now.addingTimeInterval(160)) } == false)
        #expect(try await b.write { try $0.acquireLease(name: poller, owner: "b", now: Self.now.addingTimeInterval(111), until: Self.now.addingTimeInterval(171)) },
                "a stopped renewing: b takes over")
        #expect(try await a.write { try $0.acquireLease(name: poller, owner: "a", now: Self.now.addingTimeInterval(112), until: Self.now.addingTimeInterval(172)) } == false)
    }

    @Test(arguments: StoreEngine.available) func racingInstancesClaimEveryMessageExactlyOnce(_ engine: StoreEngine) async throws {
        let location = try engine.freshLocation()
        let stores = [try await engine.open(location), try await engine.open(location)]
        let count = 40
        try await stores[0].write { tx in
            for index in 0..<count { try tx.enqueue(Self.reply("m\(index)", phone: "+3834400\(1000 + index)")) }
        }
        let claimed = try await withThrowingTaskGroup(of: [(String, String)].self) { group in
            for (number, store) in stores.enumerated() {
                for worker in 0..<3 {
                    let owner = "i\(number)-w\(worker)"
                    group.addTask {
                        var won: [(String, String)] = []
                        let due = try await store.read { try $0.dueOutbox(now: Self.now, limit: count) }
                        for item in due.shuffled() {
                            if try await store.write({ try $0.claimOutbox(id: item.id, owner: owner, now: Self.now, until: Self.now.addingTimeInterval(30)) }) {
                                won.append((item.id, owner))
                            }
                        }
                        return won
                    }
                }
            }
            return try await group.reduce(into: [String: [String]]()) { result, won in
                for (id, owner) in won { result[id, default: []].append(owner) }
            }
        }
        #expect(claimed.count == count, "every message claimed")
        #expect(claimed.values.allSatisfy { $0.count == 1 }, "and none twice: \(claimed.filter { $0.value.count > 1 })")
    }

    @Test(arguments: StoreEngine.available) func concurrentWritesToOneConversationLoseNothing(_ engine: StoreEngine) async throws {
        let location = try engine.freshLocation()
        let stores = [try await engine.open(location), try await engine.open(location)]
        let writes = 30
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<writes {
                let store = stores[index % 2]
                group.addTask {
                    try await store.write { tx in
                        var session = try tx.session(deployment: "prishtina", phone: Self.phone) ?? Session(phone: Self.phone, deployment: "prishtina")
                        session.references.append("r\(index)")
                        try tx.saveSession(session, at: Self.now)
                    }
                }
            }
            try await group.waitForAll()
        }
        let session = try await stores[1].read { try $0.session(deployment: "prishtina", phone: Self.phone) }
        #expect(Set(session?.references ?? []) == Set((0..<writes).map { "r\($0)" }), "a read-modify-write never overwrote another")
    }

    @Test(arguments: StoreEngine.available) func theSameWebhookAtTwoInstancesIsStoredOnce(_ engine: StoreEngine) async throws {
        let location = try engine.freshLocation()
        let stores = [try await engine.open(location), try await engine.open(location)]
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for round in 0..<10 {
                for store in stores {
                    group.addTask {
                        try await store.write { tx -> Bool in
                            if try tx.inbound(gateway: "gw", providerID: "retry-\(round)") != nil { return false }
                            let id = try tx.insertInbound(InboundRecord(gateway: "gw", providerID: "retry-\(round)", phone: Self.phone,
                                                                        deployment: "prishtina", text: "1", channel: .sms, receivedAt: Self.now))
                            try tx.setAnswer(StoredAnswer(status: 200, contentType: "text/plain", body: "ok"), forInbound: id)
                            return true
                        }
                    }
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 10, "one of each pair processed it, the other found it")
        #expect(try await stores[0].read { try $0.inboundCount() } == 10)
    }
}
