import AsyncHTTPClient
import BridgeCore
import BridgeStore
import Foundation
import Gateways
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// How the outbox retries: exponential backoff with jitter, then a final failure.
public struct RetryPolicy: Sendable {
    public var initialDelay: TimeInterval
    public var maximumDelay: TimeInterval
    public var maximumAttempts: Int
    /// Per-attempt HTTP deadline.
    public var requestTimeout: TimeInterval

    public init(initialDelay: TimeInterval = 5, maximumDelay: TimeInterval = 600, maximumAttempts: Int = 8, requestTimeout: TimeInterval = 15) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.maximumAttempts = maximumAttempts
        self.requestTimeout = requestTimeout
    }

    /// Delay before attempt `attempts + 1`, with full jitter in the upper half so retries of many messages spread out.
    func delay(afterAttempts attempts: Int, retryAfter: TimeInterval?, random: Double) -> TimeInterval {
        let exponential = min(maximumDelay, initialDelay * pow(2, Double(max(0, attempts - 1))))
        let jittered = exponential * (0.5 + 0.5 * random)
        return max(jittered, retryAfter ?? 0)
    }
}

/// Sends queued SMS through their gateway's API at the gateway's rate, retrying what the provider says is retryable.
///
/// Resumable: everything it knows is in the store, so a restart picks up exactly where it stopped.
public struct OutboxSender: Service, CustomStringConvertible {
    let store: any Store
    let gateways: [String: GatewayRuntime]
    let httpClient: HTTPClient
    let policy: RetryPolicy
    let signal: OutboxSignal
    let metrics: BridgeMetrics
    let logger: Logger
    let instance: InstanceIdentity
    let clock: @Sendable () -> Date

    public init(store: any Store, gateways: [String: GatewayRuntime], httpClient: HTTPClient, policy: RetryPolicy, signal: OutboxSignal,
                metrics: BridgeMetrics, logger: Logger, instance: InstanceIdentity = InstanceIdentity(),
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.gateways = gateways
        self.httpClient = httpClient
        self.policy = policy
        self.signal = signal
        self.metrics = metrics
        self.logger = logger
        self.instance = instance
        self.clock = clock
    }

    /// ServiceLifecycle names services by `"\(service)"` and logs that name: without this it would reflect every
    /// gateway, their secrets included, into the logs (and spend a second doing it at every start).
    public var description: String { "OutboxSender" }

    /// A graceful shutdown stops the sender between attempts: the attempt in flight (at most `requestTimeout`) is
    /// finished and recorded, since a message the provider took but the outbox still shows queued is sent again by
    /// the next process. Cancellation still stops it at once.
    public func run() async throws {
        let signal = self.signal
        await withGracefulShutdownHandler {
            var nextSlot: [String: Date] = [:]
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                do {
                    let sent = try await sendDue(nextSlot: &nextSlot)
                    if sent == 0 {
                        let now = clock()
                        let nextDue = try await store.read { try $0.nextDue() }
                        let nextFreeSlot = nextSlot.values.filter { $0 > now }.min()
                        let wait: TimeInterval
                        if let due = nextDue, due <= now, let nextFreeSlot {
                            // Messages already due but held back by their gateway's rate: wake at its next slot.
                            wait = min(1, nextFreeSlot.timeIntervalSince(now))
                        } else {
                            wait = nextDue.map { max(0.01, min(1, $0.timeIntervalSince(now))) } ?? 1
                        }
                        await signal.wait(timeout: .seconds(wait))
                    }
                } catch is CancellationError where Task.isCancelled || Task.isShuttingDownGracefully {
                    // Only our own cancellation stops the worker: a CancellationError from inside a pass (a store call cancelled
                    // by a timeout) is a failed pass, and a service that returns stops the whole server.
                    return
                } catch {
                    logger.error("outbox pass failed; retrying", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        } onGracefulShutdown: {
            signal.notify()
        }
    }

    /// One pass over due messages; returns how many attempts it made.
    func sendDue(nextSlot: inout [String: Date]) async throws -> Int {
        let now = clock()
        let due = try await store.read { try $0.dueOutbox(now: now, limit: 100) }
        var attempts = 0
        var blockedPhones = Set<String>()
        for item in due {
            if Task.isCancelled || Task.isShuttingDownGracefully { break }
            // A resident's messages go out in order: a message waits while an earlier one to the same number waits.
            if blockedPhones.contains(item.phone) { continue }
            guard let gateway = gateways[item.gateway] else {
                try await finish(item, status: .failed, error: "gateway '\(item.gateway)' is no longer configured")
                continue
            }
            let optedOut = try await store.read { try $0.isOptedOut(deployment: item.deployment, phone: item.phone) }
            if optedOut, !item.bypassesOptOut {
                try await finish(item, status: .failed, error: "opted out: not sent")
                metrics.outbox(gateway: gateway.id, outcome: "opted_out")
                continue
            }
            // Each gateway has its own rate: a message whose gateway is not free yet waits for a later pass, and
            // messages for other gateways go out meanwhile instead of queueing behind it.
            if let slot = nextSlot[gateway.id], slot > clock() {
                blockedPhones.insert(item.phone)
                continue
            }
            // Claimed before the attempt: another instance sharing the store leaves it alone until it is recorded (or the
            // lease runs out because this instance died). Lost to another instance: its later messages to the number wait too.
            let claimedAt = clock()
            let owner = instance.name
            let until = claimedAt.addingTimeInterval(instance.lease)
            guard try await store.write({ try $0.claimOutbox(id: item.id, owner: owner, now: claimedAt, until: until) }) else {
                blockedPhones.insert(item.phone)
                continue
            }
            if let previous = item.leaseOwner, previous != owner {
                logger.notice("took over a reply whose claim ran out (its instance stopped)",
                              metadata: ["gateway": "\(gateway.id)", "previous_instance": "\(previous)"])
            }
            let outcome = await attempt(item, gateway)
            // The provider counts requests as they arrive: the interval runs from its answer, so two requests never
            // reach it closer than 1/rate whatever the network latency of each.
            nextSlot[gateway.id] = clock().addingTimeInterval(1 / gateway.definition.ratePerSecond)
            attempts += 1
            if case .retry = outcome { blockedPhones.insert(item.phone) }
            try await record(outcome, for: item, gateway: gateway)
        }
        return attempts
    }

    func attempt(_ item: OutboxItem, _ gateway: GatewayRuntime) async -> SendOutcome {
        let message = OutboundSMS(id: item.id, to: item.phone, text: item.text)
        let spec: HTTPRequestSpec
        do {
            spec = try gateway.adapter.sendRequest(message, at: clock())
        } catch let error where error == .consoleMode {
            logger.info("console gateway: message stored, not sent",
                        metadata: ["gateway": "\(gateway.id)", "to": "\(PhoneNumber.masked(item.phone))", "text": "\(item.text)"])
            return .ok(providerMessageID: "console-" + item.id)
        } catch {
            return .fail(reason: "cannot build the send request: \(error)", optOut: false)
        }
        if gateway.isConsole {
            logger.info("console gateway: message stored, not sent",
                        metadata: ["gateway": "\(gateway.id)", "to": "\(PhoneNumber.masked(item.phone))", "text": "\(item.text)"])
            return .ok(providerMessageID: "console-" + item.id)
        }
        var request = HTTPClientRequest(url: spec.url)
        request.method = HTTPMethod(rawValue: spec.method)
        for header in spec.headers { request.headers.add(name: header.name, value: header.value) }
        if !spec.body.isEmpty { request.body = .bytes(ByteBuffer(bytes: spec.body)) }
        do {
            // Within half the lease: the claim must outlast the attempt, or another instance could send the message too.
            let timeout = min(policy.requestTimeout, instance.lease / 2)
            let response = try await httpClient.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            let body = try await response.body.collect(upTo: 1 << 20)
            let headers = response.headers.map { GatewayField($0.name, $0.value) }
            return gateway.adapter.classifySendResponse(status: Int(response.status.code), headers: headers, body: Array(buffer: body))
        } catch {
            return .retry(reason: "network: \(error)", retryAfter: nil)
        }
    }

    func record(_ outcome: SendOutcome, for item: OutboxItem, gateway: GatewayRuntime) async throws {
        var updated = item
        updated.attempts += 1
        updated.updatedAt = clock()
        switch outcome {
        case .ok(let providerID, _):
            updated.status = .sent
            updated.providerMessageID = providerID
            updated.lastError = nil
            metrics.outbox(gateway: gateway.id, outcome: "sent")
        case .retry(let reason, let retryAfter):
            updated.lastError = reason
            if updated.attempts >= policy.maximumAttempts {
                updated.status = .failed
                metrics.outbox(gateway: gateway.id, outcome: "failed")
            } else {
                let delay = policy.delay(afterAttempts: updated.attempts, retryAfter: retryAfter, random: Double.random(in: 0...1))
                updated.nextAttemptAt = clock().addingTimeInterval(delay)
                metrics.outbox(gateway: gateway.id, outcome: "retry")
            }
            logger.warning("send failed, will retry", metadata: [
                "gateway": "\(gateway.id)", "to": "\(PhoneNumber.masked(item.phone))", "attempt": "\(updated.attempts)", "reason": "\(reason)",
            ])
        case .fail(let reason, let optOut):
            updated.status = .failed
            updated.lastError = reason
            metrics.outbox(gateway: gateway.id, outcome: "failed")
            logger.error("send failed for good", metadata: ["gateway": "\(gateway.id)", "to": "\(PhoneNumber.masked(item.phone))", "reason": "\(reason)"])
            if optOut {
                let phone = item.phone
                let deployment = item.deployment
                let now = clock()
                try await store.write { try $0.setOptedOut(true, deployment: deployment, phone: phone, at: now, raw: "provider: \(reason)") }
            }
        }
        let final = updated
        let parts: [String] = if case .ok(_, let partIDs) = outcome { partIDs } else { [] }
        try await store.write { tx in
            if parts.count > 1 { try tx.recordParts(parts, outboxID: final.id) }
            // A delivery report may have beaten us here; never move a message backwards.
            if let current = try tx.outbox(id: final.id), current.status.rank > final.status.rank { return }
            try tx.updateOutbox(final)
        }
    }

    func finish(_ item: OutboxItem, status: OutboxStatus, error: String) async throws {
        var updated = item
        updated.status = status
        updated.lastError = error
        updated.updatedAt = clock()
        let final = updated
        try await store.write { try $0.updateOutbox(final) }
    }
}
