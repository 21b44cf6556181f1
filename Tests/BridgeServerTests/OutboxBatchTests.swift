import AsyncHTTPClient
import BridgeCore
import BridgeStore
import Foundation
import Logging
import Synchronization
import Testing

@testable import BridgeServer

/// A store that counts the transactions it is asked for.
final class CountingStore: Store {
    let inner: any Store
    let counts = Mutex((reads: 0, writes: 0))

    init(_ inner: any Store) { self.inner = inner }

    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        counts.withLock { $0.writes += 1 }
        return try await inner.write(body)
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        counts.withLock { $0.reads += 1 }
        return try await inner.read(body)
    }
}

/// The sender touches the store a fixed number of times per pass, whatever the number of messages: under load its
/// writes queue behind the inbound ones, and one claim and one record per message let replies fall minutes behind.
@Suite struct OutboxBatchTests {
    @Test func aPassReadsOnceClaimsInOneWriteAndRecordsInOne() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-batch-\(UUID().uuidString).sqlite").path
        let sqlite = try SQLiteStore(path: path)
        var logger = Logger(label: "outbox-batch-tests")
        logger.logLevel = .critical
        // A gateway that sends (to a closed port: every attempt fails and is retried later), paced at 20/s here.
        var configuration = Deployments.base
        let index = try #require(configuration.deployments.firstIndex { $0.id == "prishtina" })
        let gatewayIndex = try #require(configuration.deployments[index].gateways.firstIndex { $0.id == "ks-generic" })
        configuration.deployments[index].gateways[gatewayIndex].ratePerSecond = 20
        let application = try BridgeApplication(configuration: configuration, store: sqlite, environment: Deployments.environment,
                                                logger: logger)
        let gateway = try #require(application.gateways["ks-generic"])
        #expect(!gateway.isConsole)
        let now = Date()
        // Twelve residents, one reply each, and a second reply to the first resident (it must wait for the first).
        let phones = (0..<12).map { "+3834410000\(String(format: "%02d", $0))" }
        let items = phones.map { OutboxItem(gateway: gateway.id, deployment: "prishtina", phone: $0, text: "reply", nextAttemptAt: now, createdAt: now) }
            + [OutboxItem(gateway: gateway.id, deployment: "prishtina", phone: phones[0], text: "second", nextAttemptAt: now, createdAt: now)]
        try await sqlite.write { tx in for item in items { try tx.enqueue(item) } }

        let store = CountingStore(sqlite)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let sender = OutboxSender(store: store, gateways: application.gateways, httpClient: client, policy: RetryPolicy(requestTimeout: 0.2),
                                  signal: OutboxSignal(), metrics: application.metrics, logger: logger)
        var slots: [String: Date] = [:]
        let attempts = try await sender.sendDue(nextSlot: &slots)
        try await client.shutdown()

        // The demo gateway's rate is 20/s: a pass takes a quarter of a second's worth.
        let allowed = Int(gateway.definition.ratePerSecond * OutboxSender.passWindow)
        #expect(attempts == allowed)
        #expect(store.counts.withLock { $0 } == (reads: 1, writes: 2))
        let rows = try await sqlite.read { try $0.outboxItems(phone: nil) }
        let tried = rows.filter { $0.attempts == 1 }
        #expect(tried.map(\.phone) == Array(phones.prefix(allowed)), "oldest first")
        #expect(tried.allSatisfy { $0.status == .queued && $0.nextAttemptAt > now && $0.lastError?.hasPrefix("network") == true })
        #expect(rows.allSatisfy { $0.leaseOwner == nil }, "attempts recorded, the rest never claimed")
        #expect(rows.first { $0.text == "second" }?.attempts == 0)
    }
}
