import AsyncHTTPClient
import BridgeCore
import BridgeServer
import BridgeStore
import Foundation
import ServiceLifecycle
import Synchronization
import Testing

/// The outbox sender against the double: backoff with jitter, Retry-After, the attempt limit, timeouts and
/// network errors, the per-gateway rate limit, per-resident order, opt-outs, and statuses that never go back.
@Suite struct OutboxSenderTests {
    /// Seconds between two receive instants.
    static func seconds(_ from: ContinuousClock.Instant, _ to: ContinuousClock.Instant) -> Double {
        let duration = from.duration(to: to)
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The backoff the row shows: when the next attempt is due, counted from the failed attempt's write.
    static func backoff(_ item: OutboxItem) -> Double { item.nextAttemptAt.timeIntervalSince(item.updatedAt) }

    // MARK: Retries

    @Test func backoffDoublesWithJitterAndIsVisibleInTheStore() async throws {
        let policy = RetryPolicy(initialDelay: 0.4, maximumDelay: 10, maximumAttempts: 5, requestTimeout: 5)
        try await Harness.run(policy: policy) { bridge in
            let resident = GenericResident(bridge: bridge)
            let second = Gate(), third = Gate()
            await bridge.double.script(.generic, .serverError, .held(second, then: .serverError), .held(third, then: .success))
            let (_, id) = try await resident.sayAndWaitForSend()

            // The second attempt is held at the double: the row shows the first failure, and the claim of the attempt in
            // flight (its next attempt moved to the end of the lease, so no other instance sends it meanwhile).
            try await bridge.double.waitForSent(to: resident.phone, count: 2)
            let afterOne = try #require(try await bridge.outboxItem(id))
            #expect(afterOne.status == .queued)
            #expect(afterOne.attempts == 1)
            #expect(afterOne.lastError?.contains("503") == true)
            #expect(afterOne.leaseOwner == InstanceIdentity().name)
            #expect(afterOne.nextAttemptAt.timeIntervalSinceNow > 20, "claimed for the lease (30 s)")
            second.open()

            // Between the second failure and the third attempt the row shows the backoff, doubled (recording the attempt
            // ended the claim).
            let backingOff = try await bridge.waitForItem(id, "second failure recorded") { $0.attempts == 2 && $0.leaseOwner == nil }
            #expect((0.4...0.801).contains(Self.backoff(backingOff)), "second backoff \(Self.backoff(backingOff)) s")
            try await bridge.double.waitForSent(to: resident.phone, count: 3)
            third.open()

            let done = try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(done.attempts == 3)
            #expect(done.lastError == nil)
            let arrivals = await bridge.double.sent(to: resident.phone).map(\.receivedAt)
            #expect(Self.seconds(arrivals[0], arrivals[1]) >= 0.2)
            #expect(Self.seconds(arrivals[1], arrivals[2]) >= 0.4)
        }
    }

    /// Jitter spreads the retries of messages that failed together.
    @Test func jitterSpreadsRetriesOfMessagesThatFailedTogether() async throws {
        let policy = RetryPolicy(initialDelay: 2, maximumDelay: 10, maximumAttempts: 5, requestTimeout: 30)
        try await Harness.run(policy: policy) { bridge in
            // Six first attempts fail; the first retry is held, so every row keeps showing its first backoff.
            let retries = Gate()
            await bridge.double.script(.generic, .serverError, .serverError, .serverError, .serverError, .serverError, .serverError,
                                       .held(retries, then: .success))
            let phones = (0..<6).map { "+3834412345\($0)" }
            for phone in phones {
                #expect(try await GenericResident(bridge: bridge, phone: phone).say("Përshëndetje").status == 200)
            }
            var backoffs: [Double] = []
            for phone in phones {
                let item = try await bridge.waitForOutbox(phone, count: 1, "failed once") { $0.attempts == 1 }[0]
                #expect(item.status == .queued)
                backoffs.append(Self.backoff(item))
            }
            retries.open()
            for backoff in backoffs { #expect((1.0...2.001).contains(backoff), "\(backoff)") }
            #expect(Set(backoffs.map { ($0 * 1000).rounded() }).count > 1, "all six retries at the same moment: \(backoffs)")
        }
    }

    @Test func retryAfterIsHonoured() async throws {
        try await Harness.run { bridge in
            let resident = TwilioResident(bridge: bridge)
            let gate = Gate()
            await bridge.double.script(.twilio, .throttled(retryAfter: 1), .held(gate, then: .success))
            let (_, id) = try await resident.sayAndWaitForSend()
            try await bridge.double.waitForSent(to: resident.phone, count: 2)
            let throttled = try #require(try await bridge.outboxItem(id))
            #expect(throttled.attempts == 1)
            #expect(Self.backoff(throttled) >= 1.0)
            gate.open()
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            let arrivals = await bridge.double.sent(to: resident.phone).map(\.receivedAt)
            #expect(Self.seconds(arrivals[0], arrivals[1]) >= 1.0)
        }
    }

    @Test func retryableErrorsFailForGoodAfterTheLastAttempt() async throws {
        let policy = RetryPolicy(initialDelay: 0.05, maximumDelay: 1, maximumAttempts: 3, requestTimeout: 5)
        try await Harness.run(policy: policy) { bridge in
            let resident = VonageResident(bridge: bridge)
            await bridge.double.script(.vonage, .providerRetryable, .serverError, .providerRetryable, .success)
            let (_, id) = try await resident.sayAndWaitForSend("Здраво")
            let item = try await bridge.waitForItem(id, "failed") { $0.status == .failed }
            #expect(item.attempts == 3)
            #expect(item.lastError?.contains("throttled") == true)
            // The next reply goes out (it takes the scripted 4th answer); the failed one is not tried again.
            try await resident.sayAndWaitForSend("3")
            #expect(await bridge.double.sent(to: resident.phone).count == 4)
            #expect(try await bridge.outboxItem(id)?.attempts == 3)
        }
    }

    @Test func aTimeoutIsRetried() async throws {
        let policy = RetryPolicy(initialDelay: 0.05, maximumDelay: 1, maximumAttempts: 5, requestTimeout: 0.5)
        try await Harness.run(policy: policy) { bridge in
            let resident = GenericResident(bridge: bridge)
            let gate = Gate()
            await bridge.double.script(.generic, .held(gate, then: .success))
            let (_, id) = try await resident.sayAndWaitForSend()
            let item = try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(item.attempts == 2)
            gate.open()
        }
    }

    @Test func aNetworkErrorIsRetried() async throws {
        try await Harness.run(edit: { gateway in
            // Nothing listens on port 9 (discard) of this machine: connection refused.
            if gateway.id == "ks-generic" { gateway.options["api_url"] = "http://127.0.0.1:9/aggregator/send" }
        }) { bridge in
            let resident = GenericResident(bridge: bridge)
            #expect(try await resident.say("Përshëndetje").status == 200)
            let items = try await bridge.waitForOutbox(resident.phone, count: 1, "retried") { $0.attempts >= 2 }
            #expect(items[0].status == .queued)
            #expect(items[0].lastError?.contains("network") == true)
        }
    }

    // MARK: Rate limit

    /// Rate 5/s: N messages due at once reach the provider at least 1/5 s apart, (N-1)/5 s in all.
    @Test func rateLimitSpacesSendsOfOneGateway() async throws {
        try await Harness.run { bridge in
            let count = 6
            let phones = (0..<count).map { "+3834400000\($0)" }
            let now = Date()
            try await bridge.store.write { tx in
                for phone in phones {
                    try tx.enqueue(OutboxItem(gateway: "ks-slow", deployment: "prishtina", phone: phone, text: "Mesazh për \(phone)",
                                              nextAttemptAt: now, createdAt: now))
                }
            }
            bridge.application.signal.notify()
            let arrivals = try await Harness.eventually("\(count) sends through ks-slow") {
                let requests = await bridge.double.requests(.generic)
                return requests.count >= count ? requests.map(\.receivedAt) : nil
            }
            let gaps = zip(arrivals, arrivals.dropFirst()).map { Self.seconds($0, $1) }
            for gap in gaps { #expect(gap >= 0.2, "gaps: \(gaps)") }
            #expect(Self.seconds(arrivals[0], arrivals[count - 1]) >= Double(count - 1) / 5, "gaps: \(gaps)")
        }
    }

    /// The limit is per gateway: a slow gateway's queue does not hold up messages for a fast one.
    @Test func aSlowGatewayDoesNotHoldUpAnother() async throws {
        try await Harness.run { bridge in
            let now = Date()
            try await bridge.store.write { tx in
                for index in 0..<6 {
                    try tx.enqueue(OutboxItem(gateway: "ks-slow", deployment: "prishtina", phone: "+3834400001\(index)", text: "slow \(index)",
                                              nextAttemptAt: now, createdAt: now))
                    try tx.enqueue(OutboxItem(gateway: "ks-twilio", deployment: "prishtina", phone: "+3834400002\(index)", text: "fast \(index)",
                                              nextAttemptAt: now, createdAt: now))
                }
            }
            bridge.application.signal.notify()
            let requests = try await Harness.eventually("12 sends") {
                let requests = await bridge.double.requests()
                return requests.count >= 12 ? requests : nil
            }
            let slow = requests.filter { $0.provider == .generic }.map(\.receivedAt)
            let fast = requests.filter { $0.provider == .twilio }.map(\.receivedAt)
            #expect(Self.seconds(slow[0], slow[5]) >= 1.0)
            // Twilio's six (rate 200/s) are all out before the slow gateway's fifth; queued behind it, the last would
            // come after its sixth.
            #expect(fast[5] < slow[4], "Twilio's last send \(Self.seconds(slow[0], fast[5])) s after the slow gateway's first")
        }
    }

    // MARK: Order

    /// A resident's messages go out in the order they were queued, even while an earlier one waits for a retry.
    @Test func aLaterReplyWaitsForAnEarlierOneInBackoff() async throws {
        let policy = RetryPolicy(initialDelay: 1.5, maximumDelay: 10, maximumAttempts: 5, requestTimeout: 5)
        try await Harness.run(policy: policy) { bridge in
            let resident = GenericResident(bridge: bridge)
            await bridge.double.script(.generic, .serverError)
            let (_, first) = try await resident.sayAndWaitForSend()
            try await bridge.waitForItem(first, "failed once") { $0.attempts == 1 }
            #expect(try await resident.say("1").status == 200)
            let sent = try await bridge.double.waitForSent(to: resident.phone, count: 3)
            #expect(sent[1].ourID == first, "the category menu overtook the language menu: \(sent.map(\.text))")
            #expect(sent[2].text.hasPrefix("Kategoria:"))
        }
    }

    /// While a reply waits behind an earlier one in backoff, the sender sleeps until the earlier one is due
    /// instead of polling the store.
    @Test func aWaitingReplyDoesNotMakeTheSenderPoll() async throws {
        let policy = RetryPolicy(initialDelay: 3, maximumDelay: 10, maximumAttempts: 5, requestTimeout: 5)
        try await ProviderDouble.with { double in
            let store = InstrumentedStore(try SQLiteStore(path: Harness.temporaryStorePath()))
            try await Harness.withBridge(double: double, store: store, policy: policy) { bridge in
                let resident = GenericResident(bridge: bridge)
                await bridge.double.script(.generic, .serverError)
                let (_, first) = try await resident.sayAndWaitForSend()
                let failed = try await bridge.waitForItem(first, "failed once") { $0.attempts == 1 }
                #expect(Self.backoff(failed) >= 1.5)
                #expect(try await resident.say("1").status == 200)
                let reads = store.reads
                // Nothing but the sender reads the store until the retry reaches the double, 1.5–3 s later.
                try await bridge.double.waitForSent(to: resident.phone, count: 3)
                #expect(store.reads - reads < 40, "\(store.reads - reads) store reads while waiting")
            }
        }
    }

    // MARK: Opt-out

    /// STOP: the one confirmation is still sent, nothing after it; START subscribes again.
    @Test func stopKeywordSendsTheConfirmationAndNothingAfter() async throws {
        try await Harness.run { bridge in
            let resident = TwilioResident(bridge: bridge)
            try await resident.sayAndWaitForSend("Përshëndetje")
            let (confirmation, _) = try await resident.sayAndWaitForSend("STOP")
            #expect(confirmation.text.contains("START"))
            #expect(try await bridge.isOptedOut("prishtina", resident.phone))
            for text in ["1", "Përshëndetje", "2 / Sheshi Skenderbeu / drita nuk punon"] {
                #expect(try await resident.say(text).status == 200)
            }
            // Whatever the conversation queued after STOP is failed, never sent.
            let rows = try await bridge.outbox(resident.phone)
            for row in rows.dropFirst(2) {
                let done = try await bridge.waitForItem(row.id, "refused") { $0.status == .failed }
                #expect(done.lastError?.contains("opted out") == true)
                #expect(done.attempts == 0)
            }
            #expect(await bridge.double.sent(to: resident.phone).count == 2)

            let (welcome, _) = try await resident.sayAndWaitForSend("START")
            #expect(try await bridge.isOptedOut("prishtina", resident.phone) == false)
            #expect(welcome.text.contains("regjistruar") || welcome.text.contains("Jeni"))
        }
    }

    /// A reply queued before the resident opted out is not sent after it.
    @Test func aReplyWaitingForARetryIsNotSentAfterStop() async throws {
        let policy = RetryPolicy(initialDelay: 1, maximumDelay: 10, maximumAttempts: 5, requestTimeout: 5)
        try await Harness.run(policy: policy) { bridge in
            let resident = GenericResident(bridge: bridge)
            await bridge.double.script(.generic, .serverError)
            let (_, waiting) = try await resident.sayAndWaitForSend()
            try await bridge.waitForItem(waiting, "failed once") { $0.attempts == 1 }
            #expect(try await resident.say("STOP").status == 200)
            let refused = try await bridge.waitForItem(waiting, "refused") { $0.status == .failed }
            #expect(refused.lastError?.contains("opted out") == true)
            let sent = try await bridge.double.waitForSent(to: resident.phone, count: 2)
            #expect(sent[1].text.contains("START"))
            #expect(await bridge.double.sent(to: resident.phone).count == 2)
        }
    }

    // MARK: Shutdown

    /// A graceful shutdown (a deploy) lets the attempt in flight finish and be recorded: cancelling it after the
    /// provider took the message would leave the row queued, and the next process would send it again.
    @Test func gracefulShutdownLetsTheAttemptInFlightFinish() async throws {
        try await ProviderDouble.with { double in
            let store = try SQLiteStore(path: Harness.temporaryStorePath())
            let application = try BridgeApplication(configuration: Deployments.configuration(doublePort: double.port), store: store,
                                                    environment: Deployments.environment, logger: Harness.logger)
            let httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
            let gate = Gate()
            await double.script(.generic, .held(gate, then: .success))
            let now = Date()
            let item = OutboxItem(gateway: "ks-generic", deployment: "prishtina", phone: "+38344123456", text: "Përshëndetje",
                                  nextAttemptAt: now, createdAt: now)
            try await store.write { try $0.enqueue(item) }
            let group = ServiceGroup(configuration: .init(services: [application.outboxSender(httpClient: httpClient, policy: Harness.fastRetries)],
                                                          logger: Harness.logger))
            let stopped = Mutex(false)
            let running = Task {
                defer { stopped.withLock { $0 = true } }
                try await group.run()
            }
            try await double.waitForSent(to: item.phone, count: 1)
            await group.triggerGracefulShutdown()
            // Give a sender that abandons its attempt half a second to show it; one that waits is still running.
            let deadline = ContinuousClock.now + .milliseconds(500)
            while !stopped.withLock({ $0 }), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            #expect(stopped.withLock { $0 } == false, "the sender stopped with its attempt still in flight")
            gate.open()
            try await running.value
            let row = try await store.read { try $0.outbox(id: item.id) }
            #expect(row?.status == .sent)
            #expect(row?.attempts == 1)
            #expect(await double.sent(to: item.phone).count == 1)
            try await httpClient.shutdown()
        }
    }

    // MARK: Status order

    /// A delivery report that beats the sender's own write (the provider is fast) is not undone by it.
    @Test func aReportThatBeatsTheSendersWriteIsKept() async throws {
        try await Harness.run { bridge in
            let resident = GenericResident(bridge: bridge)
            let gate = Gate()
            await bridge.double.script(.generic, .held(gate, then: .success))
            let (sent, id) = try await resident.sayAndWaitForSend()
            #expect(try await resident.status(sent, "delivered").status == 200)
            #expect(try await bridge.outboxItem(id)?.status == .delivered)
            gate.open()
            // Once the sender has moved on to the next message, the first is still delivered.
            try await resident.sayAndWaitForSend("1")
            try await bridge.waitForOutbox(resident.phone, count: 2, "done") { $0.status != .queued }
            #expect(try await bridge.outboxItem(id)?.status == .delivered)
        }
    }
}

extension OutboxSenderTests {
    /// A provider slow to answer holds up its own gateway's messages only: the other gateway's go out meanwhile.
    @Test func aProviderSlowToAnswerDoesNotHoldUpAnotherGateway() async throws {
        // The held attempt may last 15 s (half the lease); Twilio's sends are awaited 10 s at most, so they must go out
        // while it is in flight.
        let patient = RetryPolicy(initialDelay: 0.05, maximumDelay: 1, maximumAttempts: 5, requestTimeout: 60)
        try await Harness.run(policy: patient) { bridge in
            let gate = Gate()
            await bridge.double.script(.generic, .held(gate, then: .success))
            let now = Date()
            try await bridge.store.write { tx in
                // The slow gateway's message is the oldest: one after another, the others would wait for its answer.
                try tx.enqueue(OutboxItem(gateway: "ks-slow", deployment: "prishtina", phone: "+38344000300", text: "slow",
                                          nextAttemptAt: now, createdAt: now))
                for index in 0..<3 {
                    try tx.enqueue(OutboxItem(gateway: "ks-twilio", deployment: "prishtina", phone: "+3834400031\(index)", text: "fast \(index)",
                                              nextAttemptAt: now, createdAt: now))
                }
            }
            bridge.application.signal.notify()
            _ = try await Harness.eventually("Twilio's three sends while the slow provider has not answered", timeout: .seconds(10)) {
                await bridge.double.requests(.twilio).count >= 3 ? true : nil
            }
            #expect(await bridge.double.requests(.generic).count == 1, "the slow gateway's request is in flight")
            gate.open()
            let rows = try await Harness.eventually("all four recorded as sent") {
                let rows = try await bridge.store.read { try $0.outboxItems(phone: nil) }
                return rows.allSatisfy { $0.status == .sent } ? rows : nil
            }
            #expect(rows.count == 4)
        }
    }
}
