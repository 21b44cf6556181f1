import BridgeCore
import Foundation

/// Infobip SMS (reference §5): JSON both ways, several messages or reports per POST.
///
/// Secrets: `base_url` (per account, `https://xxxxx.api.infobip.com`); `api_key` for
/// `Authorization: App …` (or `username` + `password` for Basic) when sending. Inbound
/// webhooks are authenticated by the Subscription's Basic credentials (`webhook_username`,
/// `webhook_password`) or, failing that, by `path_token` in the URL.
///
/// Sending uses `POST /sms/3/messages`, with our UUID as `destinations[].messageId` (so delivery
/// reports carry it) and a per-message `webhooks.delivery.url`.
public struct InfobipGateway: GatewayAdapter {
    public let settings: GatewaySettings

    public init(settings: GatewaySettings) { self.settings = settings }

    // MARK: Verify

    public func verify(_ request: GatewayRequest, route: GatewayRoute) throws(GatewayError) {
        try request.checkSize()
        guard request.method == "POST" else { throw .unsupported("method \(request.method); Infobip posts JSON") }
        if let user = settings.secret("webhook_username"), let password = settings.secret("webhook_password") {
            guard Signatures.basicMatches(request.header("Authorization"), user: user, password: password) else {
                throw .forbidden("Basic credentials missing or wrong (check the Subscription's security settings)")
            }
        } else if settings.secret("path_token") != nil {
            try Signatures.checkPathToken(request, settings: settings)
        } else {
            throw .misconfigured("neither webhook_username/webhook_password nor path_token is set for gateway '\(settings.id)'")
        }
    }

    private func results(_ request: GatewayRequest) throws(GatewayError) -> [JSONValue]? {
        let json = try request.json()
        if json["messageCount"]?.int == 0 { return nil }
        guard let results = json["results"]?.array else { throw .malformed(field: "results") }
        return results
    }

    // MARK: Inbound

    /// Every result of an MO_JSON_2 post; `messageCount: 0` is ignored.
    public func parseInbound(_ request: GatewayRequest) throws(GatewayError) -> [GatewayInbound] {
        guard let results = try results(request) else { return [] }
        var messages: [GatewayInbound] = []
        for (index, result) in results.enumerated() {
            guard let rawFrom = result["from"]?.nonEmptyText else { throw .malformed(field: "results[\(index)].from") }
            guard let to = result["to"]?.nonEmptyText else { throw .malformed(field: "results[\(index)].to") }
            guard let text = result["text"]?.text else { continue }  // MMS-style segments: not SMS
            guard let from = try SenderAddress.e164(rawFrom, region: settings.region, typeOfNumber: .international, field: "results[\(index)].from")
            else { continue }
            messages.append(
                GatewayInbound(
                    providerMessageID: result["messageId"]?.nonEmptyText, from: from, to: to,
                    text: try TextDecoding.messageText(text),
                    receivedAt: result["receivedAt"]?.text.flatMap(GatewayTime.parse) ?? request.receivedAt))
        }
        return messages
    }

    /// Any 2xx; the body is ignored.
    public func answer(for inbound: [GatewayInbound], replies: [String], endsSession: Bool) -> GatewayResponse {
        inbound.isEmpty ? .ignored : .empty
    }

    // MARK: Send

    public func sendRequest(_ message: OutboundSMS, at now: Date) throws(GatewayError) -> HTTPRequestSpec {
        let to = try SenderAddress.requireE164(message.to)
        let text = try TextDecoding.messageText(message.text)
        let authorization: String
        if let key = settings.secret("api_key") {
            authorization = "App " + key
        } else if let user = settings.secret("username"), let password = settings.secret("password") {
            authorization = Signatures.basicAuthorization(user: user, password: password)
        } else {
            throw .misconfigured("neither api_key nor username/password is set for gateway '\(settings.id)'")
        }
        let base = try settings.apiBase(default: nil)
        let sender = settings.sender.hasPrefix("+") ? SenderAddress.digitsOnly(settings.sender) : settings.sender
        let callback = settings.callbackURL(route: .status, override: message.statusCallbackURL, extra: [])
        let payload: JSONValue = .object([
            "messages": .array([
                .object([
                    "sender": .string(sender),
                    "destinations": .array([.object(["to": .string(SenderAddress.digitsOnly(to)), "messageId": .string(message.id)])]),
                    "content": .object(["text": .string(text)]),
                    "webhooks": .object([
                        "delivery": .object(["url": .string(callback), "intermediateReport": .bool(true)]),
                        "contentType": .string("application/json"),
                        "callbackData": .string(message.id),
                    ]),
                ])
            ])
        ])
        return HTTPRequestSpec(
            method: "POST", url: base + "/sms/3/messages",
            headers: [
                GatewayField("Authorization", authorization),
                GatewayField("Content-Type", "application/json"),
                GatewayField("Accept", "application/json"),
            ],
            body: JSONText.encode(payload))
    }

    /// Group 1 (PENDING) or 3 (DELIVERED) is ok; group 5 (REJECTED) and anything else fail.
    public func classifySendResponse(status: Int, headers: [GatewayField], body: [UInt8]) -> SendOutcome {
        let json = JSONValue.parse(body)
        if !(200..<300).contains(status) {
            let text = json?["requestError"]?["serviceException"]?["text"]?.text ?? HTTPOutcome.excerpt(body)
            return HTTPOutcome.classify(status: status, headers: headers, detail: text) ?? .fail(reason: text, optOut: false)
        }
        guard let message = json?["messages"]?.array?.first, let statusObject = message["status"] else {
            return .fail(reason: "unreadable response: \(HTTPOutcome.excerpt(body))", optOut: false)
        }
        let group = statusObject["groupId"]?.int
        let name = statusObject["name"]?.text ?? "unknown"
        switch group {
        case 1?, 3?:
            return .ok(providerMessageID: message["messageId"]?.nonEmptyText)
        default:
            let alert = name == "REJECTED_NOT_ENOUGH_CREDITS" ? " (account out of credit)" : ""
            return .fail(reason: "Infobip \(statusObject["groupName"]?.text ?? "group \(group ?? -1)") \(name)\(alert)", optOut: false)
        }
    }

    // MARK: Delivery reports

    /// Up to `maxBucketSize` reports per post, mapped by status group (§5.e).
    public func parseDeliveryReports(_ request: GatewayRequest) throws(GatewayError) -> [DeliveryReport] {
        guard let results = try results(request) else { return [] }
        return results.compactMap { result -> DeliveryReport? in
            guard let statusObject = result["status"], let status = Self.status(statusObject) else { return nil }
            let messageID = result["messageId"]?.nonEmptyText
            let error = result["error"]
            let errorID = error?["id"]?.int ?? 0
            return DeliveryReport(
                ourID: result["callbackData"]?.nonEmptyText ?? messageID,
                providerMessageID: messageID,
                status: status,
                errorCode: errorID == 0 ? nil : error?["name"]?.text ?? String(errorID),
                retryable: status == .failed && errorID != 0 && error?["permanent"]?.bool == false)
        }
    }

    /// Status group → canonical. `DELIVERED_TO_OPERATOR` (id 2) is intermediate, so `sent`;
    /// EXPIRED is a final failure (courier's "sent" would leave it hanging).
    static func status(_ status: JSONValue) -> DeliveryStatus? {
        let group = status["groupName"]?.text?.uppercased() ?? groupName(status["groupId"]?.int)
        switch group {
        case "PENDING": return .sent
        case "DELIVERED": return status["id"]?.int == 2 ? .sent : .delivered
        case "UNDELIVERABLE", "EXPIRED", "REJECTED": return .failed
        default: return nil
        }
    }

    private static func groupName(_ id: Int?) -> String {
        switch id {
        case 1?: "PENDING"
        case 2?: "UNDELIVERABLE"
        case 3?: "DELIVERED"
        case 4?: "EXPIRED"
        case 5?: "REJECTED"
        default: ""
        }
    }
}

/// Deterministic JSON for request bodies (sorted keys, no escaped slashes), so specs compare
/// byte-for-byte in tests.
enum JSONText {
    static func encode(_ value: JSONValue) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map(Array.init) ?? Array("{}".utf8)
    }
}
