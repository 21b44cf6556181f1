import Foundation

/// A message for the resident, already encoded the way it will be sent.
public struct Reply: Sendable, Codable, Equatable {
    public var to: String
    public var text: String
    public var language: LanguageTag
    public var channel: Channel
    public var encoding: SMSEncoding
    /// SMS segments (USSD: 1).
    public var segments: Int
    /// GSM-7 septets or UCS-2 units.
    public var units: Int
    /// The step the next message answers, for tools and USSD screens.
    public var awaiting: StepID?
    /// USSD: close the session (`END`) instead of waiting for input (`CON`).
    public var endsSession: Bool

    public init(to: String, text: String, language: LanguageTag, channel: Channel, encoding: SMSEncoding, segments: Int,
                units: Int, awaiting: StepID?, endsSession: Bool) {
        self.to = to
        self.text = text
        self.language = language
        self.channel = channel
        self.encoding = encoding
        self.segments = segments
        self.units = units
        self.awaiting = awaiting
        self.endsSession = endsSession
    }
}

/// A finished report, everything the platform needs to file it on the resident's behalf.
public struct ReportSubmission: Sendable, Codable, Equatable {
    public var phone: String
    public var deployment: String
    public var language: LanguageTag
    public var categoryID: String
    /// The category's name in the deployment's FixMyStreet.
    public var platformCategory: String
    public var landmark: LandmarkAnswer
    public var description: String
    public var submittedAt: Date

    public init(phone: String, deployment: String, language: LanguageTag, categoryID: String, platformCategory: String,
                landmark: LandmarkAnswer, description: String, submittedAt: Date) {
        self.phone = phone
        self.deployment = deployment
        self.language = language
        self.categoryID = categoryID
        self.platformCategory = platformCategory
        self.landmark = landmark
        self.description = description
        self.submittedAt = submittedAt
    }
}

/// What the engine wants done outside itself; the shell carries these out (durably).
public enum Effect: Sendable, Codable, Equatable {
    /// File the report; the shell answers with `thanks` (or `reference_pending`) once it knows.
    case submitReport(ReportSubmission)
    /// Record the opt-out with its time: nothing more is sent until START.
    case optOut
    case optIn
    /// Answer STATUS: look the reference up (nil: the resident's latest) and send its status text.
    case statusQuery(reference: String?)
    /// The resident answered a ``FollowUpQuestion``: file the waiting report at `place`, or at the fallback point when nil.
    case placeChosen(ticket: String, place: PlaceOption?)
    /// The resident answered the duplicate hint: file the waiting report anyway, or withdraw it.
    case duplicateAnswered(ticket: String, addAnyway: Bool)
}

/// The outcome of one inbound message: the new session, what to send, what to do.
public struct StepResult: Sendable, Equatable {
    public var session: Session
    public var replies: [Reply]
    public var effects: [Effect]
}
