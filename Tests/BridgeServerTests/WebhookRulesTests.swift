import BridgeCore
import BridgeStore
import Foundation
import Synchronization
import Testing

/// Every way in: each gateway's SMS webhook (and the Africa's Talking USSD one), properly authenticated.
enum Entry: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case twilio, vonageGET, vonagePOST, vonageJSON, infobip, kannel, generic, africasTalkingSMS, africasTalkingUSSD

    var testDescription: String { rawValue }

    var gateway: String {
        switch self {
        case .twilio: "ks-twilio"
        case .vonageGET, .vonagePOST, .vonageJSON: "ks-vonage"
        case .infobip: "ks-infobip"
        case .kannel: "ma-kannel"
        case .generic: "ks-generic"
        case .africasTalkingSMS, .africasTalkingUSSD: "ma-at"
        }
    }

    func resident(_ bridge: Bridge) -> any Resident {
        switch self {
        case .twilio: TwilioResident(bridge: bridge)
        case .vonageGET, .vonagePOST, .vonageJSON: vonage(bridge)
        case .infobip: InfobipResident(bridge: bridge)
        case .kannel: KannelResident(bridge: bridge)
        case .generic: GenericResident(bridge: bridge)
        case .africasTalkingSMS, .africasTalkingUSSD: ATResident(bridge: bridge)
        }
    }

    func vonage(_ bridge: Bridge) -> VonageResident {
        VonageResident(bridge: bridge, method: self == .vonageGET ? "GET" : self == .vonagePOST ? "POST" : "JSON")
    }

    /// Sends `text` with the provider's message id `id` (for USSD: the session), as the provider would.
    func send(_ text: String, id: String, _ bridge: Bridge) async throws -> WebhookAnswer {
        switch self {
        case .twilio: try await TwilioResident(bridge: bridge).inbound(text, sid: "SM" + id)
        case .vonageGET, .vonagePOST, .vonageJSON:
            try await vonage(bridge).send("sms", vonage(bridge).fields(text, messageID: id))
        case .infobip:
            try await InfobipResident(bridge: bridge).post([InfobipResident(bridge: bridge).result(text, messageID: id)])
        case .kannel: try await KannelResident(bridge: bridge).mo(text, id: id)
        case .generic: try await GenericResident(bridge: bridge).inbound(text, id: id)
        case .africasTalkingSMS: try await ATResident(bridge: bridge).sms(text, id: id)
        case .africasTalkingUSSD: try await ATResident(bridge: bridge).ussd(session: "ATUid_" + id, text)
        }
    }

    /// The same message with bytes that are not UTF-8 where the text goes.
    func sendInvalidUTF8(_ bridge: Bridge) async throws -> WebhookAnswer {
        let invalid = "P%EBrsh%EBndetje%FF"
        switch self {
        case .twilio:
            let resident = TwilioResident(bridge: bridge)
            let form = Wire.form(resident.fields("PLACEHOLDER", sid: TwilioResident.newSID())).replacingOccurrences(of: "PLACEHOLDER", with: invalid)
            return try await bridge.post("/gateways/ks-twilio/sms", headers: [("Content-Type", "application/x-www-form-urlencoded"),
                                                                            ("X-Twilio-Signature", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")],
                                         body: Array(form.utf8))
        case .vonageGET:
            let resident = VonageResident(bridge: bridge)
            return try await bridge.get("/gateways/ks-vonage/sms?" + Wire.form(resident.fields("PLACEHOLDER")).replacingOccurrences(of: "PLACEHOLDER", with: invalid))
        case .vonagePOST:
            let resident = VonageResident(bridge: bridge)
            let form = Wire.form(resident.fields("PLACEHOLDER")).replacingOccurrences(of: "PLACEHOLDER", with: invalid)
            return try await bridge.post("/gateways/ks-vonage/sms", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(form.utf8))
        case .vonageJSON:
            var body = Array(#"{"msisdn":"38163123456","to":"38345000222","messageId":"0C1","type":"text","text":"P"#.utf8)
            body += [0xEB, 0xFF] + Array(#"","timestamp":"\#(Stamp.unix())","sig":"00"}"#.utf8)
            return try await bridge.post("/gateways/ks-vonage/sms", headers: [("Content-Type", "application/json")], body: body)
        case .infobip:
            var body = Array(#"{"results":[{"messageId":"1","from":"38163123456","to":"38345000111","text":"P"#.utf8)
            body += [0xEB, 0xFF] + Array(#""}],"messageCount":1}"#.utf8)
            return try await bridge.post("/gateways/ks-infobip/sms", headers: [("Content-Type", "application/json"),
                                                                              ("Authorization", InfobipResident(bridge: bridge).authorization)], body: body)
        case .kannel:
            return try await KannelResident(bridge: bridge).mo("", bytes: [0x50, 0xEB, 0xFF], coding: 0)
        case .generic:
            var body = Array(#"{"id":"bad-1","from":"+38344123456","to":"1818","text":"P"#.utf8)
            body += [0xEB, 0xFF] + Array(#""}"#.utf8)
            return try await GenericResident(bridge: bridge).post("/gateways/ks-generic/sms", body: body)
        case .africasTalkingSMS:
            let form = "text=\(invalid)&to=20414&id=bad-1&from=%2B212612345678"
            return try await bridge.post("/gateways/ma-at/sms?token=" + Secrets.atPathToken,
                                         headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(form.utf8))
        case .africasTalkingUSSD:
            let form = "sessionId=ATUid_bad&serviceCode=%2A384%2A4242%23&phoneNumber=%2B212612345678&text=\(invalid)"
            return try await bridge.post("/gateways/ma-at/ussd?token=" + Secrets.atPathToken,
                                         headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(form.utf8))
        }
    }

    /// The route and credentials a request of this entry needs, for bodies that should never get that far.
    var uriAndHeaders: (uri: String, headers: [(String, String)]) {
        switch self {
        case .twilio: ("/gateways/ks-twilio/sms", [("Content-Type", "application/x-www-form-urlencoded"), ("X-Twilio-Signature", "x")])
        case .vonageGET, .vonagePOST: ("/gateways/ks-vonage/sms", [("Content-Type", "application/x-www-form-urlencoded")])
        case .vonageJSON: ("/gateways/ks-vonage/sms", [("Content-Type", "application/json")])
        case .infobip: ("/gateways/ks-infobip/sms", [("Content-Type", "application/json"),
                                                     ("Authorization", Wire.basic(Secrets.infobipWebhookUser, Secrets.infobipWebhookPassword))])
        case .kannel: ("/gateways/ma-kannel/sms?token=" + Secrets.maKannelPathToken + "&from=%2B212612345678&to=2020&coding=2",
                       [("Content-Type", #"text/plain; charset="UTF-16BE""#)])
        case .generic: ("/gateways/ks-generic/sms", [("Content-Type", "application/json"), ("X-Bridge-Timestamp", Stamp.unix()),
                                                     ("X-Bridge-Signature", "v1=00")])
        case .africasTalkingSMS: ("/gateways/ma-at/sms?token=" + Secrets.atPathToken, [("Content-Type", "application/x-www-form-urlencoded")])
        case .africasTalkingUSSD: ("/gateways/ma-at/ussd?token=" + Secrets.atPathToken, [("Content-Type", "application/x-www-form-urlencoded")])
        }
    }
}

/// What every webhook must do whatever the provider: limits, unknown routes, and gateway retries.
@Suite struct WebhookRulesTests {
    @Test func unknownGatewayOrRouteIs404() async throws {
        try await Harness.run { bridge in
            let unknown = try await bridge.postForm("/gateways/ks-nexmo/sms", [("msisdn", "38344123456"), ("text", "hi")])
            #expect(unknown.status == 404)
            #expect(unknown.body.contains("unknown gateway 'ks-nexmo'"))
            #expect(try await bridge.get("/gateways/ks-nexmo/status?id=1").status == 404)
            let route = try await bridge.postForm("/gateways/ks-twilio/mms", [("Body", "hi")])
            #expect(route.status == 404)
            #expect(route.body.contains("/sms"))
            #expect(try await bridge.get("/gateways/ks-twilio").status == 404)
            #expect(try await bridge.snapshot().inbound == 0)
        }
    }

    @Test(arguments: Entry.allCases)
    func bodyOver64kBIs413AndCrashesNothing(entry: Entry) async throws {
        try await Harness.run { bridge in
            let (uri, headers) = entry.uriAndHeaders
            let answer = try await bridge.post(uri, headers: headers, body: [UInt8](repeating: UInt8(ascii: "a"), count: 65 * 1024))
            #expect(answer.status == 413, "\(answer)")
            #expect(try await bridge.snapshot().inbound == 0)
            try await bridge.expectHealthy()
            // The gateway still works.
            #expect(try await entry.send(entry.resident(bridge).greeting, id: "after-413", bridge).status == 200)
        }
    }

    @Test func queryOver64kBIsRefusedWithA4xx() async throws {
        try await Harness.run { bridge in
            let resident = VonageResident(bridge: bridge)
            let fields = resident.fields(String(repeating: "a", count: 1000)) + [("padding", String(repeating: "b", count: 65 * 1024))]
            let answer = try await resident.raw("sms", fields)
            #expect((400..<500).contains(answer.status), "\(answer)")
            #expect(try await bridge.inboundCount() == 0)
            try await bridge.expectHealthy()
        }
    }

    @Test(arguments: Entry.allCases)
    func textOver1600CharactersIsRefusedAnd1600Taken(entry: Entry) async throws {
        try await Harness.run { bridge in
            let long = String(repeating: "ж", count: 1601)
            let refused = try await entry.send(long, id: "long-1601", bridge)
            #expect((400..<500).contains(refused.status), "\(refused)")
            #expect(refused.body.contains("1601"), "\(refused)")
            #expect(try await bridge.inboundCount() == 0)
            let taken = try await entry.send(String(long.dropFirst()), id: "long-1600", bridge)
            #expect(taken.status == 200, "\(taken)")
            #expect(try await bridge.inboundCount() == 1)
            try await bridge.expectHealthy()
        }
    }

    @Test(arguments: Entry.allCases)
    func invalidUTF8IsA4xxAndChangesNothing(entry: Entry) async throws {
        try await Harness.run { bridge in
            let before = try await bridge.snapshot()
            let answer = try await entry.sendInvalidUTF8(bridge)
            #expect((400..<500).contains(answer.status), "\(answer)")
            #expect(try await bridge.snapshot() == before)
            try await bridge.expectHealthy()
        }
    }

    /// A gateway retry (same provider id) gets the very same answer and causes nothing twice (§12).
    @Test(arguments: Entry.allCases)
    func retriedWebhookGetsTheSameAnswerAndCausesNothingTwice(entry: Entry) async throws {
        try await Harness.run { bridge in
            let resident = entry.resident(bridge)
            let text = entry == .africasTalkingUSSD ? "" : resident.greeting
            let first = try await entry.send(text, id: "retry-1", bridge)
            #expect(first.status == 200)
            let second = try await entry.send(text, id: "retry-1", bridge)
            #expect(second == first)
            #expect(try await bridge.inboundCount() == 1)
            if entry != .africasTalkingUSSD {
                try await bridge.waitForOutbox(resident.phone, count: 1)
                #expect(try await bridge.outbox().count == 1)
                #expect(await bridge.double.requests().count == 1)
            }
            #expect(try await bridge.session(resident.deployment, resident.phone)?.awaiting == .language)
        }
    }

    /// A report can only move a message of the gateway it came through: a Kannel token cannot touch a Twilio message.
    @Test func aReportThroughAnotherGatewayChangesNothing() async throws {
        try await Harness.run { bridge in
            let resident = TwilioResident(bridge: bridge)
            let (_, id) = try await resident.sayAndWaitForSend()
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            let answer = try await bridge.get("/gateways/ma-kannel/status?token=\(Secrets.maKannelPathToken)&m=\(id)&status=2&answer=x")
            #expect(answer.status == 200)
            #expect(try await bridge.outboxItem(id)?.status == .sent)
        }
    }

    @Test func metricsCountMessagesDuplicatesAndRejections() async throws {
        try await Harness.run { bridge in
            let resident = TwilioResident(bridge: bridge)
            let sid = TwilioResident.newSID()
            #expect(try await resident.inbound("Përshëndetje", sid: sid).status == 200)
            #expect(try await resident.inbound("Përshëndetje", sid: sid).status == 200)
            #expect(try await resident.post("/gateways/ks-twilio/sms", resident.fields("x", sid: "SM1"), token: "guess").status == 403)
            try await bridge.waitForOutbox(resident.phone, count: 1)
            let metrics = try await bridge.get("/metrics")
            #expect(metrics.status == 200)
            for line in [#"smsbridge_inbound_messages_total{gateway="ks-twilio"} 1"#, #"smsbridge_inbound_duplicates_total{gateway="ks-twilio"} 1"#] {
                #expect(metrics.body.contains(line), "\(line) in\n\(metrics.body)")
            }
            #expect(metrics.body.contains("smsbridge_webhook_rejections_total"))
            #expect(metrics.body.contains("smsbridge_outbox_attempts_total"))
        }
    }

    /// The answer is given only after the commit: when the store cannot write, the gateway gets 503 (and retries),
    /// and the retry is processed exactly once.
    @Test func storeOutageIs503AndTheRetryIsProcessedOnce() async throws {
        try await ProviderDouble.with { double in
            let store = InstrumentedStore(try SQLiteStore(path: Harness.temporaryStorePath()))
            try await Harness.withBridge(double: double, store: store) { bridge in
                let resident = TwilioResident(bridge: bridge)
                let sid = TwilioResident.newSID()
                store.failWrites(true)
                let refused = try await resident.inbound("Përshëndetje", sid: sid)
                #expect(refused.status == 503)
                store.failWrites(false)
                #expect(try await bridge.inboundCount() == 0)
                #expect(try await bridge.snapshot().sessions == 0)
                let taken = try await resident.inbound("Përshëndetje", sid: sid)
                #expect(taken.status == 200)
                #expect(try await resident.inbound("Përshëndetje", sid: sid) == taken)
                #expect(try await bridge.inboundCount() == 1)
                try await bridge.waitForOutbox(resident.phone, count: 1)
                #expect(await bridge.double.sent(to: resident.phone).count == 1)
            }
        }
    }
}

/// A store whose writes can be made to fail, as when the disk is full or the database locked, and that counts reads.
final class InstrumentedStore: Store, Sendable {
    let base: SQLiteStore
    private let state = Mutex((failing: false, reads: 0))

    init(_ base: SQLiteStore) { self.base = base }

    func failWrites(_ fail: Bool) { state.withLock { $0.failing = fail } }

    var reads: Int { state.withLock { $0.reads } }

    struct Outage: Error {}

    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        if state.withLock({ $0.failing }) { throw Outage() }
        return try await base.write(body)
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        state.withLock { $0.reads += 1 }
        return try await base.read(body)
    }
}
