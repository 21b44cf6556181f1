import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// A test double of FixMyStreet on 127.0.0.1, answering as FixMyStreet's source does (reference §7, corrected by §9):
/// always HTTP 200 with JSON on the app endpoints, HTML error pages with 200 on the Open311 list, HTML 404/410/403 for
/// reports that cannot be shown. Records every request.
struct FixMyStreetDouble: Sendable {
    let port: Int
    let state: FixMyStreetState

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Runs `body` with a double listening on 127.0.0.1 (on `port`, or one the system chooses), then stops it.
    /// Passing `state` keeps the double's database across a stop and start (an outage).
    static func with<T: Sendable>(
        port requestedPort: Int = 0, state: FixMyStreetState = FixMyStreetState(),
        configure: @Sendable (FixMyStreetState) async -> Void = { _ in }, _ body: @Sendable (FixMyStreetDouble) async throws -> T
    ) async throws -> T {
        await configure(state)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router(state),
            configuration: .init(address: .hostname("127.0.0.1", port: requestedPort), serverName: "fixmystreet-double"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: TestSupport.logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw TestFailure("the FixMyStreet double did not start") }
            do {
                let result = try await body(FixMyStreetDouble(port: port, state: state))
                await state.releaseHeldAnswers()
                group.cancelAll()
                return result
            } catch {
                await state.releaseHeldAnswers()
                group.cancelAll()
                throw error
            }
        }
    }

    func requests(_ path: String? = nil, method: String? = nil) async -> [RecordedRequest] {
        await state.requests.filter { (path == nil || $0.path == path) && (method == nil || $0.method == method) }
    }

    private static func router(_ state: FixMyStreetState) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let paths: [(HTTPRequest.Method, String)] = [
            (.post, "/auth/ajax/sign_in"), (.get, "/auth/ajax/check_auth"), (.get, "/ajax/lookup_location"),
            (.get, "/report/new/ajax"), (.post, "/report/new/mobile"), (.get, "/around/nearby"),
            (.get, "/open311/v2/requests.json"), (.get, "/report/ajax/:id"),
        ]
        for (method, path) in paths {
            router.on(RouterPath(path), method: method) { request, _ in try await handle(request, state) }
        }
        return router
    }

    private static func handle(_ request: Request, _ state: FixMyStreetState) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        let isForm = request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") ?? false
        let recorded = RecordedRequest(
            method: request.method.rawValue, path: request.uri.path,
            query: Wire.decodeForm(request.uri.query ?? ""),
            form: isForm ? Wire.decodeForm(String(buffer: body)) : [],
            cookie: request.headers[.cookie], acceptLanguage: request.headers[.acceptLanguage],
            contentType: request.headers[.contentType])
        let answer = await state.answer(recorded)
        if answer.held {
            // The bridge is meant to die (or time out) waiting: answer only once released, or after a minute.
            let deadline = ContinuousClock.now + .seconds(60)
            while await !state.heldAnswersReleased, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        }
        var headers: HTTPFields = [.contentType: answer.contentType]
        if let cookie = answer.setCookie { headers[.setCookie] = cookie }
        return Response(status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: answer.body)))
    }
}

/// One request the double received.
struct RecordedRequest: Sendable, CustomStringConvertible {
    var method: String
    var path: String
    var query: [Wire.Field]
    var form: [Wire.Field]
    var cookie: String?
    var acceptLanguage: String?
    var contentType: String?

    func query(_ name: String) -> String? { query.first { $0.name == name }?.value }
    func field(_ name: String) -> String? { form.first { $0.name == name }?.value }
    var formNames: [String] { form.map(\.name) }

    /// The session token the request carried.
    var session: String? {
        cookie?.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("fixmystreet_app_session=") }
            .map { String($0.dropFirst("fixmystreet_app_session=".count)) }
    }

    var description: String { "\(method) \(path)" }
}

/// A scripted answer: status, content type and body exactly as given; shows in test names by its body's start.
struct DoubleAnswer: Sendable, CustomStringConvertible {
    var status: Int
    var contentType: String
    var body: String
    var setCookie: String?
    /// Sent only when the test releases it: the report is saved, the bridge never hears so.
    var held = false

    var description: String { "\(status) \(contentType) \(body.prefix(40))" }

    static func json(_ body: String, status: Int = 200, setCookie: String? = nil) -> DoubleAnswer {
        DoubleAnswer(status: status, contentType: "application/json; charset=utf-8", body: body, setCookie: setCookie)
    }

    static func html(_ body: String, status: Int) -> DoubleAnswer {
        DoubleAnswer(status: status, contentType: "text/html; charset=utf-8", body: body)
    }

    /// FixMyStreet's error page (HTML, any status).
    static func errorPage(_ status: Int, _ message: String = "Sorry, there has been an error") -> DoubleAnswer {
        .html("<!doctype html><html><head><title>Error</title></head><body><h1>\(message)</h1></body></html>", status: status)
    }
}

/// A municipality: a box on the map, its categories, and whether the staff account may report for others in it.
struct DoubleBody: Sendable {
    var name: String
    var south: Double, west: Double, north: Double, east: Double
    var categories: [String]
    var staffMayActForOthers: Bool = true

    func contains(_ latitude: Double, _ longitude: Double) -> Bool {
        latitude >= south && latitude <= north && longitude >= west && longitude <= east
    }
}

/// What the geocoder knows about some words.
enum GeocoderAnswer: Sendable {
    case one(latitude: Double, longitude: Double)
    case several([(address: String, latitude: Double, longitude: Double)])
}

/// A report in the double's database.
struct DoubleReport: Sendable {
    var id: Int
    var title: String
    var detail: String
    var category: String
    var latitude: Double
    var longitude: Double
    var postcode: String
    var service: String
    var username: String
    var name: String
    var state: String = "confirmed"
    var confirmed: Date
    var lastUpdate: Date
    var usedMap: Bool = true
    /// True when filed by the staff account for itself (form_as ignored for lack of permission).
    var ownedByStaff: Bool = false
    var hidden: Bool = false
    var isPrivate: Bool = false
}

/// The double's database, sessions and scripts.
actor FixMyStreetState {
    static let staffEmail = "sms-bridge@example.org"
    static let staffPassword = "correct horse battery staple"
    static let outsideArea =
        "That location does not appear to be covered by a council; perhaps it is offshore or outside the country. Please try again."
    /// FixMyStreet's `TIME_ZONE` here: Europe/Belgrade in summer.
    static let zone = TimeZone(secondsFromGMT: 7200)!

    var bodies: [DoubleBody] = []
    var places: [String: GeocoderAnswer] = [:]
    var reports: [DoubleReport] = []
    var nextID = 1234
    var open311Limit = 1000
    /// Older installs (FMS 1.7): `/report/new/ajax` has the category `<select>` only, no `by_category`/`contribute_as`.
    var legacyForm = false
    private(set) var requests: [RecordedRequest] = []
    private var sessions: Set<String> = []
    private var sessionCounter = 0
    private var expireBefore: [String] = []
    private var scriptedSubmissions: [SubmissionScript] = []
    private var htmlListPages = 0

    enum SubmissionScript: Sendable {
        /// Answer with this, whatever was posted.
        case answer(DoubleAnswer)
        /// Save the report as usual, then fail (a timeout or crash after FixMyStreet committed).
        case saveThenFail(DoubleAnswer)
        /// Save the report as usual, then hold the answer until ``releaseHeldAnswers()`` (the bridge is killed meanwhile).
        case saveThenHold
    }

    private(set) var heldAnswersReleased = false

    func releaseHeldAnswers() { heldAnswersReleased = true }

    func configure(bodies: [DoubleBody]) { self.bodies = bodies }
    func configure(places: [String: GeocoderAnswer]) { self.places = places }
    func setLegacyForm(_ legacy: Bool) { legacyForm = legacy }
    func setOpen311Limit(_ limit: Int) { open311Limit = limit }

    /// The next request to `path` finds every session gone (idle timeout) and answers as FixMyStreet then does.
    func expireSessions(before path: String) { expireBefore.append(path) }

    func script(submission: SubmissionScript...) { scriptedSubmissions += submission }

    /// The next Open311 list answers with its (translated) HTML error page, status 200.
    func scriptHTMLListPage() { htmlListPages += 1 }

    func add(_ report: DoubleReport) { reports.append(report) }

    func update(_ id: Int, _ change: (inout DoubleReport) -> Void) {
        guard let index = reports.firstIndex(where: { $0.id == id }) else { return }
        change(&reports[index])
    }

    func report(_ id: Int) -> DoubleReport? { reports.first { $0.id == id } }

    func newID() -> Int {
        defer { nextID += 1 }
        return nextID
    }

    // MARK: Answering

    func answer(_ request: RecordedRequest) -> DoubleAnswer {
        requests.append(request)
        if let index = expireBefore.firstIndex(of: request.path) {
            expireBefore.remove(at: index)
            sessions.removeAll()
        }
        switch (request.method, request.path) {
        case ("POST", "/auth/ajax/sign_in"): return signIn(request)
        case ("GET", "/auth/ajax/check_auth"): return checkAuth(request)
        case ("GET", "/ajax/lookup_location"): return lookupLocation(request)
        case ("GET", "/report/new/ajax"): return reportForm(request)
        case ("POST", "/report/new/mobile"): return reportNew(request)
        case ("GET", "/around/nearby"): return nearby(request)
        case ("GET", "/open311/v2/requests.json"): return open311Requests(request)
        case ("GET", let path) where path.hasPrefix("/report/ajax/"): return reportAjax(request)
        default: return .errorPage(404, "Page not found")
        }
    }

    private func signedIn(_ request: RecordedRequest) -> Bool { request.session.map { sessions.contains($0) } ?? false }

    /// `ajax_sign_in`: `{"name":…,"success":1}` and a new session cookie, or `{"error":1}`, which also ends the session
    /// the request carried (`sign_in` logs out first).
    private func signIn(_ request: RecordedRequest) -> DoubleAnswer {
        if let session = request.session { sessions.remove(session) }
        guard request.field("email") == Self.staffEmail, request.field("password_sign_in") == Self.staffPassword else {
            return .json(#"{"error":1}"#)
        }
        sessionCounter += 1
        let token = "s\(sessionCounter)-\(UUID().uuidString.prefix(8))"
        sessions.insert(token)
        return .json(#"{"name":"SMS Bridge","success":1}"#, setCookie: "fixmystreet_app_session=\(token); path=/; expires=Thu, 01-Jan-2099 00:00:00 GMT; HttpOnly")
    }

    private func checkAuth(_ request: RecordedRequest) -> DoubleAnswer {
        signedIn(request) ? .json(#"{"name":"SMS Bridge"}"#) : .json(#"{"not_authorized":1}"#, status: 401)
    }

    /// `/ajax/lookup_location`: coordinates as strings (§9.1).
    private func lookupLocation(_ request: RecordedRequest) -> DoubleAnswer {
        guard let term = request.query("term"), !term.isEmpty else { return DoubleAnswer(status: 404, contentType: "application/json; charset=utf-8", body: "") }
        switch places[term.lowercased()] {
        case .one(let latitude, let longitude)?:
            return .json(J.o([("latitude", .s(Wire.coordinate(latitude))), ("longitude", .s(Wire.coordinate(longitude)))]).encoded)
        case .several(let found)?:
            return .json(
                J.o([
                    ("suggestions", .a(found.map { .s($0.address) })),
                    ("locations", .a(found.map { .o([("address", .s($0.address)), ("lat", .s(Wire.coordinate($0.latitude))), ("long", .s(Wire.coordinate($0.longitude)))]) })),
                ]).encoded)
        case nil:
            return .json(#"{"error":"Sorry, we could not find that location."}"#)
        }
    }

    private func body(at request: RecordedRequest, latitude: String, longitude: String) -> (found: DoubleBody?, located: Bool) {
        guard let lat = request.query(latitude).flatMap(Double.init) ?? request.field(latitude).flatMap(Double.init),
            let lon = request.query(longitude).flatMap(Double.init) ?? request.field(longitude).flatMap(Double.init)
        else { return (nil, false) }
        return (bodies.first { $0.contains(lat, lon) }, true)
    }

    /// `report_form_ajax`: categories of the body at the point; `contribute_as` only for a signed-in user holding the permission.
    private func reportForm(_ request: RecordedRequest) -> DoubleAnswer {
        let (found, located) = body(at: request, latitude: "latitude", longitude: "longitude")
        guard located else { return .json(#"{"error":null}"#) }
        guard let body = found else { return .json(J.o([("error", .s(Self.outsideArea))]).encoded) }
        let options = ["<option value=''>-- Pick a category --</option>"]
            + body.categories.map { "<option value='\(Wire.html($0))'>\(Wire.html($0))</option>" }
        let select = "<select class=\"form-control\" name=\"category\" id=\"form_category\" required>" + options.joined() + "</select>"
        var fields: [(String, J)] = [
            ("bodies", .a([.s(body.name)])),
            ("councils_text", .s("<p>All the information you provide here will be sent to <strong>\(Wire.html(body.name))</strong>.</p>")),
            ("councils_text_private", .s("")),
            ("category", .s(select)),
            ("extra_name_info", .s("")),
            ("titles_list", .null),
            ("unresponsive", .s("")),
        ]
        if !legacyForm {
            fields.append(("by_category", .o(body.categories.map { ($0, J.o([("bodies", .a([.s(body.name)]))])) })))
            if signedIn(request), body.staffMayActForOthers {
                fields.append(("contribute_as", .o([("another_user", .i(1)), ("anonymous_user", .i(1))])))
            }
        }
        return .json(J.o(fields).encoded)
    }

    /// `report_new_ajax`.
    private func reportNew(_ request: RecordedRequest) -> DoubleAnswer {
        var failure: DoubleAnswer?
        if !scriptedSubmissions.isEmpty {
            switch scriptedSubmissions.removeFirst() {
            case .answer(let answer): return answer
            case .saveThenFail(let answer): failure = answer
            case .saveThenHold: failure = DoubleAnswer(status: 200, contentType: "application/json; charset=utf-8", body: "", held: true)
            }
        }
        let (found, located) = body(at: request, latitude: "lat", longitude: "lon")
        guard located, let body = found else { return .json(#"{"errors":"Unable to determine location"}"#) }
        // The postcode column is NOT NULL (§9.10).
        guard request.field("pc") != nil else { return .errorPage(500) }
        let loggedIn = signedIn(request)
        let username = request.field("username") ?? request.field("email") ?? ""
        let contributing = loggedIn && request.field("form_as") == "another_user" && body.staffMayActForOthers
        var errors: [(String, String)] = []
        if !loggedIn {
            if username.contains("@") {
                // The anonymous web flow: saved unconfirmed, confirmation emailed, no id returned.
                reports.append(newReport(request, body: body, category: request.field("category") ?? "", username: username, state: "unconfirmed"))
                return .json(#"{"success":1}"#)
            }
            errors.append(("update_method", "Please pick your update preference"))
            errors.append(("username_register", "Please enter your email"))
        }
        let category = request.field("category") ?? ""
        if category.isEmpty {
            if !body.categories.isEmpty {
                errors.append(("category", Self.translated("Please choose a category", request)))
                errors.append(("bodies", "No council selected"))
            }
        } else if !body.categories.contains(category) {
            errors.append(("category", Self.translated("Please choose a category", request)))
        }
        if (request.field("title") ?? "").trimmingCharacters(in: .whitespaces).isEmpty { errors.append(("title", "Please enter a subject")) }
        if (request.field("detail") ?? "").trimmingCharacters(in: .whitespaces).isEmpty { errors.append(("detail", "Please enter some details")) }
        if (request.field("name") ?? "").trimmingCharacters(in: .whitespaces).isEmpty { errors.append(("name", "Please enter your name")) }
        guard errors.isEmpty else { return .json(J.o([("errors", .o(errors.map { ($0.0, J.s($0.1)) }))]).encoded) }
        var report = newReport(request, body: body, category: category, username: contributing ? username : Self.staffEmail, state: "confirmed")
        report.ownedByStaff = !contributing
        reports.append(report)
        if var held = failure, held.held {
            held.body = #"{"success":1,"report":\#(report.id)}"#
            return held
        }
        return failure ?? .json(#"{"success":1,"report":\#(report.id)}"#)
    }

    private func newReport(_ request: RecordedRequest, body: DoubleBody, category: String, username: String, state: String) -> DoubleReport {
        let now = Date()
        return DoubleReport(
            id: newID(), title: Wire.cleanup(request.field("title") ?? "", multiline: false),
            detail: Wire.cleanup(request.field("detail") ?? "", multiline: true), category: category,
            latitude: Double(request.field("lat") ?? "") ?? 0, longitude: Double(request.field("lon") ?? "") ?? 0,
            postcode: request.field("pc") ?? "", service: request.field("service") ?? "", username: username,
            name: request.field("name") ?? "", state: state, confirmed: now, lastUpdate: now, usedMap: request.field("skipped") == nil)
    }

    private static let openStates: Set<String> = ["confirmed", "investigating", "in progress", "planned", "action scheduled"]
    private static let fixedStates: Set<String> = ["fixed", "fixed - council", "fixed - user"]
    private static let closedStates: Set<String> = ["unable to fix", "not responsible", "duplicate", "internal referral", "cancelled", "closed"]

    /// `/around/nearby`: up to five open reports within `distance` metres (default and cap 1000).
    private func nearby(_ request: RecordedRequest) -> DoubleAnswer {
        guard let lat = request.query("latitude").flatMap(Double.init), let lon = request.query("longitude").flatMap(Double.init) else {
            return .json(#"{"pins":[]}"#)
        }
        let distance = min(1000, request.query("distance").flatMap(Double.init) ?? 1000)
        let category = request.query("filter_category")
        let close = reports.filter { report in
            Self.openStates.contains(report.state) && !report.hidden && !report.isPrivate
                && (category == nil || category == report.category)
                && Wire.metres(lat, lon, report.latitude, report.longitude) <= distance
        }
        .sorted { Wire.metres(lat, lon, $0.latitude, $0.longitude) < Wire.metres(lat, lon, $1.latitude, $1.longitude) }
        .prefix(5)
        let pins = close.map { J.a([.n($0.latitude), .n($0.longitude), .s("yellow"), .i($0.id), .s($0.title), .s("small"), .b(false)]) }
        let list = "<ul>" + close.map { "<li><a href=\"/report/\($0.id)\">\(Wire.html($0.title))</a></li>" }.joined() + "</ul>"
        return .json(J.o([("pins", .a(Array(pins))), ("reports_list", .s(list))]).encoded)
    }

    /// `GET /open311/v2/requests.json` (`get_requests`/`output_requests`).
    private func open311Requests(_ request: RecordedRequest) -> DoubleAnswer {
        let sq = request.acceptLanguage?.hasPrefix("sq") ?? false
        let missing = sq ? "ERROR: ID e jurisdikcionit që mungon" : "ERROR: Missing jurisdiction_id"
        if htmlListPages > 0 || (request.query("jurisdiction_id") ?? "").isEmpty {
            htmlListPages = max(0, htmlListPages - 1)
            return .html(
                "<!doctype html><html><head><title>Open311</title></head><body><h1>Open311 API</h1>"
                    + "<p>Note: <strong>\(missing)</strong></p><p>At the moment only searching for and looking at reports work.</p></body></html>",
                status: 200)
        }
        var matching = reports.filter { !$0.hidden && !$0.isPrivate && $0.state != "unconfirmed" }
        if let service = request.query("interface_used"), !service.isEmpty {
            matching = matching.filter { $0.service == (service == "Web interface" ? "" : service) }
        }
        if let status = request.query("status"), !status.isEmpty {
            switch status {
            case "open": matching = matching.filter { Self.openStates.contains($0.state) }
            case "closed": matching = matching.filter { !Self.openStates.contains($0.state) }
            default: return .errorPage(500)
            }
        }
        for (name, isStart) in [("start_date", true), ("end_date", false)] {
            guard let value = request.query(name), !value.isEmpty else { continue }
            // Compared with `confirmed` (timestamp without time zone): the offset, if any, is ignored.
            guard let bound = Wire.wallClockDate(value, zone: Self.zone) else { return .errorPage(500) }
            matching = matching.filter { isStart ? $0.confirmed >= bound : $0.confirmed < bound }
        }
        let limit = request.query("max_requests").flatMap(Int.init).flatMap { $0 <= open311Limit && $0 > 0 ? $0 : nil } ?? open311Limit
        let rows = matching.sorted { $0.confirmed > $1.confirmed }.prefix(limit).map { report -> J in
            var fields: [(String, J)] = [
                ("service_request_id", .i(report.id)),
                ("title", .s(report.title)),
                ("detail", .s(report.detail)),
                ("description", .s(report.title + ": " + report.detail)),
                ("lat", .s(Wire.open311Coordinate(report.latitude))),
                ("long", .s(Wire.open311Coordinate(report.longitude))),
                ("status", .s(Self.openStates.contains(report.state) ? "open" : "closed")),
                ("requested_datetime", .s(Wire.w3c(report.confirmed, zone: Self.zone))),
                ("updated_datetime", .s(Wire.w3c(report.lastUpdate, zone: Self.zone))),
                ("service_code", .s(report.category)),
                ("service_name", .s(report.category)),
                ("interface_used", .s(report.service.isEmpty ? "Web interface" : report.service)),
                ("agency_responsible", .o([("recipient", .a(bodies.filter { $0.contains(report.latitude, report.longitude) }.map { .s($0.name) }))])),
            ]
            if !report.ownedByStaff && report.state != "confirmed" { fields.append(("comment_count", .i(1))) }
            return .o(fields)
        }
        return .json(J.o([("service_requests", .a(Array(rows)))]).encoded)
    }

    /// `/report/ajax/<id>`: the report's hashref, or HTML 404 (unknown), 410 (hidden), 403 (private).
    private func reportAjax(_ request: RecordedRequest) -> DoubleAnswer {
        guard let id = Int(request.path.dropFirst("/report/ajax/".count)), let report = report(id), report.state != "unconfirmed" else {
            return .errorPage(404, "Page not found")
        }
        if report.hidden { return .errorPage(410, "That report has been removed from FixMyStreet.") }
        if report.isPrivate { return .errorPage(403, "Sorry, you don’t have permission to do that.") }
        let stateNames = [
            "confirmed": "Open", "in progress": "In progress", "investigating": "Investigating", "action scheduled": "Action scheduled",
            "fixed - council": "Fixed", "fixed": "Fixed", "not responsible": "not the council's responsibility", "duplicate": "Duplicate",
        ]
        let hashref = J.o([
            ("id", .i(report.id)), ("title", .s(report.title)), ("category", .s(report.category)), ("detail", .s(report.detail)),
            ("latitude", .n(report.latitude)), ("longitude", .n(report.longitude)), ("postcode", .s(report.postcode)), ("areas", .s(",123,")),
            ("state", .s(report.state)), ("state_t", .s(stateNames[report.state] ?? report.state)), ("used_map", .i(report.usedMap ? 1 : 0)),
            ("is_fixed", .i(Self.fixedStates.contains(report.state) ? 1 : 0)), ("photos", .a([])),
            ("meta", .s("Reported via \(report.service) in the \(report.category) category anonymously")),
            ("created_pp", .s("10:28, Wed 1 May 2024")), ("confirmed_pp", .s("10:28, Wed 1 May 2024")),
        ])
        return .json(J.o([("report", hashref), ("updates", .o([]))]).encoded)
    }

    private static func translated(_ text: String, _ request: RecordedRequest) -> String {
        guard request.acceptLanguage?.hasPrefix("sq") ?? false else { return text }
        return ["Please choose a category": "Ju lutem zgjedhni kategorinë"][text] ?? text
    }
}
