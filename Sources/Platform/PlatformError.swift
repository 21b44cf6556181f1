import BridgeCore

/// What to text a resident when filing fails: the id of a dialog text, never prose (texts live in the dialog files).
public enum ResidentMessageID: String, Sendable, Codable, CaseIterable {
    /// The place is outside every municipality the platform serves.
    case outsideArea = "outside_area"
    /// Try again later: the platform is down, slow, or answered something we could not read.
    case temporarilyUnavailable = "temporarily_unavailable"
    /// The platform refused the report for a reason the resident cannot fix by retrying.
    case reportNotAccepted = "report_not_accepted"
    /// The report exists but has no reference yet.
    case referencePending = "reference_pending"

    /// The dialog text already defined for this message, if there is one.
    public var textID: TextID? { TextID(rawValue: rawValue) }
}

/// A failure talking to a reporting platform.
///
/// Follows AsyncHTTPClient's `HTTPClientError`: a struct wrapping a private code, so kinds can be added without breaking
/// callers. Compare with the static values (`error == .outsideArea`); equality looks at the kind only, not the messages.
public struct PlatformError: Error, Sendable, Equatable, CustomStringConvertible {
    enum Code: String, Sendable {
        case outsideArea
        case categoryNotOffered
        case invalidReport
        case sessionExpired
        case signInFailed
        case notPermitted
        case reportUnconfirmed
        case unavailable
        case unexpectedResponse
        case unexpectedStatus
        case rejected
        case notAuthorized
        case missingCredentials
    }

    let code: Code
    /// For logs and operators: what happened and what to check. Never holds secrets or whole phone numbers.
    public let operatorMessage: String
    /// The platform's per-field complaints (`title` → "Please enter a subject"), in the language it answered in.
    public let fieldErrors: [String: String]

    init(_ code: Code, _ operatorMessage: String? = nil, fieldErrors: [String: String] = [:]) {
        self.code = code
        self.operatorMessage = operatorMessage ?? Self.defaultMessage(code)
        self.fieldErrors = fieldErrors
    }

    /// What to tell the resident.
    public var residentMessage: ResidentMessageID {
        switch code {
        case .outsideArea: .outsideArea
        case .categoryNotOffered, .invalidReport, .rejected: .reportNotAccepted
        case .reportUnconfirmed: .referencePending
        case .sessionExpired, .signInFailed, .notPermitted, .unavailable, .unexpectedResponse, .unexpectedStatus, .notAuthorized,
            .missingCredentials:
            .temporarilyUnavailable
        }
    }

    /// Whether the same call may succeed later without anyone changing anything.
    public var isRetryable: Bool {
        switch code {
        case .unavailable, .unexpectedResponse, .sessionExpired: true
        default: false
        }
    }

    public var description: String { "PlatformError.\(code.rawValue): \(operatorMessage)" }

    public static func == (lhs: PlatformError, rhs: PlatformError) -> Bool { lhs.code == rhs.code }

    /// The point is outside every body (FixMyStreet: "Unable to determine location" / "not covered by a council").
    public static let outsideArea = PlatformError(.outsideArea)
    /// Neither the category nor the fallback category is offered at the point.
    public static let categoryNotOffered = PlatformError(.categoryNotOffered)
    /// The platform rejected fields of the report (title, detail, name, extra questions, photo).
    public static let invalidReport = PlatformError(.invalidReport)
    /// The staff session was gone and signing in again did not help.
    public static let sessionExpired = PlatformError(.sessionExpired)
    /// The staff credentials were refused.
    public static let signInFailed = PlatformError(.signInFailed)
    /// The staff account may not report on a resident's behalf at this point: filing would make the bridge the reporter.
    public static let notPermitted = PlatformError(.notPermitted)
    /// The platform created the report unconfirmed and gave no id: do not file again, an operator must look.
    public static let reportUnconfirmed = PlatformError(.reportUnconfirmed)
    /// The platform could not be reached, timed out, or failed (5xx, 429).
    public static let unavailable = PlatformError(.unavailable)
    /// The platform answered with something we cannot read (an HTML error page served with 200, say).
    public static let unexpectedResponse = PlatformError(.unexpectedResponse)
    /// The platform answered with a status the bridge does not expect (a 404 for an endpoint: wrong base URL or an
    /// install without it). An operator must look.
    public static let unexpectedStatus = PlatformError(.unexpectedStatus)
    /// An Open311 server refused the request (400/404 with an error list).
    public static let rejected = PlatformError(.rejected)
    /// An Open311 server refused the API key (401/403).
    public static let notAuthorized = PlatformError(.notAuthorized)
    /// An environment variable holding a credential is missing or empty.
    public static let missingCredentials = PlatformError(.missingCredentials)

    private static func defaultMessage(_ code: Code) -> String {
        switch code {
        case .outsideArea: "the point is outside every body the platform serves"
        case .categoryNotOffered: "the category is not offered at this point"
        case .invalidReport: "the platform rejected the report's fields"
        case .sessionExpired: "the staff session is gone"
        case .signInFailed: "the staff sign-in was refused"
        case .notPermitted: "the staff account may not report on another user's behalf here"
        case .reportUnconfirmed: "the report was created unconfirmed, without an id"
        case .unavailable: "the platform is unavailable"
        case .unexpectedResponse: "the platform's answer could not be read"
        case .unexpectedStatus: "the platform answered with an unexpected HTTP status"
        case .rejected: "the platform rejected the request"
        case .notAuthorized: "the platform refused the API key"
        case .missingCredentials: "a credential is missing from the environment"
        }
    }
}
