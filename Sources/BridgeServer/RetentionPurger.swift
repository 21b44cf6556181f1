import BridgeStore
import Foundation
import Logging
import ServiceLifecycle

/// Applies `server.retention_days` while `serve` runs: once at start, then once a day.
///
/// At start because a server that restarts more often than daily would otherwise never purge; daily because retention
/// is counted in days, so more often would only cost writes. The same store method backs `smsbridge purge`.
public struct RetentionPurger: Service, CustomStringConvertible {
    public var description: String { "RetentionPurger" }

    let store: any Store
    let retentionDays: Int
    let metrics: BridgeMetrics
    let logger: Logger
    let clock: @Sendable () -> Date
    let interval: Duration

    public init(store: any Store, retentionDays: Int, metrics: BridgeMetrics, logger: Logger, interval: Duration = .seconds(86_400),
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.retentionDays = retentionDays
        self.metrics = metrics
        self.logger = logger
        self.interval = interval
        self.clock = clock
    }

    /// The oldest moment kept when purging at `now`.
    public static func cutoff(days: Int, now: Date) -> Date { now.addingTimeInterval(-Double(days) * 86_400) }

    /// One purge of everything older than the retention period; returns what it removed.
    @discardableResult
    public func purgeOnce() async throws -> PurgeCounts {
        let cutoff = Self.cutoff(days: retentionDays, now: clock())
        let counts = try await store.write { try $0.purge(before: cutoff) }
        metrics.purged("inbound_text", count: counts.inboundTexts)
        metrics.purged("outbox_text", count: counts.outboxTexts)
        metrics.purged("session", count: counts.sessions)
        metrics.purged("gateway_buffer", count: counts.gatewayBuffers)
        logger.info("retention purge", metadata: ["older_than_days": "\(retentionDays)", "removed": "\(counts)"])
        return counts
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await purgeOnce()
                } catch is CancellationError where Task.isCancelled || Task.isShuttingDownGracefully {
                    // Only our own cancellation stops the worker: a CancellationError from inside a pass (a store call cancelled
                    // by a timeout) is a failed pass, and a service that returns stops the whole server.
                    return
                } catch {
                    // The store may be full or locked for now: the next day tries again, and nothing is lost by waiting.
                    logger.error("retention purge failed; retrying in a day", metadata: ["error": "\(error)"])
                }
                do { try await Task.sleep(for: interval) } catch { return }
            }
        }
    }
}
