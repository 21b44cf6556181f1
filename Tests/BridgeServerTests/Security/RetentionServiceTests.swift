import AsyncHTTPClient
import BridgeCore
@testable import BridgeServer
import BridgeStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `server.retention_days` in a running server: purged at start, then again on every interval.
@Suite struct RetentionServiceTests {
    static let phone = "+38344999020"

    static func storeOldMessage(_ id: String, in store: any Store, daysAgo: Double) async throws {
        let at = Date().addingTimeInterval(-daysAgo * 86_400)
        _ = try await store.write { tx in
            try tx.insertInbound(InboundRecord(gateway: "prishtina-demo", providerID: id, phone: phone, deployment: "prishtina",
                                               text: "drita nuk punon", channel: .sms, receivedAt: at))
        }
    }

    static func text(_ id: String, in store: any Store) async throws -> String? {
        try await store.read { try $0.inbound(gateway: "prishtina-demo", providerID: id)?.record.text }
    }

    @Test func serveWithARetentionPeriodPurgesAtStart() async throws {
        var configuration = Deployments.base
        configuration.server.retentionDays = 30
        let store = try SQLiteStore(path: Harness.temporaryStorePath())
        try await Self.storeOldMessage("old", in: store, daysAgo: 31)
        try await Self.storeOldMessage("recent", in: store, daysAgo: 29)
        let application = try BridgeApplication(configuration: configuration, store: store, environment: Deployments.environment,
                                                logger: Harness.logger)
        let httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        do {
            try await application.application(host: "127.0.0.1", port: 0, httpClient: httpClient).test(.live) { _ in
                _ = try await Harness.eventually("the old text purged") { try await Self.text("old", in: store) == "" ? true : nil }
            }
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
        try await httpClient.shutdown()
        #expect(try await Self.text("recent", in: store) == "drita nuk punon")
    }

    @Test func thePurgerRunsAgainOnEveryInterval() async throws {
        let store = try SQLiteStore(path: Harness.temporaryStorePath())
        let purger = RetentionPurger(store: store, retentionDays: 30, metrics: BridgeMetrics(), logger: Harness.logger, interval: .milliseconds(50))
        let running = Task { try await purger.run() }
        defer { running.cancel() }
        try await Self.storeOldMessage("first", in: store, daysAgo: 40)
        _ = try await Harness.eventually("the first purge") { try await Self.text("first", in: store) == "" ? true : nil }
        // Arrived (as if restored from a backup) after the first purge: the next round takes it.
        try await Self.storeOldMessage("second", in: store, daysAgo: 40)
        _ = try await Harness.eventually("a later purge") { try await Self.text("second", in: store) == "" ? true : nil }
    }

    @Test func purgeCountsAreInTheMetrics() async throws {
        let store = try SQLiteStore(path: Harness.temporaryStorePath())
        let metrics = BridgeMetrics()
        try await Self.storeOldMessage("old", in: store, daysAgo: 40)
        let counts = try await RetentionPurger(store: store, retentionDays: 30, metrics: metrics, logger: Harness.logger).purgeOnce()
        #expect(counts == PurgeCounts(inboundTexts: 1))
        #expect(metrics.render().contains(#"smsbridge_purged_rows_total{kind="inbound_text"} 1"#), "\(metrics.render())")
    }
}
