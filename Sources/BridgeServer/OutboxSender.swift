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

    /// How long a pass may hold a gateway's messages: a pass claims at most this many seconds' worth of each gateway's rate.
    static let passWindow: TimeInterval = 0.25

    /// One pass over due messages; returns how many attempts it made.
    ///
    /// The store is touched a few times per pass, not per message: one read (the due messages and their opt-outs), one
    /// write claiming every message the pass will attempt, and one write per gateway recording its outcomes. Per message,
    /// a busy server's writes queue behind the inbound ones, and the sender fell behind by thousands of replies under load.
    func sendDue(nextSlot: inout [String: Date]) async throws -> Int {
        let now = clock()
        let due = try await store.read { tx in
            try tx.dueOutbox(now: now, limit: 100).map { (item: $0, optedOut: try tx.isOptedOut(deployment: $0.deployment, phone: $0.phone)) }
        }
        var settled: [Settled] = []
        var chosen: [OutboxItem] = []
        var phones = Set<String>()
        var share: [String: Int] = [:]
        for (item, optedOut) in due {
            // A resident's messages go out in order: one per number per pass (the claim refuses a later one anyway).
            guard phones.insert(item.phone).inserted else { continue }
            guard let gateway = gateways[item.gateway] else {
                settled.append(Settled(item: item, status: .failed, error: "gateway '\(item.gateway)' is no longer configured"))
                continue
            }
            if optedOut, !item.bypassesOptOut {
                settled.append(Settled(item: item, status: .failed, error: "opted out: not sent"))
                metrics.outbox(gateway: gateway.id, outcome: "opted_out")
                continue
            }
            // Each gateway has its own rate: a pass takes what the rate allows within its window, and a gateway that is
            // not free before the window ends waits for a later pass while the others' messages go out.
            // A console gateway sends nothing, so there is no provider to pace for: it takes the whole pass.
            let allowed = gateway.isConsole ? Int.max : max(1, Int(gateway.definition.ratePerSecond * Self.passWindow))
            if let slot = nextSlot[gateway.id], slot > now.addingTimeInterval(Self.passWindow) { continue }
            guard share[gateway.id, default: 0] < allowed else { continue }
            share[gateway.id, default: 0] += 1
            chosen.append(item)
        }
        // Claimed before the attempts: another instance sharing the store leaves them alone until they are recorded (or
        // the lease runs out because this instance died).
        let claimedAt = clock()
        let owner = instance.name
        let until = claimedAt.addingTimeInterval(instance.lease)
        let candidates = chosen
        let finished = settled
        let claimed: Set<String> = try await store.write { tx in
            for done in finished { try tx.updateOutbox(done.updated(at: claimedAt)) }
            var claimed = Set<String>()
            for item in candidates where try tx.claimOutbox(id: item.id, owner: owner, now: claimedAt, until: until) { claimed.insert(item.id) }
            return claimed
        }
        // Each gateway's messages go out in a lane of their own, the lanes side by side: a provider slow to answer (or
        // timing out) holds up its own messages only. Each lane records its outcomes as soon as it ends, while its claims
        // hold; a lane still sending must not keep another's results unrecorded until their claims run out.
        let lanes = Dictionary(grouping: chosen.filter { claimed.contains($0.id) }, by: \.gateway)
        let slots = nextSlot
        let finishedLanes = await withTaskGroup(of: Lane.self) { group in
            for (gatewayID, items) in lanes {
                guard let gateway = gateways[gatewayID] else { continue }
                group.addTask {
                    var lane = await self.sendLane(items, through: gateway, slot: slots[gatewayID], claimedUntil: until)
                    do {
                        try await self.record(lane.outcomes)
                    } catch {
                        lane.failure = error
                    }
                    return lane
                }
            }
            var finished: [Lane] = []
            for await lane in group { finished.append(lane) }
            return finished
        }
        for lane in finishedLanes {
            if let slot = lane.nextSlot { nextSlot[lane.gateway.id] = slot }
        }
        // A lane whose outcomes could not be recorded fails the pass (after the others are recorded): its messages stay
        // claimed until their claims run out, then are tried again.
        if let failure = finishedLanes.lazy.compactMap(\.failure).first { throw failure }
        return finishedLanes.reduce(0) { $0 + $1.outcomes.count { $0.outcome != nil } }
    }

    typealias Outcome = (item: OutboxItem, gateway: GatewayRuntime, outcome: SendOutcome?)

    /// What one gateway's lane of a pass did: an outcome per claimed message (nil: not attempted, handed back), and when
    /// the gateway may be sent to next.
    struct Lane: Sendable {
        let gateway: GatewayRuntime
        var outcomes: [Outcome] = []
        var nextSlot: Date?
        /// Why its outcomes could not be recorded.
        var failure: (any Error)?
    }

    /// Attempts one gateway's claimed messages in order, at the gateway's rate.
    func sendLane(_ items: [OutboxItem], through gateway: GatewayRuntime, slot: Date?, claimedUntil: Date) async -> Lane {
        var lane = Lane(gateway: gateway, nextSlot: slot)
        var remaining = items
        var claimEnds = claimedUntil
        let owner = instance.name
        while !remaining.isEmpty {
            let item = remaining.removeFirst()
            // Every attempt must end within the claim, or another instance could send the message too: when the next
            // attempt (after at most a pass window's wait for its slot) could outlast it, because a slow provider ate
            // the lease, the claims still held are renewed in one write.
            if clock().addingTimeInterval(attemptTimeout + Self.passWindow) >= claimEnds {
                let renewed = clock().addingTimeInterval(instance.lease)
                // The messages already attempted are renewed too: until recorded they still read as queued.
                let ids = lane.outcomes.map(\.item.id) + [item.id] + remaining.map(\.id)
                do {
                    let kept: Set<String> = try await store.write { tx in
                        Set(try ids.filter { try tx.renewOutboxClaim(id: $0, owner: owner, until: renewed) })
                    }
                    claimEnds = renewed
                    remaining.removeAll { !kept.contains($0.id) }
                    guard kept.contains(item.id) else { continue }
                } catch {
                    // Still claimed (the claim has not run out) but not renewable now: handed back untried.
                    logger.error("could not renew the outbox claims; the rest of the pass is handed back",
                                 metadata: ["gateway": "\(gateway.id)", "error": "\(error)"])
                    lane.outcomes += ([item] + remaining).map { ($0, gateway, nil) }
                    return lane
                }
            }
            if let previous = item.leaseOwner, previous != owner {
                logger.notice("took over a reply whose claim ran out (its instance stopped)",
                              metadata: ["gateway": "\(gateway.id)", "previous_instance": "\(previous)"])
            }
            // A graceful shutdown stops between attempts; what was claimed but not attempted is handed back.
            var stopping = Task.isCancelled || Task.isShuttingDownGracefully
            if !stopping, let slot = lane.nextSlot, slot > clock() {
                try? await Task.sleep(for: .seconds(slot.timeIntervalSince(clock())))
                stopping = Task.isCancelled || Task.isShuttingDownGracefully
            }
            if stopping {
                lane.outcomes.append((item, gateway, nil))
                continue
            }
            let outcome = await attempt(item, gateway)
            // The provider counts requests as they arrive: the interval runs from its answer, so two requests never
            // reach it closer than 1/rate whatever the network latency of each.
            if !gateway.isConsole { lane.nextSlot = clock().addingTimeInterval(1 / gateway.definition.ratePerSecond) }
            lane.outcomes.append((item, gateway, outcome))
        }
        return lane
    }

    /// A message ended without an attempt (opted out, gateway gone).
    struct Settled: Sendable {
        let item: OutboxItem
        let status: OutboxStatus
        let error: String

        func updated(at now: Date) -> OutboxItem {
            var updated = item
            updated.status = status
            updated.lastError = error
            updated.updatedAt = now
            updated.leaseOwner = nil
            return updated
        }
    }

    /// One attempt's HTTP deadline: within half the lease, so a claim renewed before the attempt outlasts it.
    var attemptTimeout: TimeInterval { min(policy.requestTimeout, instance.lease / 2) }

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
            let response = try await httpClient.execute(request, timeout: .milliseconds(Int64(attemptTimeout * 1000)))
            let body = try await response.body.collect(upTo: 1 << 20)
            let headers = response.headers.map { GatewayField($0.name, $0.value) }
            return gateway.adapter.classifySendResponse(status: Int(response.status.code), headers: headers, body: Array(buffer: body))
        } catch {
            return .retry(reason: "network: \(error)", retryAfter: nil)
        }
    }

    /// Records a pass's outcomes in one write; a nil outcome is a claimed message not attempted (shutdown), handed back.
    func record(_ outcomes: [Outcome]) async throws {
        guard !outcomes.isEmpty else { return }
        let now = clock()
        var updates: [(item: OutboxItem, parts: [String])] = []
        var optOuts: [(deployment: String, phone: String, reason: String)] = []
        var handedBack = Set<String>()
        for (item, gateway, outcome) in outcomes {
            var updated = item
            updated.updatedAt = now
            updated.leaseOwner = nil  // the claim ends with its outcome
            guard let outcome else {
                updated.nextAttemptAt = now
                handedBack.insert(item.id)
                updates.append((updated, []))
                continue
            }
            updated.attempts += 1
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
                    updated.nextAttemptAt = now.addingTimeInterval(delay)
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
                if optOut { optOuts.append((item.deployment, item.phone, "provider: \(reason)")) }
            }
            let parts: [String] = if case .ok(_, let partIDs) = outcome { partIDs } else { [] }
            updates.append((updated, parts))
        }
        let finals = updates
        let stops = optOuts
        let returned = handedBack
        let owner = instance.name
        try await store.write { tx in
            for stop in stops { try tx.setOptedOut(true, deployment: stop.deployment, phone: stop.phone, at: now, raw: stop.reason) }
            for (final, parts) in finals {
                if parts.count > 1 { try tx.recordParts(parts, outboxID: final.id) }
                let current = try tx.outbox(id: final.id)
                // A delivery report may have beaten us here; never move a message backwards.
                if let current, current.status.rank > final.status.rank { continue }
                // A message handed back untried whose claim ran out may be another instance's now: leave it to it.
                if returned.contains(final.id), current?.leaseOwner != owner { continue }
                try tx.updateOutbox(final)
            }
        }
    }
}
