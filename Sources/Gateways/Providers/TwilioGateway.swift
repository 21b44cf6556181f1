import BridgeCore
import Crypto
import Foundation

/// Twilio Programmable Messaging (reference §2). SMS only: Twilio offers no USSD.
///
/// Secrets: `account_sid`, `auth_token` (signature key and REST password); optionally
/// `api_key` + `api_secret` for REST instead of the auth token, and `webhook_shared_key` when a
/// Webhook Rule signs with HMAC-SHA256. `sender` is our number, or a Messaging Service `MG…`.
///
/// Inbound webhooks and status callbacks are signed with `X-Twilio-Signature`: HMAC-SHA1 (or
/// SHA-256 under a Webhook Rule) over the full URL plus, for form POSTs, every parameter name
/// and value sorted by name. Repeated names follow the official SDK (values sorted and
/// de-duplicated). The URL is rebuilt from `publicBaseURL`, and is accepted with or without the
/// scheme's default port, as the SDK does.
public struct TwilioGateway: GatewayAdapter {
    public let settings: GatewaySettings

    public init(settings: GatewaySettings) { self.settings = settings }

    static let emptyTwiML = #"<?xml version="1.0" encoding="UTF-8"?><Response/>"#

    // MARK: Verify

    public func verify(_ request: GatewayRequest, route: GatewayRoute) throws(GatewayError) {
        try request.checkSize()
        guard request.method == "POST" || request.method == "GET" else { throw .unsupported("method \(request.method)") }
        guard let given = request.header("X-Twilio-Signature"), !given.isEmpty else {
            throw .forbidden("missing X-Twilio-Signature")
        }
        guard let givenBytes = Signatures.unbase64(given) else { throw .forbidden("X-Twilio-Signature is not base64") }

        let useSHA256: Bool
        let key: String
        if let settingsHeader = request.header("X-Twilio-Webhooks-Signature-Settings") {
            guard settingsHeader.uppercased().contains("ALGORITHM=HMAC_SHA256") else {
                throw .forbidden("unsupported signature algorithm in X-Twilio-Webhooks-Signature-Settings")
            }
            useSHA256 = true
            // A request claiming a Webhook Rule we were not configured for cannot be verified: refuse it (403), not 500.
            guard let shared = settings.secret("webhook_shared_key") else {
                throw .forbidden("signed with a Webhook Rule, but this gateway has no webhook_shared_key")
            }
            key = shared
        } else {
            useSHA256 = false
            key = try settings.requiredSecret("auth_token")
        }

        var suffix: [UInt8] = []
        if request.method == "POST", request.isJSON {
            try checkBodyHash(request)
        } else if request.method == "POST", !request.body.isEmpty {
            suffix = Self.signedParameters(try request.formFields())
        }
        let url = request.fullURL(publicBaseURL: settings.publicBaseURL)
        for candidate in Self.urlVariants(url) {
            let message = Array(candidate.utf8) + suffix
            let expected =
                useSHA256
                ? Signatures.hmac(SHA256.self, key: key, message: message)
                : Signatures.hmac(Insecure.SHA1.self, key: key, message: message)
            if Signatures.equal(expected, givenBytes) { return }
        }
        throw .forbidden("invalid X-Twilio-Signature (check auth_token and publicBaseURL)")
    }

    /// Sorted names, each name's values sorted and de-duplicated (twilio-python), concatenated.
    static func signedParameters(_ fields: [GatewayField]) -> [UInt8] {
        var output: [UInt8] = []
        for name in Set(fields.map(\.name)).sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let values = Set(fields.all(named: name)).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for value in values { output += Array(name.utf8) + Array(value.utf8) }
        }
        return output
    }

    /// The URL as configured, and with the default port added or removed.
    static func urlVariants(_ url: String) -> [String] {
        guard var components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else { return [url] }
        let defaultPort = scheme == "https" ? 443 : scheme == "http" ? 80 : nil
        guard let defaultPort else { return [url] }
        if components.port == nil {
            components.port = defaultPort
        } else if components.port == defaultPort {
            components.port = nil
        } else {
            return [url]
        }
        return [url, components.string].compactMap { $0 }
    }

    /// JSON webhooks sign the URL only; the body is bound by `bodySHA256` in the query.
    private func checkBodyHash(_ request: GatewayRequest) throws(GatewayError) {
        guard let hash = try request.queryFields().first(named: "bodySHA256"), let expected = Signatures.unhex(hash) else {
            throw .forbidden("JSON webhook without bodySHA256")
        }
        guard Signatures.equal(Array(SHA256.hash(data: request.body)), expected) else {
            throw .forbidden("bodySHA256 does not match the body")
        }
    }

    // MARK: Inbound

    public func parseInbound(_ request: GatewayRequest) throws(GatewayError) -> [GatewayInbound] {
        let fields = try request.parameters()
        guard let sid = fields.nonEmpty("MessageSid") ?? fields.nonEmpty("SmsMessageSid") ?? fields.nonEmpty("SmsSid") else {
            throw .malformed(field: "MessageSid")
        }
        guard let rawFrom = fields.nonEmpty("From") else { throw .malformed(field: "From") }
        guard let to = fields.nonEmpty("To") else { throw .malformed(field: "To") }
        guard !rawFrom.contains(":") else { return [] }  // whatsapp:, messenger: … are other channels
        guard let from = try SenderAddress.e164(rawFrom, region: settings.region, field: "From") else { return [] }
        let text = try TextDecoding.messageText(fields.first(named: "Body") ?? "")
        return [GatewayInbound(providerMessageID: sid, from: from, to: to, text: text, receivedAt: request.receivedAt)]
    }

    /// Always empty TwiML with `text/xml`: replies go through the REST API so they are tracked,
    /// and anything else (JSON, HTML) is Twilio error 12300.
    public func answer(for inbound: [GatewayInbound], replies: [String], endsSession: Bool) -> GatewayResponse {
        GatewayResponse(status: 200, contentType: "text/xml", body: Self.emptyTwiML)
    }

    public func acknowledge(_ reports: [DeliveryReport]) -> GatewayResponse {
        GatewayResponse(status: 200, contentType: "text/xml", body: Self.emptyTwiML)
    }

    // MARK: Send

    public func sendRequest(_ message: OutboundSMS, at now: Date) throws(GatewayError) -> HTTPRequestSpec {
        let to = try SenderAddress.requireE164(message.to)
        let text = try TextDecoding.messageText(message.text)
        let accountSID = try settings.requiredSecret("account_sid")
        let authorization: String
        if let key = settings.secret("api_key"), let secret = settings.secret("api_secret") {
            authorization = Signatures.basicAuthorization(user: key, password: secret)
        } else {
            authorization = Signatures.basicAuthorization(user: accountSID, password: try settings.requiredSecret("auth_token"))
        }
        var form = [GatewayField("To", to)]
        if settings.sender.hasPrefix("MG") {
            form.append(GatewayField("MessagingServiceSid", settings.sender))
        } else {
            form.append(GatewayField("From", settings.sender))
        }
        form.append(GatewayField("Body", text))
        let callback = settings.callbackURL(route: .status, override: message.statusCallbackURL, extra: [GatewayField("uuid", message.id)])
        form.append(GatewayField("StatusCallback", callback))
        let base = try settings.apiBase(default: "https://api.twilio.com")
        return HTTPRequestSpec(
            method: "POST",
            url: base + "/2010-04-01/Accounts/" + PercentEncoding.encode(accountSID) + "/Messages.json",
            headers: [
                GatewayField("Authorization", authorization),
                GatewayField("Content-Type", "application/x-www-form-urlencoded"),
                GatewayField("Accept", "application/json"),
            ],
            body: Array(PercentEncoding.formEncode(form).utf8))
    }

    public func classifySendResponse(status: Int, headers: [GatewayField], body: [UInt8]) -> SendOutcome {
        let json = JSONValue.parse(body)
        if (200..<300).contains(status) {
            guard let sid = json?["sid"]?.nonEmptyText else { return .fail(reason: "2xx without a message sid", optOut: false) }
            return .ok(providerMessageID: sid)
        }
        let code = json?["code"]?.int
        let message = json?["message"]?.text ?? HTTPOutcome.excerpt(body)
        switch code {
        case 20429?:
            return .retry(reason: "throttled (20429): \(message)", retryAfter: HTTPOutcome.retryAfter(headers))
        case 21610?:
            return .fail(reason: "recipient unsubscribed (21610): \(message)", optOut: true)
        case 20003?:
            return .fail(reason: "authentication failed (20003): check account_sid and auth_token", optOut: false)
        case let code?:
            if let outcome = HTTPOutcome.classify(status: status, headers: headers, detail: "\(code) \(message)"), case .retry = outcome {
                return outcome
            }
            return .fail(reason: "Twilio error \(code): \(message)", optOut: false)
        case nil:
            return HTTPOutcome.classify(status: status, headers: headers, detail: message)
                ?? .fail(reason: "unexpected response", optOut: false)
        }
    }

    // MARK: Status callbacks

    public func parseDeliveryReports(_ request: GatewayRequest) throws(GatewayError) -> [DeliveryReport] {
        let fields = try request.parameters()
        guard let value = fields.nonEmpty("MessageStatus") ?? fields.nonEmpty("SmsStatus") else { return [] }
        guard let status = Self.status(value) else { return [] }
        let errorCode = fields.nonEmpty("ErrorCode")
        return [
            DeliveryReport(
                ourID: fields.nonEmpty("uuid"),
                providerMessageID: fields.nonEmpty("MessageSid") ?? fields.nonEmpty("SmsSid"),
                status: status,
                errorCode: errorCode,
                optOut: errorCode == "21610",
                retryable: errorCode == "30001" || errorCode == "63018")
        ]
    }

    /// Twilio `MessageStatus` → canonical (reference §2.e); nil for values to ignore.
    static func status(_ value: String) -> DeliveryStatus? {
        switch value.lowercased() {
        case "queued", "accepted", "scheduled": .queued
        case "sending", "sent": .sent
        case "delivered", "read": .delivered
        case "undelivered", "failed", "canceled": .failed
        default: nil
        }
    }
}
