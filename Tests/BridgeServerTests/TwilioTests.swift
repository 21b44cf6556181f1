import BridgeCore
import BridgeStore
import Foundation
import Gateways
import Testing

/// Twilio (reference §2) through the running bridge: signed webhooks in, TwiML out, the REST send API at the
/// double, status callbacks, and the send outcomes Twilio documents.
@Suite struct TwilioTests {
    static let texts = [
        "Përshëndetje! Kanalizimi është i bllokuar te rruga e Çarshisë",
        "Здраво! Улица је поплављена код школе",
        "مرحبا، الشارع مغلق بسبب النفايات قرب المدرسة",
    ]

    // MARK: Signatures

    @Test func signerReproducesTheWorkedExamples() {
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2"
        let params = [("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675309"), ("Digits", "1234"), ("From", "+14158675309"),
                      ("To", "+18005551212")]
        #expect(Signing.twilio(url: url, params: params, token: "12345") == "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
        #expect(Signing.twilio(url: "https://mycompany.com:443/myapp.php?foo=1&bar=2", params: params, token: "12345")
                == "kvajT1Ptam85bY51eRf/AJRuM3w=")
        let repeated = [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234")]
        #expect(Signing.twilio(url: url, params: repeated, token: "12345") == "IK+Dwps556ElfBT0I3Rgjkr1wJU=")
        #expect(Signing.sha256Hex(Array(#"{"property": "value", "boolean": true}"#.utf8))
                == "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620")
    }

    /// The reference's worked example, literally, through the adapter the bridge runs: with and without `:443`.
    @Test(arguments: [("https://mycompany.com", "RSOYDt4T1cUTdK1PDd93/VVr8B8="), ("https://mycompany.com", "kvajT1Ptam85bY51eRf/AJRuM3w="),
                      ("https://mycompany.com:443", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")])
    func adapterAcceptsTheWorkedExample(base: String, signature: String) throws {
        let form = Wire.form([("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675309"), ("Digits", "1234"), ("From", "+14158675309"),
                              ("To", "+18005551212")])
        let gateway = TwilioGateway(settings: GatewaySettings(
            id: "ks-twilio", type: .twilio, publicBaseURL: base, sender: TwilioResident.number,
            secrets: ["account_sid": Secrets.twilioAccountSID, "auth_token": "12345"], region: "XK"))
        func request(_ signature: String, body: String = form) -> GatewayRequest {
            GatewayRequest(method: "POST", path: "/myapp.php", rawQuery: "foo=1&bar=2",
                           headers: [GatewayField("Content-Type", "application/x-www-form-urlencoded"), GatewayField("X-Twilio-Signature", signature)],
                           body: Array(body.utf8), receivedAt: Date())
        }
        try gateway.verify(request(signature), route: .sms)
        #expect(throws: GatewayError.self) { try gateway.verify(request(signature, body: form.replacingOccurrences(of: "1234", with: "1235")), route: .sms) }
        #expect(throws: GatewayError.self) { try gateway.verify(request("IK+Dwps556ElfBT0I3Rgjkr1wJU="), route: .sms) }
    }

    // MARK: Inbound

    @Test(arguments: texts)
    func inboundIsStoredAndAnsweredWithEmptyTwiML(text: String) async throws {
        try await Harness.run { bridge in
            let resident = TwilioResident(bridge: bridge)
            let sid = TwilioResident.newSID()
            // Twilio sends UTF-8; a decomposed ë must be stored composed (NFC).
            let answer = try await resident.inbound(text.decomposedStringWithCanonicalMapping, sid: sid)
            #expect(answer == WebhookAnswer(status: 200, contentType: "text/xml", body: #"<?xml version="1.0" encoding="UTF-8"?><Response/>"#))
            let stored = try await bridge.store.read { try $0.inbound(gateway: "ks-twilio", providerID: sid) }
            #expect(stored?.record.text == text)
            #expect(stored?.record.phone == resident.phone)
            #expect(try await bridge.session("prishtina", resident.phone)?.awaiting != nil)
            // The reply goes through the REST API, never in the TwiML.
            try await bridge.double.waitForSent(to: resident.phone, count: 1)
        }
    }

    @Test func refusedSignaturesAre403AndChangeNothing() async throws {
        try await Harness.run { bridge in
            let resident = TwilioResident(bridge: bridge)
            let form = resident.fields("Përshëndetje", sid: TwilioResident.newSID())
            let uri = "/gateways/ks-twilio/sms"
            let before = try await bridge.snapshot()
            let attempts: [(String, WebhookAnswer)] = [
                ("no signature", try await bridge.postForm(uri, form)),
                ("wrong auth token", try await resident.post(uri, form, token: "not-the-token")),
                ("body changed after signing", try await bridge.postForm(
                    uri, form.map { $0.0 == "Body" ? ($0.0, "Tjetër tekst") : $0 },
                    headers: [("X-Twilio-Signature", Signing.twilio(url: Deployments.publicBaseURL + uri, params: form, token: Secrets.twilioAuthToken))])),
                ("signed for http instead of https", try await bridge.postForm(
                    uri, form, headers: [("X-Twilio-Signature", Signing.twilio(url: "http://bridge.example.org" + uri, params: form,
                                                                               token: Secrets.twilioAuthToken))])),
                ("signature is not base64", try await resident.post(uri, form, signature: "%%%")),
            ]
            for (what, answer) in attempts { #expect(answer.status == 403, "\(what): \(answer)") }
            #expect(try await bridge.snapshot() == before)
            #expect(await bridge.double.requests().isEmpty)
        }
    }

    @Test(arguments: ["From", "MessageSid"])
    func missingFieldIs400NamingIt(field: String) async throws {
        try await Harness.run { bridge in
            let resident = TwilioResident(bridge: bridge)
            // Without MessageSid the adapter falls back to the legacy SmsSid and SmsMessageSid: all three go.
            let removed: Set<String> = field == "MessageSid" ? ["MessageSid", "SmsSid", "SmsMessageSid"] : [field]
            let form = resident.fields("Përshëndetje", sid: TwilioResident.newSID()).filter { !removed.contains($0.0) }
            let answer = try await resident.post("/gateways/ks-twilio/sms", form)
            #expect(answer.status == 400)
            #expect(answer.body.contains("'\(field)'"))
            #expect(try await bridge.inboundCount() == 0)
        }
    }

    // MARK: Send

    @Test func sendRequestHasTheDocumentedShape() async throws {
        try await Harness.run { bridge in
            let resident = TwilioResident(bridge: bridge)
            let (sent, id) = try await resident.sayAndWaitForSend()
            #expect(sent.method == "POST")
            #expect(sent.path == "/2010-04-01/Accounts/\(Secrets.twilioAccountSID)/Messages.json")
            #expect(sent.header("Authorization") == Wire.basic(Secrets.twilioAccountSID, Secrets.twilioAuthToken))
            #expect(sent.header("Content-Type") == "application/x-www-form-urlencoded")
            #expect(sent.field("To") == resident.phone)
            #expect(sent.field("From") == TwilioResident.number)
            #expect(sent.field("Body")?.hasPrefix("Zgjidhni gjuhën") == true)
            #expect(sent.field("StatusCallback") == "https://bridge.example.org/gateways/ks-twilio/status?uuid=\(id)")
            let item = try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(item.providerMessageID == sent.providerMessageID)
            #expect(item.providerMessageID?.hasPrefix("SM") == true)
        }
    }

    // MARK: Status callbacks

    @Test func statusCallbacksMoveQueuedSentDeliveredAndNeverBack() async throws {
        try await Harness.run { bridge in
            let resident = TwilioResident(bridge: bridge)
            let gate = Gate()
            await bridge.double.script(.twilio, .held(gate, then: .success))
            let (sent, id) = try await resident.sayAndWaitForSend()
            // The attempt is in flight: still queued.
            #expect(try await bridge.outboxItem(id)?.status == .queued)
            gate.open()
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }

            let twiml = WebhookAnswer(status: 200, contentType: "text/xml", body: #"<?xml version="1.0" encoding="UTF-8"?><Response/>"#)
            #expect(try await resident.status(sent, "queued") == twiml)
            #expect(try await bridge.outboxItem(id)?.status == .sent)
            #expect(try await resident.status(sent, "sent") == twiml)
            #expect(try await resident.status(sent, "delivered") == twiml)
            #expect(try await bridge.outboxItem(id)?.status == .delivered)
            // A late intermediate report, and even a late failure, leave a delivered message delivered.
            #expect(try await resident.status(sent, "sent") == twiml)
            #expect(try await resident.status(sent, "undelivered", errorCode: "30003") == twiml)
            #expect(try await bridge.outboxItem(id)?.status == .delivered)
            #expect(try await resident.status(sent, "read") == twiml)
            #expect(try await bridge.outboxItem(id)?.status == .delivered)
        }
    }

    @Test(arguments: ["undelivered", "failed", "canceled"])
    func failureCallbacksFailTheMessage(status: String) async throws {
        try await Harness.run { bridge in
            let resident = TwilioResident(bridge: bridge)
            let (sent, id) = try await resident.sayAndWaitForSend()
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(try await resident.status(sent, status, errorCode: "30003").status == 200)
            let item = try await bridge.waitForItem(id, "failed") { $0.status == .failed }
            #expect(item.lastError?.contains("30003") == true)
            #expect(try await bridge.isOptedOut("prishtina", resident.phone) == false)
        }
    }

    @Test func aStopErrorCodeInACallbackRecordsTheOptOut() async throws {
        try await Harness.run { bridge in
            let resident = TwilioResident(bridge: bridge)
            let (sent, id) = try await resident.sayAndWaitForSend()
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(try await resident.status(sent, "failed", errorCode: "21610").status == 200)
            #expect(try await bridge.isOptedOut("prishtina", resident.phone))
        }
    }

    @Test func callbackWithoutStatusOrWithAnUnknownOneIsIgnoredWith200() async throws {
        try await Harness.run { bridge in
            let resident = TwilioResident(bridge: bridge)
            let (sent, id) = try await resident.sayAndWaitForSend()
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            let callback = try #require(sent.field("StatusCallback")).bridgeURI
            let noStatus = try await resident.post(callback, [("MessageSid", sent.providerMessageID ?? ""), ("AccountSid", Secrets.twilioAccountSID)])
            #expect(noStatus.status == 200)
            #expect(try await resident.status(sent, "partially_delivered").status == 200)
            #expect(try await bridge.outboxItem(id)?.status == .sent)
        }
    }

    @Test func unsignedCallbackIs403AndChangesNothing() async throws {
        try await Harness.run { bridge in
            let resident = TwilioResident(bridge: bridge)
            let (sent, id) = try await resident.sayAndWaitForSend()
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            let callback = try #require(sent.field("StatusCallback")).bridgeURI
            let form = [("MessageSid", sent.providerMessageID ?? ""), ("MessageStatus", "delivered")]
            #expect(try await bridge.postForm(callback, form).status == 403)
            #expect(try await resident.post(callback, form, token: "guess").status == 403)
            #expect(try await bridge.outboxItem(id)?.status == .sent)
        }
    }

    // MARK: Send outcomes

    @Test func serverErrorAndThrottlingAreRetriedThenSent() async throws {
        try await Harness.run { bridge in
            let resident = TwilioResident(bridge: bridge)
            await bridge.double.script(.twilio, .serverError, .throttled(retryAfter: nil))
            let (_, id) = try await resident.sayAndWaitForSend()
            let item = try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(item.attempts == 3)
            let answers = await bridge.double.sent(to: resident.phone).map(\.answerStatus)
            #expect(answers == [503, 429, 201])
        }
    }

    @Test func invalidNumberFailsAtOnce() async throws {
        try await Harness.run { bridge in
            let resident = TwilioResident(bridge: bridge)
            await bridge.double.script(.twilio, .finalError)
            let (_, id) = try await resident.sayAndWaitForSend()
            let item = try await bridge.waitForItem(id, "failed") { $0.status == .failed }
            #expect(item.attempts == 1)
            #expect(item.lastError?.contains("21211") == true)
            // The next message goes out; the failed one was never tried again.
            try await resident.sayAndWaitForSend("1")
            #expect(await bridge.double.sent(to: resident.phone).count == 2)
            #expect(try await bridge.isOptedOut("prishtina", resident.phone) == false)
        }
    }

    @Test func unsubscribedRecipientRecordsTheOptOutAndNothingMoreIsSent() async throws {
        try await Harness.run { bridge in
            let resident = TwilioResident(bridge: bridge)
            await bridge.double.script(.twilio, .optOut)
            let (_, id) = try await resident.sayAndWaitForSend()
            let item = try await bridge.waitForItem(id, "failed") { $0.status == .failed }
            #expect(item.lastError?.contains("21610") == true)
            #expect(try await bridge.isOptedOut("prishtina", resident.phone))
            // The conversation goes on in the store, but its replies are never sent.
            #expect(try await resident.say("1").status == 200)
            let items = try await bridge.waitForOutbox(resident.phone, count: 2, "failed") { $0.status == .failed }
            #expect(items[1].attempts == 0)
            #expect(items[1].lastError?.contains("opted out") == true)
            #expect(await bridge.double.sent(to: resident.phone).count == 1)
        }
    }
}
