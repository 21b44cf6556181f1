import Foundation
import Testing

@testable import Gateways

@Suite struct InfobipGatewayTests {
    static let adapter = InfobipGateway(
        settings: Fixture.settings(
            .infobip, secrets: ["api_key": "ibkey", "webhook_username": "infobip", "webhook_password": "pa:ss"], sender: "BridgeKS"))

    static let auth = GatewayField("Authorization", "Basic " + Data("infobip:pa:ss".utf8).base64EncodedString())

    static func result(_ id: String, from: String, text: String) -> String {
        let escaped = String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
        return #"{"messageId":"\#(id)","from":"\#(from)","to":"38345000111","text":\#(escaped),"cleanText":\#(escaped),"keyword":"","receivedAt":"2025-03-14T09:28:39.220+0000","smsCount":1,"price":{"pricePerMessage":0,"currency":"EUR"},"callbackData":""}"#
    }

    static func mo(_ results: [String], headers: [GatewayField] = [auth]) -> GatewayRequest {
        Fixture.postJSON(
            "/gateways/gw1/sms", json: #"{"results":[\#(results.joined(separator: ","))],"messageCount":\#(results.count),"pendingMessageCount":0}"#,
            headers: headers)
    }

    static func message(_ id: String, from: String, text: String) -> GatewayInbound {
        GatewayInbound(
            providerMessageID: id, from: from, to: "38345000111", text: text,
            receivedAt: Date(timeIntervalSince1970: 1_741_944_519.220))
    }

    static let cases: [InboundCase] = [
        InboundCase(
            label: "three messages in one post, three scripts",
            request: mo([
                result("1", from: "38344123456", text: Fixture.albanian), result("2", from: "381631234567", text: Fixture.serbian),
                result("3", from: "212612345678", text: Fixture.arabic),
            ]),
            expected: .messages(
                [
                    message("1", from: "+38344123456", text: Fixture.albanian), message("2", from: "+381631234567", text: Fixture.serbian),
                    message("3", from: "+212612345678", text: Fixture.arabic),
                ], answer: .empty)),
        InboundCase(
            label: "messageCount 0", request: Fixture.postJSON("/gateways/gw1/sms", json: #"{"results":[],"messageCount":0}"#, headers: [auth]),
            expected: .messages([], answer: .ignored)),
        InboundCase(label: "no credentials", request: mo([result("1", from: "38344123456", text: "x")], headers: []), expected: .refused(.forbidden)),
        InboundCase(
            label: "wrong password",
            request: mo(
                [result("1", from: "38344123456", text: "x")],
                headers: [GatewayField("Authorization", "Basic " + Data("infobip:nope".utf8).base64EncodedString())]),
            expected: .refused(.forbidden)),
        InboundCase(
            label: "GET is not Infobip", request: Fixture.get("/gateways/gw1/sms", query: [], headers: [auth]), expected: .refused(.unsupported)),
        InboundCase(
            label: "invalid JSON", request: Fixture.postJSON("/gateways/gw1/sms", json: "{results:", headers: [auth]),
            expected: .invalid(.malformed, field: "body")),
        InboundCase(
            label: "missing from",
            request: Fixture.postJSON("/gateways/gw1/sms", json: #"{"results":[{"messageId":"1","to":"1","text":"x"}]}"#, headers: [auth]),
            expected: .invalid(.malformed, field: "results[0].from")),
        InboundCase(
            label: "invalid UTF-8 in JSON",
            request: GatewayRequest(
                path: "/gateways/gw1/sms", headers: [Fixture.jsonHeader, auth],
                body: Array(#"{"results":[{"text":""#.utf8) + [0xC3, 0x28] + Array(#""}]}"#.utf8), receivedAt: Fixture.now),
            expected: .invalid(.invalidUTF8, field: "body")),
    ]

    @Test(arguments: cases) func inbound(_ testCase: InboundCase) {
        Harness.run(testCase, on: Self.adapter)
    }

    @Test func pathTokenAlternative() throws {
        let adapter = InfobipGateway(settings: Fixture.settings(.infobip, secrets: ["path_token": "tok"]))
        let request = Fixture.postJSON("/gateways/gw1/sms", json: #"{"results":[]}"#, query: "token=tok")
        try adapter.verify(request, route: .sms)
        #expect(Harness.errorKind { try adapter.verify(Fixture.postJSON("/gateways/gw1/sms", json: "{}"), route: .sms) } == .forbidden)
    }

    // MARK: Send

    @Test func sendRequestShape() throws {
        var settings = Self.adapter.settings
        settings.sendURL = nil
        settings.secrets["base_url"] = "https://xyz12.api.infobip.com/"
        let spec = try InfobipGateway(settings: settings).sendRequest(
            OutboundSMS(id: "uuid-9", to: "+38344123456", text: Fixture.serbian), at: Fixture.now)
        #expect(spec.method == "POST")
        #expect(spec.url == "https://xyz12.api.infobip.com/sms/3/messages")
        #expect(spec.header("Authorization") == "App ibkey")
        #expect(spec.header("Content-Type") == "application/json")
        let body = Fixture.json(spec.body)
        let message = try #require((body["messages"] as? [[String: Any]])?.first)
        #expect(message["sender"] as? String == "BridgeKS")
        let destination = try #require((message["destinations"] as? [[String: Any]])?.first)
        #expect(destination["to"] as? String == "38344123456")
        #expect(destination["messageId"] as? String == "uuid-9")
        #expect((message["content"] as? [String: Any])?["text"] as? String == Fixture.serbian)
        let webhooks = try #require(message["webhooks"] as? [String: Any])
        #expect(webhooks["contentType"] as? String == "application/json")
        #expect(webhooks["callbackData"] as? String == "uuid-9")
        let delivery = try #require(webhooks["delivery"] as? [String: Any])
        #expect(delivery["url"] as? String == "https://bridge.example.org/gateways/gw1/status")
        #expect(delivery["intermediateReport"] as? Bool == true)
    }

    @Test func sendWithBasicCredentialsAndWithout() throws {
        let basic = InfobipGateway(settings: Fixture.settings(.infobip, secrets: ["username": "u", "password": "p"]))
        let spec = try basic.sendRequest(OutboundSMS(id: "u", to: "+38344123456", text: "x"), at: Fixture.now)
        #expect(spec.header("Authorization") == "Basic dTpw")
        let none = InfobipGateway(settings: Fixture.settings(.infobip, secrets: [:]))
        #expect(Harness.errorKind { _ = try none.sendRequest(OutboundSMS(id: "u", to: "+38344123456", text: "x"), at: Fixture.now) } == .misconfigured)
        #expect(Harness.errorKind { _ = try basic.sendRequest(OutboundSMS(id: "u", to: "044123456", text: "x"), at: Fixture.now) } == .malformed)
    }

    static func response(group: Int, groupName: String, id: Int, name: String) -> String {
        #"{"bulkId":"B1","messages":[{"messageId":"uuid-9","status":{"groupId":\#(group),"groupName":"\#(groupName)","id":\#(id),"name":"\#(name)","description":"d"},"destination":"38344123456"}]}"#
    }

    @Test(arguments: [
        (200, response(group: 1, groupName: "PENDING", id: 26, name: "PENDING_ACCEPTED"), SendOutcome.ok(providerMessageID: "uuid-9")),
        (200, response(group: 3, groupName: "DELIVERED", id: 5, name: "DELIVERED_TO_HANDSET"), .ok(providerMessageID: "uuid-9")),
        (200, response(group: 5, groupName: "REJECTED", id: 12, name: "REJECTED_NOT_ENOUGH_CREDITS"),
         .fail(reason: "Infobip REJECTED REJECTED_NOT_ENOUGH_CREDITS (account out of credit)", optOut: false)),
        (200, response(group: 5, groupName: "REJECTED", id: 52, name: "REJECTED_DESTINATION"), .fail(reason: "Infobip REJECTED REJECTED_DESTINATION", optOut: false)),
        (401, #"{"requestError":{"serviceException":{"messageId":"UNAUTHORIZED","text":"Invalid login details"}}}"#,
         .fail(reason: "authentication refused (HTTP 401): check the gateway credentials: Invalid login details", optOut: false)),
        (429, "", .retry(reason: "throttled (HTTP 429)", retryAfter: nil)),
        (500, "", .retry(reason: "provider error (HTTP 500)", retryAfter: nil)),
        (400, #"{"requestError":{"serviceException":{"messageId":"BAD_REQUEST","text":"Bad request"}}}"#,
         .fail(reason: "rejected (HTTP 400): Bad request", optOut: false)),
    ] as [(Int, String, SendOutcome)])
    func classify(status: Int, body: String, expected: SendOutcome) {
        #expect(Self.adapter.classifySendResponse(status: status, headers: [], body: Array(body.utf8)) == expected)
    }

    // MARK: Delivery reports

    static func report(group: Int, groupName: String, id: Int, name: String, error: String = #"{"groupId":0,"groupName":"OK","id":0,"name":"NO_ERROR","description":"No Error","permanent":false}"#) -> String {
        #"{"bulkId":"B1","messageId":"uuid-\#(id)","to":"38344123456","sentAt":"2025-03-14T09:28:39.220+0000","doneAt":"2025-03-14T09:28:41.220+0000","smsCount":1,"mccMnc":"22101","callbackData":"uuid-\#(id)","price":{"pricePerMessage":0.01,"currency":"EUR"},"status":{"groupId":\#(group),"groupName":"\#(groupName)","id":\#(id),"name":"\#(name)","description":"d"},"error":\#(error)}"#
    }

    @Test func reportGroups() throws {
        let body = [
            Self.report(group: 1, groupName: "PENDING", id: 7, name: "PENDING_ENROUTE"),
            Self.report(group: 3, groupName: "DELIVERED", id: 5, name: "DELIVERED_TO_HANDSET"),
            Self.report(group: 3, groupName: "DELIVERED", id: 2, name: "DELIVERED_TO_OPERATOR"),
            Self.report(
                group: 2, groupName: "UNDELIVERABLE", id: 9, name: "UNDELIVERABLE_NOT_DELIVERED",
                error: #"{"groupId":1,"groupName":"HANDSET_ERRORS","id":27,"name":"EC_ABSENT_SUBSCRIBER","description":"d","permanent":false}"#),
            Self.report(group: 4, groupName: "EXPIRED", id: 15, name: "EXPIRED_EXPIRED"),
            Self.report(group: 5, groupName: "REJECTED", id: 6, name: "REJECTED_NETWORK"),
            Self.report(group: 9, groupName: "MYSTERY", id: 99, name: "NEW_STATUS"),
        ]
        let request = Fixture.postJSON("/gateways/gw1/status", json: #"{"results":[\#(body.joined(separator: ","))]}"#, headers: [Self.auth])
        try Self.adapter.verify(request, route: .status)
        let reports = try Self.adapter.parseDeliveryReports(request)
        #expect(
            reports == [
                DeliveryReport(ourID: "uuid-7", providerMessageID: "uuid-7", status: .sent),
                DeliveryReport(ourID: "uuid-5", providerMessageID: "uuid-5", status: .delivered),
                DeliveryReport(ourID: "uuid-2", providerMessageID: "uuid-2", status: .sent),
                DeliveryReport(ourID: "uuid-9", providerMessageID: "uuid-9", status: .failed, errorCode: "EC_ABSENT_SUBSCRIBER", retryable: true),
                DeliveryReport(ourID: "uuid-15", providerMessageID: "uuid-15", status: .failed),
                DeliveryReport(ourID: "uuid-6", providerMessageID: "uuid-6", status: .failed),
            ])
        #expect(Self.adapter.acknowledge(reports) == .accepted)
    }
}
