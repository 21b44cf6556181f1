import BridgeCore
import BridgeStore
import Foundation
import Testing

/// Vonage SMS API (reference §4) through the running bridge: signed webhooks by GET, POST and POST-JSON,
/// concatenated parts, the send API at the double (HTTP 200 even for errors), and delivery receipts.
@Suite struct VonageTests {
    // MARK: Signatures

    /// vonage-python-sdk's vectors, as the reference quotes them: the signer the tests use reproduces every one.
    @Test func signerReproducesTheWorkedExamples() {
        let params = [("a", "1"), ("b", "2"), ("timestamp", "1461605396")]
        #expect(Signing.vonageString(params) == "&a=1&b=2&timestamp=1461605396")
        let expected: [Signing.VonageMethod: String] = [
            .md5hash: "6af838ef94998832dbfc29020b564830",
            .md5: "c15c21ced558c93a226c305f58f902f2",
            .sha1: "3e19a4e6880fdc2c1426bfd0587c98b9532f0210",
            .sha256: "a321e824b9b816be7c3f28859a31749a098713d39f613c80d455bbaffae1cd24",
            .sha512: "812a18f76680fa0fe1b8bd9ee1625466ceb1bd96242e4d050d2cfd9a7b40166c63ed26ec9702168781b6edcf1633db8ff95af9341701004eec3fcf9550572ee8",
        ]
        for method in Signing.VonageMethod.allCases {
            #expect(Signing.vonage(params, secret: "secret", method: method) == expected[method], "\(method)")
        }
        // `&` and `=` inside values become `_`; `sig` itself is never signed.
        #expect(Signing.vonageString([("text", "a=b&c"), ("sig", "x"), ("b", "1")]) == "&b=1&text=a_b_c")
    }

    // MARK: Inbound

    @Test(arguments: ["GET", "POST", "JSON"], TwilioTests.texts)
    func signedInboundIsStoredAndAnsweredWithAnEmpty200(method: String, text: String) async throws {
        try await Harness.run { bridge in
            let resident = VonageResident(bridge: bridge, method: method)
            let id = String(format: "0C%014X", UInt64.random(in: 0..<(1 << 52)))
            let answer = try await resident.send("sms", resident.fields(text, messageID: id))
            #expect(answer.status == 200, "\(answer)")
            #expect(answer.body.isEmpty)
            let stored = try await bridge.store.read { try $0.inbound(gateway: "ks-vonage", providerID: id) }
            #expect(stored?.record.text == text)
            #expect(stored?.record.phone == resident.phone)
        }
    }

    @Test func ampersandsAndEqualsSignsInTheTextAreSignedAsVonageDoes() async throws {
        try await Harness.run { bridge in
            let resident = VonageResident(bridge: bridge, method: "POST")
            let id = "0C00000000000AE1"
            let text = "Ujë & rrymë: 2=0, Rr. \"Nëna Terezë\" nr 5"
            let answer = try await resident.send("sms", resident.fields(text, messageID: id))
            #expect(answer.status == 200)
            let stored = try await bridge.store.read { try $0.inbound(gateway: "ks-vonage", providerID: id) }
            #expect(stored?.record.text == text)
        }
    }

    @Test func refusedSignaturesAre403AndChangeNothing() async throws {
        try await Harness.run { bridge in
            let resident = VonageResident(bridge: bridge)
            let fields = resident.fields("Здраво")
            let before = try await bridge.snapshot()
            let attempts: [(String, WebhookAnswer)] = [
                ("unsigned", try await resident.raw("sms", fields)),
                ("wrong secret", try await resident.send("sms", fields, secret: "not-the-secret")),
                ("text changed after signing", try await resident.send("sms", fields) { signed in
                    signed = signed.map { $0.0 == "text" ? ("text", "Довиђења") : $0 }
                }),
                ("timestamp 6 minutes old", try await resident.send("sms", fields, timestamp: Date().addingTimeInterval(-360))),
                ("timestamp 6 minutes ahead", try await resident.send("sms", fields, timestamp: Date().addingTimeInterval(360))),
                ("sig removed", try await resident.send("sms", fields) { signed in signed.removeAll { $0.0 == "sig" } }),
            ]
            for (what, answer) in attempts { #expect(answer.status == 403, "\(what): \(answer)") }
            #expect(try await bridge.snapshot() == before)
        }
    }

    @Test func dashboardURLCheckIsAnsweredIgnored() async throws {
        try await Harness.run { bridge in
            let answer = try await bridge.get("/gateways/ks-vonage/sms")
            #expect(answer.status == 200)
            #expect(answer.body == "Ignored")
            #expect(try await bridge.inboundCount() == 0)
        }
    }

    @Test func missingMsisdnIs400NamingIt() async throws {
        try await Harness.run { bridge in
            let resident = VonageResident(bridge: bridge)
            let answer = try await resident.send("sms", resident.fields("Здраво").filter { $0.0 != "msisdn" })
            #expect(answer.status == 400)
            #expect(answer.body.contains("'msisdn'"))
        }
    }

    /// Parts of one message arrive one by one and out of order (§4.a); the engine sees the whole text once.
    @Test func concatenatedPartsOutOfOrderAreOneEngineMessage() async throws {
        try await Harness.run { bridge in
            let resident = VonageResident(bridge: bridge, phone: "+38344123456")
            let parts = ["2 / Sheshi Skë", "nderbeu / drita nuk pun", "on prej dy javësh"]
            let first = resident.fields(parts[0], concat: ("A7", 3, 1))
            #expect(try await resident.send("sms", resident.fields(parts[2], concat: ("A7", 3, 3))).status == 200)
            #expect(try await resident.send("sms", first).status == 200)
            // Vonage re-sends part 1 (same messageId): nothing changes.
            #expect(try await resident.send("sms", first).status == 200)
            #expect(try await bridge.inboundCount() == 2)
            #expect(try await bridge.session("prishtina", resident.phone) == nil)
            #expect(try await bridge.outbox(resident.phone).isEmpty)
            #expect(try await resident.send("sms", resident.fields(parts[1], concat: ("A7", 3, 2))).status == 200)
            let sent = try await bridge.double.waitForSent(to: resident.phone, count: 1)
            // One message: straight to the confirmation, with the whole description.
            #expect(sent[0].text.contains("drita nuk punon prej dy javesh") || sent[0].text.contains("drita nuk punon prej dy javësh"),
                    "\(sent[0].text)")
            #expect(try await bridge.session("prishtina", resident.phone)?.awaiting == .confirm)
            #expect(try await bridge.outbox(resident.phone).count == 1)
        }
    }

    /// A part that never arrives (§4.a: release what came after about 60 s) leaves the others buffered for good, and
    /// when the sender's carrier reuses the reference for a later message, the stale part is joined into it.
    @Test func aLostPartDoesNotPoisonALaterMessageWithTheSameReference() async throws {
        try await Harness.run { bridge in
            let resident = VonageResident(bridge: bridge, phone: "+38344123456")
            // Message A: part 2 of 2 is lost by the network.
            #expect(try await resident.send("sms", resident.fields("Kontejneri te shkolla ", concat: ("5C", 2, 1))).status == 200)
            // Message B, later, with the same 8-bit reference.
            #expect(try await resident.send("sms", resident.fields("2 / Sheshi Skenderbeu / dri", concat: ("5C", 2, 1))).status == 200)
            #expect(try await resident.send("sms", resident.fields("ta nuk punon", concat: ("5C", 2, 2))).status == 200)
            let sent = try await bridge.double.waitForSent(to: resident.phone, count: 1)
            withKnownIssue("concat parts have no timeout: a stale part of an incomplete message is joined into the next one with its reference") {
                #expect(sent[0].text.contains("drita nuk punon"), "\(sent[0].text)")
            }
        }
    }

    // MARK: Send

    @Test func sendRequestHasTheDocumentedShapeWithTheRightType() async throws {
        try await Harness.run { bridge in
            let resident = VonageResident(bridge: bridge, phone: "+38344123456")
            let (menu, menuID) = try await resident.sayAndWaitForSend("Përshëndetje")
            #expect(menu.method == "POST")
            #expect(menu.path == "/sms/json")
            #expect(menu.header("Content-Type") == "application/x-www-form-urlencoded")
            #expect(menu.field("api_key") == Secrets.vonageAPIKey)
            #expect(menu.field("api_secret") == Secrets.vonageAPISecret)
            #expect(menu.field("from") == "38345000222")
            #expect(menu.field("to") == "38344123456")
            #expect(menu.field("status-report-req") == "1")
            #expect(menu.field("callback") == "https://bridge.example.org/gateways/ks-vonage/status")
            #expect(menu.field("client-ref") == menuID)
            // ë is not GSM-7: unicode, or the handset would lose it.
            #expect(menu.text.contains("gjuhën"))
            #expect(menu.field("type") == "unicode")
            // The category menu is sent in the GSM-7 spelling: type=text.
            let (categories, _) = try await resident.sayAndWaitForSend("1")
            #expect(categories.text.hasPrefix("Kategoria:"))
            #expect(categories.field("type") == "text")
            let item = try await bridge.waitForItem(menuID, "sent") { $0.status == .sent }
            #expect(item.providerMessageID == menu.providerMessageID)
        }
    }

    // MARK: Delivery receipts

    @Test func receiptsMoveSentThenDeliveredAndNeverBack() async throws {
        try await Harness.run { bridge in
            let resident = VonageResident(bridge: bridge)
            let (sent, id) = try await resident.sayAndWaitForSend("Здраво")
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            for status in ["accepted", "buffered", "unknown"] {
                #expect(try await resident.receipt(sent, status).status == 200)
                #expect(try await bridge.outboxItem(id)?.status == .sent, "\(status)")
            }
            #expect(try await resident.receipt(sent, "delivered").status == 200)
            #expect(try await bridge.outboxItem(id)?.status == .delivered)
            #expect(try await resident.receipt(sent, "accepted").status == 200)
            #expect(try await resident.receipt(sent, "failed", errCode: "6").status == 200)
            #expect(try await bridge.outboxItem(id)?.status == .delivered)
        }
    }

    @Test(arguments: ["failed", "rejected", "expired"])
    func failedReceiptsFailTheMessage(status: String) async throws {
        try await Harness.run { bridge in
            let resident = VonageResident(bridge: bridge, method: "POST")
            let (sent, id) = try await resident.sayAndWaitForSend("Здраво")
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(try await resident.receipt(sent, status, errCode: "3").status == 200)
            let item = try await bridge.waitForItem(id, "failed") { $0.status == .failed }
            #expect(item.lastError?.contains("3") == true)
        }
    }

    @Test func unsignedReceiptIs403AndUnknownStatusIsIgnored() async throws {
        try await Harness.run { bridge in
            let resident = VonageResident(bridge: bridge)
            let (sent, id) = try await resident.sayAndWaitForSend("Здраво")
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            let unsigned = try await resident.raw("status", [("messageId", sent.providerMessageID ?? ""), ("status", "delivered"),
                                                            ("client-ref", id), ("msisdn", "38163123456")])
            #expect(unsigned.status == 403)
            #expect(try await resident.receipt(sent, "lost-in-space").status == 200)
            #expect(try await bridge.outboxItem(id)?.status == .sent)
        }
    }

    /// Vonage reports each part of a long message separately (§4.e): delivered only when every part is.
    @Test func aMessageInPartsIsDeliveredWhenEveryPartIs() async throws {
        try await Harness.run { bridge in
            let resident = VonageResident(bridge: bridge)
            try await resident.sayAndWaitForSend("Здраво")
            // The Cyrillic category menu takes two UCS-2 segments: two message-ids.
            let (menu, id) = try await resident.sayAndWaitForSend("3")
            #expect(menu.text.hasPrefix("Врста:"))
            #expect(menu.partIDs.count == 2)
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(try await resident.receipt(menu, "delivered", messageID: menu.partIDs[0]).status == 200)
            #expect(try await bridge.outboxItem(id)?.status == .sent)
            #expect(try await resident.receipt(menu, "accepted", messageID: menu.partIDs[1]).status == 200)
            #expect(try await bridge.outboxItem(id)?.status == .sent)
            #expect(try await resident.receipt(menu, "delivered", messageID: menu.partIDs[1]).status == 200)
            #expect(try await bridge.outboxItem(id)?.status == .delivered)
        }
    }

    @Test func aMessageInPartsFailsWhenOnePartFails() async throws {
        try await Harness.run { bridge in
            let resident = VonageResident(bridge: bridge)
            try await resident.sayAndWaitForSend("Здраво")
            let (menu, id) = try await resident.sayAndWaitForSend("3")
            try #require(menu.partIDs.count == 2)
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(try await resident.receipt(menu, "delivered", messageID: menu.partIDs[0]).status == 200)
            #expect(try await resident.receipt(menu, "failed", errCode: "5", messageID: menu.partIDs[1]).status == 200)
            let item = try await bridge.waitForItem(id, "failed") { $0.status == .failed }
            #expect(item.lastError?.contains("5") == true)
            #expect(try await resident.receipt(menu, "delivered", messageID: menu.partIDs[1]).status == 200)
            #expect(try await bridge.outboxItem(id)?.status == .failed)
        }
    }

    // MARK: Send outcomes

    @Test func throttledStatusAndHTTP503AreRetriedThenSent() async throws {
        try await Harness.run { bridge in
            let resident = VonageResident(bridge: bridge)
            await bridge.double.script(.vonage, .providerRetryable, .serverError)
            let (_, id) = try await resident.sayAndWaitForSend("Здраво")
            let item = try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(item.attempts == 3)
            #expect(await bridge.double.sent(to: resident.phone).map(\.answerStatus) == [200, 503, 200])
        }
    }

    @Test func invalidMessageStatusFailsAtOnce() async throws {
        try await Harness.run { bridge in
            let resident = VonageResident(bridge: bridge)
            await bridge.double.script(.vonage, .finalError)
            let (_, id) = try await resident.sayAndWaitForSend("Здраво")
            let item = try await bridge.waitForItem(id, "failed") { $0.status == .failed }
            #expect(item.attempts == 1)
            #expect(item.lastError?.contains("6") == true)
        }
    }
}
