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
    /// A fresh store and the application with Prishtina's `ks-generic` gateway (a sending one) edited by `edit`.
    static func bridge(_ edit: (inout GatewayDefinition) -> Void) throws -> (store: SQLiteStore, application: BridgeApplication, logger: Logger) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-batch-\(UUID().uuidString).sqlite").path
        let store = try SQLiteStore(path: path)
        var logger = Logger(label: "outbox-batch-tests")
        logger.logLevel = .critical
        var configuration = Deployments.base
        let index = try #require(configuration.deployments.firstIndex { $0.id == "prishtina" })
        let gatewayIndex = try #require(configuration.deployments[index].gateways.firstIndex { $0.id == "ks-generic" })
        edit(&configuration.deployments[index].gateways[gatewayIndex])
        let application = try BridgeApplication(configuration: configuration, store: store, environment: Deployments.environment,
                                                logger: logger)
        return (store, application, logger)
    }

    @Test func aPassReadsOnceClaimsInOneWriteAndRecordsInOne() async throws {
        // A gateway that sends (to a closed port: every attempt fails and is retried later), paced at 20/s here.
        let (sqlite, application, logger) = try Self.bridge { $0.ratePerSecond = 20 }
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

/// A TCP port that accepts connections (the kernel's backlog) and never answers: every HTTP attempt runs to its deadline.
final class SilentPort {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketDescriptor, $0, &length) }
        }
        guard socketDescriptor >= 0, bound == 0, named == 0, listen(socketDescriptor, 64) == 0 else {
            close(socketDescriptor)
            throw CocoaError(.fileWriteUnknown)
        }
        descriptor = socketDescriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}

extension OutboxBatchTests {
    /// A slow provider must not let a pass's claims run out under its later messages: another instance would send them too.
    @Test func claimsAreRenewedBeforeAnAttemptTheyWouldNotOutlast() async throws {
        let silent = try SilentPort()
        let (store, application, logger) = try Self.bridge { $0.options["api_url"] = "http://127.0.0.1:\(silent.port)/send" }
        let now = Date()
        let items = (0..<4).map {
            OutboxItem(gateway: "ks-generic", deployment: "prishtina", phone: "+38344200\($0)00", text: "reply", nextAttemptAt: now, createdAt: now)
        }
        try await store.write { tx in for item in items { try tx.enqueue(item) } }

        // A lease of 1 s and attempts of 0.4 s: the four attempts take 1.6 s, past the lease the pass started with.
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let sender = OutboxSender(store: store, gateways: application.gateways, httpClient: client,
                                  policy: RetryPolicy(requestTimeout: 0.4), signal: OutboxSignal(), metrics: application.metrics,
                                  logger: logger, instance: InstanceIdentity(name: "a", lease: 1))
        // Another instance, past the lease the pass started with, tries the last message and the first one: the first
        // was attempted early on but not yet recorded, so it still reads as queued.
        let intruder = Task {
            try await Task.sleep(for: .milliseconds(1300))
            let at = Date()
            return try await store.write { tx in
                [try tx.claimOutbox(id: items[3].id, owner: "b", now: at, until: at.addingTimeInterval(30)),
                 try tx.claimOutbox(id: items[0].id, owner: "b", now: at, until: at.addingTimeInterval(30))]
            }
        }
        var slots: [String: Date] = [:]
        let attempts = try await sender.sendDue(nextSlot: &slots)
        try await client.shutdown()

        #expect(attempts == 4)
        #expect(try await intruder.value == [false, false], "both still claimed by the instance attempting them")
        let rows = try await store.read { try $0.outboxItems(phone: nil) }
        #expect(rows.allSatisfy { $0.attempts == 1 && $0.leaseOwner == nil })
    }
}

extension OutboxBatchTests {
    /// A message handed back untried (shutdown, a failed renewal) after its claim ran out may be another instance's by
    /// then: handing it back must not clear that instance's claim, or a third pass could send it too.
    @Test func aHandBackLeavesAClaimThatIsNoLongerOurs() async throws {
        let (store, application, logger) = try Self.bridge { _ in }
        let gateway = try #require(application.gateways["ks-generic"])
        let now = Date()
        let item = OutboxItem(gateway: gateway.id, deployment: "prishtina", phone: "+38344300100", text: "reply", nextAttemptAt: now,
                              createdAt: now)
        try await store.write { tx in try tx.enqueue(item) }
        // Claimed by "a" for 1 s; past that, "b" takes it over.
        let taken: [Bool] = try await store.write { tx in
            [try tx.claimOutbox(id: item.id, owner: "a", now: now, until: now.addingTimeInterval(1)),
             try tx.claimOutbox(id: item.id, owner: "b", now: now.addingTimeInterval(2), until: now.addingTimeInterval(32))]
        }
        #expect(taken == [true, true])
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let sender = OutboxSender(store: store, gateways: application.gateways, httpClient: client, policy: RetryPolicy(),
                                  signal: OutboxSignal(), metrics: application.metrics, logger: logger,
                                  instance: InstanceIdentity(name: "a", lease: 1))
        try await sender.record([(item, gateway, nil)])
        try await client.shutdown()
        let row = try #require(try await store.read { try $0.outbox(id: item.id) })
        #expect(row.leaseOwner == "b")
        #expect(abs(row.nextAttemptAt.timeIntervalSince(now) - 32) < 0.001, "b's claim still runs to its end")
    }
}
