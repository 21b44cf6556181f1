import BridgeCore
import Foundation
import Logging
import Synchronization

/// The per-sender rate limit and loop guard of one running bridge: decides whether an inbound SMS is answered.
///
/// The state lives in memory, per process, on purpose: the decision is taken inside the inbound transaction for
/// every message, and a table row per arrival would cost a write on exactly the path a flood hammers. What that costs:
/// a restart forgets the windows (a bot gets at most one more `messages` replies after each restart), and several
/// bridge instances behind one gateway each allow the limit (a shared store-backed window is the change to make
/// when a deployment runs more than one instance). A silenced message is still stored and acknowledged by the
/// caller; only the conversation and the reply are skipped.
///
/// One lock around a dictionary: a decision is a few comparisons, so one number's flood never holds it long enough
/// to slow another number, and a silenced message costs no engine step and no outbox row.
public final class SenderGuard: Sendable {
    private let limiter = Mutex(SenderRateLimiter())
    private let serverLimit: SenderRateLimit
    private let logger: Logger
    private let metrics: BridgeMetrics

    public init(serverLimit: SenderRateLimit, logger: Logger, metrics: BridgeMetrics) {
        self.serverLimit = serverLimit
        self.logger = logger
        self.metrics = metrics
    }

    /// The limit that applies in `deployment`: its own `sender_limit`, else the server's.
    public func limit(for deployment: Deployment) -> SenderRateLimit { deployment.senderLimit ?? serverLimit }

    /// Records one inbound SMS from `phone` (E.164) and says whether to answer it; logs (number masked) and counts
    /// the ones that are not.
    public func admits(_ phone: String, deployment: Deployment, gateway: String, at now: Date) -> Bool {
        let limit = limit(for: deployment)
        let decision = limiter.withLock { $0.decide(deployment.id + " " + phone, at: now, limit: limit) }
        guard case .silence(let first) = decision else { return true }
        metrics.rateLimited(gateway: gateway)
        let metadata: Logger.Metadata = [
            "gateway": "\(gateway)", "deployment": "\(deployment.id)", "from": "\(PhoneNumber.masked(phone))", "limit": "\(limit)",
        ]
        if first {
            logger.warning("sender over its rate limit: stored, not answered until it slows down (loop guard)", metadata: metadata)
        } else {
            logger.debug("sender still over its rate limit: stored, not answered", metadata: metadata)
        }
        return false
    }
}
