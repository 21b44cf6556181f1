import BridgeCore
import BridgeStore
import Foundation
import Gateways
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A captured, validly signed request of the generic contract replayed later: inside the ±300 s window it is the same
/// message again (deduplicated on its id, same answer, nothing changes); outside it, or with its timestamp refreshed, 403.
@Suite struct GenericReplayTests {
    static let uri = "/gateways/ks-generic/sms"

    struct Captured: Sendable {
        var body: [UInt8]
        var timestamp: String
        var signature: String
    }

    static func capture(id: String, at date: Date) -> Captured {
        let body = Array(#"{"from":"+38344999010","id":"\#(id)","text":"Përshëndetje","to":"1818"}"#.utf8)
        let timestamp = String(Int(date.timeIntervalSince1970))
        return Captured(body: body, timestamp: timestamp,
                        signature: GenericGateway.signature(secret: Secrets.genericSecret, timestamp: timestamp, body: body))
    }

    static func send(_ request: Captured, timestamp: String? = nil, _ bridge: DemoBridge) async throws -> (Int, String) {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("X-Bridge-Timestamp")!] = timestamp ?? request.timestamp
        headers[HTTPField.Name("X-Bridge-Signature")!] = request.signature
        let response = try await bridge.client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: request.body))
        return (Int(response.status.code), String(buffer: response.body))
    }

    @Test func aReplayInsideTheWindowIsTheSameMessageAndOutsideItIsRefused() async throws {
        try await DemoBridge.run { bridge in
            let original = Self.capture(id: "agg-1", at: bridge.clock.date)
            let first = try await Self.send(original, bridge)
            #expect(first.0 == 200 && first.1 == #"{"accepted":1}"#)
            let replies = try await bridge.replies(to: "+38344999010").count
            #expect(replies == 1)

            bridge.clock.advance(100)
            let inside = try await Self.send(original, bridge)
            #expect(inside.0 == 200 && inside.1 == first.1, "the gateway's retry gets the first answer")

            bridge.clock.advance(201)  // 301 s after signing
            #expect(try await Self.send(original, bridge).0 == 403)
            // Refreshing the timestamp breaks the signature, which covers it.
            #expect(try await Self.send(original, timestamp: String(Int(bridge.clock.date.timeIntervalSince1970)), bridge).0 == 403)

            #expect(try await bridge.inboundCount() == 1)
            #expect(try await bridge.replies(to: "+38344999010").count == replies)
        }
    }

    @Test func aMessageFirstSeenAfterTheWindowIsRefusedAndNotStored() async throws {
        try await DemoBridge.run { bridge in
            let signedAt = bridge.clock.date
            let late = Self.capture(id: "agg-late", at: signedAt)
            let edge = Self.capture(id: "agg-edge", at: signedAt)
            bridge.clock.advance(300)
            let atTheEdge = try await Self.send(edge, bridge)
            #expect(atTheEdge.0 == 200, "300 s is still inside the window")
            bridge.clock.advance(1)
            #expect(try await Self.send(late, bridge).0 == 403)
            #expect(try await bridge.store.read { try $0.inbound(gateway: "ks-generic", providerID: "agg-late") } == nil)
            #expect(try await bridge.inboundCount() == 1)
        }
    }

    @Test func aRequestFromTheFutureBeyondTheWindowIsRefused() async throws {
        try await DemoBridge.run { bridge in
            let ahead = Self.capture(id: "agg-ahead", at: bridge.clock.date.addingTimeInterval(301))
            let answer = try await Self.send(ahead, bridge)
            #expect(answer.0 == 403)
            #expect(try await bridge.inboundCount() == 0)
        }
    }
}
