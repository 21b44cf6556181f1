import BridgeCore
import Foundation

/// Vonage (ex-Nexmo) SMS API (reference §4). The Messages API, with JWT-signed webhooks, is a
/// different product and not handled here.
///
/// Secrets: `api_key`, `api_secret` (sending); `signature_secret` and `signature_method`
/// (`md5hash` default, `md5`, `sha1`, `sha256`, `sha512` — the dashboard's choice) to verify
/// signed webhooks; or `path_token` when signing is not enabled on the account.
///
/// Inbound and delivery receipts arrive as GET (query), POST (form) or POST-JSON. With a
/// signature secret, `sig` is required and `timestamp` must be within ±300 s of arrival.
/// Requests with no message fields at all (the dashboard's URL check) pass and are ignored.
public struct VonageGateway: GatewayAdapter {
    public let settings: GatewaySettings

    public init(settings: GatewaySettings) { self.settings = settings }

    /// Replay window around the bridge clock (Vonage gives none; bridge policy).
    static let timestampWindow: TimeInterval = 300

    /// Field names that make a request more than a URL check.
    private static let payloadFields = ["msisdn", "to", "text", "messageId", "status", "message-timestamp"]

    // MARK: Verify

    public func verify(_ request: GatewayRequest, route: GatewayRoute) throws(GatewayError) {
        try request.checkSize()
        guard request.method == "POST" || request.method == "GET" else { throw .unsupported("method \(request.method)") }
        let fields = try parameters(request)
        if !fields.contains(where: { Self.payloadFields.contains($0.name) }) { return }
        if let secret = settings.secret("signature_secret") {
            let configured = settings.secret("signature_method") ?? "md5hash"
            guard let method = VonageSignatureMethod(configured: configured) else {
                throw .misconfigured("signature_method '\(configured)' is not one of md5hash, md5, sha1, sha256, sha512")
            }
            guard let sig = fields.nonEmpty("sig") else { throw .forbidden("unsigned request on a signed Vonage gateway") }
            guard let timestamp = fields.nonEmpty("timestamp").flatMap(GatewayTime.unix) else {
                throw .forbidden("signed request without a valid timestamp")
            }
            guard abs(timestamp.timeIntervalSince(request.receivedAt)) <= Self.timestampWindow else {
                throw .forbidden("timestamp outside the ±\(Int(Self.timestampWindow)) s window (replay or clock skew)")
            }
            // Our own `token` query field, if the URL was configured with one, is not Vonage's to sign.
            let candidates = [fields, fields.filter { $0.name != "token" }]
            guard candidates.contains(where: { VonageSignature.isValid($0, sig: sig, secret: secret, method: method) }) else {
                throw .forbidden("invalid sig (check signature_secret and signature_method)")
            }
        } else if settings.secret("path_token") != nil {
            try Signatures.checkPathToken(request, settings: settings)
        } else {
            throw .misconfigured("neither signature_secret nor path_token is set for gateway '\(settings.id)'")
        }
    }

    /// GET query, POST form or POST-JSON (values as strings), as the dashboard allows.
    func parameters(_ request: GatewayRequest) throws(GatewayError) -> [GatewayField] {
        guard request.method == "POST", request.isJSON else { return try request.parameters() }
        guard let object = try request.json().object else { throw .malformed(field: "body", reason: "is not a JSON object") }
        return object.keys.sorted().compactMap { key in object[key]?.text.map { GatewayField(key, $0) } }
    }

    // MARK: Inbound

    /// One message, or one part of a multipart message (`concat` set) for `ConcatAssembler`.
    /// Requests without `to` are the dashboard's probe; binary messages are ignored.
    public func parseInbound(_ request: GatewayRequest) throws(GatewayError) -> [GatewayInbound] {
        let fields = try parameters(request)
        guard let to = fields.nonEmpty("to") else { return [] }
        guard let rawFrom = fields.nonEmpty("msisdn") else { throw .malformed(field: "msisdn") }
        if fields.first(named: "type") == "binary" { return [] }
        guard let from = try SenderAddress.e164(rawFrom, region: settings.region, typeOfNumber: .international, field: "msisdn") else {
            return []
        }
        let text = try TextDecoding.messageText(fields.first(named: "text") ?? "")
        let date = fields.nonEmpty("message-timestamp").flatMap(GatewayTime.parse) ?? request.receivedAt
        var concat: ConcatPart?
        if fields.first(named: "concat") == "true" || fields.nonEmpty("concat-ref") != nil {
            guard let reference = fields.nonEmpty("concat-ref") else { throw .malformed(field: "concat-ref") }
            guard let total = fields.nonEmpty("concat-total").flatMap({ Int($0) }), total >= 1 else {
                throw .malformed(field: "concat-total", reason: "is not a part count")
            }
            guard let part = fields.nonEmpty("concat-part").flatMap({ Int($0) }), (1...total).contains(part) else {
                throw .malformed(field: "concat-part", reason: "is not between 1 and concat-total")
            }
            concat = ConcatPart(reference: reference, total: total, part: part)
        }
        return [
            GatewayInbound(
                providerMessageID: fields.nonEmpty("messageId"), from: from, to: to, text: text, receivedAt: date,
                concat: concat)
        ]
    }

    /// 200 with an empty body; anything else makes Vonage re-send for 24 h.
    public func answer(for inbound: [GatewayInbound], replies: [String], endsSession: Bool) -> GatewayResponse {
        inbound.isEmpty ? .ignored : .empty
    }

    // MARK: Send

    public func sendRequest(_ message: OutboundSMS, at now: Date) throws(GatewayError) -> HTTPRequestSpec {
        let to = try SenderAddress.requireE164(message.to)
        let text = try TextDecoding.messageText(message.text)
        let from = settings.sender.hasPrefix("+") ? SenderAddress.digitsOnly(settings.sender) : settings.sender
        let form = [
            GatewayField("api_key", try settings.requiredSecret("api_key")),
            GatewayField("api_secret", try settings.requiredSecret("api_secret")),
            GatewayField("from", from),
            GatewayField("to", SenderAddress.digitsOnly(to)),
            GatewayField("text", text),
            GatewayField("type", GSM7Alphabet.isEncodable(text) ? "text" : "unicode"),
            GatewayField("status-report-req", "1"),
            GatewayField("callback", settings.callbackURL(route: .status, override: message.statusCallbackURL, extra: [])),
            GatewayField("client-ref", message.id),
        ]
        let base = try settings.apiBase(default: "https://rest.nexmo.com")
        return HTTPRequestSpec(
            method: "POST", url: base + "/sms/json",
            headers: [GatewayField("Content-Type", "application/x-www-form-urlencoded"), GatewayField("Accept", "application/json")],
            body: Array(PercentEncoding.formEncode(form).utf8))
    }

    /// Vonage answers 200 even for errors: each part's `status` decides (§4.d).
    public func classifySendResponse(status: Int, headers: [GatewayField], body: [UInt8]) -> SendOutcome {
        if let outcome = HTTPOutcome.classify(status: status, headers: headers, detail: HTTPOutcome.excerpt(body)) { return outcome }
        guard let json = JSONValue.parse(body), let parts = json["messages"]?.array, !parts.isEmpty else {
            return .fail(reason: "unreadable response: \(HTTPOutcome.excerpt(body))", optOut: false)
        }
        for part in parts {
            let code = part["status"]?.int ?? -1
            guard code != 0 else { continue }
            let text = part["error-text"]?.text ?? ""
            switch code {
            case 1: return .retry(reason: "throttled (1): \(text)", retryAfter: nil)
            case 5: return .retry(reason: "Vonage internal error (5): \(text)", retryAfter: nil)
            case 4: return .fail(reason: "invalid credentials (4): check api_key and api_secret", optOut: false)
            case 9: return .fail(reason: "partner quota exceeded (9): account out of credit", optOut: false)
            default: return .fail(reason: "Vonage status \(code): \(text)", optOut: false)
            }
        }
        let ids = parts.compactMap { $0["message-id"]?.nonEmptyText }
        return .ok(providerMessageID: ids.first, partIDs: ids.count > 1 ? ids : [])
    }

    // MARK: Delivery receipts

    /// One receipt per part; without `messageId` it is a URL check.
    public func parseDeliveryReports(_ request: GatewayRequest) throws(GatewayError) -> [DeliveryReport] {
        let fields = try parameters(request)
        guard let messageID = fields.nonEmpty("messageId"), let value = fields.nonEmpty("status"), let status = Self.status(value) else {
            return []
        }
        let errorCode = fields.nonEmpty("err-code").flatMap { $0 == "0" ? nil : $0 }
        return [DeliveryReport(ourID: fields.nonEmpty("client-ref"), providerMessageID: messageID, status: status, errorCode: errorCode)]
    }

    /// Vonage DLR `status` → canonical (§4.e); nil for values to ignore.
    static func status(_ value: String) -> DeliveryStatus? {
        switch value.lowercased() {
        case "delivered": .delivered
        case "accepted", "buffered", "unknown": .sent
        case "expired", "failed", "rejected": .failed
        default: nil
        }
    }
}
