import Foundation
import Testing

@testable import Gateways

@Suite struct GenericGatewayTests {
    static let secret = "whsec_generic"
    static let adapter = GenericGateway(
        settings: Fixture.settings(.generic, secrets: ["signature_secret": secret, "send_url": "http://127.0.0.1:9998/send"], sender: "1234"))

    static func signed(_ path: String, json: String, timestamp: Int = Int(Fixture.now.timeIntervalSince1970), secret: String = secret, at date: Date = Fixture.now)
        -> GatewayRequest
    {
        let signature = "v1=" + Fixture.hmacSHA256Hex(key: secret, Array("\(timestamp).".utf8) + Array(json.utf8))
        return Fixture.postJSON(
            path, json: json,
            headers: [GatewayField("X-Bridge-Timestamp", String(timestamp)), GatewayField("X-Bridge-Signature", signature)], at: date)
    }

    static func body(_ text: String, from: String = "+38344123456", receivedAt: String? = nil) -> String {
        var object: [String: String] = ["id": "agg-1", "from": from, "to": "1234", "text": text]
        if let receivedAt { object["received_at"] = receivedAt }
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func message(_ text: String, from: String = "+38344123456", at date: Date = Fixture.now) -> GatewayInbound {
        GatewayInbound(providerMessageID: "agg-1", from: from, to: "1234", text: text, receivedAt: date)
    }

    static let accepted = GatewayResponse(status: 200, contentType: "application/json", body: #"{"accepted":1}"#)

    static let cases: [InboundCase] = [
        InboundCase(
            label: "Albanian", request: signed("/gateways/gw1/sms", json: body(Fixture.albanian)),
            expected: .messages([message(Fixture.albanian)], answer: accepted)),
        InboundCase(
            label: "Serbian with received_at", request: signed("/gateways/gw1/sms", json: body(Fixture.serbian, receivedAt: "2025-03-14T09:00:00Z")),
            expected: .messages([message(Fixture.serbian, at: Date(timeIntervalSince1970: 1_741_942_800))])),
        InboundCase(
            label: "Arabic, national Moroccan number",
            request: {
                var request = signed("/gateways/gw1/sms", json: body(Fixture.arabic, from: "0612345678"))
                request.headers.append(GatewayField("X-Ignored", "x"))
                return request
            }(),
            expected: .invalid(.malformed, field: "from")),
        InboundCase(
            label: "timestamp 6 minutes old",
            request: signed("/gateways/gw1/sms", json: body("x"), timestamp: Int(Fixture.now.timeIntervalSince1970) - 360),
            expected: .refused(.forbidden)),
        InboundCase(
            label: "timestamp within window", request: signed("/gateways/gw1/sms", json: body("x"), at: Fixture.now.addingTimeInterval(299)),
            expected: .messages([message("x", at: Fixture.now.addingTimeInterval(299))])),
        InboundCase(label: "other secret", request: signed("/gateways/gw1/sms", json: body("x"), secret: "nope"), expected: .refused(.forbidden)),
        InboundCase(
            label: "unsigned", request: Fixture.postJSON("/gateways/gw1/sms", json: body("x")), expected: .refused(.forbidden)),
        InboundCase(
            label: "missing text", request: signed("/gateways/gw1/sms", json: #"{"id":"1","from":"+38344123456","to":"1"}"#),
            expected: .invalid(.malformed, field: "text")),
        InboundCase(
            label: "bad received_at", request: signed("/gateways/gw1/sms", json: body("x", receivedAt: "yesterday")),
            expected: .invalid(.malformed, field: "received_at")),
    ]

    @Test(arguments: cases) func inbound(_ testCase: InboundCase) {
        Harness.run(testCase, on: Self.adapter)
    }

    @Test func nationalNumberReadAgainstRegion() throws {
        let morocco = GenericGateway(settings: Fixture.settings(.generic, secrets: ["signature_secret": Self.secret], region: "MA"))
        let request = Self.signed("/gateways/gw1/sms", json: Self.body(Fixture.arabic, from: "0612345678"))
        try morocco.verify(request, route: .sms)
        #expect(try morocco.parseInbound(request) == [Self.message(Fixture.arabic, from: "+212612345678")])
    }

    @Test func rotatedSecretsAcceptAnyV1() throws {
        var request = Self.signed("/gateways/gw1/sms", json: Self.body("x"))
        let good = try #require(request.header("X-Bridge-Signature"))
        request.headers = request.headers.map { $0.name == "X-Bridge-Signature" ? GatewayField($0.name, "v1=00ff, " + good) : $0 }
        try Self.adapter.verify(request, route: .sms)
    }

    @Test func sendIsSignedJSON() throws {
        let spec = try Self.adapter.sendRequest(OutboundSMS(id: "uuid-5", to: "+38344123456", text: Fixture.albanian), at: Fixture.now)
        #expect(spec.method == "POST")
        #expect(spec.url == "http://127.0.0.1:9999")
        #expect(spec.header("X-Bridge-Timestamp") == "1741944413")
        #expect(spec.header("X-Bridge-Signature") == "v1=" + Fixture.hmacSHA256Hex(key: Self.secret, Array("1741944413.".utf8) + spec.body))
        let json = Fixture.json(spec.body)
        #expect(json["id"] as? String == "uuid-5")
        #expect(json["to"] as? String == "+38344123456")
        #expect(json["from"] as? String == "1234")
        #expect(json["text"] as? String == Fixture.albanian)
        #expect(json["status_url"] as? String == "https://bridge.example.org/gateways/gw1/status")
    }

    @Test func consoleModeWithoutURL() {
        var settings = Fixture.settings(.generic, secrets: ["signature_secret": Self.secret])
        settings.sendURL = nil
        let error = Harness.error { _ = try GenericGateway(settings: settings).sendRequest(OutboundSMS(id: "u", to: "+38344123456", text: "x"), at: Fixture.now) }
        #expect(error == .consoleMode)
    }

    @Test(arguments: [
        (202, [], #"{"message_id":"agg-9"}"#, SendOutcome.ok(providerMessageID: "agg-9")),
        (200, [], "", .ok(providerMessageID: nil)),
        (429, [GatewayField("retry-after", "30")], "", .retry(reason: "throttled (HTTP 429)", retryAfter: 30)),
        (500, [], "boom", .retry(reason: "provider error (HTTP 500): boom", retryAfter: nil)),
        (422, [], "bad number", .fail(reason: "rejected (HTTP 422): bad number", optOut: false)),
    ] as [(Int, [GatewayField], String, SendOutcome)])
    func classify(status: Int, headers: [GatewayField], body: String, expected: SendOutcome) {
        #expect(Self.adapter.classifySendResponse(status: status, headers: headers, body: Array(body.utf8)) == expected)
    }

    @Test(arguments: [("sent", DeliveryStatus.sent), ("delivered", .delivered), ("failed", .failed)])
    func status(value: String, expected: DeliveryStatus) throws {
        let request = Self.signed("/gateways/gw1/status", json: #"{"id":"uuid-5","status":"\#(value)","error":"E1"}"#)
        try Self.adapter.verify(request, route: .status)
        #expect(try Self.adapter.parseDeliveryReports(request) == [DeliveryReport(ourID: "uuid-5", providerMessageID: nil, status: expected, errorCode: "E1")])
    }

    @Test func unknownStatusIsIgnored() throws {
        let request = Self.signed("/gateways/gw1/status", json: #"{"id":"uuid-5","status":"read"}"#)
        let reports = try Self.adapter.parseDeliveryReports(request)
        #expect(reports.isEmpty)
        #expect(Self.adapter.acknowledge(reports) == GatewayResponse(status: 200, contentType: "application/json", body: #"{"accepted":0}"#))
    }
}
