import BridgeCore
import Foundation

/// Where a report on its way to the platform is.
public enum SubmissionState: String, Sendable, Codable, CaseIterable {
    /// Stored by the inbound transaction; nothing sent yet.
    case pending
    /// An attempt was made whose outcome is unknown (timeout, crash, retryable error): look for the report before posting again.
    case posting
    /// The resident was asked which of several places they meant; due again when the answer comes or the question expires.
    case awaitingResident = "awaiting_resident"
    /// The platform gave its id; the report is in `report` under that reference.
    case submitted
    /// The platform refused it for good; the resident was told.
    case failed
    /// The resident chose not to add it to the open report nearby (or did not answer the duplicate hint).
    case withdrawn
}

/// A report the engine completed, waiting for (or done with) the platform: the durable queue of the report forwarder.
public struct PendingSubmission: Sendable, Equatable {
    public var id: Int64?
    public var submission: ReportSubmission
    /// The gateway the resident wrote through: the acknowledgement goes back through it.
    public var gateway: String
    public var state: SubmissionState
    public var attempts: Int
    public var nextAttemptAt: Date
    /// When the last attempt to post started: where `findExisting` looks.
    public var postedAt: Date?
    /// Whether "received, reference follows" was queued.
    public var pendingNoticeSent: Bool
    public var platformID: String?
    public var lastError: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// Whether the resident was already asked to pick a place (asked once; afterwards the fallback point is used).
    public var placeAsked: Bool
    /// Open311: the token a server answered with before it numbered the report; exchanged for the id later.
    public var platformToken: String?
    /// Whether the resident was told of an open report of the same category nearby (asked once).
    public var duplicateAsked = false
    /// The instance working on it right now (see ``CoordinationStoreTransaction/claimSubmission(id:owner:now:until:)``);
    /// the forwarder clears it when it records the attempt's outcome.
    public var leaseOwner: String?

    public init(id: Int64? = nil, submission: ReportSubmission, gateway: String, state: SubmissionState = .pending, attempts: Int = 0,
                nextAttemptAt: Date, postedAt: Date? = nil, pendingNoticeSent: Bool = false, platformID: String? = nil,
                lastError: String? = nil, createdAt: Date, updatedAt: Date? = nil, placeAsked: Bool = false, platformToken: String? = nil) {
        self.id = id
        self.submission = submission
        self.gateway = gateway
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.postedAt = postedAt
        self.pendingNoticeSent = pendingNoticeSent
        self.platformID = platformID
        self.lastError = lastError
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.placeAsked = placeAsked
        self.platformToken = platformToken
    }
}

/// A report filed on a remote platform, with what the status poller last saw of it.
public struct TrackedReport: Sendable, Equatable {
    public var record: ReportRecord
    /// The platform's `updated_datetime` exactly as last seen.
    public var platformUpdated: String?
    /// The platform's state name last seen (`in progress`).
    public var platformState: String?
    /// When the platform was last asked about this report; nil if never since it was filed.
    public var checkedAt: Date?

    public init(record: ReportRecord, platformUpdated: String?, platformState: String?, checkedAt: Date? = nil) {
        self.record = record
        self.platformUpdated = platformUpdated
        self.platformState = platformState
        self.checkedAt = checkedAt
    }
}

/// A resident's STATUS question about a report whose stored status may be stale: the status refresher asks the platform,
/// then answers (or, when the resident already had the stored status on USSD, texts only a change).
public struct StatusRequest: Sendable, Equatable {
    public var id: Int64?
    public var deployment: String
    public var reference: String
    public var phone: String
    public var gateway: String
    public var language: LanguageTag
    /// True when the resident is still waiting for the answer (SMS); false when they had the stored one (USSD).
    public var answers: Bool
    public var createdAt: Date

    public init(id: Int64? = nil, deployment: String, reference: String, phone: String, gateway: String, language: LanguageTag,
                answers: Bool, createdAt: Date) {
        self.id = id
        self.deployment = deployment
        self.reference = reference
        self.phone = phone
        self.gateway = gateway
        self.language = language
        self.answers = answers
        self.createdAt = createdAt
    }
}

/// What the report forwarder and the status poller do in a transaction.
public protocol SubmissionStoreTransaction {
    /// Stores a completed report for the forwarder; returns its id.
    func insertSubmission(_ submission: PendingSubmission) throws -> Int64
    func submission(id: Int64) throws -> PendingSubmission?
    /// Pending and posting submissions due at `now`, oldest first.
    func dueSubmissions(now: Date, limit: Int) throws -> [PendingSubmission]
    /// When the next pending or posting submission becomes due.
    func nextSubmissionDue() throws -> Date?
    func updateSubmission(_ submission: PendingSubmission) throws
    /// Every submission, oldest first.
    func submissions() throws -> [PendingSubmission]

    /// The next free reference of the local platform (numbers from 1001), counting local reports only.
    func nextLocalReference() throws -> String
    /// Stores a report the platform `platform` (`fixmystreet`, `open311`) numbered.
    func insertReport(_ report: ReportRecord, platform: String) throws
    func report(deployment: String, reference: String) throws -> ReportRecord?
    /// The deployment's reports filed on a remote platform, oldest first.
    func trackedReports(deployment: String) throws -> [TrackedReport]
    /// One tracked report, with when the platform was last asked about it.
    func tracking(deployment: String, reference: String) throws -> TrackedReport?
    /// Records what the poller saw: the platform's update time and state, and the status residents were told.
    func updateTracking(deployment: String, reference: String, status: ReportStatus, platformUpdated: String?, platformState: String?,
                        at: Date) throws

    func insertStatusRequest(_ request: StatusRequest) throws
    /// Waiting STATUS questions, oldest first.
    func statusRequests(limit: Int) throws -> [StatusRequest]
    /// Deletes an answered question; false when it was already gone (another instance answered it).
    @discardableResult
    func deleteStatusRequest(id: Int64) throws -> Bool
}
