import BridgeCore
import BridgeStore
import Foundation
import Testing

/// Infobip (reference §5) through the running bridge: MO_JSON_2 posts with several results, Basic credentials,
/// the v3 send API at the double, delivery reports by status group.
@Suite struct InfobipTests {
    @Test func twoMessagesInOnePostAreBothTakenAndARetryChangesNothing() async throws {
        try await Harness.run { bridge in
            let albanian = InfobipResident(bridge: bridge, phone: "+38344123456")
            let serbian = InfobipResident(bridge: bridge, phone: "+38163123456")
            let results = [albanian.result("Përshëndetje", messageID: "817790313235066447"),
                           serbian.result("Здраво", messageID: "817790313235066448")]
            let answer = try await albanian.post(results)
            #expect(answer.status == 200)
            #expect(try await bridge.inboundCount() == 2)
            let first = try await bridge.store.read { try $0.inbound(gateway: "ks-infobip", providerID: "817790313235066447") }
            let second = try await bridge.store.read { try $0.inbound(gateway: "ks-infobip", providerID: "817790313235066448") }
            #expect(first?.record.text == "Përshëndetje")
            #expect(second?.record.text == "Здраво")
            let albanianMenu = try await bridge.double.waitForSent(to: albanian.phone, count: 1)
            let serbianMenu = try await bridge.double.waitForSent(to: serbian.phone, count: 1)
            #expect(albanianMenu[0].text.contains("Zgjidhni gjuhën"))
            #expect(serbianMenu[0].text.contains("Изаберите језик"))

            // Infobip retries the whole post: the same answer, no new rows, no new replies.
            #expect(try await albanian.post(results) == answer)
            #expect(try await bridge.inboundCount() == 2)
            try await bridge.waitForOutbox(albanian.phone, count: 1)
            try await bridge.waitForOutbox(serbian.phone, count: 1)
            #expect(try await bridge.outbox().count == 2)
        }
    }

    @Test(arguments: TwilioTests.texts)
    func inboundTextIsStoredAsSent(text: String) async throws {
        try await Harness.run { bridge in
            let resident = InfobipResident(bridge: bridge)
            let answer = try await resident.post([resident.result(text, messageID: "900")])
            #expect(answer.status == 200)
            let stored = try await bridge.store.read { try $0.inbound(gateway: "ks-infobip", providerID: "900") }
            #expect(stored?.record.text == text)
        }
    }

    @Test func missingOrWrongBasicCredentialsAre403AndChangeNothing() async throws {
        try await Harness.run { bridge in
            let resident = InfobipResident(bridge: bridge)
            let before = try await bridge.snapshot()
            #expect(try await resident.post([resident.result("Здраво")], authorization: "").status == 403)
            #expect(try await resident.post([resident.result("Здраво")], authorization: Wire.basic(Secrets.infobipWebhookUser, "guess")).status == 403)
            #expect(try await resident.post([resident.result("Здраво")], authorization: "App " + Secrets.infobipAPIKey).status == 403)
            #expect(try await bridge.snapshot() == before)
        }
    }

    @Test func malformedPostsAre400NamingTheField() async throws {
        try await Harness.run { bridge in
            let resident = InfobipResident(bridge: bridge)
            var noFrom = resident.result("Здраво")
            noFrom["from"] = nil
            let missing = try await resident.post([resident.result("Përshëndetje"), noFrom])
            #expect(missing.status == 400)
            #expect(missing.body.contains("'results[1].from'"), "\(missing)")
            let headers = [("Content-Type", "application/json"), ("Authorization", resident.authorization)]
            let noResults = try await bridge.post("/gateways/ks-infobip/sms", headers: headers, body: Array(#"{"messageCount":1}"#.utf8))
            #expect(noResults.status == 400)
            #expect(noResults.body.contains("'results'"))
            let notJSON = try await bridge.post("/gateways/ks-infobip/sms", headers: headers, body: Array(#"{"results":[{"#.utf8))
            #expect(notJSON.status == 400)
            #expect(notJSON.body.contains("'body'"))
            #expect(try await bridge.inboundCount() == 0)
        }
    }

    @Test func emptyPostIsIgnoredWith200() async throws {
        try await Harness.run { bridge in
            let resident = InfobipResident(bridge: bridge)
            let answer = try await resident.post([])
            #expect(answer.status == 200)
            #expect(answer.body == "Ignored")
        }
    }

    @Test func sendRequestHasTheDocumentedShape() async throws {
        try await Harness.run { bridge in
            let resident = InfobipResident(bridge: bridge)
            let (sent, id) = try await resident.sayAndWaitForSend("Здраво")
            #expect(sent.method == "POST")
            #expect(sent.path == "/sms/3/messages")
            #expect(sent.header("Authorization") == "App " + Secrets.infobipAPIKey)
            #expect(sent.header("Content-Type") == "application/json")
            let message = try #require(sent.infobipMessage)
            #expect(message["sender"] as? String == "BridgeKS")
            let destination = try #require((message["destinations"] as? [[String: Any]])?.first)
            #expect(destination["to"] as? String == "38163123456")
            // Our id as the destination's messageId: delivery reports then carry it (§5.d).
            #expect(destination["messageId"] as? String == id)
            #expect((message["content"] as? [String: Any])?["text"] as? String == sent.text)
            #expect(sent.text.hasPrefix("Изаберите језик"))
            let webhooks = try #require(message["webhooks"] as? [String: Any])
            let delivery = try #require(webhooks["delivery"] as? [String: Any])
            #expect(delivery["url"] as? String == "https://bridge.example.org/gateways/ks-infobip/status")
            #expect(delivery["intermediateReport"] as? Bool == true)
            // No transliteration: residents expect their own script (§5.d).
            #expect((message["content"] as? [String: Any])?["transliteration"] == nil)
            let item = try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(item.providerMessageID == id)
        }
    }

    @Test func reportsMoveSentThenDeliveredAndNeverBack() async throws {
        try await Harness.run { bridge in
            let resident = InfobipResident(bridge: bridge)
            let (sent, id) = try await resident.sayAndWaitForSend("Здраво")
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(try await resident.report(sent, group: (1, "PENDING"), status: (7, "PENDING_ENROUTE")).status == 200)
            #expect(try await bridge.outboxItem(id)?.status == .sent)
            // DELIVERED_TO_OPERATOR is intermediate (§5.e).
            #expect(try await resident.report(sent, group: (3, "DELIVERED"), status: (2, "DELIVERED_TO_OPERATOR")).status == 200)
            #expect(try await bridge.outboxItem(id)?.status == .sent)
            #expect(try await resident.report(sent, group: (3, "DELIVERED"), status: (5, "DELIVERED_TO_HANDSET")).status == 200)
            #expect(try await bridge.outboxItem(id)?.status == .delivered)
            #expect(try await resident.report(sent, group: (1, "PENDING"), status: (3, "PENDING_WAITING_DELIVERY")).status == 200)
            #expect(try await bridge.outboxItem(id)?.status == .delivered)
        }
    }

    struct FinalStatus: Sendable, CustomTestStringConvertible {
        var groupID: Int, group: String, statusID: Int, status: String
        var testDescription: String { status }
    }

    @Test(arguments: [FinalStatus(groupID: 2, group: "UNDELIVERABLE", statusID: 9, status: "UNDELIVERABLE_NOT_DELIVERED"),
                      FinalStatus(groupID: 4, group: "EXPIRED", statusID: 15, status: "EXPIRED_EXPIRED"),
                      FinalStatus(groupID: 5, group: "REJECTED", statusID: 52, status: "REJECTED_DESTINATION")])
    func finalGroupsFailTheMessage(final: FinalStatus) async throws {
        let (groupID, group, statusID, status) = (final.groupID, final.group, final.statusID, final.status)
        try await Harness.run { bridge in
            let resident = InfobipResident(bridge: bridge)
            let (sent, id) = try await resident.sayAndWaitForSend("Здраво")
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            let answer = try await resident.report(sent, group: (groupID, group), status: (statusID, status),
                                                   error: (27, "EC_ABSENT_SUBSCRIBER", true))
            #expect(answer.status == 200)
            let item = try await bridge.waitForItem(id, "failed") { $0.status == .failed }
            #expect(item.lastError?.contains("EC_ABSENT_SUBSCRIBER") == true)
        }
    }

    @Test func throttlingAndServerErrorsAreRetriedThenSent() async throws {
        try await Harness.run { bridge in
            let resident = InfobipResident(bridge: bridge)
            await bridge.double.script(.infobip, .throttled(retryAfter: nil), .serverError)
            let (_, id) = try await resident.sayAndWaitForSend("Здраво")
            let item = try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(item.attempts == 3)
            #expect(await bridge.double.sent(to: resident.phone).map(\.answerStatus) == [429, 503, 200])
        }
    }

    @Test func rejectedDestinationFailsAtOnce() async throws {
        try await Harness.run { bridge in
            let resident = InfobipResident(bridge: bridge)
            await bridge.double.script(.infobip, .finalError)
            let (_, id) = try await resident.sayAndWaitForSend("Здраво")
            let item = try await bridge.waitForItem(id, "failed") { $0.status == .failed }
            #expect(item.attempts == 1)
            #expect(item.lastError?.contains("REJECTED_DESTINATION") == true)
        }
    }
}
