import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// A city's GeoReport v2 server that accepts `POST requests.json`, on 127.0.0.1, answering as the spec documents
/// (errors as `[{"code":…,"description":…}]` with 4xx). Records every request.
struct Open311Double: Sendable {
    let port: Int
    let state: Open311State

    var baseURL: String { "http://127.0.0.1:\(port)/open311/v2" }

    static func with<T: Sendable>(_ body: @Sendable (Open311Double) async throws -> T) async throws -> T {
        let state = Open311State()
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let router = Router(context: BasicRequestContext.self)
        for (method, path) in [
            (HTTPRequest.Method.post, "/open311/v2/requests.json"), (.get, "/open311/v2/requests.json"), (.get, "/open311/v2/requests/:file"),
            (.get, "/open311/v2/tokens/:file"), (.get, "/open311/v2/services.json"),
        ] {
            router.on(RouterPath(path), method: method) { request, _ in
                let body = try await request.body.collect(upTo: 1 << 20)
                let recorded = RecordedRequest(
                    method: request.method.rawValue, path: request.uri.path, query: Wire.decodeForm(request.uri.query ?? ""),
                    form: Wire.decodeForm(String(buffer: body)), cookie: nil, acceptLanguage: request.headers[.acceptLanguage],
                    contentType: request.headers[.contentType])
                let answer = await state.answer(recorded)
                return Response(
                    status: .init(code: answer.status), headers: [.contentType: answer.contentType],
                    body: .init(byteBuffer: ByteBuffer(string: answer.body)))
            }
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "open311-double"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: TestSupport.logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw TestFailure("the Open311 double did not start") }
            defer { group.cancelAll() }
            return try await body(Open311Double(port: port, state: state))
        }
    }

    func requests(method: String? = nil) async -> [RecordedRequest] {
        await state.requests.filter { method == nil || $0.method == method }
    }
}

actor Open311State {
    static let apiKey = "open311-key-123"
    struct Stored: Sendable {
        var id: String
        var serviceCode: String
        var description: String
        var latitude: Double?
        var longitude: Double?
        var address: String?
        var status: String
        var requested: Date
        var updated: Date
    }

    private(set) var requests: [RecordedRequest] = []
    var stored: [Stored] = []
    var services = ["pothole", "streetlight", "other"]
    var nextID = 638_344
    /// Answer POSTs with a token instead of an id (the server numbers requests later).
    var answerWithToken = false
    private var scripted: [DoubleAnswer] = []

    func script(_ answers: DoubleAnswer...) { scripted += answers }
    func setAnswerWithToken(_ flag: Bool) { answerWithToken = flag }
    func add(_ request: Stored) { stored.append(request) }
    func setStatus(_ status: String, of id: String) {
        guard let index = stored.firstIndex(where: { $0.id == id }) else { return }
        stored[index].status = status
        stored[index].updated = Date()
    }

    private static func error(_ status: Int, _ description: String) -> DoubleAnswer {
        .json(J.a([.o([("code", .i(status)), ("description", .s(description))])]).encoded, status: status)
    }

    func answer(_ request: RecordedRequest) -> DoubleAnswer {
        requests.append(request)
        if request.method == "POST", !scripted.isEmpty { return scripted.removeFirst() }
        let key = request.method == "POST" ? request.field("api_key") : request.query("api_key")
        guard key == Self.apiKey else { return Self.error(403, "Invalid api_key") }
        switch (request.method, request.path) {
        case ("POST", "/open311/v2/requests.json"):
            guard let code = request.field("service_code"), services.contains(code) else { return Self.error(404, "Service not found") }
            let latitude = request.field("lat").flatMap(Double.init)
            let longitude = request.field("long").flatMap(Double.init)
            let address = request.field("address_string")
            guard latitude != nil && longitude != nil || address != nil else {
                return Self.error(400, "Location required: lat/long, address_string or address_id")
            }
            let id = String(nextID)
            nextID += 1
            let now = Date()
            stored.append(Stored(
                id: id, serviceCode: code, description: request.field("description") ?? "", latitude: latitude, longitude: longitude,
                address: address, status: "open", requested: now, updated: now))
            if answerWithToken { return .json(#"[{"token":"tok-\#(id)"}]"#, status: 201) }
            return .json(#"[{"service_request_id":"\#(id)","service_notice":"Thank you","account_id":null}]"#, status: 201)
        case ("GET", "/open311/v2/requests.json"):
            var rows = stored
            if let code = request.query("service_code") { rows = rows.filter { $0.serviceCode == code } }
            if let start = request.query("start_date").flatMap(Self.iso) { rows = rows.filter { $0.requested >= start } }
            if let end = request.query("end_date").flatMap(Self.iso) { rows = rows.filter { $0.requested < end } }
            return .json(J.a(rows.sorted { $0.requested > $1.requested }.prefix(1000).map(Self.row)).encoded)
        case ("GET", let path) where path.hasPrefix("/open311/v2/requests/"):
            let id = path.dropFirst("/open311/v2/requests/".count).replacingOccurrences(of: ".json", with: "")
            return .json(J.a(stored.filter { $0.id == id }.map(Self.row)).encoded)
        case ("GET", let path) where path.hasPrefix("/open311/v2/tokens/"):
            let token = path.dropFirst("/open311/v2/tokens/".count).replacingOccurrences(of: ".json", with: "")
            let id = token.replacingOccurrences(of: "tok-", with: "")
            guard stored.contains(where: { $0.id == id }) else { return Self.error(404, "Token not found") }
            return .json(#"[{"service_request_id":"\#(id)","token":"\#(token)"}]"#)
        case ("GET", "/open311/v2/services.json"):
            return .json(J.a(services.map { J.o([("service_code", .s($0)), ("service_name", .s($0)), ("metadata", .b(false)), ("type", .s("realtime"))]) }).encoded)
        default:
            return Self.error(404, "Not found")
        }
    }

    private static func iso(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text)
    }

    private static func row(_ stored: Stored) -> J {
        let formatter = ISO8601DateFormatter()
        var fields: [(String, J)] = [
            ("service_request_id", .s(stored.id)), ("status", .s(stored.status)), ("service_code", .s(stored.serviceCode)),
            ("description", .s(stored.description)), ("requested_datetime", .s(formatter.string(from: stored.requested))),
            ("updated_datetime", .s(formatter.string(from: stored.updated))),
        ]
        if let latitude = stored.latitude, let longitude = stored.longitude { fields += [("lat", .n(latitude)), ("long", .n(longitude))] }
        if let address = stored.address { fields.append(("address", .s(address))) }
        return .o(fields)
    }
}
