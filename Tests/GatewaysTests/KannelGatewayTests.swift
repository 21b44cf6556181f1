import Foundation
import Testing

@testable import Gateways

@Suite struct KannelGatewayTests {
    static let adapter = KannelGateway(
        settings: Fixture.settings(
            .kannel, secrets: ["username": "bridge", "password": "p&ss", "base_url": "http://kannel:13013", "path_token": "k-token"],
            sender: "1919"))

    /// Kannel's own URL encoding (`gwlib/octstr.c`): bytes, unreserved kept, space as `+`.
    static func kannelEncode(_ bytes: [UInt8]) -> String {
        let safe = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()".utf8)
        return bytes.map { byte in
            if byte == 0x20 { return "+" }
            return safe.contains(byte) ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
        }.joined()
    }

    static func utf16BE(_ text: String) -> [UInt8] {
        text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// Our get-url: `token, id=%I, from=%p, to=%P, ts=%T, smsc=%i, coding=%c, charset=%C, text=%b`.
    static func getURL(from: String = "044123456", text: [UInt8], coding: String, charset: String, token: String = "k-token") -> GatewayRequest {
        let query =
            "token=\(token)&id=6f1c2a4e-8b1d-4c55-9e1a-0a9b8c7d6e5f&from=\(kannelEncode(Array(from.utf8)))&to=1919&ts=1741944413&smsc=vala"
            + "&coding=\(coding)&charset=\(charset)&text=\(kannelEncode(text))&meta=%3Fsmpp%3F"
        return GatewayRequest(method: "GET", path: "/gateways/gw1/sms", rawQuery: query, receivedAt: Fixture.now.addingTimeInterval(2))
    }

    static func message(_ text: String, from: String = "+38344123456", at date: Date = Fixture.now) -> GatewayInbound {
        GatewayInbound(providerMessageID: "6f1c2a4e-8b1d-4c55-9e1a-0a9b8c7d6e5f", from: from, to: "1919", text: text, receivedAt: date)
    }

    static let postUCS2: GatewayRequest = GatewayRequest(
        method: "POST", path: "/gateways/gw1/sms/k-token",
        rawQuery: "id=6f1c2a4e-8b1d-4c55-9e1a-0a9b8c7d6e5f&from=%2B38344123456&to=1919&coding=2",
        headers: [
            GatewayField("Content-Type", #"text/plain; charset="UTF-16BE""#), GatewayField("X-Kannel-Time", "2025-03-14 09:26:53"),
            GatewayField("X-Kannel-Coding", "2"),
        ],
        body: utf16BE(Fixture.serbian + " 🚧"), receivedAt: Fixture.now)

    static let cases: [InboundCase] = [
        InboundCase(
            label: "GET, 7-bit as UTF-8, national sender",
            request: getURL(text: Array("Drita në rrugë nuk punon".utf8), coding: "0", charset: "UTF-8"),
            expected: .messages([message("Drita në rrugë nuk punon")], answer: .empty)),
        InboundCase(
            label: "GET, coding=2 UTF-16BE bytes in %b (with %00)",
            request: getURL(text: utf16BE(Fixture.albanian), coding: "2", charset: "UTF-16BE"),
            expected: .messages([message(Fixture.albanian)])),
        InboundCase(
            label: "GET, Arabic UCS-2 from a Moroccan 00 number",
            request: getURL(from: "00212612345678", text: utf16BE(Fixture.arabic), coding: "2", charset: "UTF-16BE"),
            expected: .messages([message(Fixture.arabic, from: "+212612345678")])),
        InboundCase(
            label: "POST, UTF-16BE body with a surrogate pair", request: postUCS2,
            expected: .messages([message(Fixture.serbian + " 🚧")])),
        InboundCase(
            label: "GET, mo-recode to WINDOWS-1252",
            request: getURL(text: [0x43, 0x6D, 0x69, 0x6D, 0x69, 0x20, 0x80, 0x35], coding: "0", charset: "WINDOWS-1252"),
            expected: .messages([message("Cmimi €5")])),
        InboundCase(
            label: "GET, 8-bit binary is ignored", request: getURL(text: [0x01, 0xFF], coding: "1", charset: "8-BIT"),
            expected: .messages([], answer: .empty)),
        InboundCase(
            label: "odd UTF-16 byte count", request: getURL(text: [0x00, 0x41, 0x00], coding: "2", charset: "UTF-16BE"),
            expected: .invalid(.invalidUTF8, field: "text")),
        InboundCase(
            label: "lone surrogate", request: getURL(text: [0xD8, 0x3D, 0x00, 0x41], coding: "2", charset: "UTF-16BE"),
            expected: .invalid(.invalidUTF8, field: "text")),
        InboundCase(
            label: "invalid UTF-8 in 7-bit text", request: getURL(text: [0x41, 0xC3, 0x28], coding: "0", charset: "UTF-8"),
            expected: .invalid(.invalidUTF8, field: "text")),
        InboundCase(
            label: "unknown charset", request: getURL(text: Array("x".utf8), coding: "0", charset: "KOI8-R"),
            expected: .invalid(.malformed, field: "charset")),
        InboundCase(label: "wrong token", request: getURL(text: Array("x".utf8), coding: "0", charset: "UTF-8", token: "nope"), expected: .refused(.forbidden)),
    ]

    @Test(arguments: cases) func inbound(_ testCase: InboundCase) {
        Harness.run(testCase, on: Self.adapter)
    }

    @Test func answerIsEmptyForMaxMessagesZero() {
        #expect(Self.adapter.answer(for: [], replies: ["never sent"], endsSession: false) == GatewayResponse(status: 200, body: ""))
        #expect(Self.adapter.acknowledge([]) == .empty)
    }

    // MARK: Send

    static func query(of url: String) -> [String: [UInt8]] {
        var fields: [String: [UInt8]] = [:]
        let query = url.split(separator: "?", maxSplits: 1).last.map(String.init) ?? ""
        for piece in query.split(separator: "&") {
            let parts = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            fields[String(parts[0])] = PercentEncoding.decode(Array(parts[1].utf8), plusAsSpace: true)
        }
        return fields
    }

    @Test func sendGSM7() throws {
        let spec = try Self.adapter.sendRequest(OutboundSMS(id: "uuid-3", to: "+38344123456", text: "Çmimi: 5€ [ok]"), at: Fixture.now)
        #expect(spec.method == "GET")
        #expect(spec.url.hasPrefix("http://127.0.0.1:9999/cgi-bin/sendsms?"))
        let fields = Self.query(of: spec.url)
        #expect(fields["username"] == Array("bridge".utf8))
        #expect(fields["password"] == Array("p&ss".utf8))
        #expect(fields["from"] == Array("1919".utf8))
        #expect(fields["to"] == Array("+38344123456".utf8))
        #expect(fields["text"] == Array("Çmimi: 5€ [ok]".utf8))
        #expect(fields["coding"] == Array("0".utf8))
        #expect(fields["charset"] == Array("UTF-8".utf8))
        #expect(fields["dlr-mask"] == Array("27".utf8))
        #expect(
            fields["dlr-url"].map { String(decoding: $0, as: UTF8.self) }
                == "https://bridge.example.org/gateways/gw1/status?token=k-token&m=uuid-3&status=%d&smsc=%i&fid=%F&answer=%A&ts=%T")
    }

    @Test(arguments: [Fixture.albanian, Fixture.serbian, Fixture.arabic, "Rruga 🚧"])
    func sendUCS2(text: String) throws {
        let spec = try Self.adapter.sendRequest(OutboundSMS(id: "uuid-4", to: "+212612345678", text: text), at: Fixture.now)
        let fields = Self.query(of: spec.url)
        #expect(fields["coding"] == Array("2".utf8))
        #expect(fields["charset"] == nil)
        #expect(fields["text"] == Self.utf16BE(text))
        #expect(spec.url.contains("text=%0"))
    }

    @Test(arguments: [
        (202, "0: Accepted for delivery", SendOutcome.ok(providerMessageID: nil)),
        (202, "3: Queued for later delivery", .ok(providerMessageID: nil)),
        (503, "Temporal failure, try again later.", .retry(reason: "provider error (HTTP 503): Temporal failure, try again later.", retryAfter: nil)),
        (403, "Authorization failed for sendsms", .fail(reason: "authentication refused (HTTP 403): check the gateway credentials: Authorization failed for sendsms", optOut: false)),
        (400, "Not routable. Do not try again.", .fail(reason: "rejected (HTTP 400): Not routable. Do not try again.", optOut: false)),
    ] as [(Int, String, SendOutcome)])
    func classify(status: Int, body: String, expected: SendOutcome) {
        #expect(Self.adapter.classifySendResponse(status: status, headers: [], body: Array(body.utf8)) == expected)
    }

    // MARK: DLR

    static func dlr(_ type: String, answer: String) -> GatewayRequest {
        Fixture.get(
            "/gateways/gw1/status",
            query: [("token", "k-token"), ("m", "uuid-3"), ("status", type), ("smsc", "vala"), ("fid", "0427415371"), ("answer", answer), ("ts", "1741944500")])
    }

    @Test(arguments: [
        ("1", "id:0427415371 sub:001 dlvrd:001 submit date:2503140926 done date:2503140927 stat:DELIVRD err:000 text:Drita", DeliveryReport(ourID: "uuid-3", providerMessageID: "0427415371", status: .delivered)),
        ("8", "ACK/", DeliveryReport(ourID: "uuid-3", providerMessageID: "0427415371", status: .sent)),
        ("4", "", DeliveryReport(ourID: "uuid-3", providerMessageID: "0427415371", status: .sent)),
        ("2", "id:0427415371 sub:001 dlvrd:000 submit date:2503140926 done date:2503150926 stat:EXPIRED err:000 text:",
         DeliveryReport(ourID: "uuid-3", providerMessageID: "0427415371", status: .failed, errorCode: "EXPIRED")),
        ("2", "id:1 stat:UNDELIV err:001", DeliveryReport(ourID: "uuid-3", providerMessageID: "0427415371", status: .failed, errorCode: "UNDELIV/001")),
        ("16", "NACK/0x0000000b/Invalid Destination Address", DeliveryReport(ourID: "uuid-3", providerMessageID: "0427415371", status: .failed, errorCode: "0x0000000b")),
        ("16", "NACK/0x00000058/Throttling error", DeliveryReport(ourID: "uuid-3", providerMessageID: "0427415371", status: .failed, errorCode: "0x00000058", retryable: true)),
    ] as [(String, String, DeliveryReport)])
    func dlrMapping(type: String, answer: String, expected: DeliveryReport) throws {
        let request = Self.dlr(type, answer: answer)
        try Self.adapter.verify(request, route: .status)
        #expect(try Self.adapter.parseDeliveryReports(request) == [expected])
    }

    @Test func receiptTextInAnotherCharsetIsNotAnError() throws {
        let request = GatewayRequest(
            method: "GET", path: "/gateways/gw1/status",
            rawQuery: "token=k-token&m=uuid-3&status=1&fid=9&answer=id%3A9+stat%3ADELIVRD+err%3A000+text%3ADrita+n%EB", receivedAt: Fixture.now)
        #expect(try Self.adapter.parseDeliveryReports(request) == [DeliveryReport(ourID: "uuid-3", providerMessageID: "9", status: .delivered)])
    }

    @Test func unknownDLRTypeIsIgnored() throws {
        #expect(try Self.adapter.parseDeliveryReports(Self.dlr("32", answer: "")).isEmpty)
        #expect(try Self.adapter.parseDeliveryReports(Self.dlr("x", answer: "")).isEmpty)
    }
}
