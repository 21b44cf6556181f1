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
    /// Decisions already taken, by message: the inbound transaction may run its body again (PostgreSQL retries it after a
    /// deadlock) and a gateway resends a webhook that got a 503. Either way one message must count once, or a resident
    /// who sent six messages could be held over a limit of twenty.
    private let decided = Mutex(RecentDecisions())
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
    /// `message` identifies the message (gateway and provider id): asked again about the same one, the first answer is
    /// repeated and nothing is counted.
    public func admits(_ phone: String, deployment: Deployment, gateway: String, message: String? = nil, at now: Date) -> Bool {
        if let message, let earlier = decided.withLock({ $0.decisions[message] }) { return earlier }
        let limit = limit(for: deployment)
        let decision = limiter.withLock { $0.decide(deployment.id + " " + phone, at: now, limit: limit) }
        if let message { decided.withLock { $0.record(message, decision.isAnswered) } }
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

/// The last few thousand admission decisions by message key, oldest forgotten first.
struct RecentDecisions: Sendable {
    static let capacity = 4096
    var decisions: [String: Bool] = [:]
    var order: [String] = []
    var next = 0

    mutating func record(_ key: String, _ answered: Bool) {
        if decisions[key] != nil { return }
        if order.count < Self.capacity {
            order.append(key)
        } else {
            decisions[order[next]] = nil
            order[next] = key
            next = (next + 1) % Self.capacity
        }
        decisions[key] = answered
    }
}
