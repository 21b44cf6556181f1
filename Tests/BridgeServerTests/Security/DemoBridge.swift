import BridgeCore
@testable import BridgeServer
import BridgeStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

/// A clock the test moves by hand, so windows of minutes pass in no time.
final class ManualClock: Sendable {
    private let now: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_780_000_000)) { now = Mutex(start) }

    var date: Date { now.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { now.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var read: @Sendable () -> Date { { [self] in date } }
}

/// The bridge's routes alone (no outbox sender: a reply is an outbox row), live on 127.0.0.1 with a manual clock, a
/// SQLite file and logs captured; residents write through the shipped demo gateway, which accepts unsigned JSON from
/// this machine.
struct DemoBridge: Sendable {
    let client: any TestClientProtocol
    let application: BridgeApplication
    let clock: ManualClock
    var store: any Store { application.store }

    static func run(
        configure: @Sendable (inout BridgeConfiguration) -> Void = { _ in }, environment: [String: String] = Deployments.environment,
        logger: Logger = Harness.logger, _ body: @escaping @Sendable (DemoBridge) async throws -> Void
    ) async throws {
        var configuration = Deployments.base
        configure(&configuration)
        let clock = ManualClock()
        let store = try SQLiteStore(path: Harness.temporaryStorePath())
        let application = try BridgeApplication(configuration: configuration, store: store, environment: environment, logger: logger,
                                                clock: clock.read)
        let app = Application(router: application.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        try await app.test(.live) { client in
            try await body(DemoBridge(client: client, application: application, clock: clock))
        }
    }

    /// One SMS through `prishtina-demo`; the id is fresh unless given (a gateway retry reuses it).
    @discardableResult
    func say(_ text: String, from phone: String, id: String = UUID().uuidString) async throws -> Int {
        let object = ["id": id, "from": phone, "to": "1818", "text": text]
        let body = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        let response = try await client.execute(
            uri: "/gateways/prishtina-demo/sms", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: body))
        return Int(response.status.code)
    }

    func get(_ uri: String, authorization: String? = nil) async throws -> (status: Int, body: String, challenge: String?) {
        var headers = HTTPFields()
        if let authorization { headers[.authorization] = authorization }
        let response = try await client.execute(uri: uri, method: .get, headers: headers, body: nil)
        return (Int(response.status.code), String(buffer: response.body), response.headers[.wwwAuthenticate])
    }

    func replies(to phone: String) async throws -> [OutboxItem] { try await store.read { try $0.outboxItems(phone: phone) } }
    func inboundCount() async throws -> Int { try await store.read { try $0.inboundCount() } }
}
