import Foundation
import Testing

@testable import Gateways

@Suite struct AfricasTalkingGatewayTests {
    static let adapter = AfricasTalkingGateway(
        settings: Fixture.settings(.africastalking, secrets: ["username": "bridge", "api_key": "atkey", "path_token": "s3cret-token"]))

    static func sms(_ text: String, from: String = "+38344123456", token: String = "s3cret-token") -> GatewayRequest {
        Fixture.post(
            "/gateways/gw1/sms",
            form: [
                ("linkId", "SampleLinkId123"), ("text", text), ("to", "23456"), ("id", "4d1c9a7e-0001"),
                ("date", "2025-03-14T09:26:53Z"), ("from", from), ("networkCode", "22102"),
            ],
            query: "token=" + token)
    }

    static func ussd(_ text: String, session: String = "ATUid_1") -> GatewayRequest {
        Fixture.post(
            "/gateways/gw1/ussd/s3cret-token",
            form: [
                ("sessionId", session), ("serviceCode", "*384*4242#"), ("phoneNumber", "+38344123456"), ("networkCode", "22101"),
                ("text", text),
            ])
    }

    static func smsMessage(_ text: String, from: String = "+38344123456") -> GatewayInbound {
        GatewayInbound(
            providerMessageID: "4d1c9a7e-0001", from: from, to: "23456", text: text, receivedAt: Fixture.now, networkCode: "22102")
    }

    static func ussdTurn(_ text: String) -> GatewayInbound {
        GatewayInbound(
            providerMessageID: "ATUid_1:" + text, from: "+38344123456", to: "*384*4242#", text: text, receivedAt: Fixture.now,
            channel: .ussd, ussdSessionID: "ATUid_1", ussdServiceCode: "*384*4242#", networkCode: "22101")
    }

    static let cases: [InboundCase] = [
        InboundCase(label: "Albanian SMS", request: sms(Fixture.albanian), expected: .messages([smsMessage(Fixture.albanian)], answer: .empty)),
        InboundCase(label: "Serbian SMS", request: sms(Fixture.serbian), expected: .messages([smsMessage(Fixture.serbian)])),
        InboundCase(
            label: "Arabic SMS", request: sms(Fixture.arabic, from: "+212612345678"),
            expected: .messages([smsMessage(Fixture.arabic, from: "+212612345678")])),
        InboundCase(label: "wrong token", request: sms("x", token: "guess"), expected: .refused(.forbidden)),
        InboundCase(
            label: "no token",
            request: Fixture.post("/gateways/gw1/sms", form: [("from", "+38344123456"), ("to", "1"), ("text", "x")]),
            expected: .refused(.forbidden)),
        InboundCase(
            label: "token as last path segment", route: .ussd, request: ussd(""),
            expected: .messages([ussdTurn("")])),
        InboundCase(label: "USSD free text with *", route: .ussd, request: ussd("1*Rr. Nëna Terezë *5"), expected: .messages([ussdTurn("1*Rr. Nëna Terezë *5")])),
        InboundCase(
            label: "missing phoneNumber", route: .ussd,
            request: Fixture.post("/gateways/gw1/ussd/s3cret-token", form: [("sessionId", "A"), ("serviceCode", "*1#"), ("text", "")]),
            expected: .invalid(.malformed, field: "phoneNumber")),
    ]

    @Test(arguments: cases) func inbound(_ testCase: InboundCase) {
        Harness.run(testCase, on: Self.adapter)
    }

    @Test func unconfiguredTokenIsAnOperatorError() {
        let bare = AfricasTalkingGateway(settings: Fixture.settings(.africastalking, secrets: [:]))
        let error = Harness.error { try bare.verify(Self.sms("x"), route: .sms) }
        #expect(error?.kind == .misconfigured)
        #expect(error?.httpStatus == 500)
    }

    @Test func ussdAnswers() throws {
        let turn = try Self.adapter.parseInbound(Self.ussd(""))
        let open = Self.adapter.answer(for: turn, replies: ["Zgjidh:", "1 Ndriçim", "2 Kanalizim"], endsSession: false)
        #expect(open == GatewayResponse(status: 200, contentType: "text/plain; charset=utf-8", body: "CON Zgjidh:\n1 Ndriçim\n2 Kanalizim"))
        let close = Self.adapter.answer(for: turn, replies: ["Faleminderit. Ref 1234"], endsSession: true)
        #expect(close.body == "END Faleminderit. Ref 1234")
        #expect(Self.adapter.answer(for: turn, replies: [], endsSession: true).body == "END")
    }

    @Test func endOfSessionNotification() throws {
        let request = Fixture.post(
            "/gateways/gw1/ussd/s3cret-token",
            form: [
                ("date", "2025-03-14 09:30:00"), ("sessionId", "ATUid_1"), ("serviceCode", "*384*4242#"), ("networkCode", "22101"),
                ("phoneNumber", "+38344123456"), ("status", "Incomplete"), ("cost", "KES 0.0"), ("durationInMillis", "45000"),
                ("hopsCount", "3"), ("input", "1*2"), ("lastAppResponse", "CON Shkruaj adresën"), ("errorMessage", "SESSION_TIMEOUT"),
            ])
        try Self.adapter.verify(request, route: .ussd)
        #expect(try Self.adapter.parseInbound(request).isEmpty)
        let end = try Self.adapter.parseSessionEnd(request)
        #expect(
            end
                == USSDSessionEnd(
                    sessionID: "ATUid_1", phoneNumber: "+38344123456", serviceCode: "*384*4242#", status: "Incomplete", input: "1*2",
                    lastAppResponse: "CON Shkruaj adresën", errorMessage: "SESSION_TIMEOUT", durationMillis: 45000))
        #expect(try Self.adapter.parseSessionEnd(Self.ussd("1")) == nil)
    }

    // MARK: USSD text diff

    @Test(arguments: [
        (nil, "", USSDTurn.start),
        ("", "", .start),
        ("", "1", .input("1")),
        (nil, "1", .input("1")),
        ("1", "1*2", .input("2")),
        ("1*2", "1*2*Rr. UÇK *12", .input("Rr. UÇK *12")),
        ("1*Rr. UÇK *12", "1*Rr. UÇK *12*3", .input("3")),
        ("1*2", "1*2*", .input("")),
        ("1*2", "1*2", .repeated),
        ("1*2*3", "1*2", .repeated),
        ("1*2", "1*3*4", .resynced("4")),
        (nil, "1*Rruga*5", .input("1*Rruga*5")),
    ] as [(String?, String, USSDTurn)])
    func textDiff(previous: String?, current: String, expected: USSDTurn) {
        #expect(USSDTextDiff.turn(previous: previous, current: current) == expected)
    }

    @Test func backAndHome() {
        #expect(USSDTextDiff.effectivePath(of: ["1", "2", "0", "3"]) == ["1", "3"])
        #expect(USSDTextDiff.effectivePath(of: ["1", "2", "00", "2"]) == ["2"])
        #expect(USSDTextDiff.effectivePath(of: ["0", "0", "1"]) == ["1"])
        #expect(USSDTextDiff.effectivePath(of: ["1", "Rr. *0*", "0"]) == ["1"])
    }

    // MARK: Send

    @Test func sendRequestShape() throws {
        let spec = try Self.adapter.sendRequest(OutboundSMS(id: "u1", to: "+38344123456", text: Fixture.serbian), at: Fixture.now)
        #expect(spec.method == "POST")
        #expect(spec.url == "http://127.0.0.1:9999/version1/messaging")
        #expect(spec.header("apiKey") == "atkey")
        #expect(spec.header("Accept") == "application/json")
        let form = Fixture.formFields(spec.body)
        #expect(form == ["username": "bridge", "to": "+38344123456", "message": Fixture.serbian, "from": "+38344000111"])
    }

    @Test func sandboxHost() throws {
        var settings = Fixture.settings(.africastalking, secrets: ["username": "sandbox", "api_key": "k"])
        settings.sendURL = nil
        let spec = try AfricasTalkingGateway(settings: settings).sendRequest(OutboundSMS(id: "u", to: "+38344123456", text: "x"), at: Fixture.now)
        #expect(spec.url == "https://api.sandbox.africastalking.com/version1/messaging")
    }

    static func response(_ code: Int, _ status: String) -> String {
        #"{"SMSMessageData":{"Message":"Sent to 1/1 Total Cost: KES 0.8000","Recipients":[{"statusCode":\#(code),"number":"+38344123456","status":"\#(status)","cost":"KES 0.8000","messageId":"ATXid_1"}]}}"#
    }

    @Test(arguments: [
        (201, response(101, "Success"), SendOutcome.ok(providerMessageID: "ATXid_1")),
        (200, response(102, "Queued"), .ok(providerMessageID: "ATXid_1")),
        (201, response(406, "UserInBlacklist"), .fail(reason: "recipient blacklisted us (406 UserInBlacklist)", optOut: true)),
        (201, response(403, "InvalidPhoneNumber"), .fail(reason: "Africa's Talking 403 InvalidPhoneNumber", optOut: false)),
        (201, response(502, "RejectedByGateway"), .retry(reason: "Africa's Talking 502 RejectedByGateway", retryAfter: nil)),
        (201, #"{"SMSMessageData":{"Message":"InvalidSenderId","Recipients":[]}}"#, .fail(reason: "no recipient accepted: InvalidSenderId", optOut: false)),
        (401, "The supplied authentication is invalid", .fail(reason: "authentication refused (HTTP 401): check username and api_key", optOut: false)),
        (500, "", .retry(reason: "provider error (HTTP 500)", retryAfter: nil)),
    ] as [(Int, String, SendOutcome)])
    func classify(status: Int, body: String, expected: SendOutcome) {
        #expect(Self.adapter.classifySendResponse(status: status, headers: [], body: Array(body.utf8)) == expected)
    }

    // MARK: Delivery reports

    @Test(arguments: [
        ("Sent", DeliveryStatus.sent), ("Submitted", .sent), ("Buffered", .sent), ("Success", .delivered), ("Rejected", .failed),
        ("Failed", .failed), ("Expired", .failed),
    ])
    func reportMapping(value: String, expected: DeliveryStatus) throws {
        let request = Fixture.post(
            "/gateways/gw1/status", form: [("id", "ATXid_1"), ("status", value), ("phoneNumber", "+38344123456"), ("networkCode", "22101")],
            query: "token=s3cret-token")
        try Self.adapter.verify(request, route: .status)
        #expect(try Self.adapter.parseDeliveryReports(request) == [DeliveryReport(ourID: nil, providerMessageID: "ATXid_1", status: expected)])
    }

    @Test func blacklistAndUnknownStatus() throws {
        let blacklisted = Fixture.post("/s", form: [("id", "ATXid_1"), ("status", "Failed"), ("failureReason", "UserInBlackList")])
        #expect(
            try Self.adapter.parseDeliveryReports(blacklisted)
                == [DeliveryReport(ourID: nil, providerMessageID: "ATXid_1", status: .failed, errorCode: "UserInBlackList", optOut: true)])
        let unknown = Fixture.post("/s", form: [("id", "ATXid_1"), ("status", "Teleported")])
        #expect(try Self.adapter.parseDeliveryReports(unknown).isEmpty)
        #expect(Self.adapter.acknowledge([]) == .ignored)
    }
}
