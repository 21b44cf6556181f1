import Foundation
import Testing

@testable import Gateways

@Suite struct VonageGatewayTests {
    static let secret = "signature-secret"
    static let signedAt = Int(Fixture.now.timeIntervalSince1970)

    static func adapter(method: String = "md5hash") -> VonageGateway {
        VonageGateway(
            settings: Fixture.settings(
                .vonage,
                secrets: ["api_key": "a1b2c3d4", "api_secret": "apisecret", "signature_secret": secret, "signature_method": method],
                sender: "447700900555"))
    }

    static func inboundFields(_ text: String, msisdn: String = "38344123456", extra: [(String, String)] = []) -> [(String, String)] {
        [
            ("msisdn", msisdn), ("to", "447700900555"), ("messageId", "0C000000A1B2C3D4"), ("text", text),
            ("type", "unicode"), ("keyword", "PERSH"), ("api-key", "a1b2c3d4"), ("message-timestamp", "2025-03-14 09:40:12"),
            ("timestamp", String(signedAt)), ("nonce", "6bc6ae8a-1d1c-4d4b-9a1b-0f2a5b0e8b61"),
        ] + extra
    }

    /// Signs with the SDK algorithm, written out independently of the adapter.
    static func sign(_ pairs: [(String, String)], method: String = "md5hash") -> [(String, String)] {
        let signed = pairs.sorted { $0.0 < $1.0 }.map {
            "&" + $0.0 + "=" + $0.1.replacingOccurrences(of: "&", with: "_").replacingOccurrences(of: "=", with: "_")
        }.joined()
        let sig = VonageSignature.sign(pairs.map { GatewayField($0.0, $0.1) }, secret: secret, method: VonageSignatureMethod(configured: method)!)
        #expect(VonageSignature.signedString(pairs.map { GatewayField($0.0, $0.1) }) == signed)
        return pairs + [("sig", sig)]
    }

    static func message(_ text: String, from: String = "+38344123456", concat: ConcatPart? = nil, id: String = "0C000000A1B2C3D4")
        -> GatewayInbound
    {
        GatewayInbound(
            providerMessageID: id, from: from, to: "447700900555", text: text,
            receivedAt: GatewayTime.parse("2025-03-14 09:40:12")!, concat: concat)
    }

    static let cases: [InboundCase] = [
        InboundCase(
            label: "GET, Albanian", request: Fixture.get("/gateways/gw1/sms", query: sign(inboundFields(Fixture.albanian))),
            expected: .messages([message(Fixture.albanian)], answer: .empty)),
        InboundCase(
            label: "POST form, Serbian", request: Fixture.post("/gateways/gw1/sms", form: sign(inboundFields(Fixture.serbian))),
            expected: .messages([message(Fixture.serbian)])),
        InboundCase(
            label: "POST-JSON, Arabic from Morocco",
            request: Fixture.postJSON(
                "/gateways/gw1/sms",
                json: String(
                    decoding: try! JSONSerialization.data(
                        withJSONObject: Dictionary(uniqueKeysWithValues: sign(inboundFields(Fixture.arabic, msisdn: "212612345678"))),
                        options: [.sortedKeys]), as: UTF8.self)),
            expected: .messages([message(Fixture.arabic, from: "+212612345678")])),
        InboundCase(
            label: "value containing & and =", request: Fixture.get("/gateways/gw1/sms", query: sign(inboundFields("a=b & c=d"))),
            expected: .messages([message("a=b & c=d")])),
        InboundCase(
            label: "multipart part 2 of 3",
            request: Fixture.get(
                "/gateways/gw1/sms",
                query: sign(inboundFields("pjesa e dytë", extra: [("concat", "true"), ("concat-ref", "17"), ("concat-total", "3"), ("concat-part", "2")]))),
            expected: .messages([message("pjesa e dytë", concat: ConcatPart(reference: "17", total: 3, part: 2))])),
        InboundCase(
            label: "unsigned", request: Fixture.get("/gateways/gw1/sms", query: inboundFields("x")), expected: .refused(.forbidden)),
        InboundCase(
            label: "tampered text",
            request: Fixture.get("/gateways/gw1/sms", query: sign(inboundFields("x")).map { $0.0 == "text" ? ("text", "y") : $0 }),
            expected: .refused(.forbidden)),
        InboundCase(
            label: "replayed after 10 minutes",
            request: Fixture.get("/gateways/gw1/sms", query: sign(inboundFields("x")), at: Fixture.now.addingTimeInterval(600)),
            expected: .refused(.forbidden)),
        InboundCase(
            label: "dashboard URL check (no to)", request: Fixture.get("/gateways/gw1/sms", query: []),
            expected: .messages([], answer: .ignored)),
        InboundCase(
            label: "bad concat-part",
            request: Fixture.get(
                "/gateways/gw1/sms",
                query: sign(inboundFields("x", extra: [("concat", "true"), ("concat-ref", "1"), ("concat-total", "2"), ("concat-part", "3")]))),
            expected: .invalid(.malformed, field: "concat-part")),
    ]

    @Test(arguments: cases) func inbound(_ testCase: InboundCase) {
        Harness.run(testCase, on: Self.adapter())
    }

    // MARK: Signatures (vonage-python-sdk tests/test_signature.py)

    @Test(arguments: [
        ("md5hash", "6af838ef94998832dbfc29020b564830"),
        ("md5", "c15c21ced558c93a226c305f58f902f2"),
        ("sha1", "3e19a4e6880fdc2c1426bfd0587c98b9532f0210"),
        ("sha256", "a321e824b9b816be7c3f28859a31749a098713d39f613c80d455bbaffae1cd24"),
        ("sha512", "812a18f76680fa0fe1b8bd9ee1625466ceb1bd96242e4d050d2cfd9a7b40166c63ed26ec9702168781b6edcf1633db8ff95af9341701004eec3fcf9550572ee8"),
    ])
    func documentedSignatures(method: String, expected: String) throws {
        let fields = [GatewayField("a", "1"), GatewayField("b", "2"), GatewayField("timestamp", "1461605396")]
        let variant = try #require(VonageSignatureMethod(configured: method))
        #expect(VonageSignature.signedString(fields) == "&a=1&b=2&timestamp=1461605396")
        #expect(VonageSignature.sign(fields, secret: "secret", method: variant) == expected)
        #expect(VonageSignature.isValid(fields + [GatewayField("sig", expected.uppercased())], sig: expected.uppercased(), secret: "secret", method: variant))
        #expect(!VonageSignature.isValid(fields, sig: expected, secret: "other", method: variant))
    }

    @Test(arguments: ["md5", "sha1", "sha256", "sha512", "SHA-256 HMAC"])
    func endToEndHMACVariants(method: String) throws {
        let adapter = Self.adapter(method: method)
        let request = Fixture.get("/gateways/gw1/sms", query: Self.sign(Self.inboundFields("Test"), method: method))
        try adapter.verify(request, route: .sms)
        #expect(Harness.errorKind { try Self.adapter(method: "md5hash").verify(request, route: .sms) } == .forbidden)
    }

    @Test func ourTokenInTheURLIsNotPartOfTheSignature() throws {
        let request = Fixture.get("/gateways/gw1/sms", query: Self.sign(Self.inboundFields("x")) + [("token", "ours")])
        try Self.adapter().verify(request, route: .sms)
    }

    @Test func unknownMethodIsAnOperatorError() {
        let request = Fixture.get("/gateways/gw1/sms", query: Self.sign(Self.inboundFields("x")))
        #expect(Harness.errorKind { try Self.adapter(method: "sha3").verify(request, route: .sms) } == .misconfigured)
    }

    @Test func pathTokenWhenSigningIsOff() throws {
        let adapter = VonageGateway(settings: Fixture.settings(.vonage, secrets: ["path_token": "tok"]))
        try adapter.verify(Fixture.get("/gateways/gw1/sms/tok", query: Self.inboundFields("x")), route: .sms)
        #expect(Harness.errorKind { try adapter.verify(Fixture.get("/gateways/gw1/sms", query: Self.inboundFields("x")), route: .sms) } == .forbidden)
        let open = VonageGateway(settings: Fixture.settings(.vonage, secrets: [:]))
        #expect(Harness.errorKind { try open.verify(Fixture.get("/gateways/gw1/sms", query: Self.inboundFields("x")), route: .sms) } == .misconfigured)
    }

    // MARK: Concatenation

    static func part(_ number: Int, of total: Int, _ text: String, reference: String = "17", from: String = "+38344123456", at offset: TimeInterval = 0)
        -> GatewayInbound
    {
        GatewayInbound(
            providerMessageID: "ID\(number)", from: from, to: "447700900555", text: text, receivedAt: Fixture.now.addingTimeInterval(offset),
            concat: ConcatPart(reference: reference, total: total, part: number))
    }

    @Test func concatOutOfOrderWithDuplicate() throws {
        var assembler = ConcatAssembler()
        #expect(assembler.add(Self.part(3, of: 3, "Çarshisë.", at: 1)) == nil)
        #expect(assembler.add(Self.part(1, of: 3, "Kanalizimi ", at: 2)) == nil)
        #expect(assembler.add(Self.part(3, of: 3, "DUPLICATE", at: 3)) == nil)
        #expect(assembler.pendingCount == 1)
        let completed = assembler.add(Self.part(2, of: 3, "te rruga e ", at: 4))
        let whole = try #require(completed)
        #expect(whole.text == "Kanalizimi te rruga e Çarshisë.")
        #expect(whole.providerMessageID == "ID1")
        #expect(whole.concat == nil)
        #expect(whole.receivedAt == Fixture.now.addingTimeInterval(1))
        #expect(assembler.pendingCount == 0)
        #expect(assembler.add(Self.part(2, of: 3, "te rruga e ", at: 5)) == nil, "a late re-send after completion is dropped")
    }

    @Test func concatKeepsSendersApartAndSurvivesCoding() throws {
        var assembler = ConcatAssembler()
        _ = assembler.add(Self.part(1, of: 2, "A1", from: "+38344111111"))
        _ = assembler.add(Self.part(1, of: 2, "B1", from: "+38344222222"))
        let data = try JSONEncoder().encode(assembler)
        var restored = try JSONDecoder().decode(ConcatAssembler.self, from: data)
        #expect(restored == assembler)
        #expect(restored.add(Self.part(2, of: 2, "B2", from: "+38344222222"))?.text == "B1B2")
        #expect(restored.pendingCount == 1)
    }

    @Test func concatTimeoutReleasesWhatArrived() {
        var assembler = ConcatAssembler(timeout: 60)
        _ = assembler.add(Self.part(1, of: 3, "Fillimi "))
        _ = assembler.add(Self.part(3, of: 3, "fundi"))
        #expect(assembler.expire(now: Fixture.now.addingTimeInterval(59)).isEmpty)
        let released = assembler.expire(now: Fixture.now.addingTimeInterval(61))
        #expect(released.map(\.text) == ["Fillimi fundi"])
        #expect(assembler.pendingCount == 0)
    }

    @Test func nonPartsPassThrough() {
        var assembler = ConcatAssembler()
        let single = Self.message("x")
        #expect(assembler.add(single) == single)
        #expect(assembler.add(Self.part(1, of: 1, "one"))?.concat == nil)
        #expect(assembler.add(Self.part(5, of: 3, "bad")) == nil)
    }

    // MARK: Send

    @Test(arguments: [(Fixture.gsm, "text"), (Fixture.albanian, "unicode"), (Fixture.serbian, "unicode"), (Fixture.arabic, "unicode"), ("Çmimi 5€", "text")])
    func sendRequestShape(text: String, type: String) throws {
        let spec = try Self.adapter().sendRequest(OutboundSMS(id: "uuid-7", to: "+38344123456", text: text), at: Fixture.now)
        #expect(spec.method == "POST")
        #expect(spec.url == "http://127.0.0.1:9999/sms/json")
        let form = Fixture.formFields(spec.body)
        #expect(form["api_key"] == "a1b2c3d4")
        #expect(form["api_secret"] == "apisecret")
        #expect(form["from"] == "447700900555")
        #expect(form["to"] == "38344123456")
        #expect(form["text"] == text)
        #expect(form["type"] == type)
        #expect(form["status-report-req"] == "1")
        #expect(form["client-ref"] == "uuid-7")
        #expect(form["callback"] == "https://bridge.example.org/gateways/gw1/status")
    }

    static func response(_ parts: [(String, String)]) -> String {
        let messages = parts.map { #"{"to":"38344123456","message-id":"\#($0.1)","status":"\#($0.0)","error-text":"E\#($0.0)"}"# }
        return #"{"message-count":"\#(parts.count)","messages":[\#(messages.joined(separator: ","))]}"#
    }

    @Test(arguments: [
        (200, response([("0", "M1")]), SendOutcome.ok(providerMessageID: "M1")),
        (200, response([("0", "M1"), ("0", "M2")]), .ok(providerMessageID: "M1", partIDs: ["M1", "M2"])),
        (200, response([("1", "")]), .retry(reason: "throttled (1): E1", retryAfter: nil)),
        (200, response([("5", "")]), .retry(reason: "Vonage internal error (5): E5", retryAfter: nil)),
        (200, response([("4", "")]), .fail(reason: "invalid credentials (4): check api_key and api_secret", optOut: false)),
        (200, response([("0", "M1"), ("6", "")]), .fail(reason: "Vonage status 6: E6", optOut: false)),
        (429, "", .retry(reason: "throttled (HTTP 429)", retryAfter: nil)),
        (502, "", .retry(reason: "provider error (HTTP 502)", retryAfter: nil)),
        (200, "<html>", .fail(reason: "unreadable response: <html>", optOut: false)),
    ] as [(Int, String, SendOutcome)])
    func classify(status: Int, body: String, expected: SendOutcome) {
        #expect(Self.adapter().classifySendResponse(status: status, headers: [], body: Array(body.utf8)) == expected)
    }

    // MARK: Delivery receipts

    @Test(arguments: [
        ("delivered", DeliveryStatus.delivered), ("accepted", .sent), ("buffered", .sent), ("unknown", .sent), ("expired", .failed),
        ("failed", .failed), ("rejected", .failed),
    ])
    func receiptMapping(value: String, expected: DeliveryStatus) throws {
        let fields = Self.sign([
            ("msisdn", "38344123456"), ("to", "447700900555"), ("network-code", "22101"), ("messageId", "M2"), ("price", "0.03"),
            ("status", value), ("scts", "2503140941"), ("err-code", value == "delivered" ? "0" : "3"), ("api-key", "a1b2c3d4"),
            ("client-ref", "uuid-7"), ("message-timestamp", "2025-03-14 09:41:00"), ("timestamp", String(Self.signedAt)),
        ])
        let request = Fixture.get("/gateways/gw1/status", query: fields)
        try Self.adapter().verify(request, route: .status)
        let errorCode: String? = value == "delivered" ? nil : "3"
        #expect(
            try Self.adapter().parseDeliveryReports(request)
                == [DeliveryReport(ourID: "uuid-7", providerMessageID: "M2", status: expected, errorCode: errorCode)])
    }

    @Test func receiptProbeAndUnknownStatus() throws {
        #expect(try Self.adapter().parseDeliveryReports(Fixture.get("/s", query: [])).isEmpty)
        #expect(try Self.adapter().parseDeliveryReports(Fixture.get("/s", query: [("messageId", "M"), ("status", "lost")])).isEmpty)
    }
}
