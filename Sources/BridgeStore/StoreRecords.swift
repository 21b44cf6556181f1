import BridgeCore
import Foundation

/// An inbound message as stored: the key for gateway-retry dedupe and the answer the gateway got.
public struct InboundRecord: Sendable, Equatable {
    public var id: Int64?
    public var gateway: String
    /// The provider's message id; id-less providers get a content fingerprint instead.
    public var providerID: String
    public var phone: String
    public var deployment: String
    public var text: String
    public var channel: Channel
    public var receivedAt: Date

    public init(id: Int64? = nil, gateway: String, providerID: String, phone: String, deployment: String, text: String,
                channel: Channel, receivedAt: Date) {
        self.id = id
        self.gateway = gateway
        self.providerID = providerID
        self.phone = phone
        self.deployment = deployment
        self.text = text
        self.channel = channel
        self.receivedAt = receivedAt
    }
}

/// The synchronous HTTP answer a webhook got; a retried webhook gets exactly this again.
public struct StoredAnswer: Sendable, Equatable, Codable {
    public var status: Int
    public var contentType: String
    public var body: String

    public init(status: Int, contentType: String, body: String) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

/// Where an outbound SMS is in its life; never goes backwards.
public enum OutboxStatus: String, Sendable, Codable, CaseIterable {
    case queued, sent, delivered, failed

    /// Delivered and failed are final: a late "sent" report must not resurrect a message.
    public var isFinal: Bool { self == .delivered || self == .failed }

    /// The order statuses move in; a report that would move a message backwards is ignored.
    public var rank: Int {
        switch self {
        case .queued: 0
        case .sent: 1
        case .delivered, .failed: 2
        }
    }
}

/// One SMS waiting to be sent, being retried, or done; the durable queue between the engine and the gateways.
public struct OutboxItem: Sendable, Equatable {
    /// Our id, carried in callback URLs and client references so delivery reports find the message.
    public var id: String
    /// Insertion order: a resident receives messages in the order they were queued.
    public var sequence: Int64?
    public var gateway: String
    public var deployment: String
    public var phone: String
    public var text: String
    public var status: OutboxStatus
    public var attempts: Int
    public var nextAttemptAt: Date
    public var providerMessageID: String?
    public var lastError: String?
    /// The STOP confirmation is the one message an opted-out number still receives.
    public var bypassesOptOut: Bool
    public var createdAt: Date
    public var updatedAt: Date
    /// The instance sending it right now (see ``CoordinationStoreTransaction/claimOutbox(id:owner:now:until:)``); nil when
    /// no one is. Writing the item back ends the claim.
    public var leaseOwner: String?

    /// Without `id`, a new ``OutboxID`` for `createdAt`.
    public init(id: String? = nil, sequence: Int64? = nil, gateway: String, deployment: String, phone: String,
                text: String, status: OutboxStatus = .queued, attempts: Int = 0, nextAttemptAt: Date, providerMessageID: String? = nil,
                lastError: String? = nil, bypassesOptOut: Bool = false, createdAt: Date, updatedAt: Date? = nil) {
        self.id = id ?? OutboxID.make(at: createdAt)
        self.sequence = sequence
        self.gateway = gateway
        self.deployment = deployment
        self.phone = phone
        self.text = text
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.providerMessageID = providerMessageID
        self.lastError = lastError
        self.bypassesOptOut = bypassesOptOut
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }
}

/// A report as the bridge knows it: what the resident said, its reference and its last known state.
public struct ReportRecord: Sendable, Equatable {
    public var reference: String
    public var submission: ReportSubmission
    public var status: ReportStatus
    /// The gateway the resident wrote through, for status messages.
    public var gateway: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(reference: String, submission: ReportSubmission, status: ReportStatus, gateway: String, createdAt: Date, updatedAt: Date) {
        self.reference = reference
        self.submission = submission
        self.status = status
        self.gateway = gateway
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
