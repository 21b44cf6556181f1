import BridgeCore
import Foundation

/// Africa's Talking SMS and USSD (reference §3): the canonical USSD adapter, since many
/// aggregators copy its `sessionId`/`serviceCode`/`phoneNumber`/`text` in, `CON`/`END` out.
///
/// Secrets: `username` (`sandbox` selects the sandbox API host), `api_key`, `path_token`.
/// Africa's Talking signs nothing, so every callback URL must carry the path token: either as
/// the last path segment or as `?token=…`; it is compared in constant time.
///
/// One `/ussd` URL can serve both the USSD callback and the end-of-session notification: the
/// latter has no `text` and carries `status`/`durationInMillis`, and is read by
/// `parseSessionEnd`.
public struct AfricasTalkingGateway: GatewayAdapter {
    public let settings: GatewaySettings

    public init(settings: GatewaySettings) { self.settings = settings }

    public func verify(_ request: GatewayRequest, route: GatewayRoute) throws(GatewayError) {
        try request.checkSize()
        guard request.method == "POST" || request.method == "GET" else { throw .unsupported("method \(request.method)") }
        try Signatures.checkPathToken(request, settings: settings)
    }

    // MARK: Inbound

    public func parseInbound(_ request: GatewayRequest) throws(GatewayError) -> [GatewayInbound] {
        let fields = try request.parameters()
        if let sessionID = fields.nonEmpty("sessionId") {
            guard fields.first(named: "text") != nil else { return [] }  // end-of-session notification
            return [try ussdTurn(fields, sessionID: sessionID, request: request)]
        }
        guard let rawFrom = fields.nonEmpty("from") else { throw .malformed(field: "from") }
        guard let to = fields.nonEmpty("to") else { throw .malformed(field: "to") }
        guard let from = try SenderAddress.e164(rawFrom, region: settings.region, field: "from") else { return [] }
        let text = try TextDecoding.messageText(fields.first(named: "text") ?? "")
        let date = fields.nonEmpty("date").flatMap(GatewayTime.parse) ?? request.receivedAt
        return [
            GatewayInbound(
                providerMessageID: fields.nonEmpty("id"), from: from, to: to, text: text, receivedAt: date,
                networkCode: fields.nonEmpty("networkCode"))
        ]
    }

    private func ussdTurn(_ fields: [GatewayField], sessionID: String, request: GatewayRequest) throws(GatewayError) -> GatewayInbound {
        guard let rawPhone = fields.nonEmpty("phoneNumber") else { throw .malformed(field: "phoneNumber") }
        guard let serviceCode = fields.nonEmpty("serviceCode") else { throw .malformed(field: "serviceCode") }
        guard let from = try SenderAddress.e164(rawPhone, region: settings.region, field: "phoneNumber") else {
            throw .malformed(field: "phoneNumber", reason: "is not a subscriber number")
        }
        let text = try TextDecoding.messageText(fields.first(named: "text") ?? "")
        return GatewayInbound(
            providerMessageID: sessionID + ":" + text, from: from, to: serviceCode, text: text,
            receivedAt: request.receivedAt, channel: .ussd, ussdSessionID: sessionID, ussdServiceCode: serviceCode,
            networkCode: fields.nonEmpty("networkCode"))
    }

    public func parseSessionEnd(_ request: GatewayRequest) throws(GatewayError) -> USSDSessionEnd? {
        let fields = try request.parameters()
        guard let sessionID = fields.nonEmpty("sessionId"), fields.first(named: "text") == nil else { return nil }
        let raw = fields.first(named: "phoneNumber") ?? ""
        let phone = (try? SenderAddress.e164(raw, region: settings.region, field: "phoneNumber")).flatMap { $0 } ?? raw
        return USSDSessionEnd(
            sessionID: sessionID, phoneNumber: phone, serviceCode: fields.nonEmpty("serviceCode"),
            status: fields.nonEmpty("status"), input: fields.first(named: "input"),
            lastAppResponse: fields.nonEmpty("lastAppResponse"), errorMessage: fields.nonEmpty("errorMessage"),
            durationMillis: fields.nonEmpty("durationInMillis").flatMap { Int($0) })
    }

    /// USSD: `CON <screen>` keeps the session open, `END <screen>` closes it (text/plain).
    /// SMS: 200 with an empty body, which AT ignores; "Ignored" when nothing was taken.
    public func answer(for inbound: [GatewayInbound], replies: [String], endsSession: Bool) -> GatewayResponse {
        guard inbound.contains(where: { $0.channel == .ussd }) else { return inbound.isEmpty ? .ignored : .empty }
        let screen = replies.joined(separator: "\n")
        let verb = endsSession ? "END" : "CON"
        return GatewayResponse(status: 200, contentType: "text/plain; charset=utf-8", body: screen.isEmpty ? verb : verb + " " + screen)
    }

    // MARK: Send

    public func sendRequest(_ message: OutboundSMS, at now: Date) throws(GatewayError) -> HTTPRequestSpec {
        let to = try SenderAddress.requireE164(message.to)
        let text = try TextDecoding.messageText(message.text)
        let username = try settings.requiredSecret("username")
        let apiKey = try settings.requiredSecret("api_key")
        var form = [GatewayField("username", username), GatewayField("to", to), GatewayField("message", text)]
        if !settings.sender.isEmpty { form.append(GatewayField("from", settings.sender)) }
        let host = username == "sandbox" ? "https://api.sandbox.africastalking.com" : "https://api.africastalking.com"
        let base = try settings.apiBase(default: host)
        return HTTPRequestSpec(
            method: "POST", url: base + "/version1/messaging",
            headers: [
                GatewayField("apiKey", apiKey),
                GatewayField("Accept", "application/json"),
                GatewayField("Content-Type", "application/x-www-form-urlencoded"),
            ],
            body: Array(PercentEncoding.formEncode(form).utf8))
    }

    /// HTTP first (429/5xx retry, 401 fail), then `Recipients[0].statusCode` (§3.d).
    public func classifySendResponse(status: Int, headers: [GatewayField], body: [UInt8]) -> SendOutcome {
        if status == 401 { return .fail(reason: "authentication refused (HTTP 401): check username and api_key", optOut: false) }
        if let outcome = HTTPOutcome.classify(status: status, headers: headers, detail: HTTPOutcome.excerpt(body)) { return outcome }
        guard let json = JSONValue.parse(body), let data = json["SMSMessageData"] else {
            return .fail(reason: "unreadable response: \(HTTPOutcome.excerpt(body))", optOut: false)
        }
        guard let recipient = data["Recipients"]?.array?.first else {
            return .fail(reason: "no recipient accepted: \(data["Message"]?.text ?? "")", optOut: false)
        }
        let code = recipient["statusCode"]?.int
        let label = recipient["status"]?.text ?? ""
        switch code {
        case 100?, 101?, 102?:
            return .ok(providerMessageID: recipient["messageId"]?.nonEmptyText)
        case 406?:
            return .fail(reason: "recipient blacklisted us (406 \(label))", optOut: true)
        case 500?, 501?, 502?:
            return .retry(reason: "Africa's Talking \(code ?? 0) \(label)", retryAfter: nil)
        case let code?:
            return .fail(reason: "Africa's Talking \(code) \(label)", optOut: false)
        case nil:
            return label == "Success"
                ? .ok(providerMessageID: recipient["messageId"]?.nonEmptyText)
                : .fail(reason: "recipient status \(label)", optOut: false)
        }
    }

    // MARK: Delivery reports

    public func parseDeliveryReports(_ request: GatewayRequest) throws(GatewayError) -> [DeliveryReport] {
        let fields = try request.parameters()
        guard let id = fields.nonEmpty("id"), let value = fields.nonEmpty("status"), let status = Self.status(value) else { return [] }
        let reason = fields.nonEmpty("failureReason")
        return [
            DeliveryReport(
                ourID: nil, providerMessageID: id, status: status, errorCode: reason,
                optOut: reason?.lowercased() == "userinblacklist")
        ]
    }

    /// AT `status` → canonical (§3.e); nil for values to ignore.
    static func status(_ value: String) -> DeliveryStatus? {
        switch value.lowercased() {
        case "sent", "submitted", "buffered": .sent
        case "success": .delivered
        case "rejected", "failed", "expired": .failed
        default: nil
        }
    }
}
