import Foundation

/// Decides, per sender, whether a message is answered: a sliding-window log, pure and deterministic (the clock is an
/// argument), so the same sequence of calls always gives the same decisions.
///
/// Every arrival counts, answered or not. That is what makes it a loop guard: a bot that keeps answering keeps its
/// window full and stays unanswered, while a person who paused for one window is answered again. Each sender costs at
/// most `messages` timestamps; senders quiet for a whole window are forgotten on a periodic sweep, so memory is bounded
/// by the numbers active in the last window, and one number's flood never touches another number's entry.
public struct SenderRateLimiter: Sendable {
    /// What to do with one message.
    public enum Decision: Sendable, Equatable {
        /// Under the limit: run the conversation and reply.
        case answer
        /// Over the limit: store it, do not reply. `firstInWindow` is true for the first such message since the sender
        /// was last answered (log it loudly once, quietly after).
        case silence(firstInWindow: Bool)

        public var isAnswered: Bool { self == .answer }
    }

    /// Arrivals of one sender, oldest first, at most `limit.messages` of them.
    private struct Log: Sendable {
        var arrivals: [Date] = []
        var silenced = false
    }

    private var logs: [String: Log] = [:]
    private var decisionsSinceSweep = 0
    /// The longest window any call used: a sweep must not forget a sender another deployment still counts.
    private var longestWindow: TimeInterval = 0
    /// Decisions between two sweeps of forgotten senders.
    private let sweepEvery: Int

    public init(sweepEvery: Int = 1024) {
        self.sweepEvery = max(1, sweepEvery)
    }

    /// Numbers currently remembered (for tests and metrics).
    public var trackedSenders: Int { logs.count }

    /// Records `sender`'s message at `now` and says whether to answer it under `limit`.
    ///
    /// `sender` is whatever identifies a conversation (deployment and E.164 number); a clock that goes backwards is
    /// treated as no time having passed.
    public mutating func decide(_ sender: String, at now: Date, limit: SenderRateLimit) -> Decision {
        if limit.isOff { return .answer }
        longestWindow = max(longestWindow, limit.window)
        decisionsSinceSweep += 1
        if decisionsSinceSweep >= sweepEvery {
            sweep(now: now)
            decisionsSinceSweep = 0
        }
        guard limit.messages > 0 else { return .silence(firstInWindow: false) }
        var log = logs[sender] ?? Log()
        let windowStart = now.addingTimeInterval(-limit.window)
        log.arrivals.removeAll { $0 <= windowStart }
        let decision: Decision
        if log.arrivals.count >= limit.messages {
            decision = .silence(firstInWindow: !log.silenced)
            log.silenced = true
            // The newest `messages` arrivals are all a window needs: the oldest leaves the log.
            log.arrivals.removeFirst(log.arrivals.count - limit.messages + 1)
        } else {
            decision = .answer
            log.silenced = false
        }
        log.arrivals.append(max(now, log.arrivals.last ?? now))
        logs[sender] = log
        return decision
    }

    /// Forgets senders whose newest arrival left the window: they start afresh, exactly as if remembered.
    public mutating func sweep(now: Date) {
        let windowStart = now.addingTimeInterval(-longestWindow)
        logs = logs.filter { ($0.value.arrivals.last ?? .distantPast) > windowStart }
    }
}
