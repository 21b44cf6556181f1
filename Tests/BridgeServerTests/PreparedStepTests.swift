import BridgeCore
import BridgeStore
import Foundation
import Gateways
import Logging
import Testing

@testable import BridgeServer

/// The engine step made before the serialised write (on a cached or freshly read session) must change nothing: when the
/// snapshot is stale the step is made again inside the write, on what is stored.
@Suite struct PreparedStepTests {
    static let phone = "+38344123456"

    /// A fresh store and the configuration's demo gateway for Prishtina (local platform: reports are numbered here).
    struct Bench {
        let store: SQLiteStore
        let application: BridgeApplication
        let gateway: GatewayRuntime

        init() throws {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("prepared-\(UUID().uuidString).sqlite").path
            store = try SQLiteStore(path: path)
            var logger = Logger(label: "prepared-step-tests")
            logger.logLevel = .critical
            application = try BridgeApplication(configuration: Deployments.base, store: store, environment: Deployments.environment,
                                                logger: logger)
            gateway = try #require(application.gateways["prishtina-demo"])
        }

        /// A processor with its own session cache, as another process on the same store would have.
        func processor() -> InboundProcessor {
            InboundProcessor(store: store, logger: application.logger, metrics: application.metrics, outboxSignal: application.signal)
        }

        func say(_ text: String, turn: Int, through processor: InboundProcessor) async throws {
            let now = Date(timeIntervalSince1970: 1_790_000_000 + Double(turn) * 40)
            let inbound = GatewayInbound(providerMessageID: "m\(turn)", from: PreparedStepTests.phone, to: "1818", text: text, receivedAt: now)
            _ = try await processor.process([inbound], gateway: gateway, now: now)
        }

        func texts() async throws -> [String] {
            try await store.read { try $0.outboxItems(phone: PreparedStepTests.phone) }.map(\.text)
        }

        func session() async throws -> Session? {
            try await store.read { try $0.session(deployment: "prishtina", phone: PreparedStepTests.phone) }
        }
    }

    static let scripts: [Script] = [.albanian, .serbianCyrillic]

    @Test(arguments: scripts.indices)
    func twoProcessorsTakingTurnsAnswerExactlyAsOneDoes(script: Int) async throws {
        let turns = Self.scripts[script].turns
        let alone = try Bench()
        let one = alone.processor()
        for (turn, line) in turns.enumerated() { try await alone.say(line.say, turn: turn, through: one) }

        // Each processor's cache is one turn behind whenever it answers: its prepared step starts from the wrong
        // question and must be thrown away.
        let shared = try Bench()
        let first = shared.processor(), second = shared.processor()
        for (turn, line) in turns.enumerated() {
            try await shared.say(line.say, turn: turn, through: turn.isMultiple(of: 2) ? first : second)
        }

        let expected = try await alone.texts()
        #expect(expected.count >= turns.count)
        #expect(try await shared.texts() == expected)
        #expect(try await shared.session() == alone.session())
        #expect(try await shared.store.read { try $0.reports() }.count == 1)
    }

    @Test func aSnapshotOfASessionChangedElsewhereIsNotUsed() async throws {
        let bench = try Bench()
        let processor = bench.processor()
        let turns = Script.albanian.turns
        for turn in 0..<3 { try await bench.say(turns[turn].say, turn: turn, through: processor) }
        #expect(processor.snapshots.count == 1)
        // Another writer replaces the session (another instance, an operator tool): the cached one must not come back.
        try await bench.store.write { tx in
            try tx.saveSession(Session(phone: Self.phone, deployment: "prishtina"), at: Date(timeIntervalSince1970: 1_790_000_100))
        }
        try await bench.say(turns[3].say, turn: 3, through: processor)
        let session = try #require(try await bench.session())
        #expect(session.draft.categoryID == nil, "the answer was read against the stored (empty) session, not the cached draft")
        #expect(session.awaiting != .description)
    }

    @Test func theCacheKeepsAtMostItsCapacity() {
        let snapshots = SessionSnapshots(capacity: 3)
        for index in 0..<10 {
            let phone = "+3834400000\(index)"
            snapshots.remember(.init(data: Data([UInt8(index)]), session: Session(phone: phone, deployment: "d")), deployment: "d", phone: phone)
        }
        #expect(snapshots.count == 3)
        #expect(snapshots.snapshot(deployment: "d", phone: "+38344000009")?.data == Data([9]))
        #expect(snapshots.snapshot(deployment: "d", phone: "+38344000000") == nil)
    }
}
