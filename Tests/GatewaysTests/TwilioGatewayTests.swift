import Foundation
import Testing

@testable import Gateways

@Suite struct TwilioGatewayTests {
    static let token = "12345"
    static let adapter = TwilioGateway(
        settings: Fixture.settings(.twilio, secrets: ["account_sid": "AC3b7e", "auth_token": token]))

    /// Signs like Twilio: URL, then names sorted with their values (SDK order).
    static func signed(_ path: String, query: String = "", form pairs: [(String, String)], token: String = token, url: String? = nil)
        -> GatewayRequest
    {
        let fullURL = url ?? Fixture.base + path + (query.isEmpty ? "" : "?" + query)
        let sorted = pairs.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        let message = fullURL + sorted.map { $0.0 + $0.1 }.joined()
        let signature = Fixture.hmacSHA1Base64(key: token, message)
        return Fixture.post(path, form: pairs, query: query, headers: [GatewayField("X-Twilio-Signature", signature)])
    }

    static func inbound(_ body: String, from: String = "+38344123456") -> [(String, String)] {
        [
            ("ToCountry", "GB"), ("SmsMessageSid", "SM9d1f"), ("NumMedia", "0"), ("SmsSid", "SM9d1f"), ("SmsStatus", "received"),
            ("Body", body), ("FromCountry", "XK"), ("To", "+447700900123"), ("NumSegments", "1"), ("MessageSid", "SM9d1f"),
            ("AccountSid", "AC3b7e"), ("From", from), ("ApiVersion", "2010-04-01"), ("SomeNewField", "ignored but signed"),
        ]
    }

    static func message(_ text: String, from: String = "+38344123456") -> GatewayInbound {
        GatewayInbound(providerMessageID: "SM9d1f", from: from, to: "+447700900123", text: text, receivedAt: Fixture.now)
    }

    static let twiml = GatewayResponse(status: 200, contentType: "text/xml", body: #"<?xml version="1.0" encoding="UTF-8"?><Response/>"#)

    static let cases: [InboundCase] = [
        InboundCase(
            label: "Albanian", request: signed("/gateways/gw1/sms", form: inbound(Fixture.albanian)),
            expected: .messages([message(Fixture.albanian)], answer: twiml)),
        InboundCase(
            label: "Serbian Cyrillic", request: signed("/gateways/gw1/sms", form: inbound(Fixture.serbian)),
            expected: .messages([message(Fixture.serbian)], answer: twiml)),
        InboundCase(
            label: "Arabic from Morocco", request: signed("/gateways/gw1/sms", form: inbound(Fixture.arabic, from: "+212612345678")),
            expected: .messages([message(Fixture.arabic, from: "+212612345678")])),
        InboundCase(
            label: "query string in the configured URL is signed too",
            request: signed("/gateways/gw1/sms", query: "a=1&b=%C3%AB", form: inbound("Test")),
            expected: .messages([message("Test")])),
        InboundCase(
            label: "wrong token", request: signed("/gateways/gw1/sms", form: inbound("x"), token: "other"), expected: .refused(.forbidden)),
        InboundCase(
            label: "signature for another host (Host header never trusted)",
            request: signed("/gateways/gw1/sms", form: inbound("x"), url: "https://evil.example.org/gateways/gw1/sms"),
            expected: .refused(.forbidden)),
        InboundCase(
            label: "missing signature", request: Fixture.post("/gateways/gw1/sms", form: inbound("x")), expected: .refused(.forbidden)),
        InboundCase(
            label: "tampered body",
            request: {
                var request = signed("/gateways/gw1/sms", form: inbound("Pershendetje"))
                request.body = Fixture.form(inbound("Pershendetje!"))
                return request
            }(),
            expected: .refused(.forbidden)),
        InboundCase(
            label: "missing From", request: signed("/gateways/gw1/sms", form: inbound("x").filter { $0.0 != "From" }),
            expected: .invalid(.malformed, field: "From")),
        InboundCase(
            label: "impossible From", request: signed("/gateways/gw1/sms", form: inbound("x", from: "+999")),
            expected: .invalid(.malformed, field: "From")),
        InboundCase(
            label: "too long", request: signed("/gateways/gw1/sms", form: inbound(String(repeating: "ë", count: 1601))),
            expected: .invalid(.textTooLong)),
    ]

    @Test(arguments: cases) func inbound(_ testCase: InboundCase) {
        Harness.run(testCase, on: Self.adapter)
    }

    // MARK: Reference worked examples (twilio-python test vectors)

    static let vectorParams = [
        ("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675309"), ("Digits", "1234"), ("From", "+14158675309"), ("To", "+18005551212"),
    ]

    static func vectorRequest(signature: String, params: [(String, String)] = vectorParams) -> GatewayRequest {
        Fixture.post("/myapp.php", form: params, query: "foo=1&bar=2", headers: [GatewayField("X-Twilio-Signature", signature)])
    }

    static let vectorAdapter = TwilioGateway(
        settings: GatewaySettings(
            id: "v", type: .twilio, publicBaseURL: "https://mycompany.com", sender: "+18005551212",
            secrets: ["auth_token": "12345"], region: "US"))

    @Test func documentedSignature() throws {
        try Self.vectorAdapter.verify(Self.vectorRequest(signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8="), route: .sms)
    }

    @Test func documentedSignatureWithExplicitPort() throws {
        try Self.vectorAdapter.verify(Self.vectorRequest(signature: "kvajT1Ptam85bY51eRf/AJRuM3w="), route: .sms)
        let withPort = TwilioGateway(
            settings: GatewaySettings(
                id: "v", type: .twilio, publicBaseURL: "https://mycompany.com:443", sender: "x", secrets: ["auth_token": "12345"],
                region: "US"))
        try withPort.verify(Self.vectorRequest(signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8="), route: .sms)
    }

    @Test func documentedSignatureWithRepeatedParameters() throws {
        let params = [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234")]
        try Self.vectorAdapter.verify(Self.vectorRequest(signature: "IK+Dwps556ElfBT0I3Rgjkr1wJU=", params: params), route: .sms)
    }

    @Test func documentedSignatureRejectsOtherToken() {
        let adapter = TwilioGateway(
            settings: GatewaySettings(
                id: "v", type: .twilio, publicBaseURL: "https://mycompany.com", sender: "x", secrets: ["auth_token": "54321"], region: "US"))
        #expect(Harness.errorKind { try adapter.verify(Self.vectorRequest(signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8="), route: .sms) } == .forbidden)
    }

    @Test func jsonWebhookBodyHash() throws {
        let body = #"{"property": "value", "boolean": true}"#
        let query = "bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
        let url = Fixture.base + "/gateways/gw1/status?" + query
        let signature = Fixture.hmacSHA1Base64(key: Self.token, url)
        let request = Fixture.postJSON("/gateways/gw1/status", json: body, query: query, headers: [GatewayField("X-Twilio-Signature", signature)])
        try Self.adapter.verify(request, route: .status)
        var tampered = request
        tampered.body = Array(#"{"property": "other", "boolean": true}"#.utf8)
        #expect(Harness.errorKind { try Self.adapter.verify(tampered, route: .status) } == .forbidden)
    }

    @Test func webhookRuleSignsWithSHA256() throws {
        let adapter = TwilioGateway(
            settings: Fixture.settings(.twilio, secrets: ["auth_token": Self.token, "webhook_shared_key": "shared"]))
        let pairs = Self.inbound("Test")
        let sorted = pairs.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        let message = Fixture.base + "/gateways/gw1/sms" + sorted.map { $0.0 + $0.1 }.joined()
        let signature = Data(Fixture.hmacSHA256Hex(key: "shared", Array(message.utf8)).chunkedHexBytes).base64EncodedString()
        let request = Fixture.post(
            "/gateways/gw1/sms", form: pairs,
            headers: [
                GatewayField("X-Twilio-Signature", signature),
                GatewayField("X-Twilio-Webhooks-Signature-Settings", "key=KS123,algorithm=HMAC_SHA256"),
            ])
        try adapter.verify(request, route: .sms)
    }

    // MARK: Send

    @Test func sendRequestShape() throws {
        let spec = try Self.adapter.sendRequest(OutboundSMS(id: "uuid-1", to: "+38344123456", text: Fixture.albanian), at: Fixture.now)
        #expect(spec.method == "POST")
        #expect(spec.url == "http://127.0.0.1:9999/2010-04-01/Accounts/AC3b7e/Messages.json")
        #expect(spec.header("Authorization") == "Basic " + Data("AC3b7e:12345".utf8).base64EncodedString())
        #expect(spec.header("content-type") == "application/x-www-form-urlencoded")
        let form = Fixture.formFields(spec.body)
        #expect(form["To"] == "+38344123456")
        #expect(form["From"] == "+38344000111")
        #expect(form["Body"] == Fixture.albanian)
        #expect(form["StatusCallback"] == "https://bridge.example.org/gateways/gw1/status?uuid=uuid-1")
    }

    @Test func sendThroughMessagingService() throws {
        let adapter = TwilioGateway(
            settings: Fixture.settings(.twilio, secrets: ["account_sid": "AC1", "auth_token": "t"], sender: "MG123"))
        let form = Fixture.formFields(try adapter.sendRequest(OutboundSMS(id: "u", to: "+38344123456", text: "Hi"), at: Fixture.now).body)
        #expect(form["MessagingServiceSid"] == "MG123")
        #expect(form["From"] == nil)
    }

    @Test func sendRefusesLongTextAndMissingCredentials() {
        let long = OutboundSMS(id: "u", to: "+38344123456", text: String(repeating: "a", count: 1601))
        #expect(Harness.errorKind { _ = try Self.adapter.sendRequest(long, at: Fixture.now) } == .textTooLong)
        let bare = TwilioGateway(settings: Fixture.settings(.twilio, secrets: [:]))
        #expect(Harness.errorKind { _ = try bare.sendRequest(OutboundSMS(id: "u", to: "+38344123456", text: "x"), at: Fixture.now) } == .misconfigured)
    }

    @Test(arguments: [
        (201, [], #"{"sid":"SM123","status":"queued"}"#, SendOutcome.ok(providerMessageID: "SM123")),
        (429, [GatewayField("Retry-After", "7")], #"{"code":20429,"message":"Too Many Requests"}"#,
         .retry(reason: "throttled (20429): Too Many Requests", retryAfter: 7)),
        (503, [], "", .retry(reason: "provider error (HTTP 503)", retryAfter: nil)),
        (400, [], #"{"code":21610,"message":"Attempt to send to unsubscribed recipient"}"#,
         .fail(reason: "recipient unsubscribed (21610): Attempt to send to unsubscribed recipient", optOut: true)),
        (400, [], #"{"code":21211,"message":"Invalid 'To' Phone Number"}"#,
         .fail(reason: "Twilio error 21211: Invalid 'To' Phone Number", optOut: false)),
        (401, [], #"{"code":20003,"message":"Authenticate"}"#,
         .fail(reason: "authentication failed (20003): check account_sid and auth_token", optOut: false)),
        (404, [], "Not Found", .fail(reason: "rejected (HTTP 404): Not Found", optOut: false)),
    ] as [(Int, [GatewayField], String, SendOutcome)])
    func classify(status: Int, headers: [GatewayField], body: String, expected: SendOutcome) {
        #expect(Self.adapter.classifySendResponse(status: status, headers: headers, body: Array(body.utf8)) == expected)
    }

    // MARK: Status callbacks

    @Test(arguments: [
        ("queued", DeliveryStatus.queued), ("accepted", .queued), ("sending", .sent), ("sent", .sent), ("delivered", .delivered),
        ("read", .delivered), ("undelivered", .failed), ("failed", .failed), ("canceled", .failed),
    ])
    func statusMapping(value: String, expected: DeliveryStatus) throws {
        let request = Fixture.post(
            "/gateways/gw1/status", form: [("MessageSid", "SM1"), ("MessageStatus", value), ("AccountSid", "AC3b7e")], query: "uuid=uuid-1")
        let reports = try Self.adapter.parseDeliveryReports(request)
        #expect(reports == [DeliveryReport(ourID: "uuid-1", providerMessageID: "SM1", status: expected)])
    }

    @Test func statusErrorCodesAndIgnoredValues() throws {
        let stop = Fixture.post("/s", form: [("MessageSid", "SM1"), ("MessageStatus", "undelivered"), ("ErrorCode", "21610")])
        #expect(try Self.adapter.parseDeliveryReports(stop).first?.optOut == true)
        let overflow = Fixture.post("/s", form: [("MessageSid", "SM1"), ("MessageStatus", "failed"), ("ErrorCode", "30001")])
        #expect(try Self.adapter.parseDeliveryReports(overflow).first?.retryable == true)
        #expect(try Self.adapter.parseDeliveryReports(Fixture.post("/s", form: [("MessageSid", "SM1")])).isEmpty)
        #expect(try Self.adapter.parseDeliveryReports(Fixture.post("/s", form: [("MessageSid", "SM1"), ("MessageStatus", "receiving")])).isEmpty)
        #expect(Self.adapter.acknowledge([]) == Self.twiml)
    }
}

extension String {
    /// Hex string → bytes, for re-encoding a hex HMAC as base64 in tests.
    var chunkedHexBytes: [UInt8] {
        var bytes: [UInt8] = []
        var index = startIndex
        while index < endIndex {
            let next = self.index(index, offsetBy: 2)
            bytes.append(UInt8(self[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }
}
