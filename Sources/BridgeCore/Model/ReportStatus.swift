import Foundation

/// A report's state as residents are told it; platforms' many state names collapse onto these.
public enum ReportStatus: String, Sendable, Codable, CaseIterable {
    case open
    case inProgress = "in_progress"
    case fixed
    case closed
    case unableToFix = "unable_to_fix"
    case notResponsible = "not_responsible"
    case duplicate

    /// Maps FixMyStreet and Open311 state names ("confirmed", "action scheduled", "fixed - council", ...).
    public init?(platformState: String) {
        let key = platformState.lowercased()
            .replacingOccurrences(of: "_", with: " ")
            .replacingOccurrences(of: "-", with: " ")
            .split(separator: " ").joined(separator: " ")
        switch key {
        case "open", "confirmed", "new", "reopened", "submitted": self = .open
        case "in progress", "investigating", "action scheduled", "planned", "acknowledged": self = .inProgress
        case "fixed", "fixed council", "fixed user", "resolved": self = .fixed
        case "closed": self = .closed
        case "unable to fix", "no further action", "wont fix": self = .unableToFix
        case "not responsible", "not councils responsibility", "internal referral": self = .notResponsible
        case "duplicate": self = .duplicate
        default: return nil
        }
    }

    public var textID: TextID {
        switch self {
        case .open: .statusOpen
        case .inProgress: .statusInProgress
        case .fixed: .statusFixed
        case .closed: .statusClosed
        case .unableToFix: .statusUnableToFix
        case .notResponsible: .statusNotResponsible
        case .duplicate: .statusDuplicate
        }
    }
}
