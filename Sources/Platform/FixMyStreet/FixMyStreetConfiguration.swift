import Foundation
import NIOCore

/// The staff account the bridge signs in with. Resolved from environment variables named in the configuration and
/// passed in as values; `description` never shows the password.
public struct FixMyStreetCredentials: Sendable, Equatable, CustomStringConvertible {
    public var email: String
    public var password: String

    public init(email: String, password: String) {
        self.email = email
        self.password = password
    }

    /// Reads the credentials from the variables the configuration names (`FMS_KOSOVO_EMAIL`, ...).
    public static func fromEnvironment(
        emailVariable: String, passwordVariable: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(PlatformError) -> FixMyStreetCredentials {
        var missing: [String] = []
        let email = environment[emailVariable]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let password = environment[passwordVariable] ?? ""
        if email.isEmpty { missing.append(emailVariable) }
        if password.isEmpty { missing.append(passwordVariable) }
        guard missing.isEmpty else {
            throw PlatformError(.missingCredentials, "environment variable(s) \(missing.joined(separator: ", ")) missing or empty")
        }
        return FixMyStreetCredentials(email: email, password: password)
    }

    public var description: String { "FixMyStreetCredentials(email: \(email), password: <redacted>)" }
}

/// How to reach one FixMyStreet and file reports there.
public struct FixMyStreetConfiguration: Sendable {
    /// The site, `https://ndreqe.com` (no trailing path).
    public var baseURL: String
    public var credentials: FixMyStreetCredentials
    /// Stored as the report's `service` ("Reported via SMS") and used to find the bridge's reports (`interface_used`).
    public var serviceTag: String
    /// Any non-empty value: FixMyStreet only checks that one is present.
    public var jurisdictionID: String
    /// The name FixMyStreet gives the resident's account; reports are filed anonymously (`may_show_name=0`).
    public var reporterName: String
    /// FixMyStreet's `TIME_ZONE`: its Open311 date filters read the wall clock and ignore offsets.
    public var serverTimeZone: TimeZone
    /// Deadline of every call.
    public var requestTimeout: TimeAmount
    /// FixMyStreet's `OPEN311_LIMIT`: a list this long is full, so the next page is asked for.
    public var listLimit: Int
    /// Radius of the duplicate hint, in metres (FixMyStreet caps it at 1000).
    public var nearbyDistance: Int
    /// How far either side of the earlier attempt ``FixMyStreetPlatform/findExisting(_:context:around:)`` looks.
    public var findExistingMargin: TimeInterval
    /// Largest body read from any answer.
    public var maximumResponseBytes: Int
    /// Set for pseudonymous deployments: the staff account files the report itself, named with the resident's
    /// pseudonym, and FixMyStreet never receives the number (see ``FixMyStreetPlatform``).
    public var pseudonyms: (any ResidentPseudonyms)?

    public init(
        baseURL: String, credentials: FixMyStreetCredentials, serviceTag: String = "SMS", jurisdictionID: String = "smsbridge",
        reporterName: String = "SMS reporter", serverTimeZone: TimeZone = .gmt, requestTimeout: TimeAmount = .seconds(20),
        listLimit: Int = 1000, nearbyDistance: Int = 250, findExistingMargin: TimeInterval = 86_400,
        maximumResponseBytes: Int = 16 << 20, pseudonyms: (any ResidentPseudonyms)? = nil
    ) {
        self.baseURL = baseURL
        self.credentials = credentials
        self.serviceTag = serviceTag
        self.jurisdictionID = jurisdictionID
        self.reporterName = reporterName
        self.serverTimeZone = serverTimeZone
        self.requestTimeout = requestTimeout
        self.listLimit = listLimit
        self.nearbyDistance = nearbyDistance
        self.findExistingMargin = findExistingMargin
        self.maximumResponseBytes = maximumResponseBytes
        self.pseudonyms = pseudonyms
    }
}
