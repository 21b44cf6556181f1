import Foundation
import Gateways
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
import Testing

/// The providers the double stands in for.
enum Provider: String, Sendable, CaseIterable, CustomStringConvertible {
    case twilio, africastalking, vonage, infobip, kannel, generic
    var description: String { rawValue }
}

/// How the double answers one send request, in each provider's own documented terms (reference §2.d–§9).
indirect enum Scripted: Sendable {
    /// Accepted, with a provider message id in the documented shape (Kannel has none).
    case success
    /// HTTP 503 (Kannel: `Temporal failure, try again later.`).
    case serverError
    /// HTTP 429, with `Retry-After` when given (Twilio adds its 20429 body).
    case throttled(retryAfter: Int?)
    /// The provider's own retryable code where it has one: Vonage status 1 in a 200, Africa's Talking recipient
    /// statusCode 500 in a 201. Other providers: HTTP 503.
    case providerRetryable
    /// The provider's documented permanent error: Twilio 400/21211, Africa's Talking 403 InvalidPhoneNumber,
    /// Vonage status 6, Infobip REJECTED (group 5), Kannel 403, generic 400.
    case finalError
    /// The provider's stop code: Twilio 400/21610, Africa's Talking 406 UserInBlacklist.
    case optOut
    /// Waits until `gate` opens, then answers `then`: lets a test see the state while an attempt is in flight.
    case held(Gate, then: Scripted)
}

/// A one-shot latch a held request waits on.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}

/// One send request as the double received it, and what it answered.
struct RecordedRequest: Sendable, CustomStringConvertible {
    let provider: Provider
    let method: String
    let path: String
    let rawQuery: String
    let headers: [GatewayField]
    let body: [UInt8]
    /// When the request arrived (before any held answer).
    let receivedAt: ContinuousClock.Instant
    /// The id the double answered with (Kannel: nil; Infobip: the `messageId` we were given).
    let providerMessageID: String?
    /// Vonage: one id per part of a long text, the first being `providerMessageID`.
    var partIDs: [String] = []
    let answerStatus: Int

    func header(_ name: String) -> String? { headers.header(name) }

    /// Form fields of the body, or of the query for Kannel's GET; values as bytes.
    var rawFields: [(name: String, bytes: [UInt8])] {
        method == "GET" ? Wire.pairs(Array(rawQuery.utf8)) : Wire.pairs(body)
    }

    func field(_ name: String) -> String? {
        rawFields.first { $0.name == name }.map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }

    /// Infobip's `messages[0]`.
    var infobipMessage: [String: Any]? { (json?["messages"] as? [[String: Any]])?.first }

    /// The recipient as E.164 with `+`, whatever form the provider wants it in.
    var to: String {
        let raw: String
        switch provider {
        case .infobip: raw = ((infobipMessage?["destinations"] as? [[String: Any]])?.first?["to"] as? String) ?? ""
        case .generic: raw = json?["to"] as? String ?? ""
        case .twilio: raw = field("To") ?? ""
        default: raw = field("to") ?? ""
        }
        return raw.hasPrefix("+") ? raw : "+" + raw
    }

    /// The text as the handset will show it: Kannel's `coding=2` bytes read as UTF-16BE.
    var text: String {
        switch provider {
        case .twilio: return field("Body") ?? ""
        case .africastalking: return field("message") ?? ""
        case .vonage: return field("text") ?? ""
        case .infobip: return (infobipMessage?["content"] as? [String: Any])?["text"] as? String ?? ""
        case .generic: return json?["text"] as? String ?? ""
        case .kannel:
            let bytes = rawFields.first { $0.name == "text" }?.bytes ?? []
            if field("coding") == "2" { return Wire.fromUTF16BE(bytes) ?? "<invalid UTF-16BE>" }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Our outbox id as the request carries it (Twilio StatusCallback `uuid`, Vonage `client-ref`, Kannel `dlr-url`
    /// `m`, Infobip `destinations[].messageId`, generic `id`); nil for Africa's Talking, which has no such field.
    var ourID: String? {
        switch provider {
        case .twilio:
            return field("StatusCallback").flatMap { URLComponents(string: $0)?.queryItems?.first { $0.name == "uuid" }?.value }
        case .vonage: return field("client-ref")
        case .kannel: return field("dlr-url").flatMap { Wire.pairs(URLComponents(string: $0)?.percentEncodedQuery ?? "").first { $0.name == "m" }?.value }
        case .infobip: return (infobipMessage?["destinations"] as? [[String: Any]])?.first?["messageId"] as? String
        case .generic: return json?["id"] as? String
        case .africastalking: return nil
        }
    }

    var description: String { "\(provider) \(method) \(path) → \(answerStatus) to \(to): \(text)" }
}

/// What the double knows: every request, and the answers scripted per provider (default: success).
actor DoubleState {
    private(set) var requests: [RecordedRequest] = []
    private var scripts: [Provider: [Scripted]] = [:]
    private var gates: [Gate] = []
    private var counter = 0

    func script(_ provider: Provider, _ answers: [Scripted]) {
        scripts[provider, default: []] += answers
        for answer in answers { collectGates(answer) }
    }

    private func collectGates(_ answer: Scripted) {
        if case .held(let gate, let then) = answer {
            gates.append(gate)
            collectGates(then)
        }
    }

    func next(_ provider: Provider) -> Scripted {
        guard var queue = scripts[provider], !queue.isEmpty else { return .success }
        let answer = queue.removeFirst()
        scripts[provider] = queue
        return answer
    }

    func nextNumber() -> Int {
        counter += 1
        return counter
    }

    func record(_ request: RecordedRequest) { requests.append(request) }

    /// Lets every held request go, so a test that fails midway never leaves the server hanging.
    func openAllGates() { for gate in gates { gate.open() } }
}

/// A test double of every provider's send API on 127.0.0.1, answering as each provider documents.
struct ProviderDouble: Sendable {
    let port: Int
    let state: DoubleState

    /// Runs `body` with a double listening on 127.0.0.1 (port chosen by the system), then stops it.
    static func with<T: Sendable>(_ body: @Sendable (ProviderDouble) async throws -> T) async throws -> T {
        await Harness.limiter.acquire()
        do {
            let result = try await run(body)
            await Harness.limiter.release()
            return result
        } catch {
            await Harness.limiter.release()
            throw error
        }
    }

    private static func run<T: Sendable>(_ body: @Sendable (ProviderDouble) async throws -> T) async throws -> T {
        let state = DoubleState()
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router(state),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "provider-double"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: Harness.logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw HarnessError("the provider double did not start") }
            let double = ProviderDouble(port: port, state: state)
            do {
                let result = try await body(double)
                await state.openAllGates()
                group.cancelAll()
                return result
            } catch {
                await state.openAllGates()
                group.cancelAll()
                throw error
            }
        }
    }

    // MARK: Scripting and inspection

    func script(_ provider: Provider, _ answers: Scripted...) async { await state.script(provider, answers) }

    func requests(_ provider: Provider? = nil) async -> [RecordedRequest] {
        await state.requests.filter { provider == nil || $0.provider == provider }
    }

    /// Requests that asked to send to `phone` (E.164), in arrival order, whatever they were answered.
    func sent(to phone: String) async -> [RecordedRequest] {
        await state.requests.filter { $0.to == phone }
    }

    /// Waits until `count` requests for `phone` arrived.
    @discardableResult
    func waitForSent(to phone: String, count: Int, timeout: Duration = Harness.timeout,
                     sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> [RecordedRequest] {
        try await Harness.eventually("\(count) send request(s) to \(phone) at the double", timeout: timeout, sourceLocation: sourceLocation) {
            let sent = await sent(to: phone)
            return sent.count >= count ? sent : nil
        }
    }

    // MARK: Routes

    private static func router(_ state: DoubleState) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.post("/2010-04-01/Accounts/:sid/Messages.json") { request, context in
            try await handle(.twilio, request, context, state)
        }
        router.post("/version1/messaging") { request, context in try await handle(.africastalking, request, context, state) }
        router.post("/sms/json") { request, context in try await handle(.vonage, request, context, state) }
        router.post("/sms/3/messages") { request, context in try await handle(.infobip, request, context, state) }
        router.get("/cgi-bin/sendsms") { request, context in try await handle(.kannel, request, context, state) }
        router.post("/cgi-bin/sendsms") { request, context in try await handle(.kannel, request, context, state) }
        router.post("/aggregator/send") { request, context in try await handle(.generic, request, context, state) }
        return router
    }

    private static func handle(_ provider: Provider, _ request: Request, _ context: BasicRequestContext, _ state: DoubleState) async throws
        -> Response
    {
        let arrived = ContinuousClock.now
        let body = Array(buffer: try await request.body.collect(upTo: 1 << 20))
        let headers = request.headers.map { GatewayField($0.name.rawName, $0.value) }
        var incoming = RecordedRequest(
            provider: provider, method: request.method.rawValue, path: request.uri.path, rawQuery: request.uri.query ?? "",
            headers: headers, body: body, receivedAt: arrived, providerMessageID: nil, answerStatus: 0)
        if let refusal = authenticationFailure(incoming, sidInPath: context.parameters.get("sid")) {
            incoming = incoming.answered(refusal.status.code, ids: [])
            await state.record(incoming)
            return refusal
        }
        var plan = await state.next(provider)
        var gate: Gate?
        if case .held(let held, let then) = plan {
            gate = held
            plan = then
        }
        let number = await state.nextNumber()
        let (response, ids) = answer(plan, for: incoming, number: number)
        await state.record(incoming.answered(response.status.code, ids: ids))
        if let gate { await gate.wait() }
        return response
    }

    /// The provider's own answer to wrong credentials; nil when they are right.
    private static func authenticationFailure(_ request: RecordedRequest, sidInPath: String?) -> Response? {
        switch request.provider {
        case .twilio:
            let expected = Wire.basic(Secrets.twilioAccountSID, Secrets.twilioAuthToken)
            guard request.header("Authorization") == expected, sidInPath == Secrets.twilioAccountSID else {
                return json(401, #"{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}"#)
            }
        case .africastalking:
            guard request.header("apiKey") == Secrets.atAPIKey, request.field("username") == Secrets.atUsername else {
                return text(401, "The supplied authentication is invalid")
            }
        case .vonage:
            guard request.field("api_key") == Secrets.vonageAPIKey, request.field("api_secret") == Secrets.vonageAPISecret else {
                return json(200, #"{"message-count":"1","messages":[{"status":"4","error-text":"Bad Credentials"}]}"#)
            }
        case .infobip:
            guard request.header("Authorization") == "App " + Secrets.infobipAPIKey else {
                return json(401, #"{"requestError":{"serviceException":{"messageId":"UNAUTHORIZED","text":"Invalid login details"}}}"#)
            }
        case .kannel:
            guard request.field("username") == Secrets.kannelUsername, request.field("password") == Secrets.kannelPassword else {
                return text(403, "Authorization failed for sendsms")
            }
        case .generic:
            let timestamp = request.header("X-Bridge-Timestamp") ?? ""
            guard let timestampValue = Double(timestamp), abs(timestampValue - Date().timeIntervalSince1970) <= 300,
                  request.header("X-Bridge-Signature") == Signing.generic(secret: Secrets.genericSecret, timestamp: timestamp, body: request.body)
            else {
                return text(403, "invalid X-Bridge-Signature")
            }
        }
        return nil
    }

    /// The documented answer for `plan`, and the provider message ids it carries (one per part for Vonage).
    private static func answer(_ plan: Scripted, for request: RecordedRequest, number: Int) -> (Response, [String]) {
        if case .held(_, let then) = plan { return answer(then, for: request, number: number) }
        if case .vonage = request.provider, case .success = plan { return vonageParts(request, number: number) }
        let (response, id) = singleAnswer(plan, for: request, number: number)
        return (response, id.map { [$0] } ?? [])
    }

    /// Vonage answers one element per SMS part (§4.d): 70/67 UCS-2 units for `type=unicode`, else 160/153 septets.
    private static func vonageParts(_ request: RecordedRequest, number: Int) -> (Response, [String]) {
        let unicode = request.field("type") == "unicode"
        let units = unicode ? request.text.utf16.count : request.text.unicodeScalars.reduce(0) { $0 + ("[]{}|~^\\€".unicodeScalars.contains($1) ? 2 : 1) }
        let (single, part) = unicode ? (70, 67) : (160, 153)
        let count = units <= single ? 1 : (units + part - 1) / part
        let to = request.field("to") ?? ""
        let ids = (1...count).map { String(format: "0C%010X%04X", number, $0) }
        let elements = ids.map {
            #"{"to":"\#(to)","message-id":"\#($0)","status":"0","remaining-balance":"3.14159265","message-price":"0.03330000","network":"22101"}"#
        }
        return (json(200, #"{"message-count":"\#(count)","messages":[\#(elements.joined(separator: ","))]}"#), ids)
    }

    private static func singleAnswer(_ plan: Scripted, for request: RecordedRequest, number: Int) -> (Response, String?) {
        switch (request.provider, plan) {
        case (_, .held(_, let then)):
            return singleAnswer(then, for: request, number: number)

        // Twilio (§2.d): 201 with a Message resource; errors as {code, message, more_info, status}.
        case (.twilio, .success):
            let sid = "SM" + String(format: "%032x", number)
            let to = Wire.formEscape(request.to)
            let resource = """
                {"account_sid":"\(Secrets.twilioAccountSID)","api_version":"2010-04-01","body":\(quoted(request.text)),\
                "direction":"outbound-api","error_code":null,"error_message":null,"from":\(quoted(request.field("From") ?? "")),\
                "messaging_service_sid":null,"num_media":"0","num_segments":"1","price":null,"price_unit":"USD","sid":"\(sid)",\
                "status":"queued","to":"\(request.to)","uri":"/2010-04-01/Accounts/\(Secrets.twilioAccountSID)/Messages/\(sid).json?to=\(to)"}
                """
            return (json(201, resource), sid)
        case (.twilio, .serverError), (.twilio, .providerRetryable):
            return (json(503, twilioError(20503, "Service Unavailable", 503)), nil)
        case (.twilio, .throttled(let retryAfter)):
            return (json(429, twilioError(20429, "Too Many Requests", 429), retryAfter: retryAfter), nil)
        case (.twilio, .finalError):
            return (json(400, twilioError(21211, "The 'To' number \(request.to) is not a valid phone number.", 400)), nil)
        case (.twilio, .optOut):
            return (json(400, twilioError(21610, "Attempt to send to unsubscribed recipient", 400)), nil)

        // Africa's Talking (§3.d): 201 {"SMSMessageData":{"Message", "Recipients":[{statusCode, number, status, cost, messageId}]}}.
        case (.africastalking, .success):
            let id = "ATXid_" + String(format: "%08x", number) + "a1b2c3d4e5f6a7b8c9d0e1f2"
            return (json(201, atBody(101, "Success", request.to, id: id, cost: "MAD 0.3000")), id)
        case (.africastalking, .providerRetryable):
            return (json(201, atBody(500, "InternalServerError", request.to, id: "None", cost: "0")), nil)
        case (.africastalking, .serverError):
            return (text(503, "Service Temporarily Unavailable"), nil)
        case (.africastalking, .throttled(let retryAfter)):
            return (text(429, "Too Many Requests", retryAfter: retryAfter), nil)
        case (.africastalking, .finalError):
            return (json(201, atBody(403, "InvalidPhoneNumber", request.to, id: "None", cost: "0")), nil)
        case (.africastalking, .optOut):
            return (json(201, atBody(406, "UserInBlacklist", request.to, id: "None", cost: "0")), nil)

        // Vonage (§4.d): HTTP 200 even for errors; each part's "status" decides. Success: `vonageParts`.
        case (.vonage, .success):
            return (vonageParts(request, number: number).0, nil)
        case (.vonage, .providerRetryable):
            return (json(200, #"{"message-count":"1","messages":[{"status":"1","error-text":"Throughput Rate Exceeded - please wait [ 1000 ] and retry"}]}"#), nil)
        case (.vonage, .serverError):
            return (text(503, "Service Unavailable"), nil)
        case (.vonage, .throttled(let retryAfter)):
            return (text(429, "Too Many Requests", retryAfter: retryAfter), nil)
        case (.vonage, .finalError), (.vonage, .optOut):
            return (json(200, #"{"message-count":"1","messages":[{"to":"\#(request.field("to") ?? "")","status":"6","error-text":"Invalid Message"}]}"#), nil)

        // Infobip (§5.d): {"bulkId", "messages":[{messageId, status{groupId, groupName, id, name, description}, destination}]}.
        case (.infobip, .success):
            let id = request.ourID ?? "ib-\(number)"
            let destination = String(request.to.dropFirst())
            return (json(200, """
                {"bulkId":"bulk-\(number)","messages":[{"messageId":"\(id)","status":{"groupId":1,"groupName":"PENDING",\
                "id":26,"name":"PENDING_ACCEPTED","description":"Message sent to next instance"},"destination":"\(destination)"}]}
                """), id)
        case (.infobip, .finalError), (.infobip, .optOut):
            let destination = String(request.to.dropFirst())
            return (json(200, """
                {"bulkId":"bulk-\(number)","messages":[{"messageId":"\(request.ourID ?? "")","status":{"groupId":5,"groupName":"REJECTED",\
                "id":52,"name":"REJECTED_DESTINATION","description":"Invalid destination address"},"destination":"\(destination)"}]}
                """), nil)
        case (.infobip, .serverError), (.infobip, .providerRetryable):
            return (json(503, #"{"requestError":{"serviceException":{"messageId":"GENERAL_ERROR","text":"Something went wrong"}}}"#), nil)
        case (.infobip, .throttled(let retryAfter)):
            return (json(429, #"{"requestError":{"serviceException":{"messageId":"TOO_MANY_REQUESTS","text":"Too many requests"}}}"#,
                         retryAfter: retryAfter), nil)

        // Kannel (§6.d): 202 "0: Accepted for delivery"; 503 temporal failure; 4xx final. No message id.
        case (.kannel, .success):
            return (text(202, "0: Accepted for delivery"), nil)
        case (.kannel, .serverError), (.kannel, .providerRetryable):
            return (text(503, "Temporal failure, try again later."), nil)
        case (.kannel, .throttled(let retryAfter)):
            return (text(429, "Too many requests", retryAfter: retryAfter), nil)
        case (.kannel, .finalError), (.kannel, .optOut):
            return (text(403, "Not routable. Do not try again."), nil)

        // Generic contract (§9): 2xx with an optional {"message_id"}; 429 and 5xx retry; other statuses fail.
        case (.generic, .success):
            let id = "agg-\(number)"
            return (json(200, #"{"message_id":"\#(id)"}"#), id)
        case (.generic, .serverError), (.generic, .providerRetryable):
            return (text(503, "aggregator busy"), nil)
        case (.generic, .throttled(let retryAfter)):
            return (text(429, "slow down", retryAfter: retryAfter), nil)
        case (.generic, .finalError), (.generic, .optOut):
            return (text(400, "invalid destination"), nil)
        }
    }

    private static func twilioError(_ code: Int, _ message: String, _ status: Int) -> String {
        #"{"code":\#(code),"message":\#(quoted(message)),"more_info":"https://www.twilio.com/docs/errors/\#(code)","status":\#(status)}"#
    }

    private static func atBody(_ code: Int, _ status: String, _ number: String, id: String, cost: String) -> String {
        let accepted = (100...102).contains(code) ? 1 : 0
        return """
            {"SMSMessageData":{"Message":"Sent to \(accepted)/1 Total Cost: \(cost)","Recipients":[{"statusCode":\(code),\
            "number":"\(number)","status":"\(status)","cost":"\(cost)","messageId":"\(id)"}]}}
            """
    }

    private static func quoted(_ text: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])
        let array = data.map { String(decoding: $0, as: UTF8.self) } ?? "[\"\"]"
        return String(array.dropFirst().dropLast())
    }

    private static func json(_ status: Int, _ body: String, retryAfter: Int? = nil) -> Response {
        response(status, "application/json; charset=utf-8", body, retryAfter: retryAfter)
    }

    private static func text(_ status: Int, _ body: String, retryAfter: Int? = nil) -> Response {
        response(status, "text/plain; charset=utf-8", body, retryAfter: retryAfter)
    }

    private static func response(_ status: Int, _ contentType: String, _ body: String, retryAfter: Int?) -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

extension RecordedRequest {
    func answered(_ status: Int, ids: [String]) -> RecordedRequest {
        RecordedRequest(
            provider: provider, method: method, path: path, rawQuery: rawQuery, headers: headers, body: body, receivedAt: receivedAt,
            providerMessageID: ids.first, partIDs: ids, answerStatus: status)
    }
}

