import BridgeCore
import Foundation

/// Where residents' reports go: FixMyStreet, a city's Open311 server, or the local store used by `simulate` and the demo.
///
/// Every call has its own deadline and throws only ``PlatformError``; ``PlatformError/isRetryable`` says whether a
/// worker should try again later.
public protocol ReportPlatform: Sendable {
    /// Files the report on the resident's behalf.
    ///
    /// An unresolved landmark is geocoded first: one result is used; none or several (the engine already offered
    /// several as choices) file at the fallback point, flagged approximate.
    ///
    /// After a retryable failure the report may exist anyway (a timeout after the platform saved it): call
    /// ``findExisting(_:context:around:)`` before filing again.
    func submit(_ submission: ReportSubmission, context: SubmissionContext) async throws(PlatformError) -> PlatformReceipt

    /// The report an earlier `submit` created, if it exists: call before filing again after a crash between posting and
    /// recording the id. `around` is when that earlier attempt was made.
    func findExisting(_ submission: ReportSubmission, context: SubmissionContext, around: Date) async throws(PlatformError)
        -> PlatformReceipt?

    /// Places the platform's geocoder knows by these words, nearest to `near` first.
    func geocode(_ text: String, near: Coordinate?) async throws(PlatformError) -> [GeocodeCandidate]

    /// Which bodies and categories serve this point (for residents: staff-only categories are not included).
    func categories(at point: Coordinate) async throws(PlatformError) -> CategoryCheck

    /// Open reports of this category near the point, for "already reported as #id".
    func nearby(category: String, at point: Coordinate) async throws(PlatformError) -> [NearbyReport]

    /// The bridge's reports first filed between `since` and `until`, each with its current status and last change.
    /// A poller compares `updatedRaw` with what it stored and asks ``state(of:)`` for the ones that moved.
    func changes(since: Date, until: Date) async throws(PlatformError) -> [StatusChange]

    /// A report's current state; nil when the platform no longer shows it (hidden, private or unknown).
    func state(of id: String) async throws(PlatformError) -> ReportState?

    /// The id of a report the platform accepted with a token only (Open311 servers that number reports later); nil
    /// while it has not numbered it yet.
    func requestID(forToken token: String) async throws(PlatformError) -> String?
}

extension ReportPlatform {
    /// Platforms that always answer with an id never hand out tokens.
    public func requestID(forToken token: String) async throws(PlatformError) -> String? { nil }
}

/// What a platform needs beyond the submission itself, taken from the deployment.
public struct SubmissionContext: Sendable, Equatable {
    /// The category's label in the resident's language; the report title starts with it.
    public var categoryLabel: String
    /// The platform's name for the fallback category (`other`), filed under when the body at the point lacks the chosen one.
    public var fallbackCategory: String?
    /// Where a report goes when its place cannot be found: the municipality centre.
    public var fallbackPoint: Coordinate
    /// Words written into the report around the resident's own (labels, the approximate-location line).
    public var wording: ReportWording

    public init(categoryLabel: String, fallbackCategory: String?, fallbackPoint: Coordinate, wording: ReportWording) {
        self.categoryLabel = categoryLabel
        self.fallbackCategory = fallbackCategory
        self.fallbackPoint = fallbackPoint
        self.wording = wording
    }

    /// The usual context: the category label in the resident's language, the deployment's `other` category as fallback
    /// and its centre as fallback point.
    public init(deployment: Deployment, submission: ReportSubmission, fallbackCategoryID: String = "other") {
        let label = deployment.category(submission.categoryID)?.label(in: submission.language) ?? submission.platformCategory
        let fallback = deployment.category(fallbackCategoryID).map { _ in deployment.fixmystreetName(of: fallbackCategoryID) }
        self.init(
            categoryLabel: label, fallbackCategory: fallback, fallbackPoint: deployment.center,
            wording: ReportWording.standard(for: submission.language))
    }
}

/// How the point a report was filed at was chosen.
public enum LocationSource: String, Sendable, Codable, Equatable {
    /// A gazetteer landmark the resident named.
    case landmark
    /// The platform's geocoder found exactly one place for the resident's words.
    case geocoded
    /// Nothing was found: the deployment's fallback point, flagged approximate (`skipped=1`).
    case fallback
    /// Open311 only: the resident's words sent as `address_string` for the city to place.
    case address
}

/// The platform's answer to a filed report.
public struct PlatformReceipt: Sendable, Equatable, Codable {
    /// The platform's reference; nil when it accepted the report without numbering it yet (an Open311 token).
    public var id: String?
    /// The report's public page, when the platform has one.
    public var url: String?
    /// The category it was filed under.
    public var category: String?
    /// Whether the body at the point lacked the resident's category and the fallback was used.
    public var usedFallbackCategory: Bool
    /// Where it was filed; nil for `.address` placement.
    public var location: Coordinate?
    /// How that point was chosen; nil for a report found by ``ReportPlatform/findExisting(_:context:around:)``.
    public var locationSource: LocationSource?
    /// Open311 only: the token to ask for the id later.
    public var token: String?

    public init(id: String?, url: String? = nil, category: String? = nil, usedFallbackCategory: Bool = false,
                location: Coordinate? = nil, locationSource: LocationSource? = nil, token: String? = nil) {
        self.id = id
        self.url = url
        self.category = category
        self.usedFallbackCategory = usedFallbackCategory
        self.location = location
        self.locationSource = locationSource
        self.token = token
    }

    /// Whether the point is only the fallback (the resident should be told, and the report says so).
    public var isApproximate: Bool { locationSource == .fallback }
}

/// A place the geocoder offers for the resident's words.
public struct GeocodeCandidate: Sendable, Equatable, Codable {
    /// The geocoder's name for it (for a single match, the resident's words).
    public var name: String
    public var coordinate: Coordinate

    public init(name: String, coordinate: Coordinate) {
        self.name = name
        self.coordinate = coordinate
    }
}

/// Who serves a point and under which categories.
public struct CategoryCheck: Sendable, Equatable {
    /// False when the point is outside every body: explain to the resident (``ResidentMessageID/outsideArea``).
    public var isCovered: Bool
    /// The bodies (municipalities) covering the point.
    public var bodies: [String]
    /// The platform's category names offered there (the values to post, not translations).
    public var categories: [String]
    /// True when the platform does not list categories per point and takes any (Open311 without a list, local).
    public var acceptsAnyCategory: Bool
    /// Whether the signed-in staff account may file on a resident's behalf here (FixMyStreet `contribute_as.another_user`).
    public var mayActForAnotherUser: Bool
    /// The platform's own explanation when not covered, in the language it answered in; for logs.
    public var platformMessage: String?

    public init(isCovered: Bool, bodies: [String] = [], categories: [String] = [], acceptsAnyCategory: Bool = false,
                mayActForAnotherUser: Bool = false, platformMessage: String? = nil) {
        self.isCovered = isCovered
        self.bodies = bodies
        self.categories = categories
        self.acceptsAnyCategory = acceptsAnyCategory
        self.mayActForAnotherUser = mayActForAnotherUser
        self.platformMessage = platformMessage
    }

    public func offers(_ category: String) -> Bool { isCovered && (acceptsAnyCategory || categories.contains(category)) }

    /// The category to file under: `preferred` if offered, else `fallback` if offered, else nil.
    public func choose(_ preferred: String, fallback: String?) -> (name: String, isFallback: Bool)? {
        if offers(preferred) { return (preferred, false) }
        if let fallback, offers(fallback) { return (fallback, true) }
        return nil
    }
}

/// An open report near a point, for the duplicate hint.
public struct NearbyReport: Sendable, Equatable, Codable {
    public var id: String
    public var title: String
    public var coordinate: Coordinate?
    public var url: String?

    public init(id: String, title: String, coordinate: Coordinate?, url: String?) {
        self.id = id
        self.title = title
        self.coordinate = coordinate
        self.url = url
    }
}

/// One of the bridge's reports as the platform's list shows it.
public struct StatusChange: Sendable, Equatable, Codable {
    public var id: String
    /// The list's coarse status (`open`/`closed` on FixMyStreet; whatever the Open311 server says).
    public var platformStatus: String
    /// The coarse status mapped; ask ``ReportPlatform/state(of:)`` for the real one.
    public var status: ReportStatus?
    /// `updated_datetime` exactly as sent: store it and compare strings.
    public var updatedRaw: String
    public var updatedAt: Date
    public var requestedAt: Date?
    public var title: String?
    public var category: String?

    public init(id: String, platformStatus: String, status: ReportStatus?, updatedRaw: String, updatedAt: Date, requestedAt: Date?,
                title: String?, category: String?) {
        self.id = id
        self.platformStatus = platformStatus
        self.status = status
        self.updatedRaw = updatedRaw
        self.updatedAt = updatedAt
        self.requestedAt = requestedAt
        self.title = title
        self.category = category
    }
}

/// A report's real state on the platform.
public struct ReportState: Sendable, Equatable, Codable {
    public var id: String
    /// The platform's state name (`in progress`, `fixed - council`, a deployment's own `for triage`).
    public var label: String
    /// Its display name in the platform's language, if given (`state_t`).
    public var displayName: String?
    public var isFixed: Bool
    /// `label` mapped to what residents are told; nil for a label the bridge does not know (and not fixed).
    public var status: ReportStatus?

    public init(id: String, label: String, displayName: String?, isFixed: Bool) {
        self.id = id
        self.label = label
        self.displayName = displayName
        self.isFixed = isFixed
        self.status = ReportStatus(platformState: label) ?? (isFixed ? .fixed : nil)
    }
}
