import Foundation

/// How a message reached us: SMS replies are billed per segment, USSD answers are screens within one session.
public enum Channel: String, Sendable, Codable {
    case sms, ussd
}

/// What a resident sent, as every gateway adapter hands it to the engine.
public struct InboundMessage: Sendable, Codable, Equatable {
    /// The sender in E.164 (`+38344123456`).
    public var from: String
    /// The raw text, unchanged; matching works on a normalised copy.
    public var text: String
    public var receivedAt: Date
    public var channel: Channel

    public init(from: String, text: String, receivedAt: Date, channel: Channel = .sms) {
        self.from = from
        self.text = text
        self.receivedAt = receivedAt
        self.channel = channel
    }
}
