/// Canonical delivery status (reference §1.2). Never regresses: `delivered` and `failed` are
/// terminal, which the store enforces.
public enum DeliveryStatus: String, Sendable, Codable, CaseIterable {
    case queued, sent, delivered, failed
}

/// One delivery report, mapped from the provider's vocabulary.
public struct DeliveryReport: Sendable, Equatable {
    /// Our message UUID when the callback carries it (URL, `client-ref`, `messageId` we set).
    public var ourID: String?
    /// The provider's id, for resolving when `ourID` is absent.
    public var providerMessageID: String?
    public var status: DeliveryStatus
    /// The part number when the provider gives one; for Vonage look `providerMessageID` up in
    /// the `partIDs` stored from the send.
    public var part: Int?
    /// The provider's error code or name, for logs and the operator.
    public var errorCode: String?
    /// The recipient unsubscribed or blacklisted us: stop messaging them.
    public var optOut: Bool
    /// A failure the provider marks transient (Kannel throttling, Infobip `permanent=false`,
    /// Twilio queue overflow): resending may succeed.
    public var retryable: Bool

    public init(
        ourID: String?, providerMessageID: String?, status: DeliveryStatus, part: Int? = nil,
        errorCode: String? = nil, optOut: Bool = false, retryable: Bool = false
    ) {
        self.ourID = ourID
        self.providerMessageID = providerMessageID
        self.status = status
        self.part = part
        self.errorCode = errorCode
        self.optOut = optOut
        self.retryable = retryable
    }
}
