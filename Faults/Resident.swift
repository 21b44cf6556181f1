import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1

/// A resident texting through the signed generic gateway, with the gateway's persistence: a message is re-sent (same id)
/// until the bridge answers 2xx, as aggregators retry webhooks.
struct Resident: Sendable {
    static let secret = "faults-generic-secret-0123456789"

    let phone: String
    let port: Int
    let gateway: String

    /// Sends one message until a 2xx; returns how many tries it took. Gives up after `patience`.
    @discardableResult
    func say(_ text: String, id: String, patience: Duration = .seconds(120)) async throws -> Int {
        let deadline = ContinuousClock.now + patience
        var tries = 0
        while true {
            tries += 1
            if let status = await sayOnce(text, id: id), (200..<300).contains(status) { return tries }
            guard ContinuousClock.now < deadline else { throw FaultsError("\(id) was never accepted") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Sends once, signed with a fresh timestamp, to `port` (default: the resident's) through `client`; returns the status
    /// (nil: no answer at all).
    func sayOnce(_ text: String, id: String, port: Int? = nil, client: HTTPClient = .shared) async -> Int? {
        guard let body = try? JSONSerialization.data(withJSONObject: ["id": id, "from": phone, "to": "1818", "text": text], options: [.sortedKeys])
        else { return nil }
        let stamp = String(Int(Date().timeIntervalSince1970))
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port ?? self.port)/gateways/\(gateway)/sms")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-Bridge-Timestamp", value: stamp)
        request.headers.add(name: "X-Bridge-Signature", value: "v1=" + Self.sign(stamp, body))
        request.body = .bytes(ByteBuffer(bytes: body))
        return (try? await client.execute(request, timeout: .seconds(10))).map { Int($0.status.code) }
    }

    static func sign(_ stamp: String, _ body: Data) -> String {
        let key = SymmetricKey(data: Data(secret.utf8))
        var message = Data((stamp + ".").utf8)
        message.append(body)
        return HMAC<SHA256>.authenticationCode(for: message, using: key).map { String(format: "%02x", $0) }.joined()
    }
}
