import BridgeCore
import BridgeStore
import Foundation
import Testing

/// Kannel (reference §6) through the running bridge: the sms-service get-url with `%b` bytes in the declared
/// coding, the post-url variant, sendsms at the double with UCS-2 as UTF-16BE, and dlr-url reports.
@Suite struct KannelTests {
    static func moroccan(_ bridge: Bridge) -> KannelResident { KannelResident(bridge: bridge) }

    static func kosovar(_ bridge: Bridge) -> KannelResident {
        KannelResident(bridge: bridge, phone: "+38344123456", gateway: "ks-kannel", deployment: "prishtina",
                       token: Secrets.kannelPathToken, shortCode: "1818")
    }

    // MARK: Inbound

    @Test(arguments: TwilioTests.texts + ["Улица је затворена 🚧 код школе"])
    func ucs2BytesAreDecodedAsUTF16BE(text: String) async throws {
        try await Harness.run { bridge in
            let answer = try await Self.moroccan(bridge).mo(text, id: "kannel-1", coding: 2)
            #expect(answer.status == 200)
            #expect(answer.body.isEmpty)
            let stored = try await bridge.store.read { try $0.inbound(gateway: "ma-kannel", providerID: "kannel-1") }
            #expect(stored?.record.text == text)
        }
    }

    /// With `mo-recode`, Kannel reports coding 0 and UTF-8 bytes.
    @Test func recodedUTF8AndPlainGSMAreRead() async throws {
        try await Harness.run { bridge in
            let resident = Self.kosovar(bridge)
            #expect(try await resident.mo("Përshëndetje nga Prishtina", id: "k-utf8", coding: 0).status == 200)
            #expect(try await resident.mo("Hello from Pristina", id: "k-gsm").status == 200)
            let utf8 = try await bridge.store.read { try $0.inbound(gateway: "ks-kannel", providerID: "k-utf8") }
            let gsm = try await bridge.store.read { try $0.inbound(gateway: "ks-kannel", providerID: "k-gsm") }
            #expect(utf8?.record.text == "Përshëndetje nga Prishtina")
            #expect(gsm?.record.text == "Hello from Pristina")
        }
    }

    /// The post-url variant: the bytes in the body, the charset in Content-Type, the rest in X-Kannel headers.
    @Test func postURLWithUTF16BodyIsRead() async throws {
        try await Harness.run { bridge in
            let query = "token=" + Secrets.maKannelPathToken + "&id=k-post"
            let answer = try await bridge.post(
                "/gateways/ma-kannel/sms?" + query,
                headers: [("Content-Type", #"text/plain; charset="UTF-16BE""#), ("X-Kannel-From", "+212612345678"), ("X-Kannel-To", "2020"),
                          ("X-Kannel-Time", "2026-11-27 10:00:00"), ("X-Kannel-Coding", "2"), ("X-Kannel-SMSC", "smsc-iam")],
                body: Wire.utf16BE("الأزبال في كل مكان"))
            #expect(answer.status == 200, "\(answer)")
            let stored = try await bridge.store.read { try $0.inbound(gateway: "ma-kannel", providerID: "k-post") }
            #expect(stored?.record.text == "الأزبال في كل مكان")
            #expect(stored?.record.phone == "+212612345678")
        }
    }

    @Test func wrongTokenIs403AndChangesNothing() async throws {
        try await Harness.run { bridge in
            let before = try await bridge.snapshot()
            #expect(try await Self.moroccan(bridge).mo("مرحبا", token: "guess").status == 403)
            #expect(try await Self.moroccan(bridge).mo("مرحبا", token: Secrets.kannelPathToken).status == 403)
            #expect(try await bridge.get("/gateways/ma-kannel/status?m=x&status=1").status == 403)
            #expect(try await bridge.snapshot() == before)
        }
    }

    @Test func missingSenderIs400NamingIt() async throws {
        try await Harness.run { bridge in
            let answer = try await bridge.get("/gateways/ma-kannel/sms?token=\(Secrets.maKannelPathToken)&id=x&to=2020&coding=0&text=hello")
            #expect(answer.status == 400)
            #expect(answer.body.contains("'from'"))
        }
    }

    struct BadText: Sendable, CustomTestStringConvertible {
        var what: String, bytes: [UInt8], coding: Int
        var testDescription: String { what }
    }

    @Test(arguments: [BadText(what: "odd byte count", bytes: [0x06, 0x27, 0x06], coding: 2),
                      BadText(what: "lone surrogate", bytes: [0xD8, 0x3D, 0x00, 0x41], coding: 2),
                      BadText(what: "invalid UTF-8", bytes: [0x50, 0xEB, 0x72], coding: 0)])
    func undecodableTextIs400(bad: BadText) async throws {
        let (what, bytes, coding) = (bad.what, bad.bytes, bad.coding)
        try await Harness.run { bridge in
            let answer = try await Self.moroccan(bridge).mo("", bytes: bytes, coding: coding)
            #expect(answer.status == 400, "\(what): \(answer)")
            #expect(answer.body.contains("'text'"), "\(what): \(answer)")
            #expect(try await bridge.inboundCount() == 0)
            try await bridge.expectHealthy()
        }
    }

    // MARK: Send

    @Test func sendsmsSendsUCS2AsUTF16BEAndGSMAsUTF8() async throws {
        try await Harness.run { bridge in
            let resident = Self.kosovar(bridge)
            let (menu, id) = try await resident.sayAndWaitForSend("Përshëndetje")
            #expect(menu.method == "GET")
            #expect(menu.path == "/cgi-bin/sendsms")
            #expect(menu.field("username") == Secrets.kannelUsername)
            #expect(menu.field("password") == Secrets.kannelPassword)
            #expect(menu.field("from") == "1818")
            #expect(menu.field("to") == resident.phone)
            #expect(menu.field("coding") == "2")
            #expect(menu.field("charset") == nil)
            #expect(menu.text.hasPrefix("Zgjidhni gjuhën"))
            #expect(menu.field("dlr-mask") == "27")
            let dlr = try #require(menu.field("dlr-url"))
            #expect(dlr.hasPrefix("https://bridge.example.org/gateways/ks-kannel/status?"))
            for part in ["token=" + Secrets.kannelPathToken, "m=" + id, "status=%d", "fid=%F", "answer=%A", "ts=%T"] {
                #expect(dlr.contains(part), "\(part) in \(dlr)")
            }
            let (categories, _) = try await resident.sayAndWaitForSend("1")
            #expect(categories.field("coding") == "0")
            #expect(categories.field("charset") == "UTF-8")
            #expect(categories.text.hasPrefix("Kategoria:"))
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
        }
    }

    // MARK: Delivery reports

    @Test func reportsMoveSentThenDeliveredAndNeverBack() async throws {
        try await Harness.run { bridge in
            let resident = Self.moroccan(bridge)
            let (sent, id) = try await resident.sayAndWaitForSend()
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(try await resident.report(sent, type: 8, answer: "ACK/").status == 200)
            #expect(try await resident.report(sent, type: 4, answer: "").status == 200)
            #expect(try await bridge.outboxItem(id)?.status == .sent)
            let receipt = "id:0123456789 sub:001 dlvrd:001 submit date:2611271000 done date:2611271001 stat:DELIVRD err:000 text:شكرا"
            #expect(try await resident.report(sent, type: 1, answer: receipt).status == 200)
            #expect(try await bridge.outboxItem(id)?.status == .delivered)
            #expect(try await resident.report(sent, type: 8, answer: "ACK/").status == 200)
            #expect(try await resident.report(sent, type: 16, answer: "NACK/0x0000000b/Invalid Destination Address").status == 200)
            #expect(try await bridge.outboxItem(id)?.status == .delivered)
        }
    }

    struct Failure: Sendable, CustomTestStringConvertible {
        var type: Int, answer: String, code: String
        var testDescription: String { "\(type) \(code)" }
    }

    @Test(arguments: [Failure(type: 16, answer: "NACK/0x0000000b/Invalid Destination Address", code: "0x0000000b"),
                      Failure(type: 2, answer: "id:0123456789 sub:001 dlvrd:000 submit date:2611271000 done date:2611271001 stat:UNDELIV err:001 text:x",
                              code: "UNDELIV/001")])
    func failureReportsFailTheMessage(failure: Failure) async throws {
        let (type, answer, code) = (failure.type, failure.answer, failure.code)
        try await Harness.run { bridge in
            let resident = Self.moroccan(bridge)
            let (sent, id) = try await resident.sayAndWaitForSend()
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(try await resident.report(sent, type: type, answer: answer).status == 200)
            let item = try await bridge.waitForItem(id, "failed") { $0.status == .failed }
            #expect(item.lastError?.contains(code) == true, "\(item.lastError ?? "")")
        }
    }

    /// §6.e: a type-16 report whose `%A` carries a transient SMPP status (0x00000058 ESME_RTHROTTLED, 0x00000014
    /// queue full) means the SMSC refused for now, and the message should be sent again. The adapter marks such a
    /// report `retryable`, but the server fails the message for good.
    @Test func throttledSMSCRejectShouldBeResent() async throws {
        try await Harness.run { bridge in
            let resident = Self.moroccan(bridge)
            let (sent, id) = try await resident.sayAndWaitForSend()
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(try await resident.report(sent, type: 16, answer: "NACK/0x00000058/Throttling error").status == 200)
            // A temporary reject puts the message back in the queue; the sender tries again and it goes out.
            let item = try await bridge.waitForItem(id, "resent") { $0.status == .sent && $0.attempts == 2 }
            #expect(item.lastError == nil)
            #expect(await bridge.double.sent(to: resident.phone).count == 2)
        }
    }

    @Test func unknownReportTypeIsIgnoredWith200() async throws {
        try await Harness.run { bridge in
            let resident = Self.moroccan(bridge)
            let (sent, id) = try await resident.sayAndWaitForSend()
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(try await resident.report(sent, type: 32, answer: "").status == 200)
            #expect(try await bridge.outboxItem(id)?.status == .sent)
        }
    }

    // MARK: Send outcomes

    @Test func temporalFailureIsRetriedThenSent() async throws {
        try await Harness.run { bridge in
            let resident = Self.moroccan(bridge)
            await bridge.double.script(.kannel, .serverError)
            let (_, id) = try await resident.sayAndWaitForSend()
            let item = try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(item.attempts == 2)
            #expect(await bridge.double.sent(to: resident.phone).map(\.answerStatus) == [503, 202])
        }
    }

    @Test func notRoutableFailsAtOnce() async throws {
        try await Harness.run { bridge in
            let resident = Self.moroccan(bridge)
            await bridge.double.script(.kannel, .finalError)
            let (_, id) = try await resident.sayAndWaitForSend()
            let item = try await bridge.waitForItem(id, "failed") { $0.status == .failed }
            #expect(item.attempts == 1)
            #expect(item.lastError?.contains("Not routable") == true)
        }
    }
}
