/// Why a gateway request was refused or an outbound message could not be built.
///
/// A public struct around a private code (AsyncHTTPClient's `HTTPClientError` pattern), so new
/// kinds can be added without breaking callers that switch over them. Every error carries the
/// HTTP status the server should answer with and a message an operator can act on.
public struct GatewayError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case forbidden(String)
        case malformed(field: String, reason: String)
        case unsupported(String)
        case payloadTooLarge(bytes: Int)
        case invalidUTF8(field: String)
        case textTooLong(characters: Int)
        case consoleMode
        case misconfigured(String)
    }

    /// The family of an error, for callers and tests that branch on it without matching text.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }
        /// Signature, token or credentials missing or wrong (403).
        public static let forbidden = Kind("forbidden")
        /// A required field is missing or unreadable (400).
        public static let malformed = Kind("malformed")
        /// A method or request shape this gateway never sends (405).
        public static let unsupported = Kind("unsupported")
        /// Body over `GatewayLimits.maxBodyBytes` (413).
        public static let payloadTooLarge = Kind("payloadTooLarge")
        /// Bytes that are not valid UTF-8 / UTF-16 where text was expected (400).
        public static let invalidUTF8 = Kind("invalidUTF8")
        /// Text over `GatewayLimits.maxTextCharacters` (413).
        public static let textTooLong = Kind("textTooLong")
        /// The generic gateway has no send URL: the caller logs and stores instead of sending.
        public static let consoleMode = Kind("consoleMode")
        /// A secret or URL the operator must configure is missing (500, so the gateway retries
        /// once it is fixed).
        public static let misconfigured = Kind("misconfigured")
    }

    private let code: Code

    private init(_ code: Code) { self.code = code }

    /// Signature, token or credentials failed; the reason is for logs, never for the caller.
    public static func forbidden(_ reason: String) -> GatewayError { GatewayError(.forbidden(reason)) }
    /// A required field is missing or unreadable; names the field so the operator can compare
    /// with the gateway's configuration.
    public static func malformed(field: String, reason: String = "missing or empty") -> GatewayError {
        GatewayError(.malformed(field: field, reason: reason))
    }
    /// The request shape (method, content type) is not one this gateway sends.
    public static func unsupported(_ reason: String) -> GatewayError { GatewayError(.unsupported(reason)) }
    /// The body exceeded the limit before any parsing happened.
    public static func payloadTooLarge(bytes: Int) -> GatewayError { GatewayError(.payloadTooLarge(bytes: bytes)) }
    /// The named field is not valid UTF-8 (or UTF-16 for Kannel UCS-2).
    public static func invalidUTF8(field: String) -> GatewayError { GatewayError(.invalidUTF8(field: field)) }
    /// A message text is longer than any SMS gateway concatenates.
    public static func textTooLong(characters: Int) -> GatewayError { GatewayError(.textTooLong(characters: characters)) }
    /// No send URL on a generic gateway: log and store the message instead of sending it.
    public static let consoleMode = GatewayError(.consoleMode)
    /// A secret or URL the adapter needs is not configured.
    public static func misconfigured(_ what: String) -> GatewayError { GatewayError(.misconfigured(what)) }

    /// The family of this error.
    public var kind: Kind {
        switch code {
        case .forbidden: .forbidden
        case .malformed: .malformed
        case .unsupported: .unsupported
        case .payloadTooLarge: .payloadTooLarge
        case .invalidUTF8: .invalidUTF8
        case .textTooLong: .textTooLong
        case .consoleMode: .consoleMode
        case .misconfigured: .misconfigured
        }
    }

    /// The field the error is about, when there is one.
    public var field: String? {
        switch code {
        case .malformed(let field, _), .invalidUTF8(let field): field
        default: nil
        }
    }

    /// The status the webhook endpoint should answer with.
    public var httpStatus: Int {
        switch code {
        case .forbidden: 403
        case .malformed: 400
        case .unsupported: 405
        case .payloadTooLarge: 413
        case .invalidUTF8: 400
        case .textTooLong: 413
        case .consoleMode: 503
        case .misconfigured: 500
        }
    }

    /// One line an operator can act on. Secrets and message texts are never included.
    public var description: String {
        switch code {
        case .forbidden(let reason):
            "forbidden: \(reason)"
        case .malformed(let field, let reason):
            "field '\(field)' \(reason)"
        case .unsupported(let reason):
            "unsupported request: \(reason)"
        case .payloadTooLarge(let bytes):
            "request body of \(bytes) bytes is over the \(GatewayLimits.maxBodyBytes)-byte limit"
        case .invalidUTF8(let field):
            "field '\(field)' is not valid text in the declared encoding"
        case .textTooLong(let characters):
            "text of \(characters) characters is over the \(GatewayLimits.maxTextCharacters)-character limit"
        case .consoleMode:
            "no send URL configured: message logged and stored, not sent"
        case .misconfigured(let what):
            "gateway configuration incomplete: \(what)"
        }
    }
}

/// Limits applied to every request and message, whatever the provider.
public enum GatewayLimits {
    /// Bodies (and raw query strings) over 64 kB are refused before parsing: no provider sends
    /// more for one SMS batch, and parsing costs grow with the input.
    public static let maxBodyBytes = 64 * 1024
    /// Twilio's and Vonage's concatenation limit; longer texts are refused in and out.
    public static let maxTextCharacters = 1600
}
