/// Every text a dialog must provide in each of its languages, with the placeholders the bridge fills in.
public enum TextID: String, Sendable, Codable, CaseIterable {
    case languageMenu = "language_menu"
    case categoryQuestion = "category_question"
    case landmarkQuestion = "landmark_question"
    case landmarkChoice = "landmark_choice"
    case landmarkNone = "landmark_none"
    case descriptionQuestion = "description_question"
    case confirmSummary = "confirm_summary"
    case invalidChoice = "invalid_choice"
    case invalidText = "invalid_text"
    case help
    case stop
    case start
    case sessionExpired = "session_expired"
    case cancelled
    case thanks
    case referencePending = "reference_pending"
    /// An open report of the same category is near the point: "already reported as #{ref}; reply 1 to add yours anyway".
    case duplicateHint = "duplicate_hint"
    /// The platform refused the report: the place is outside every municipality it serves.
    case outsideArea = "outside_area"
    /// The platform refused the report for a reason only an operator can fix; nothing was filed.
    case temporarilyUnavailable = "temporarily_unavailable"
    /// The platform rejected the report itself.
    case reportNotAccepted = "report_not_accepted"
    case statusUnknown = "status_unknown"
    case statusNone = "status_none"
    case statusOpen = "status_open"
    case statusInProgress = "status_in_progress"
    case statusFixed = "status_fixed"
    case statusClosed = "status_closed"
    case statusUnableToFix = "status_unable_to_fix"
    case statusNotResponsible = "status_not_responsible"
    case statusDuplicate = "status_duplicate"
    case ussdMore = "ussd_more"
    case ussdBack = "ussd_back"

    /// The placeholders this text may use; anything else is a typo the validator reports.
    public var placeholders: Set<String> {
        switch self {
        case .languageMenu, .categoryQuestion, .landmarkChoice: ["menu"]
        case .confirmSummary: ["category", "landmark", "description"]
        case .invalidChoice: ["max"]
        case .invalidText: ["min", "max"]
        case .thanks, .duplicateHint, .statusUnknown, .statusOpen, .statusInProgress, .statusFixed, .statusClosed,
            .statusUnableToFix, .statusNotResponsible, .statusDuplicate:
            ["ref"]
        default: []
        }
    }

    /// Texts sent on their own as an SMS; the USSD paging labels are only parts of a screen.
    public var isMessage: Bool { self != .ussdMore && self != .ussdBack && self != .landmarkNone }
}

/// Whole-message command words; `yes`/`no` answer the confirm step.
public enum KeywordID: String, Sendable, Codable, CaseIterable {
    case help, stop, start, restart, back, language, status, yes, no

    /// Commands that pre-empt any step; yes/no are only answers.
    public var isCommand: Bool { self != .yes && self != .no }
}
