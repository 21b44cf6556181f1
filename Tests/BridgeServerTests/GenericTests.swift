import BridgeCore
import BridgeStore
import Foundation
import Gateways
import Testing

/// The bridge's own JSON contract (reference §9) through the running bridge: HMAC-SHA256 signatures both ways,
/// the timestamp window, secret rotation, status callbacks and the send outcomes of the contract.
@Suite struct GenericTests {
    /// A vector computed outside Swift (`printf '%s' '<timestamp>.<body>' | openssl dgst -sha256 -hmac <secret>`).
    static let literal = (secret: "whsec-literal-example", timestamp: "1795770000",
                          body: #"{"from":"+38344123456","id":"m1","text":"Përshëndetje","to":"1818"}"#,
                          signature: "v1=7eb20b6f21a8a336507b3ba3db1e49ba259b2d07ba7d9bbf8d94c5b2b63296a9")

    @Test func signaturesMatchTheLiteralVector() throws {
        let body = Array(Self.literal.body.utf8)
        #expect(Signing.generic(secret: Self.literal.secret, timestamp: Self.literal.timestamp, body: body) == Self.literal.signature)
        #expect(GenericGateway.signature(secret: Self.literal.secret, timestamp: Self.literal.timestamp, body: body) == Self.literal.signature)
        let gateway = GenericGateway(settings: GatewaySettings(
            id: "ks-generic", type: .generic, publicBaseURL: Deployments.publicBaseURL, sender: "1818",
            secrets: ["signature_secret": Self.literal.secret], region: "XK"))
        func request(_ signature: String, at seconds: TimeInterval = 1_795_770_000) -> GatewayRequest {
            GatewayRequest(method: "POST", path: "/gateways/ks-generic/sms",
                           headers: [GatewayField("Content-Type", "application/json"), GatewayField("X-Bridge-Timestamp", Self.literal.timestamp),
                                     GatewayField("X-Bridge-Signature", signature)],
                           body: body, receivedAt: Date(timeIntervalSince1970: seconds))
        }
        try gateway.verify(request(Self.literal.signature), route: .sms)
        try gateway.verify(request("v1=00, " + Self.literal.signature), route: .sms)
        #expect(throws: GatewayError.self) { try gateway.verify(request(Self.literal.signature.replacingOccurrences(of: "7eb2", with: "7eb3")), route: .sms) }
        #expect(throws: GatewayError.self) { try gateway.verify(request(Self.literal.signature, at: 1_795_770_301), route: .sms) }
    }

    @Test(arguments: TwilioTests.texts)
    func signedInboundIsStoredAndAnswered(text: String) async throws {
        try await Harness.run { bridge in
            let resident = GenericResident(bridge: bridge)
            let answer = try await resident.inbound(text, id: "agg-m1")
            #expect(answer == WebhookAnswer(status: 200, contentType: "application/json", body: #"{"accepted":1}"#))
            let stored = try await bridge.store.read { try $0.inbound(gateway: "ks-generic", providerID: "agg-m1") }
            #expect(stored?.record.text == text)
        }
    }

    @Test func refusedSignaturesAre403AndChangeNothing() async throws {
        try await Harness.run { bridge in
            let resident = GenericResident(bridge: bridge)
            let body = Array(#"{"id":"x1","from":"+38344123456","to":"1818","text":"Përshëndetje"}"#.utf8)
            let uri = "/gateways/ks-generic/sms"
            let before = try await bridge.snapshot()
            let attempts: [(String, WebhookAnswer)] = [
                ("unsigned", try await bridge.post(uri, headers: [("Content-Type", "application/json")], body: body)),
                ("wrong secret", try await resident.post(uri, body: body, secret: "guess")),
                ("6 minutes old", try await resident.post(uri, body: body, timestamp: Date().addingTimeInterval(-360))),
                ("6 minutes ahead", try await resident.post(uri, body: body, timestamp: Date().addingTimeInterval(360))),
                ("not v1", try await resident.post(uri, body: body, signature: "v0=" + Signing.sha256Hex(body))),
                ("body changed", try await resident.post(
                    uri, body: Array(#"{"id":"x1","from":"+38344123456","to":"1818","text":"Tjetër"}"#.utf8),
                    signature: Signing.generic(secret: Secrets.genericSecret, timestamp: Stamp.unix(), body: body))),
            ]
            for (what, answer) in attempts { #expect(answer.status == 403, "\(what): \(answer)") }
            #expect(try await bridge.snapshot() == before)
        }
    }

    @Test func aRotatedSecretIsAcceptedAlongsideTheOldOne() async throws {
        try await Harness.run { bridge in
            let body = Array(#"{"id":"x2","from":"+38344123456","to":"1818","text":"Përshëndetje"}"#.utf8)
            let stamp = Stamp.unix()
            let both = Signing.generic(secret: "the-old-secret", timestamp: stamp, body: body) + ","
                + Signing.generic(secret: Secrets.genericSecret, timestamp: stamp, body: body)
            let answer = try await bridge.post("/gateways/ks-generic/sms",
                                               headers: [("Content-Type", "application/json"), ("X-Bridge-Timestamp", stamp), ("X-Bridge-Signature", both)],
                                               body: body)
            #expect(answer.status == 200)
        }
    }

    @Test(arguments: ["id", "from", "to", "text"])
    func missingFieldIs400NamingIt(field: String) async throws {
        try await Harness.run { bridge in
            let resident = GenericResident(bridge: bridge)
            var object = ["id": "x3", "from": "+38344123456", "to": "1818", "text": "Përshëndetje"]
            object[field] = nil
            let answer = try await resident.post("/gateways/ks-generic/sms", json: object)
            #expect(answer.status == 400)
            #expect(answer.body.contains("'\(field)'"), "\(answer)")
            #expect(try await bridge.inboundCount() == 0)
        }
    }

    @Test func invalidJSONAndABadDateAre400() async throws {
        try await Harness.run { bridge in
            let resident = GenericResident(bridge: bridge)
            let broken = try await resident.post("/gateways/ks-generic/sms", body: Array(#"{"id":"x4","#.utf8))
            #expect(broken.status == 400)
            #expect(broken.body.contains("'body'"))
            let badDate = try await resident.post("/gateways/ks-generic/sms", json: [
                "id": "x5", "from": "+38344123456", "to": "1818", "text": "Përshëndetje", "received_at": "yesterday",
            ])
            #expect(badDate.status == 400)
            #expect(badDate.body.contains("'received_at'"))
        }
    }

    @Test func sendRequestIsSignedJSONToTheSendURL() async throws {
        try await Harness.run { bridge in
            let resident = GenericResident(bridge: bridge)
            let (sent, id) = try await resident.sayAndWaitForSend()
            #expect(sent.method == "POST")
            #expect(sent.path == "/aggregator/send")
            #expect(sent.header("Content-Type") == "application/json")
            // The double checked the signature, or it would have answered 403.
            #expect(sent.answerStatus == 200)
            let timestamp = try #require(sent.header("X-Bridge-Timestamp"))
            #expect(sent.header("X-Bridge-Signature") == Signing.generic(secret: Secrets.genericSecret, timestamp: timestamp, body: sent.body))
            let json = try #require(sent.json)
            #expect(json["id"] as? String == id)
            #expect(json["to"] as? String == resident.phone)
            #expect(json["from"] as? String == "1818")
            #expect((json["text"] as? String)?.hasPrefix("Zgjidhni gjuhën") == true)
            #expect(json["status_url"] as? String == "https://bridge.example.org/gateways/ks-generic/status")
            let item = try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(item.providerMessageID == sent.providerMessageID)
        }
    }

    @Test func statusCallbacksMoveSentThenDeliveredAndNeverBack() async throws {
        try await Harness.run { bridge in
            let resident = GenericResident(bridge: bridge)
            let (sent, id) = try await resident.sayAndWaitForSend()
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(try await resident.status(sent, "sent") == WebhookAnswer(status: 200, contentType: "application/json", body: #"{"accepted":1}"#))
            #expect(try await resident.status(sent, "delivered").status == 200)
            #expect(try await bridge.outboxItem(id)?.status == .delivered)
            #expect(try await resident.status(sent, "sent").status == 200)
            #expect(try await resident.status(sent, "failed", error: "late").status == 200)
            #expect(try await bridge.outboxItem(id)?.status == .delivered)
            #expect(try await resident.status(sent, "exploded") == WebhookAnswer(status: 200, contentType: "application/json", body: #"{"accepted":0}"#))
        }
    }

    @Test func failedStatusFailsTheMessageWithTheError() async throws {
        try await Harness.run { bridge in
            let resident = GenericResident(bridge: bridge)
            let (sent, id) = try await resident.sayAndWaitForSend()
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(try await resident.status(sent, "failed", error: "handset unreachable").status == 200)
            let item = try await bridge.waitForItem(id, "failed") { $0.status == .failed }
            #expect(item.lastError?.contains("handset unreachable") == true)
        }
    }

    @Test func unsignedStatusIs403() async throws {
        try await Harness.run { bridge in
            let resident = GenericResident(bridge: bridge)
            let (_, id) = try await resident.sayAndWaitForSend()
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            let body = Array(#"{"id":"\#(id)","status":"delivered"}"#.utf8)
            #expect(try await bridge.post("/gateways/ks-generic/status", headers: [("Content-Type", "application/json")], body: body).status == 403)
            #expect(try await bridge.outboxItem(id)?.status == .sent)
        }
    }

    @Test func serverErrorsAreRetriedAndA400FailsAtOnce() async throws {
        try await Harness.run { bridge in
            let resident = GenericResident(bridge: bridge)
            await bridge.double.script(.generic, .serverError, .success, .finalError)
            let (_, retried) = try await resident.sayAndWaitForSend()
            let sent = try await bridge.waitForItem(retried, "sent") { $0.status == .sent }
            #expect(sent.attempts == 2)
            let (_, refused) = try await resident.sayAndWaitForSend("1")
            let failed = try await bridge.waitForItem(refused, "failed") { $0.status == .failed }
            #expect(failed.attempts == 1)
            #expect(failed.lastError?.contains("400") == true)
        }
    }
}
