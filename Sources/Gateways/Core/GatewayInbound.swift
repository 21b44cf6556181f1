import Foundation

/// Whether an inbound turn came as an SMS or as a USSD screen answer.
public enum GatewayChannel: String, Sendable, Codable {
    case sms, ussd
}

/// One part of a concatenated SMS that the provider delivered separately (Vonage), so the
/// server can buffer it with a `ConcatAssembler`.
public struct ConcatPart: Sendable, Equatable, Hashable, Codable {
    /// The carrier's reference shared by all parts of one message (unique per sender only).
    public var reference: String
    public var total: Int
    /// 1-based.
    public var part: Int

    public init(reference: String, total: Int, part: Int) {
        self.reference = reference
        self.total = total
        self.part = part
    }
}

/// One inbound message or USSD turn, normalised (reference §1.1).
public struct GatewayInbound: Sendable, Equatable, Codable {
    /// The gateway's id, stable across its retries: the dedupe key with the gateway id. For
    /// Africa's Talking USSD it is `sessionId:text`, as one session sends many turns.
    public var providerMessageID: String?
    /// The resident's number in E.164 with `+`.
    public var from: String
    /// Our short code, number or USSD service code, exactly as the gateway gave it.
    public var to: String
    /// NFC-normalised text. For USSD this is the provider's cumulative text (`1*2*Rruga`);
    /// use `USSDTextDiff` with the session's previous text to get the newest answer.
    public var text: String
    /// The gateway's timestamp when it sends one, otherwise the request's arrival time.
    public var receivedAt: Date
    public var channel: GatewayChannel
    public var ussdSessionID: String?
    public var ussdServiceCode: String?
    /// Set on a part of a multipart SMS the provider did not reassemble.
    public var concat: ConcatPart?
    /// MCC+MNC when the provider says (Africa's Talking, Kannel meta-data is not parsed).
    public var networkCode: String?

    public init(
        providerMessageID: String?,
        from: String,
        to: String,
        text: String,
        receivedAt: Date,
        channel: GatewayChannel = .sms,
        ussdSessionID: String? = nil,
        ussdServiceCode: String? = nil,
        concat: ConcatPart? = nil,
        networkCode: String? = nil
    ) {
        self.providerMessageID = providerMessageID
        self.from = from
        self.to = to
        self.text = text
        self.receivedAt = receivedAt
        self.channel = channel
        self.ussdSessionID = ussdSessionID
        self.ussdServiceCode = ussdServiceCode
        self.concat = concat
        self.networkCode = networkCode
    }
}

/// Africa's Talking's end-of-session notification: closes server-side USSD state and lets an
/// abandoned report become a "continue by SMS" follow-up (reference §3.f).
public struct USSDSessionEnd: Sendable, Equatable {
    public var sessionID: String
    /// E.164 when it could be read, else the raw value.
    public var phoneNumber: String
    public var serviceCode: String?
    /// `Success`, `Incomplete`, `Failed`, … as sent.
    public var status: String?
    /// The final cumulative text.
    public var input: String?
    public var lastAppResponse: String?
    public var errorMessage: String?
    public var durationMillis: Int?

    public init(
        sessionID: String, phoneNumber: String, serviceCode: String? = nil, status: String? = nil,
        input: String? = nil, lastAppResponse: String? = nil, errorMessage: String? = nil, durationMillis: Int? = nil
    ) {
        self.sessionID = sessionID
        self.phoneNumber = phoneNumber
        self.serviceCode = serviceCode
        self.status = status
        self.input = input
        self.lastAppResponse = lastAppResponse
        self.errorMessage = errorMessage
        self.durationMillis = durationMillis
    }
}
