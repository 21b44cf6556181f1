import BridgeCore
import Crypto
import Foundation

/// The bridge's own gateway contract, for aggregators in Kosovo and Morocco who code to our
/// spec (reference §9).
///
/// ## Contract
///
/// **Signing.** Every request in both directions carries
///
/// - `X-Bridge-Timestamp: <unix seconds>`
/// - `X-Bridge-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>`
///
/// where `secret` is the gateway's `signature_secret`. The receiver recomputes the HMAC over
/// the exact bytes received, compares in constant time, and refuses timestamps more than 300 s
/// from its clock. Several `v1=` values may be sent comma-separated while a secret is rotated;
/// one match is enough.
///
/// **Inbound SMS.** `POST /gateways/{id}/sms`, `Content-Type: application/json`:
///
/// ```json
/// {"id": "aggregator-message-id", "from": "+38344123456", "to": "1234",
///  "text": "Përshëndetje", "received_at": "2025-03-14T09:26:53Z"}
/// ```
///
/// `id` is required and stable across retries (we dedupe on it); `from` is E.164 (national
/// forms are read against the gateway's region); `received_at` (RFC 3339) is optional. Texts
/// are UTF-8, at most 1,600 characters; bodies at most 64 kB. Answer: `200`
/// `{"accepted": 1}`; errors are `4xx` with a plain-text reason (403 bad signature, 400 field
/// missing, 413 too large) and must not be retried unchanged.
///
/// **Delivery status.** `POST /gateways/{id}/status`, signed the same way:
/// `{"id": "<bridge message id>", "status": "sent" | "delivered" | "failed", "error": "…"}`.
/// Other status values are answered `200` and ignored.
///
/// **Outbound SMS.** The bridge `POST`s to the gateway's `send_url`:
/// `{"id": "<bridge message id>", "to": "+383…", "from": "<sender>", "text": "…",
/// "status_url": "https://bridge…/gateways/{id}/status"}`, signed as above. `2xx` is success
/// (an optional `{"message_id": "…"}` is stored); `429` (with `Retry-After`) and `5xx` are
/// retried with backoff; any other status is a permanent failure.
///
/// **Console mode.** Without a `send_url` (and no `sendURL` override) nothing is sent:
/// `sendRequest` throws `GatewayError.consoleMode` and the caller logs and stores the message,
/// which is how demos and the simulator run.
public struct GenericGateway: GatewayAdapter {
    public let settings: GatewaySettings

    public init(settings: GatewaySettings) { self.settings = settings }

    static let timestampWindow: TimeInterval = 300

    // MARK: Signing

    /// `v1=<hex>` for `body` at `timestamp`: what an aggregator (or the simulator) sends in
    /// `X-Bridge-Signature`.
    public static func signature(secret: String, timestamp: String, body: [UInt8]) -> String {
        "v1=" + Signatures.hex(Signatures.hmac(SHA256.self, key: secret, message: Array((timestamp + ".").utf8) + body))
    }

    public func verify(_ request: GatewayRequest, route: GatewayRoute) throws(GatewayError) {
        try request.checkSize()
        guard request.method == "POST" else { throw .unsupported("method \(request.method); the contract is POST with JSON") }
        let secret = try settings.requiredSecret("signature_secret")
        guard let timestamp = request.header("X-Bridge-Timestamp"), let date = GatewayTime.unix(timestamp) else {
            throw .forbidden("missing or invalid X-Bridge-Timestamp")
        }
        guard abs(date.timeIntervalSince(request.receivedAt)) <= Self.timestampWindow else {
            throw .forbidden("X-Bridge-Timestamp outside the ±\(Int(Self.timestampWindow)) s window")
        }
        guard let header = request.header("X-Bridge-Signature") else { throw .forbidden("missing X-Bridge-Signature") }
        let expected = Signatures.hmac(SHA256.self, key: secret, message: Array((timestamp + ".").utf8) + request.body)
        let candidates = header.split(separator: ",").map { $0.trimmingWhitespace(newlines: false) }
        for candidate in candidates where candidate.hasPrefix("v1=") {
            if let given = Signatures.unhex(String(candidate.dropFirst(3))), Signatures.equal(expected, given) { return }
        }
        throw .forbidden("invalid X-Bridge-Signature")
    }

    // MARK: Inbound

    public func parseInbound(_ request: GatewayRequest) throws(GatewayError) -> [GatewayInbound] {
        let json = try request.json()
        guard json.object != nil else { throw .malformed(field: "body", reason: "is not a JSON object") }
        guard let id = json["id"]?.nonEmptyText else { throw .malformed(field: "id") }
        guard let rawFrom = json["from"]?.nonEmptyText else { throw .malformed(field: "from") }
        guard let to = json["to"]?.nonEmptyText else { throw .malformed(field: "to") }
        guard let text = json["text"]?.text else { throw .malformed(field: "text") }
        guard let from = try SenderAddress.e164(rawFrom, region: settings.region, field: "from") else {
            throw .malformed(field: "from", reason: "is not a subscriber number")
        }
        var receivedAt = request.receivedAt
        if let value = json["received_at"]?.nonEmptyText {
            guard let date = GatewayTime.parse(value) else { throw .malformed(field: "received_at", reason: "is not RFC 3339") }
            receivedAt = date
        }
        return [GatewayInbound(providerMessageID: id, from: from, to: to, text: try TextDecoding.messageText(text), receivedAt: receivedAt)]
    }

    public func answer(for inbound: [GatewayInbound], replies: [String], endsSession: Bool) -> GatewayResponse {
        GatewayResponse(status: 200, contentType: "application/json", body: #"{"accepted":\#(inbound.count)}"#)
    }

    public func acknowledge(_ reports: [DeliveryReport]) -> GatewayResponse {
        GatewayResponse(status: 200, contentType: "application/json", body: #"{"accepted":\#(reports.count)}"#)
    }

    // MARK: Send

    public func sendRequest(_ message: OutboundSMS, at now: Date) throws(GatewayError) -> HTTPRequestSpec {
        let to = try SenderAddress.requireE164(message.to)
        let text = try TextDecoding.messageText(message.text)
        guard let url = settings.sendURL ?? settings.secret("send_url") else { throw .consoleMode }
        let secret = try settings.requiredSecret("signature_secret")
        let payload: JSONValue = .object([
            "id": .string(message.id),
            "to": .string(to),
            "from": .string(settings.sender),
            "text": .string(text),
            "status_url": .string(settings.callbackURL(route: .status, override: message.statusCallbackURL, extra: [])),
        ])
        let body = JSONText.encode(payload)
        let timestamp = String(Int(now.timeIntervalSince1970))
        return HTTPRequestSpec(
            method: "POST", url: url,
            headers: [
                GatewayField("Content-Type", "application/json"),
                GatewayField("X-Bridge-Timestamp", timestamp),
                GatewayField("X-Bridge-Signature", Self.signature(secret: secret, timestamp: timestamp, body: body)),
            ],
            body: body)
    }

    public func classifySendResponse(status: Int, headers: [GatewayField], body: [UInt8]) -> SendOutcome {
        if let outcome = HTTPOutcome.classify(status: status, headers: headers, detail: HTTPOutcome.excerpt(body)) { return outcome }
        let json = JSONValue.parse(body)
        return .ok(providerMessageID: json?["message_id"]?.nonEmptyText)
    }

    // MARK: Status

    public func parseDeliveryReports(_ request: GatewayRequest) throws(GatewayError) -> [DeliveryReport] {
        let json = try request.json()
        guard let id = json["id"]?.nonEmptyText else { throw .malformed(field: "id") }
        let status: DeliveryStatus
        switch json["status"]?.text?.lowercased() {
        case "sent"?: status = .sent
        case "delivered"?: status = .delivered
        case "failed"?: status = .failed
        default: return []
        }
        return [DeliveryReport(ourID: id, providerMessageID: nil, status: status, errorCode: json["error"]?.nonEmptyText)]
    }
}
