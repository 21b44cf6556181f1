import Foundation

/// What one retention purge removed, per kind of row.
public struct PurgeCounts: Sendable, Equatable, CustomStringConvertible {
    /// Inbound messages whose text (and stored webhook answer) was blanked.
    public var inboundTexts = 0
    /// Sent, delivered or failed replies whose text was blanked.
    public var outboxTexts = 0
    /// Conversations deleted (the resident starts afresh, in the language menu, if they write again).
    public var sessions = 0
    /// USSD session texts and unassembled SMS parts deleted.
    public var gatewayBuffers = 0

    public init(inboundTexts: Int = 0, outboxTexts: Int = 0, sessions: Int = 0, gatewayBuffers: Int = 0) {
        self.inboundTexts = inboundTexts
        self.outboxTexts = outboxTexts
        self.sessions = sessions
        self.gatewayBuffers = gatewayBuffers
    }

    public var total: Int { inboundTexts + outboxTexts + sessions + gatewayBuffers }

    public var description: String {
        "inbound texts \(inboundTexts), reply texts \(outboxTexts), sessions \(sessions), gateway buffers \(gatewayBuffers)"
    }
}

/// The retention purge (`smsbridge purge`, and `serve` daily when `server.retention_days` is set).
public protocol RetentionStoreTransaction {
    /// Blanks the texts of messages older than `cutoff` and deletes conversations idle since before it.
    ///
    /// Kept: every row itself (dedupe keys, who wrote when, delivery statuses), reports with their references, status and
    /// platform tracking (residents still get status updates and `STATUS ref` still answers), and opt-outs (a resident who
    /// sent STOP must stay unsubscribed). Replies still queued are never touched: they have not been sent yet.
    func purge(before cutoff: Date) throws -> PurgeCounts
}
