import Foundation
import Testing

@testable import Gateways

/// Behaviour every adapter shares: limits, decoding, the factory, and not crashing.
@Suite struct CommonTests {
    static func allAdapters() -> [any GatewayAdapter] {
        GatewayType.allCases.map { type in
            Gateways.adapter(
                for: Fixture.settings(
                    type,
                    secrets: [
                        "auth_token": "t", "account_sid": "AC1", "path_token": "tok", "signature_secret": "s", "api_key": "k",
                        "api_secret": "s", "username": "u", "password": "p",
                    ]))
        }
    }

    @Test func factoryCoversEveryType() {
        #expect(Self.allAdapters().map(\.settings.type) == GatewayType.allCases)
        #expect(Self.allAdapters().map { String(describing: Swift.type(of: $0)) } == [
            "TwilioGateway", "AfricasTalkingGateway", "VonageGateway", "InfobipGateway", "KannelGateway", "GenericGateway",
        ])
    }

    @Test func oversizedBodyIsRefusedBeforeParsing() {
        let request = GatewayRequest(
            path: "/gateways/gw1/sms/tok", rawQuery: "token=tok", headers: [Fixture.formHeader],
            body: [UInt8](repeating: UInt8(ascii: "a"), count: GatewayLimits.maxBodyBytes + 1), receivedAt: Fixture.now)
        for adapter in Self.allAdapters() {
            let error = Harness.error { try adapter.verify(request, route: .sms) }
            #expect(error?.kind == .payloadTooLarge, "\(adapter.settings.type)")
            #expect(error?.httpStatus == 413)
            #expect(Harness.errorKind { _ = try adapter.parseInbound(request) } == .payloadTooLarge, "\(adapter.settings.type)")
        }
    }

    @Test func longTextIsRefused() {
        let text = String(repeating: "Ж", count: 1601)
        let request = Fixture.post(
            "/gateways/gw1/sms", form: [("from", "+38344123456"), ("to", "1"), ("text", text), ("id", "1")], query: "token=tok")
        let at = AfricasTalkingGateway(settings: Fixture.settings(.africastalking, secrets: ["path_token": "tok"]))
        let error = Harness.error { _ = try at.parseInbound(request) }
        #expect(error?.kind == .textTooLong)
        #expect(error?.httpStatus == 413)
        let exactly = Fixture.post("/s", form: [("from", "+38344123456"), ("to", "1"), ("text", String(text.dropLast())), ("id", "1")])
        #expect((try? at.parseInbound(exactly))?.first?.text.count == 1600)
        for adapter in Self.allAdapters() where adapter.settings.type != .generic {
            #expect(Harness.errorKind { _ = try adapter.sendRequest(OutboundSMS(id: "u", to: "+38344123456", text: text), at: Fixture.now) } == .textTooLong)
        }
    }

    @Test func invalidUTF8IsRefusedNamingTheField() {
        let request = GatewayRequest(
            path: "/s", headers: [Fixture.formHeader], body: Array("from=%2B38344123456&to=1&text=P%EBrsh".utf8), receivedAt: Fixture.now)
        let error = Harness.error { _ = try request.formFields() }
        #expect(error == .invalidUTF8(field: "text"))
        #expect(error?.httpStatus == 400)
        #expect(error?.description == "field 'text' is not valid text in the declared encoding")
    }

    @Test func formDecoding() throws {
        let request = GatewayRequest(
            path: "/s", headers: [Fixture.formHeader],
            body: Array("Body=P%C3%ABrsh%C3%ABndetje%21+Si+jeni%3F&a=1&a=2&empty=&flag&x=%2B%26%3D".utf8), receivedAt: Fixture.now)
        let fields = try request.formFields()
        #expect(fields.first(named: "Body") == "Përshëndetje! Si jeni?")
        #expect(fields.all(named: "a") == ["1", "2"])
        #expect(fields.first(named: "empty") == "")
        #expect(fields.nonEmpty("empty") == nil)
        #expect(fields.first(named: "flag") == "")
        #expect(fields.first(named: "x") == "+&=")
        let broken = GatewayRequest(path: "/s", headers: [Fixture.formHeader], body: Array("a=%E".utf8), receivedAt: Fixture.now)
        #expect(Harness.error { _ = try broken.formFields() } == .malformed(field: "a", reason: "has an invalid percent-escape"))
    }

    @Test func headersAndURL() {
        let request = GatewayRequest(
            method: "post", path: "/gateways/gw1/sms", rawQuery: "?a=1",
            headers: [GatewayField("Host", "evil.example.org"), GatewayField("content-type", #"text/plain; charset="UTF-16BE""#)],
            receivedAt: Fixture.now)
        #expect(request.method == "POST")
        #expect(request.header("HOST") == "evil.example.org")
        #expect(request.mediaType == "text/plain")
        #expect(request.charset == "UTF-16BE")
        #expect(request.fullURL(publicBaseURL: "https://bridge.example.org/") == "https://bridge.example.org/gateways/gw1/sms?a=1")
        #expect(request.fullURL(publicBaseURL: "https://example.org/bridge") == "https://example.org/bridge/gateways/gw1/sms?a=1")
    }

    @Test(arguments: [
        ("2025-03-14 09:40:12", 1_741_945_212.0),
        ("2025-03-14T09:40:12Z", 1_741_945_212.0),
        ("2025-03-14T09:28:39.220+0000", 1_741_944_519.22),
        ("2025-03-14T10:40:12+01:00", 1_741_945_212.0),
        ("2024-02-29T00:00:00Z", 1_709_164_800.0),
        ("1970-01-01 00:00", 0.0),
    ])
    func timestamps(text: String, seconds: Double) throws {
        let date = try #require(GatewayTime.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.001)
    }

    @Test(arguments: ["", "yesterday", "2025-13-01 00:00:00", "2025-03-14", "2025-03-14T09:40:12Zjunk", "1461605396"])
    func badTimestamps(text: String) {
        #expect(GatewayTime.parse(text) == nil)
    }

    @Test func errorsCarryStatusAndOperatorText() {
        #expect(GatewayError.forbidden("x").httpStatus == 403)
        #expect(GatewayError.malformed(field: "From").description == "field 'From' missing or empty")
        #expect(GatewayError.unsupported("GET").httpStatus == 405)
        #expect(GatewayError.misconfigured("x").httpStatus == 500)
        #expect(GatewayError.payloadTooLarge(bytes: 70_000).description.contains("65536"))
        #expect(GatewayError.malformed(field: "a") != GatewayError.malformed(field: "b"))
        #expect(GatewayResponse.error(.forbidden("x")).status == 403)
    }

    /// Random bytes and mangled requests through every parser: errors are fine, crashes are not.
    @Test func nothingCrashesOnGarbage() {
        var generator = SplitMix64(seed: 0x5EED)
        let contentTypes = ["application/json", "application/x-www-form-urlencoded", #"text/plain; charset="UTF-16BE""#, "", "text/xml"]
        let alphabet = Array("=&%+?*#{}[]\":,abc019ëЖ\u{0}\u{FFFF}".utf8)
        for round in 0..<300 {
            let length = Int(generator.next() % 200)
            let body = (0..<length).map { _ in
                generator.next() % 3 == 0 ? UInt8(truncatingIfNeeded: generator.next()) : alphabet[Int(generator.next() % UInt64(alphabet.count))]
            }
            let query = String(decoding: (0..<Int(generator.next() % 60)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }, as: UTF8.self)
            let request = GatewayRequest(
                method: round % 2 == 0 ? "POST" : "GET", path: "/gateways/gw1/sms/tok", rawQuery: "token=tok&" + query,
                headers: [GatewayField("Content-Type", contentTypes[round % contentTypes.count])], body: body, receivedAt: Fixture.now)
            for adapter in Self.allAdapters() {
                _ = try? adapter.verify(request, route: .sms)
                _ = try? adapter.parseInbound(request)
                _ = try? adapter.parseDeliveryReports(request)
                _ = try? adapter.parseSessionEnd(request)
                _ = adapter.classifySendResponse(status: Int(generator.next() % 600), headers: [], body: body)
            }
        }
    }
}

/// A tiny deterministic generator so the garbage test is reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct RequestJSONTests {
    struct Payload: Decodable, Equatable {
        var id: String
        var count: Int
    }

    @Test func decodeJSONTellsErrorsApart() throws {
        func request(_ body: [UInt8]) -> GatewayRequest {
            GatewayRequest(path: "/s", headers: [Fixture.jsonHeader], body: body, receivedAt: Fixture.now)
        }
        #expect(try request(Array(#"{"id":"ë","count":2}"#.utf8)).decodeJSON(Payload.self) == Payload(id: "ë", count: 2))
        #expect(Harness.errorKind { _ = try request(Array(#"{"id":1}"#.utf8)).decodeJSON(Payload.self) } == .malformed)
        #expect(Harness.errorKind { _ = try request(Array("{".utf8)).decodeJSON(Payload.self) } == .malformed)
        #expect(Harness.errorKind { _ = try request([0x7B, 0xFF, 0x7D]).decodeJSON(Payload.self) } == .invalidUTF8)
    }
}
