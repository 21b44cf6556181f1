import Foundation

/// How many messages one number may have answered in a sliding window, as configured.
///
/// The default is RapidPro's loop guard: 20 messages in 5 minutes. A resident finishing a report sends five to eight;
/// another bot answering every reply of ours reaches 20 within minutes and is then no longer answered, which ends
/// the loop because such a bot only writes when we write.
public struct SenderRateLimit: Sendable, Equatable, CustomStringConvertible {
    /// Messages answered per window; the next one inside the window is stored but not answered.
    public var messages: Int
    /// The window's length in seconds.
    public var window: TimeInterval

    public init(messages: Int, window: TimeInterval) {
        self.messages = messages
        self.window = window
    }

    /// 20 messages per 5 minutes (RapidPro's loop detection).
    public static let standard = SenderRateLimit(messages: 20, window: 300)

    /// No limit (`sender_limit: off`): for load tests and gateways that already police their senders.
    public static let off = SenderRateLimit(messages: .max, window: 0)

    public var isOff: Bool { window <= 0 }

    public var description: String { isOff ? "off" : "\(messages) per \(Int(window)) s" }
}
