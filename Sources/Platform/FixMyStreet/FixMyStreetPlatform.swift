import AsyncHTTPClient
import BridgeCore
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// FixMyStreet through the JSON endpoints its mobile app uses, as a staff account filing on residents' behalf.
///
/// - Sign-in: `POST /auth/ajax/sign_in`, session cookie kept here; signed in again when `check_auth` or a response
///   says the session is gone.
/// - Filing: `POST /report/new/mobile` with `form_as=another_user` and the resident's number as `username`, after
///   `/report/new/ajax` confirmed the staff account may act for another user at that point (otherwise FixMyStreet would
///   silently file the report as the bridge account). Never sends an email address.
/// - Status: the Open311 list filtered on the bridge's `service` tag, then `/report/ajax/<id>` for the real state.
///
/// Pseudonymous deployments (``FixMyStreetConfiguration/pseudonyms`` set) never send the number. FixMyStreet's
/// `form_as=another_user` needs a phone or an email as `username`, and `anonymous_user` needs a cobrand
/// `anonymous_account` the target installs may lack; so the staff account files the report as itself (reference §2.3 B),
/// with `name` = the reporter name and the resident's keyed pseudonym, `may_show_name=0`. The permission to act for
/// another user is then not needed. Side effect, as FixMyStreet documents: the staff account's own display name follows
/// the last name posted.
///
/// After a retryable failure of ``submit(_:context:)`` the report may exist anyway (a timeout after FixMyStreet saved
/// it): call ``findExisting(_:context:around:)`` before filing again.
public final class FixMyStreetPlatform: ReportPlatform {
    public let configuration: FixMyStreetConfiguration
    private let http: HTTPExchange
    private let session = SessionKeeper()
    private let logger: Logger

    public init(
        configuration: FixMyStreetConfiguration, httpClient: HTTPClient = .shared,
        logger: Logger = Logger(label: "smsbridge.platform.fixmystreet")
    ) {
        self.configuration = configuration
        self.http = HTTPExchange(
            client: httpClient, baseURL: configuration.baseURL, timeout: configuration.requestTimeout,
            maximumBytes: configuration.maximumResponseBytes, platform: "FixMyStreet")
        self.logger = logger
    }

    // MARK: Session

    /// Signs the staff account in (again), unless a sign-in is already under way.
    public func signIn() async throws(PlatformError) {
        try await renewSession(after: await session.generation)
    }

    /// Whether FixMyStreet still knows the session (`/auth/ajax/check_auth`).
    public func isSignedIn() async throws(PlatformError) -> Bool {
        guard await session.hasSession else { return false }
        let (reply, _) = try await sendWithSession(.GET, "/auth/ajax/check_auth")
        switch reply.status {
        case 200: return true
        case 401, 403: return false
        default: throw reply.failure(http.platform)
        }
    }

    private func renewSession(after generation: Int) async throws(PlatformError) {
        let http = self.http
        let credentials = configuration.credentials
        let logger = self.logger
        try await session.renew(after: generation) { () async throws(PlatformError) -> [HTTPClient.Cookie] in
            // A fresh session: signing in over the old cookie would end it for calls still using it.
            let reply = try await http.send(.POST, "/auth/ajax/sign_in", form: [("email", credentials.email), ("password_sign_in", credentials.password)])
            let json = try reply.requireJSON(http.platform)
            let succeeded = json["success"]?.isTruthy ?? (json["name"] != nil && !(json["error"]?.isTruthy ?? false))
            guard succeeded, !(json["error"]?.isTruthy ?? false) else {
                throw PlatformError(
                    .signInFailed,
                    "FixMyStreet refused the staff sign-in: check the credentials' environment variables and that the account's email is verified "
                        + "(repeated failures are throttled)")
            }
            let cookies = reply.setCookies
            guard !cookies.isEmpty else {
                throw PlatformError(.unexpectedResponse, "FixMyStreet accepted the staff sign-in but set no session cookie")
            }
            logger.info("signed in to FixMyStreet", metadata: ["cookies": "\(cookies.map(\.name))"])
            return cookies
        }
    }

    /// A call carrying the session cookie (signing in first if there is none); returns the generation it used.
    private func sendWithSession(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], form: [(String, String)]? = nil,
        language: LanguageTag? = nil
    ) async throws(PlatformError) -> (HTTPReply, Int) {
        var (cookie, generation) = await session.current()
        if cookie == nil {
            try await renewSession(after: generation)
            (cookie, generation) = await session.current()
        }
        var headers: [(String, String)] = []
        if let cookie { headers.append(("Cookie", cookie)) }
        if let language { headers.append(("Accept-Language", Self.acceptLanguage(language))) }
        let reply = try await http.send(method, path, query: query, form: form, headers: headers)
        await session.absorb(reply.setCookies, from: generation)
        return (reply, generation)
    }

    /// FixMyStreet's two-letter language (`sr-Latn` → `sr`).
    static func acceptLanguage(_ language: LanguageTag) -> String { language.primary }

    // MARK: Filing

    public func submit(_ submission: ReportSubmission, context: SubmissionContext) async throws(PlatformError) -> PlatformReceipt {
        guard submission.phone.hasPrefix("+"), submission.phone.count > 4 else {
            throw PlatformError(.invalidReport, "the resident's number is not in E.164 form (\(PhoneNumber.masked(submission.phone)))")
        }
        let placement = try await place(submission, context: context)
        let form = try await permittedForm(at: placement.coordinate, needsActingForAnother: configuration.pseudonyms == nil)
        var category: (name: String, isFallback: Bool)?
        if !form.categories.isEmpty {
            guard let chosen = form.choose(submission.platformCategory, fallback: context.fallbackCategory) else {
                throw PlatformError(
                    .categoryNotOffered,
                    "neither '\(submission.platformCategory)' nor the fallback '\(context.fallbackCategory ?? "-")' is a category of "
                        + "\(form.bodies.joined(separator: ", ")) at \(formatCoordinate(placement.coordinate.latitude)),\(formatCoordinate(placement.coordinate.longitude))")
            }
            category = chosen
        }
        let fields = Self.reportFields(
            submission, context: context, placement: placement, category: category?.name, configuration: configuration)
        for attempt in 0..<2 {
            let (reply, generation) = try await sendWithSession(.POST, "/report/new/mobile", form: fields, language: submission.language)
            do throws(PlatformError) {
                let id = try Self.parseSubmission(reply)
                logger.info(
                    "filed report", metadata: ["id": "\(id)", "to": "\(PhoneNumber.masked(submission.phone))", "category": "\(category?.name ?? "-")"])
                return PlatformReceipt(
                    id: id, url: reportURL(id), category: category?.name, usedFallbackCategory: category?.isFallback ?? false,
                    location: placement.coordinate, locationSource: placement.source)
            } catch where error == .sessionExpired && attempt == 0 {
                logger.notice("FixMyStreet session gone while filing; signing in again")
                try await renewSession(after: generation)
            }
        }
        throw PlatformError(.sessionExpired, "FixMyStreet still answered as if signed out after signing in again")
    }

    /// The form fields of `/report/new/mobile` for a resident's report.
    static func reportFields(
        _ submission: ReportSubmission, context: SubmissionContext, placement: (coordinate: Coordinate, source: LocationSource),
        category: String?, configuration: FixMyStreetConfiguration
    ) -> [(String, String)] {
        let landmark = ReportText.collapse(submission.landmark.text)
        var fields: [(String, String)]
        if let pseudonyms = configuration.pseudonyms {
            // Filed by the staff account itself: no `form_as`, no `username`, nothing that carries the number.
            fields = [("name", configuration.reporterName + " " + pseudonyms.pseudonym(for: submission.phone))]
        } else {
            fields = [("form_as", "another_user"), ("username", submission.phone), ("name", configuration.reporterName)]
        }
        fields += [
            ("may_show_name", "0"),
            ("service", configuration.serviceTag),
        ]
        if let category { fields.append(("category", category)) }
        fields += [
            ("lat", formatCoordinate(placement.coordinate.latitude)),
            ("lon", formatCoordinate(placement.coordinate.longitude)),
            // Always sent: the postcode column is NOT NULL.
            ("pc", landmark),
            ("title", ReportText.title(categoryLabel: context.categoryLabel, landmark: landmark)),
            (
                "detail",
                ReportText.detail(
                    description: submission.description, landmark: landmark, approximate: placement.source == .fallback,
                    wording: context.wording)
            ),
        ]
        if placement.source == .fallback { fields.append(("skipped", "1")) }
        return fields
    }

    /// `{"success":1,"report":1234}` → "1234"; every documented error shape → its ``PlatformError``.
    static func parseSubmission(_ reply: HTTPReply) throws(PlatformError) -> String {
        let json = try reply.requireJSON("FixMyStreet")
        if json["success"]?.isTruthy == true {
            if let id = json["report"]?.text, !id.isEmpty { return id }
            throw PlatformError(
                .reportUnconfirmed,
                "FixMyStreet created the report unconfirmed and without an id (it was not filed as another user): do not file it again; "
                    + "find it in the admin and check the staff account's permissions")
        }
        switch json["errors"] {
        case .string(let message)?:
            throw PlatformError(.outsideArea, "FixMyStreet could not place the report: \(message)")
        case .object(let object)?:
            var fields: [String: String] = [:]
            for (key, value) in object { fields[key] = value.text ?? "\(value)" }
            let summary = fields.keys.sorted().map { "\($0): \(fields[$0] ?? "")" }.joined(separator: "; ")
            let sessionKeys: Set<String> = ["update_method", "username_register", "username_sign_in", "password"]
            if !sessionKeys.isDisjoint(with: fields.keys) || json["check_name"] != nil {
                throw PlatformError(.sessionExpired, "FixMyStreet treated the report as from a signed-out visitor (\(summary))", fieldErrors: fields)
            }
            if fields["category"] != nil || fields["bodies"] != nil {
                throw PlatformError(.categoryNotOffered, "FixMyStreet refused the category (\(summary))", fieldErrors: fields)
            }
            let extras = fields.keys.filter { $0.hasPrefix("x") && $0.count > 1 }.sorted()
            let note = extras.isEmpty ? "" : "; the category asks extra questions (\(extras.joined(separator: ", "))) the bridge does not answer"
            throw PlatformError(.invalidReport, "FixMyStreet rejected the report (\(summary))\(note)", fieldErrors: fields)
        default:
            throw PlatformError(.unexpectedResponse, "FixMyStreet answered /report/new/mobile with neither success nor errors: \(reply.excerpt)")
        }
    }

    /// Where to file: the landmark's point; else the geocoder's single match; else the fallback point.
    private func place(_ submission: ReportSubmission, context: SubmissionContext) async throws(PlatformError)
        -> (coordinate: Coordinate, source: LocationSource)
    {
        if let latitude = submission.landmark.latitude, let longitude = submission.landmark.longitude {
            return (Coordinate(latitude: latitude, longitude: longitude), .landmark)
        }
        let words = ReportText.collapse(submission.landmark.text)
        if !words.isEmpty {
            let found = try await geocode(words, near: context.fallbackPoint, language: submission.language)
            if found.count == 1 { return (found[0].coordinate, .geocoded) }
        }
        return (context.fallbackPoint, .fallback)
    }

    /// `/report/new/ajax` as the staff account, insisting it may act for another user at the point.
    private func permittedForm(at point: Coordinate, needsActingForAnother: Bool = true) async throws(PlatformError) -> CategoryCheck {
        for attempt in 0..<2 {
            let (reply, generation) = try await sendWithSession(.GET, "/report/new/ajax", query: Self.pointQuery(point))
            let form = try Self.parseForm(reply)
            guard form.isCovered else {
                throw PlatformError(.outsideArea, "FixMyStreet covers no body at \(Self.describe(point)): \(form.platformMessage ?? "")")
            }
            if form.mayActForAnotherUser || !needsActingForAnother { return form }
            // Either the session is gone (signed-out visitors get no `contribute_as`) or the account lacks the permission.
            if attempt == 0, !(try await isSignedIn()) {
                logger.notice("FixMyStreet session gone before filing; signing in again")
                try await renewSession(after: generation)
                continue
            }
            throw PlatformError(
                .notPermitted,
                "the staff account may not report as another user for \(form.bodies.joined(separator: ", ")) at \(Self.describe(point)): "
                    + "grant it 'contribute_as_another_user' on every body (filing now would make the bridge the reporter)")
        }
        throw PlatformError(.sessionExpired, "FixMyStreet still answered as if signed out after signing in again")
    }

    // MARK: Reading

    public func geocode(_ text: String, near: Coordinate?) async throws(PlatformError) -> [GeocodeCandidate] {
        try await geocode(text, near: near, language: nil)
    }

    /// `/ajax/lookup_location`: one match (`latitude`/`longitude`), several (`suggestions` + `locations`) or none (`error`).
    public func geocode(_ text: String, near: Coordinate?, language: LanguageTag?) async throws(PlatformError) -> [GeocodeCandidate] {
        let term = ReportText.collapse(text)
        guard !term.isEmpty else { return [] }
        var headers: [(String, String)] = []
        if let language { headers.append(("Accept-Language", Self.acceptLanguage(language))) }
        let reply = try await http.send(.GET, "/ajax/lookup_location", query: [("term", term)], headers: headers)
        if reply.status == 404 { return [] }
        let json = try reply.requireJSON(http.platform)
        if let latitude = json["latitude"]?.double, let longitude = json["longitude"]?.double {
            return [GeocodeCandidate(name: term, coordinate: Coordinate(latitude: latitude, longitude: longitude))]
        }
        if let locations = json["locations"]?.array {
            let candidates = locations.compactMap { item -> GeocodeCandidate? in
                guard let latitude = item["lat"]?.double, let longitude = item["long"]?.double else { return nil }
                return GeocodeCandidate(name: item["address"]?.text ?? term, coordinate: Coordinate(latitude: latitude, longitude: longitude))
            }
            return sortedByDistance(candidates, from: near, \.coordinate)
        }
        return []
    }

    /// `/report/new/ajax` signed out, as residents would see it (staff-only categories left out).
    public func categories(at point: Coordinate) async throws(PlatformError) -> CategoryCheck {
        let reply = try await http.send(.GET, "/report/new/ajax", query: Self.pointQuery(point))
        return try Self.parseForm(reply)
    }

    static func parseForm(_ reply: HTTPReply) throws(PlatformError) -> CategoryCheck {
        let json = try reply.requireJSON("FixMyStreet")
        if let error = json["error"] {
            guard let message = error.text else {
                throw PlatformError(.unexpectedResponse, "FixMyStreet answered /report/new/ajax without a location")
            }
            return CategoryCheck(isCovered: false, platformMessage: message)
        }
        let bodies = json["bodies"]?.array?.compactMap(\.text) ?? []
        var categories = json["by_category"]?.object.map { Array($0.keys).sorted() } ?? []
        if categories.isEmpty, let select = json["category"]?.text {
            categories = HTMLOptions.values(in: select)
        }
        let mayAct = json["contribute_as"]?["another_user"]?.isTruthy ?? false
        return CategoryCheck(isCovered: true, bodies: bodies, categories: categories, mayActForAnotherUser: mayAct)
    }

    /// `/around/nearby`: up to five open reports of the category within ``FixMyStreetConfiguration/nearbyDistance``.
    public func nearby(category: String, at point: Coordinate) async throws(PlatformError) -> [NearbyReport] {
        var query = Self.pointQuery(point)
        query += [("filter_category", category), ("distance", String(configuration.nearbyDistance))]
        let reply = try await http.send(.GET, "/around/nearby", query: query)
        let json = try reply.requireJSON(http.platform)
        // `pins` is `[[lat, lon, colour, id, title, size, false], …]`, or "" when the cobrand hides duplicates.
        let pins = json["pins"]?.array ?? []
        return pins.compactMap { pin -> NearbyReport? in
            guard let fields = pin.array, fields.count >= 5, let id = fields[3].text else { return nil }
            var coordinate: Coordinate?
            if let latitude = fields[0].double, let longitude = fields[1].double {
                coordinate = Coordinate(latitude: latitude, longitude: longitude)
            }
            return NearbyReport(id: id, title: fields[4].text ?? "", coordinate: coordinate, url: reportURL(id))
        }
    }

    public func changes(since: Date, until: Date) async throws(PlatformError) -> [StatusChange] {
        try await listed(since: since, until: until).map(\.statusChange)
    }

    /// The bridge's reports confirmed in `[since, until)`, paging back from `until` while pages come back full.
    private func listed(since: Date, until: Date) async throws(PlatformError) -> [ListedRequest] {
        let zone = configuration.serverTimeZone
        let start = PlatformDate.wallClock(since, in: zone)
        let http = self.http
        let configuration = self.configuration
        return try await Open311Listing.collect(
            limit: configuration.listLimit, firstEnd: PlatformDate.wallClock(until, in: zone),
            // `end_date` is exclusive and compared with the wall clock; one second later keeps rows of the oldest second.
            nextEnd: { row in row.requestedWallClock.flatMap { PlatformDate.wallClock($0, adding: 1) } },
            fetch: { (end: String) async throws(PlatformError) -> [ListedRequest] in
                let reply = try await http.send(
                    .GET, "/open311/v2/requests.json",
                    query: [
                        ("jurisdiction_id", configuration.jurisdictionID), ("interface_used", configuration.serviceTag),
                        ("start_date", start), ("end_date", end),
                    ])
                return try Open311Listing.parse(reply, platform: http.platform, zone: zone)
            })
    }

    /// Finds the report an interrupted ``submit(_:context:)`` made: same title, detail starting with the resident's text,
    /// filed with the bridge's tag within ``FixMyStreetConfiguration/findExistingMargin`` of `around`; the closest in time.
    ///
    /// FixMyStreet's list shows public reports only: one filed in a private category cannot be found this way.
    public func findExisting(_ submission: ReportSubmission, context: SubmissionContext, around: Date) async throws(PlatformError)
        -> PlatformReceipt?
    {
        let margin = configuration.findExistingMargin
        let rows = try await listed(since: around.addingTimeInterval(-margin), until: around.addingTimeInterval(margin))
        let title = ReportText.comparable(ReportText.title(categoryLabel: context.categoryLabel, landmark: submission.landmark.text))
        let description = ReportText.comparable(submission.description)
        let matches = rows.filter { row in
            ReportText.comparable(row.title ?? "") == title && ReportText.comparable(row.detail ?? "").hasPrefix(description)
        }
        let best = matches.min {
            abs(($0.requestedAt ?? .distantPast).timeIntervalSince(around)) < abs(($1.requestedAt ?? .distantPast).timeIntervalSince(around))
        }
        guard let best else { return nil }
        return PlatformReceipt(
            id: best.id, url: reportURL(best.id), category: best.serviceCode,
            usedFallbackCategory: best.serviceCode.map { $0 != submission.platformCategory } ?? false, location: best.coordinate)
    }

    /// `/report/ajax/<id>`: the internal state (`in progress`), its display name and whether it counts as fixed.
    public func state(of id: String) async throws(PlatformError) -> ReportState? {
        guard !id.isEmpty, id.allSatisfy(\.isASCIIDigit) else { return nil }
        let reply = try await http.send(.GET, "/report/ajax/\(id)")
        switch reply.status {
        case 403, 404, 410: return nil
        default: break
        }
        let json = try reply.requireJSON(http.platform)
        guard let report = json["report"], let label = report["state"]?.text else {
            throw PlatformError(.unexpectedResponse, "FixMyStreet answered /report/ajax/\(id) without a state: \(reply.excerpt)")
        }
        return ReportState(id: id, label: label, displayName: report["state_t"]?.text, isFixed: report["is_fixed"]?.isTruthy ?? false)
    }

    // MARK: Helpers

    public func reportURL(_ id: String) -> String {
        (configuration.baseURL.hasSuffix("/") ? String(configuration.baseURL.dropLast()) : configuration.baseURL) + "/report/" + id
    }

    static func pointQuery(_ point: Coordinate) -> [(String, String)] {
        [("latitude", formatCoordinate(point.latitude)), ("longitude", formatCoordinate(point.longitude))]
    }

    static func describe(_ point: Coordinate) -> String { formatCoordinate(point.latitude) + "," + formatCoordinate(point.longitude) }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

/// `<option value='…'>` values of FixMyStreet's category `<select>` (older installs have no `by_category`).
enum HTMLOptions {
    static func values(in html: String) -> [String] {
        var values: [String] = []
        var rest = html[...]
        while let option = rest.range(of: "<option", options: .caseInsensitive) {
            rest = rest[option.upperBound...]
            guard let close = rest.firstIndex(of: ">") else { break }
            let tag = rest[..<close]
            if let valueRange = tag.range(of: "value=", options: .caseInsensitive) {
                var after = tag[valueRange.upperBound...]
                if let quote = after.first, quote == "'" || quote == "\"" {
                    after = after.dropFirst()
                    let value = String(after.prefix { $0 != quote })
                    let decoded = decodeEntities(value)
                    if !decoded.isEmpty, !values.contains(decoded) { values.append(decoded) }
                }
            }
            rest = rest[close...]
        }
        return values
    }

    static func decodeEntities(_ text: String) -> String {
        var out = text
        for (entity, character) in [("&#39;", "'"), ("&#x27;", "'"), ("&apos;", "'"), ("&quot;", "\""), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")] {
            out = out.replacingOccurrences(of: entity, with: character)
        }
        return out
    }
}
