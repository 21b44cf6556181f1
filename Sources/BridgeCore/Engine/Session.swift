import Foundation

/// Where the resident said the problem is: a known landmark, or their own words when none matched.
public struct LandmarkAnswer: Sendable, Codable, Equatable {
    public var id: String?
    /// The resident's words.
    public var text: String
    public var latitude: Double?
    public var longitude: Double?

    public init(id: String?, text: String, latitude: Double?, longitude: Double?) {
        self.id = id
        self.text = text
        self.latitude = latitude
        self.longitude = longitude
    }

    public init(landmark: Landmark, text: String) {
        self.init(id: landmark.id, text: text, latitude: landmark.latitude, longitude: landmark.longitude)
    }

    public var isResolved: Bool { id != nil }
}

/// The report being collected.
public struct ReportDraft: Sendable, Codable, Equatable {
    public var categoryID: String?
    public var landmark: LandmarkAnswer?
    /// Places that matched the resident's words equally well; the landmark step asks which one.
    public var landmarkCandidates: [String] = []
    /// The words that produced `landmarkCandidates`, kept if the resident picks none of them.
    public var landmarkText: String?
    public var description: String?

    public init() {}
}

/// Everything the bridge remembers about one resident in one deployment between messages.
public struct Session: Sendable, Codable, Equatable {
    public var phone: String
    public var deployment: String
    /// Chosen or confidently guessed; kept across reports.
    public var language: LanguageTag?
    /// The language the menu is shown in before the resident chose one.
    public var provisionalLanguage: LanguageTag?
    /// The step whose answer the next message is; nil when no report is in progress.
    public var awaiting: StepID?
    public var draft = ReportDraft()
    public var invalidAnswers = 0
    /// USSD menu page being shown, from 0.
    public var menuPage = 0
    public var lastActivity: Date?
    public var optedOut = false
    /// References of this resident's reports, oldest first.
    public var references: [String] = []
    /// A question about a completed report waiting for the resident's answer (which of several places).
    public var followUp: FollowUpQuestion?

    public init(phone: String, deployment: String) {
        self.phone = phone
        self.deployment = deployment
    }

    public var isInConversation: Bool { awaiting != nil }

    /// Drops the report in progress; language, opt-out and references stay.
    public mutating func resetConversation() {
        awaiting = nil
        draft = ReportDraft()
        invalidAnswers = 0
        menuPage = 0
    }
}
