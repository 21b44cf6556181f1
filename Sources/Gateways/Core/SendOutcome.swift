import Foundation

/// How one send attempt ended (reference §1.3). Network errors and timeouts never reach the
/// adapter: the caller treats them as `.retry`.
public enum SendOutcome: Sendable, Equatable {
    /// Accepted. `providerMessageID` is the id delivery reports will carry; `partIDs` lists
    /// every part's id when the provider reports parts separately (Vonage), else empty.
    case ok(providerMessageID: String?, partIDs: [String] = [])
    /// Transient: back off and resend; `retryAfter` seconds when the provider said.
    case retry(reason: String, retryAfter: TimeInterval?)
    /// Permanent. `optOut` when the recipient unsubscribed or blacklisted us.
    case fail(reason: String, optOut: Bool)
}

/// The classification every provider shares: 429 and 5xx retry, other non-2xx fail.
enum HTTPOutcome {
    /// Nil for 2xx, which the provider's own body rules decide.
    static func classify(status: Int, headers: [GatewayField], detail: String) -> SendOutcome? {
        switch status {
        case 200..<300:
            return nil
        case 429:
            return .retry(reason: "throttled (HTTP 429)\(suffix(detail))", retryAfter: retryAfter(headers))
        case 500..<600:
            return .retry(reason: "provider error (HTTP \(status))\(suffix(detail))", retryAfter: retryAfter(headers))
        case 401, 403:
            return .fail(reason: "authentication refused (HTTP \(status)): check the gateway credentials\(suffix(detail))", optOut: false)
        default:
            return .fail(reason: "rejected (HTTP \(status))\(suffix(detail))", optOut: false)
        }
    }

    /// `Retry-After` in seconds; an HTTP-date would need a clock, so it is left to the caller.
    static func retryAfter(_ headers: [GatewayField]) -> TimeInterval? {
        guard let value = headers.header("Retry-After")?.trimmingCharacters(in: .whitespaces),
              let seconds = Int(value), seconds >= 0 else { return nil }
        return TimeInterval(seconds)
    }

    private static func suffix(_ detail: String) -> String {
        detail.isEmpty ? "" : ": " + detail
    }

    /// A short, single-line excerpt of a response body for reasons and logs.
    static func excerpt(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }
}
