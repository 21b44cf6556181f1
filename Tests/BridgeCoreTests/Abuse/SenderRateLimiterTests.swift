import BridgeCore
import Foundation
import Testing

/// The loop guard's decisions, with a clock the test moves by hand.
@Suite struct SenderRateLimiterTests {
    static let start = Date(timeIntervalSince1970: 1_780_000_000)
    static let limit = SenderRateLimit.standard

    /// Decisions for `count` messages from `sender`, `spacing` seconds apart from `from`.
    static func run(_ limiter: inout SenderRateLimiter, _ sender: String, count: Int, from: Date = start, spacing: TimeInterval,
                    limit: SenderRateLimit = limit) -> [SenderRateLimiter.Decision] {
        (0..<count).map { limiter.decide(sender, at: from.addingTimeInterval(Double($0) * spacing), limit: limit) }
    }

    @Test func aBotAnsweringEveryReplyIsAnsweredTwentyTimesThenNoMore() {
        var limiter = SenderRateLimiter()
        // Another bot answers each of our replies within 2 s, for an hour.
        let decisions = Self.run(&limiter, "ks +38344000001", count: 1800, spacing: 2)
        #expect(decisions.prefix(20).allSatisfy { $0.isAnswered })
        #expect(decisions[20] == .silence(firstInWindow: true))
        #expect(decisions.dropFirst(21).allSatisfy { $0 == .silence(firstInWindow: false) })
        // Bounded: 20 replies in the hour, not 20 per window.
        #expect(decisions.filter { $0.isAnswered }.count == 20)
    }

    @Test func aResidentWhoPausesForAWindowIsAnsweredAgain() {
        var limiter = SenderRateLimiter()
        let burst = Self.run(&limiter, "ks +38344000002", count: 25, spacing: 1)
        #expect(burst.filter { $0.isAnswered }.count == 20)
        // The last arrival was at +24 s; five minutes later the window is empty again.
        let later = Self.start.addingTimeInterval(24 + 300 + 1)
        #expect(limiter.decide("ks +38344000002", at: later, limit: Self.limit) == .answer)
    }

    @Test func aSlowSteadySenderIsNeverSilenced() {
        var limiter = SenderRateLimiter()
        // One message every 16 s is 18.75 per 5 minutes: under the limit for ever.
        let decisions = Self.run(&limiter, "ks +38344000003", count: 500, spacing: 16)
        #expect(decisions.allSatisfy { $0.isAnswered })
    }

    @Test func exactlyTheLimitInsideTheWindowIsAnsweredAndTheNextIsNot() {
        var limiter = SenderRateLimiter()
        let limit = SenderRateLimit(messages: 3, window: 60)
        #expect(Self.run(&limiter, "a", count: 3, spacing: 10, limit: limit).allSatisfy { $0.isAnswered })
        #expect(limiter.decide("a", at: Self.start.addingTimeInterval(59), limit: limit) == .silence(firstInWindow: true))
        // The first arrival (at 0) leaves the window at 60 s, but the silenced one at 59 s still counts: 10, 20, 59.
        #expect(limiter.decide("a", at: Self.start.addingTimeInterval(61), limit: limit) == .silence(firstInWindow: false))
        // At 81 s only 59 and 61 are inside: answered, and the next silence is announced afresh.
        #expect(limiter.decide("a", at: Self.start.addingTimeInterval(81), limit: limit) == .answer)
        #expect(limiter.decide("a", at: Self.start.addingTimeInterval(82), limit: limit) == .silence(firstInWindow: true))
    }

    @Test func oneFloodingNumberNeverChangesAnotherNumbersDecisions() {
        var limiter = SenderRateLimiter()
        var alone = SenderRateLimiter()
        var together: [SenderRateLimiter.Decision] = []
        var separate: [SenderRateLimiter.Decision] = []
        for second in 0..<600 {
            let now = Self.start.addingTimeInterval(Double(second))
            for _ in 0..<10 { _ = limiter.decide("flood +212600000000", at: now, limit: Self.limit) }
            if second % 20 == 0 {
                together.append(limiter.decide("resident +212600000001", at: now, limit: Self.limit))
                separate.append(alone.decide("resident +212600000001", at: now, limit: Self.limit))
            }
        }
        #expect(together == separate)
        #expect(together.allSatisfy { $0.isAnswered })
    }

    @Test func sameInputsGiveTheSameDecisions() {
        var first = SenderRateLimiter(sweepEvery: 7)
        var second = SenderRateLimiter(sweepEvery: 7)
        let senders = ["a", "b", "c"]
        var one: [SenderRateLimiter.Decision] = []
        var two: [SenderRateLimiter.Decision] = []
        for index in 0..<3000 {
            let sender = senders[index * 7 % 3]
            let now = Self.start.addingTimeInterval(Double(index) * 0.7)
            one.append(first.decide(sender, at: now, limit: Self.limit))
            two.append(second.decide(sender, at: now, limit: Self.limit))
        }
        #expect(one == two)
        #expect(one.contains(.answer) && one.contains(.silence(firstInWindow: true)))
    }

    @Test func quietSendersAreForgottenSoMemoryFollowsActiveNumbersOnly() {
        var limiter = SenderRateLimiter(sweepEvery: 100)
        for index in 0..<1000 {
            _ = limiter.decide("sender \(index)", at: Self.start.addingTimeInterval(Double(index)), limit: Self.limit)
        }
        // Senders of the last 300 s (and those since the last sweep) are remembered, not all 1000.
        #expect(limiter.trackedSenders <= 300 + 100)
        #expect(limiter.trackedSenders >= 300)
    }

    @Test func aSweepKeepsSendersALongerWindowStillCounts() {
        var limiter = SenderRateLimiter(sweepEvery: 1)
        let day = SenderRateLimit(messages: 2, window: 86_400)
        #expect(limiter.decide("slow city", at: Self.start, limit: day) == .answer)
        #expect(limiter.decide("slow city", at: Self.start.addingTimeInterval(1), limit: day) == .answer)
        // Another deployment's 5-minute limit sweeps an hour later: the day-long window still holds two arrivals.
        _ = limiter.decide("other", at: Self.start.addingTimeInterval(3600), limit: Self.limit)
        #expect(limiter.decide("slow city", at: Self.start.addingTimeInterval(3601), limit: day) == .silence(firstInWindow: true))
    }

    @Test func offAnswersEverything() {
        var limiter = SenderRateLimiter()
        #expect(Self.run(&limiter, "a", count: 1000, spacing: 0, limit: .off).allSatisfy { $0.isAnswered })
        #expect(limiter.trackedSenders == 0)
    }

    @Test func aClockGoingBackwardsCountsAsNoTimePassing() {
        var limiter = SenderRateLimiter()
        let limit = SenderRateLimit(messages: 2, window: 60)
        #expect(limiter.decide("a", at: Self.start, limit: limit) == .answer)
        #expect(limiter.decide("a", at: Self.start.addingTimeInterval(-3600), limit: limit) == .answer)
        #expect(limiter.decide("a", at: Self.start.addingTimeInterval(1), limit: limit) == .silence(firstInWindow: true))
    }
}
