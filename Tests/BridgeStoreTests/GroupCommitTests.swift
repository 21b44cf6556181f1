import BridgeCore
@testable import BridgeStore
import Foundation
import Synchronization
import TestDoubles
import Testing

/// Writes that share one SQLite transaction keep the contract of serial transactions: a body that throws is undone
/// alone and gets its own error, and what a caller is told matches what was committed.
@Suite struct GroupCommitTests {
    struct Boom: Error, Equatable {
        let index: Int
    }

    static func record(_ id: String) -> InboundRecord {
        InboundRecord(gateway: "gw", providerID: id, phone: "+38344123456", deployment: "prishtina", text: "1", channel: .sms,
                      receivedAt: Date(timeIntervalSince1970: 1_795_770_000))
    }

    /// Which of `ids` the store holds.
    static func stored(_ ids: [String], in store: SQLiteStore) async throws -> Set<String> {
        try await store.read { tx in Set(try ids.filter { try tx.inbound(gateway: "gw", providerID: $0) != nil }) }
    }

    final class Flag: Sendable {
        let raised = Mutex(false)
    }

    /// Holds the writer for a moment, so that the writes started meanwhile wait and then share one transaction; returns
    /// once the holding write runs.
    static func holdWriter(_ store: SQLiteStore) async throws -> Task<Void, any Error> {
        let running = Flag()
        let held = Task { () async throws -> Void in
            _ = try await store.write { _ -> Int32 in
                running.raised.withLock { $0 = true }
                return usleep(300_000)
            }
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while !running.raised.withLock({ $0 }), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(1)) }
        return held
    }

    @Test func aWriteThatThrowsInABatchIsUndoneAloneAndTheOthersCommit() async throws {
        let store = try SQLiteStore(path: try StoreEngine.sqlite.freshLocation())
        let held = try await Self.holdWriter(store)
        let outcomes = await withTaskGroup(of: (Int, Result<Int64, any Error>).self) { group in
            for index in 0..<200 {
                group.addTask {
                    do {
                        let id = try await store.write { tx -> Int64 in
                            let id = try tx.insertInbound(Self.record("m\(index)"))
                            if index % 3 == 0 { throw Boom(index: index) }
                            return id
                        }
                        return (index, .success(id))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var outcomes: [Int: Result<Int64, any Error>] = [:]
            for await (index, result) in group { outcomes[index] = result }
            return outcomes
        }
        try await held.value

        for (index, result) in outcomes {
            switch result {
            case .success: #expect(index % 3 != 0)
            case .failure(let error): #expect(error as? Boom == Boom(index: index), "each write gets its own error")
            }
        }
        let expected = Set((0..<200).filter { $0 % 3 != 0 }.map { "m\($0)" })
        #expect(try await Self.stored((0..<200).map { "m\($0)" }, in: store) == expected,
                "the thrown writes left nothing, the others are all there")
        #expect(try await store.read { try $0.inboundCount() } == expected.count)
    }

    /// A body that ends the transaction under the batch (here a raw ROLLBACK; in life SQLite rolls back on some I/O and
    /// memory errors) must fail every write of the batch: none may commit on its own, and none may be acknowledged.
    @Test func aBrokenTransactionFailsTheWholeBatchAndCommitsNothingOfIt() async throws {
        let store = try SQLiteStore(path: try StoreEngine.sqlite.freshLocation())
        let held = try await Self.holdWriter(store)
        let outcomes = await withTaskGroup(of: (String, Bool).self) { group in
            for index in 0..<20 {
                group.addTask {
                    let id = "m\(index)"
                    do {
                        try await store.groupCommit.write { db in
                            let tx = SQLiteTransaction(db: db)
                            _ = try tx.insertInbound(Self.record(id))
                            if index == 10 { try tx.execute("ROLLBACK") }
                        }
                        return (id, true)
                    } catch {
                        return (id, false)
                    }
                }
            }
            var outcomes: [String: Bool] = [:]
            for await (id, succeeded) in group { outcomes[id] = succeeded }
            return outcomes
        }
        try await held.value

        #expect(outcomes["m10"] == false)
        let stored = try await Self.stored(Array(outcomes.keys), in: store)
        for (id, succeeded) in outcomes {
            #expect(succeeded == stored.contains(id), "\(id): acknowledged exactly when committed")
        }
        // The store goes on working after the broken batch.
        try await store.write { tx in _ = try tx.insertInbound(Self.record("after")) }
        #expect(try await Self.stored(["after"], in: store) == ["after"])
    }
}
