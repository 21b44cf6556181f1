import Foundation

/// Where a deployment's reports go, as configured: plain data, credentials as environment-variable names only.
///
/// No `platform:` section means ``PlatformType/local``: the bridge's own store numbers reports from 1001.
public struct PlatformDefinition: Sendable, Equatable {
    public enum PlatformType: String, Sendable, CaseIterable {
        /// The bridge's own store numbers the reports (the demo, and deployments without a platform yet).
        case local
        /// A FixMyStreet site, through the mobile app's endpoints and a staff account.
        case fixmystreet
        /// A city's Open311 GeoReport v2 server that accepts POST.
        case open311
    }

    public var type: PlatformType
    /// FixMyStreet: the site (`https://ndreqe.com`); Open311: the endpoint root (`…/open311/v2`).
    public var baseURL: String?
    /// Credential name (`email`, `password`, `api_key`) → the environment variable that holds it.
    public var secretVariables: [String: String]
    /// FixMyStreet's `service` / `interface_used` tag the bridge files with and finds its reports by.
    public var serviceTag: String
    public var jurisdictionID: String?
    /// The deployment's category id filed under when the body at the point lacks the resident's one.
    public var fallbackCategoryID: String
    /// After this many seconds without the platform's answer, the resident is told the reference follows.
    public var pendingNoticeAfter: Double
    /// Seconds between two status polls.
    public var pollInterval: Double
    /// Closed reports are looked at every this many polls only (they can be reopened).
    public var closedPollEvery: Int
    /// FixMyStreet is given a keyed hash of the resident's number (secret `pseudonym_key`) instead of the number; the store
    /// keeps the number, so status updates still reach the resident.
    public var pseudonymous = false
    /// Whether the resident is asked by SMS which place they meant when the geocoder knows several for their words.
    public var askPlace: Bool
    /// A STATUS question about a report not checked on the platform for this long is answered after asking it again.
    public var statusStaleAfter: Double
    /// A report the platform has not taken after this long is given up: the resident is told, the operator sees it in the log.
    public var giveUpAfter: Double
    /// FixMyStreet's `TIME_ZONE`: its Open311 list compares dates as wall-clock times in that zone, ignoring any offset,
    /// so the poller must write them the same way or miss reports.
    public var timeZone: TimeZone = .gmt
    /// Whether an open report of the same category near the point is pointed out before filing ("reply 1 to add yours").
    public var duplicateHint = false
    public var file: String
    public var line: Int

    public init(type: PlatformType, baseURL: String? = nil, secretVariables: [String: String] = [:], serviceTag: String = "SMS",
                jurisdictionID: String? = nil, fallbackCategoryID: String = "other", pendingNoticeAfter: Double = 5,
                pollInterval: Double = 600, closedPollEvery: Int = 12, askPlace: Bool = true, statusStaleAfter: Double = 600,
                giveUpAfter: Double = 3 * 86_400, file: String = "", line: Int = 1) {
        self.type = type
        self.baseURL = baseURL
        self.secretVariables = secretVariables
        self.serviceTag = serviceTag
        self.jurisdictionID = jurisdictionID
        self.fallbackCategoryID = fallbackCategoryID
        self.pendingNoticeAfter = pendingNoticeAfter
        self.pollInterval = pollInterval
        self.closedPollEvery = closedPollEvery
        self.askPlace = askPlace
        self.statusStaleAfter = statusStaleAfter
        self.giveUpAfter = giveUpAfter
        self.file = file
        self.line = line
    }

    /// Credentials each type cannot work without.
    public var requiredSecrets: [String] {
        switch type {
        case .local: []
        case .fixmystreet: ["email", "password"] + (pseudonymous ? ["pseudonym_key"] : [])
        case .open311: ["api_key"]
        }
    }
}
