import Foundation

/// Buffers the parts of a concatenated SMS that the provider delivers one by one (Vonage) and
/// releases the whole message when the last part arrives, or what arrived after `timeout`.
///
/// A plain `Codable` value: the server persists it between requests (parts of one message may
/// hit different requests, or a restart), and tests drive it without a clock.
public struct ConcatAssembler: Sendable, Codable, Equatable {
    /// Parts of one message share the sender and the carrier's reference.
    public struct Key: Sendable, Codable, Hashable {
        public var from: String
        public var reference: String
    }

    struct Pending: Sendable, Codable, Equatable {
        var total: Int
        var firstSeen: Date
        var parts: [Int: GatewayInbound]
    }

    /// Seconds to wait for missing parts before releasing what arrived (reference: ~60 s).
    public var timeout: TimeInterval
    private(set) var pending: [Key: Pending] = [:]
    /// Recently completed messages, so a part the provider re-sends after completion is
    /// dropped instead of starting a new, never-complete message.
    private(set) var completed: [Key: Date] = [:]

    /// The UDH reference has 8 or 16 bits and messages have at most 255 parts.
    static let maxParts = 255

    public init(timeout: TimeInterval = 60) {
        self.timeout = timeout
    }

    /// Messages still waiting for parts.
    public var pendingCount: Int { pending.count }

    /// Adds one inbound message. Returns it unchanged when it is not a part, the assembled
    /// message when this was the last missing part, else nil. Duplicate parts are ignored.
    public mutating func add(_ message: GatewayInbound) -> GatewayInbound? {
        guard let concat = message.concat else { return message }
        guard concat.total > 1 else {
            var single = message
            single.concat = nil
            return single
        }
        guard concat.total <= Self.maxParts, (1...concat.total).contains(concat.part) else { return nil }
        let key = Key(from: message.from, reference: concat.reference)
        if let done = completed[key], message.receivedAt.timeIntervalSince(done) < timeout { return nil }
        var entry = pending[key] ?? Pending(total: concat.total, firstSeen: message.receivedAt, parts: [:])
        guard entry.total == concat.total else { return nil }
        if entry.parts[concat.part] == nil { entry.parts[concat.part] = message }
        guard entry.parts.count == entry.total else {
            pending[key] = entry
            return nil
        }
        pending[key] = nil
        completed[key] = message.receivedAt
        return Self.join(entry)
    }

    /// Releases messages whose first part is older than `timeout`, with whatever parts came,
    /// and forgets old completions. Call it periodically with the bridge clock.
    public mutating func expire(now: Date) -> [GatewayInbound] {
        var released: [GatewayInbound] = []
        for (key, entry) in pending where now.timeIntervalSince(entry.firstSeen) >= timeout {
            pending[key] = nil
            completed[key] = now
            released.append(Self.join(entry))
        }
        completed = completed.filter { now.timeIntervalSince($0.value) < timeout }
        return released.sorted { $0.receivedAt < $1.receivedAt }
    }

    /// Parts in order; the id of the first part present identifies the whole message.
    private static func join(_ entry: Pending) -> GatewayInbound {
        let ordered = entry.parts.keys.sorted().compactMap { entry.parts[$0] }
        var message = ordered[0]
        message.text = ordered.map(\.text).joined()
        message.receivedAt = ordered.map(\.receivedAt).min() ?? message.receivedAt
        message.concat = nil
        return message
    }
}
