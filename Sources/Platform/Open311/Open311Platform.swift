import AsyncHTTPClient
import BridgeCore
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// How to reach a city's GeoReport v2 server that accepts `POST requests`.
public struct Open311Configuration: Sendable {
    /// The endpoint root, `https://city.example.org/open311/v2` (`requests.json` is appended).
    public var baseURL: String
    /// Sent with every call as `api_key`; never written into messages.
    public var apiKey: String
    public var jurisdictionID: String?
    /// The platform category (config) → the server's `service_code`, where they differ.
    public var serviceCodes: [String: String]
    /// Whether to send the resident's number as `phone` (GeoReport allows it; off unless the city needs it).
    public var sendPhone: Bool
    /// The server's cap on a list (GeoReport's default 1000): a list this long is full, so the next page is asked for.
    public var listLimit: Int
    public var requestTimeout: TimeAmount
    /// How far either side of the earlier attempt ``Open311Platform/findExisting(_:context:around:)`` looks.
    public var findExistingMargin: TimeInterval
    public var maximumResponseBytes: Int

    public init(
        baseURL: String, apiKey: String, jurisdictionID: String? = nil, serviceCodes: [String: String] = [:], sendPhone: Bool = false,
        listLimit: Int = 1000, requestTimeout: TimeAmount = .seconds(20), findExistingMargin: TimeInterval = 86_400,
        maximumResponseBytes: Int = 16 << 20
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.jurisdictionID = jurisdictionID
        self.serviceCodes = serviceCodes
        self.sendPhone = sendPhone
        self.listLimit = listLimit
        self.requestTimeout = requestTimeout
        self.findExistingMargin = findExistingMargin
        self.maximumResponseBytes = maximumResponseBytes
    }
}

/// A generic GeoReport v2 platform, for cities whose Open311 server accepts `POST requests.json`.
///
/// GeoReport v2 has no geocoder, no per-point body check and no nearby search: ``geocode(_:near:)`` and
/// ``nearby(category:at:)`` find nothing, and an unresolved landmark is sent as `address_string` for the city to place.
public final class Open311Platform: ReportPlatform {
    public let configuration: Open311Configuration
    private let http: HTTPExchange
    private let logger: Logger

    public init(configuration: Open311Configuration, httpClient: HTTPClient = .shared, logger: Logger = Logger(label: "smsbridge.platform.open311")) {
        self.configuration = configuration
        self.http = HTTPExchange(
            client: httpClient, baseURL: configuration.baseURL, timeout: configuration.requestTimeout,
            maximumBytes: configuration.maximumResponseBytes, platform: "Open311")
        self.logger = logger
    }

    private var common: [(String, String)] {
        var fields = [("api_key", configuration.apiKey)]
        if let jurisdiction = configuration.jurisdictionID { fields.append(("jurisdiction_id", jurisdiction)) }
        return fields
    }

    public func serviceCode(for category: String) -> String { configuration.serviceCodes[category] ?? category }

    public func submit(_ submission: ReportSubmission, context: SubmissionContext) async throws(PlatformError) -> PlatformReceipt {
        let landmark = ReportText.collapse(submission.landmark.text)
        let code = serviceCode(for: submission.platformCategory)
        var fields = common + [("service_code", code)]
        let source: LocationSource
        var location: Coordinate?
        if let latitude = submission.landmark.latitude, let longitude = submission.landmark.longitude {
            location = Coordinate(latitude: latitude, longitude: longitude)
            source = .landmark
        } else if !landmark.isEmpty {
            source = .address
        } else {
            location = context.fallbackPoint
            source = .fallback
        }
        if let location {
            fields += [("lat", formatCoordinate(location.latitude)), ("long", formatCoordinate(location.longitude))]
        } else {
            fields.append(("address_string", landmark))
        }
        fields.append(("description", Self.description(submission, context: context, approximate: source == .fallback)))
        if configuration.sendPhone { fields.append(("phone", submission.phone)) }
        let reply = try await http.send(
            .POST, "/requests.json", form: fields, headers: [("Accept-Language", submission.language.primary)])
        guard reply.isSuccess else { throw Self.failure(reply) }
        let json = try reply.requireJSON(http.platform)
        let first = json.array?.first ?? json
        let id = first["service_request_id"]?.text
        let token = first["token"]?.text
        guard id != nil || token != nil else {
            throw PlatformError(.unexpectedResponse, "Open311 answered /requests.json with neither an id nor a token: \(reply.excerpt)")
        }
        logger.info("filed report", metadata: ["id": "\(id ?? "-")", "token": "\(token ?? "-")", "to": "\(PhoneNumber.masked(submission.phone))"])
        return PlatformReceipt(id: id, category: code, location: location, locationSource: source, token: token)
    }

    /// The request's `description`: GeoReport has no title, so it starts with one.
    static func description(_ submission: ReportSubmission, context: SubmissionContext, approximate: Bool) -> String {
        let title = ReportText.title(categoryLabel: context.categoryLabel, landmark: submission.landmark.text)
        let detail = ReportText.detail(
            description: submission.description, landmark: submission.landmark.text, approximate: approximate, wording: context.wording)
        return title + "\n\n" + detail
    }

    /// 400/404 → rejected, 401/403 → the key, 5xx/429 → retry; the server's error list goes into the message.
    static func failure(_ reply: HTTPReply) -> PlatformError {
        let listed = reply.json?.array.flatMap(Open311Listing.errorDescription) ?? reply.excerpt
        switch reply.status {
        case 401, 403: return PlatformError(.notAuthorized, "Open311 refused the API key on \(reply.path): \(listed)")
        case 408, 429, 500...599: return PlatformError(.unavailable, "Open311 answered \(reply.path) with HTTP \(reply.status): \(listed)")
        default: return PlatformError(.rejected, "Open311 refused \(reply.path) (HTTP \(reply.status)): \(listed)")
        }
    }

    /// Turns a token into the request id, once the server has numbered it (`GET tokens/<token>.json`).
    public func requestID(forToken token: String) async throws(PlatformError) -> String? {
        let path = "/tokens/\(FormEncoding.escape(token)).json"
        let reply = try await http.send(.GET, path, query: common)
        if reply.status == 404 { return nil }
        guard reply.isSuccess else { throw Self.failure(reply) }
        let json = try reply.requireJSON(http.platform)
        return (json.array?.first ?? json)["service_request_id"]?.text
    }

    public func findExisting(_ submission: ReportSubmission, context: SubmissionContext, around: Date) async throws(PlatformError)
        -> PlatformReceipt?
    {
        let margin = configuration.findExistingMargin
        let code = serviceCode(for: submission.platformCategory)
        let rows = try await listed(
            since: around.addingTimeInterval(-margin), until: around.addingTimeInterval(margin), extra: [("service_code", code)])
        let title = ReportText.comparable(ReportText.title(categoryLabel: context.categoryLabel, landmark: submission.landmark.text))
        let text = ReportText.comparable(submission.description)
        let matches = rows.filter { row in
            let description = ReportText.comparable(row.description ?? row.detail ?? "")
            return description.hasPrefix(title) && description.contains(text)
        }
        let best = matches.min {
            abs(($0.requestedAt ?? .distantPast).timeIntervalSince(around)) < abs(($1.requestedAt ?? .distantPast).timeIntervalSince(around))
        }
        return best.map { PlatformReceipt(id: $0.id, category: $0.serviceCode, location: $0.coordinate) }
    }

    /// GeoReport v2 has no geocoder.
    public func geocode(_ text: String, near: Coordinate?) async throws(PlatformError) -> [GeocodeCandidate] { [] }

    /// `GET services.json?lat=&long=`: servers that filter by point list only that point's services; others list all.
    public func categories(at point: Coordinate) async throws(PlatformError) -> CategoryCheck {
        let reply = try await http.send(
            .GET, "/services.json", query: common + [("lat", formatCoordinate(point.latitude)), ("long", formatCoordinate(point.longitude))])
        guard reply.isSuccess else { throw Self.failure(reply) }
        let json = try reply.requireJSON(http.platform)
        let services = json.array ?? json["services"]?.array ?? []
        let codes = services.compactMap { $0["service_code"]?.text }
        let byCode = Dictionary(configuration.serviceCodes.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
        return CategoryCheck(
            isCovered: true, categories: codes.map { byCode[$0] ?? $0 }, acceptsAnyCategory: codes.isEmpty, mayActForAnotherUser: true)
    }

    /// GeoReport v2 has no nearby search.
    public func nearby(category: String, at point: Coordinate) async throws(PlatformError) -> [NearbyReport] { [] }

    public func changes(since: Date, until: Date) async throws(PlatformError) -> [StatusChange] {
        try await listed(since: since, until: until, extra: []).map(\.statusChange)
    }

    private func listed(since: Date, until: Date, extra: [(String, String)]) async throws(PlatformError) -> [ListedRequest] {
        let http = self.http
        let query = common + extra + [("start_date", PlatformDate.utc(since))]
        return try await Open311Listing.collect(
            limit: configuration.listLimit, firstEnd: PlatformDate.utc(until),
            nextEnd: { row in row.requestedAt.map { PlatformDate.utc($0.addingTimeInterval(1)) } },
            fetch: { (end: String) async throws(PlatformError) -> [ListedRequest] in
                let reply = try await http.send(.GET, "/requests.json", query: query + [("end_date", end)])
                guard reply.isSuccess else { throw Open311Platform.failure(reply) }
                return try Open311Listing.parse(reply, platform: http.platform, zone: .gmt)
            })
    }

    /// `GET requests/<id>.json`: the request's `status` (and `status_notes` as display name); nil when not listed.
    public func state(of id: String) async throws(PlatformError) -> ReportState? {
        guard !id.isEmpty else { return nil }
        let path = "/requests/\(FormEncoding.escape(id)).json"
        let reply = try await http.send(.GET, path, query: common)
        if reply.status == 404 { return nil }
        guard reply.isSuccess else { throw Self.failure(reply) }
        let json = try reply.requireJSON(http.platform)
        let items = json.array ?? json["service_requests"]?.array ?? []
        guard let item = items.first, let status = item["status"]?.text else { return nil }
        return ReportState(id: id, label: status, displayName: item["status_notes"]?.text, isFixed: false)
    }
}
