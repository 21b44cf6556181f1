import AsyncHTTPClient
import BridgeCore
import BridgeServer
import BridgeStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// Runs the bridge as `serve` does (router and outbox sender in one Hummingbird application) over real HTTP on
/// 127.0.0.1, against a provider double, with a SQLite store on a temporary file.
enum Harness {
    /// Quiet unless SMSBRIDGE_TEST_LOG names a level (e.g. `debug`) when investigating a failure.
    static let logger: Logger = {
        var logger = Logger(label: "smsbridge-server-tests")
        logger.logLevel = ProcessInfo.processInfo.environment["SMSBRIDGE_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        return logger
    }()

    /// Generous: the machine has two cores, every test target runs in parallel, and a deadline only matters when a
    /// test is failing anyway.
    static let timeout: Duration = .seconds(60)

    /// At most this many doubles and bridges run at once, so a full parallel `swift test` on two cores does not
    /// starve the timing-sensitive tests (rate limit, backoff) of CPU.
    static let limiter = Limiter(permits: 4)

    /// Fast backoff so retries happen within a test.
    static let fastRetries = RetryPolicy(initialDelay: 0.05, maximumDelay: 1, maximumAttempts: 5, requestTimeout: 5)

    static func temporaryStorePath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("smsbridge-server-\(UUID().uuidString)/bridge.sqlite").path
    }

    /// A double, and the bridge pointed at it.
    static func run(policy: RetryPolicy = fastRetries, edit: @escaping @Sendable (inout GatewayDefinition) -> Void = { _ in },
                    _ body: @escaping @Sendable (Bridge) async throws -> Void) async throws {
        try await ProviderDouble.with { double in
            try await withBridge(double: double, policy: policy, edit: edit, body)
        }
    }

    /// The bridge on `storePath` (a new `SQLiteStore` each time, as after a restart), or on `store`.
    @discardableResult
    static func withBridge<T: Sendable>(double: ProviderDouble, storePath: String = temporaryStorePath(), store: (any Store)? = nil,
                                        policy: RetryPolicy = fastRetries, logger: Logger = Harness.logger,
                                        edit: @escaping @Sendable (inout GatewayDefinition) -> Void = { _ in },
                                        _ body: @escaping @Sendable (Bridge) async throws -> T) async throws -> T {
        let configuration = Deployments.configuration(doublePort: double.port, edit: edit)
        let store = try store ?? SQLiteStore(path: storePath)
        let application = try BridgeApplication(configuration: configuration, store: store, environment: Deployments.environment, logger: logger)
        let httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        let result: T
        do {
            result = try await application.application(host: "127.0.0.1", port: 0, httpClient: httpClient, policy: policy).test(.live) { client in
                try await body(Bridge(client: client, double: double, application: application))
            }
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
        try await httpClient.shutdown()
        return result
    }

    /// Polls `probe` until it returns a value; records an issue and throws at the deadline. Polling, never sleeping
    /// a fixed time, is how tests wait for the outbox sender.
    static func eventually<T: Sendable>(_ what: String, timeout: Duration = timeout, sourceLocation: Testing.SourceLocation = #_sourceLocation,
                                        _ probe: () async throws -> T?) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let value = try await probe() { return value }
            if ContinuousClock.now >= deadline {
                Issue.record("timed out after \(timeout) waiting for \(what)", sourceLocation: sourceLocation)
                throw HarnessError("timed out waiting for \(what)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// The synchronous answer of a webhook, as the gateway sees it.
struct WebhookAnswer: Sendable, Equatable, CustomStringConvertible {
    var status: Int
    var contentType: String?
    var body: String

    var description: String { "\(status) [\(contentType ?? "-")] \(body)" }
}

/// The running bridge: its HTTP client, its store, and the double it sends to.
struct Bridge: Sendable {
    let client: any TestClientProtocol
    let double: ProviderDouble
    let application: BridgeApplication

    var store: any Store { application.store }

    // MARK: HTTP

    func request(_ method: HTTPRequest.Method, _ uri: String, headers: [(String, String)] = [], body: [UInt8]? = nil) async throws
        -> WebhookAnswer
    {
        var fields = HTTPFields()
        for (name, value) in headers {
            guard let name = HTTPField.Name(name) else { throw HarnessError("bad header name \(name)") }
            fields.append(HTTPField(name: name, value: value))
        }
        let response = try await client.execute(uri: uri, method: method, headers: fields, body: body.map { ByteBuffer(bytes: $0) })
        return WebhookAnswer(status: Int(response.status.code), contentType: response.headers[.contentType], body: String(buffer: response.body))
    }

    func post(_ uri: String, headers: [(String, String)] = [], body: [UInt8]) async throws -> WebhookAnswer {
        try await request(.post, uri, headers: headers, body: body)
    }

    func postForm(_ uri: String, _ pairs: [(String, String)], headers: [(String, String)] = []) async throws -> WebhookAnswer {
        try await post(uri, headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers, body: Array(Wire.form(pairs).utf8))
    }

    func get(_ uri: String, headers: [(String, String)] = []) async throws -> WebhookAnswer {
        try await request(.get, uri, headers: headers)
    }

    /// The bridge answers its health check: nothing a test threw at it took it down.
    func expectHealthy(sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let health = try await get("/healthz")
        #expect(health.status == 200, "healthz: \(health)", sourceLocation: sourceLocation)
    }

    // MARK: Store

    func outbox(_ phone: String? = nil) async throws -> [OutboxItem] {
        try await store.read { try $0.outboxItems(phone: phone) }
    }

    func outboxItem(_ id: String) async throws -> OutboxItem? {
        try await store.read { try $0.outbox(id: id) }
    }

    func inboundCount() async throws -> Int { try await store.read { try $0.inboundCount() } }

    func reports() async throws -> [ReportRecord] { try await store.read { try $0.reports() } }

    func session(_ deployment: String, _ phone: String) async throws -> Session? {
        try await store.read { try $0.session(deployment: deployment, phone: phone) }
    }

    func isOptedOut(_ deployment: String, _ phone: String) async throws -> Bool {
        try await store.read { try $0.isOptedOut(deployment: deployment, phone: phone) }
    }

    /// Everything a webhook can change, to show that a refused one changed nothing.
    func snapshot() async throws -> StoreSnapshot {
        try await store.read { tx in
            StoreSnapshot(inbound: try tx.inboundCount(), sessions: try tx.sessionCount(), outbox: try tx.outboxItems(phone: nil),
                          reports: try tx.reports().count)
        }
    }

    /// Waits until `phone` has `count` outbox rows that all satisfy `condition`.
    @discardableResult
    func waitForOutbox(_ phone: String, count: Int, _ what: String = "sent", sourceLocation: Testing.SourceLocation = #_sourceLocation,
                       where condition: @escaping @Sendable (OutboxItem) -> Bool = { $0.status == .sent }) async throws -> [OutboxItem] {
        try await Harness.eventually("\(count) outbox row(s) to \(phone) \(what)", sourceLocation: sourceLocation) {
            let items = try await outbox(phone)
            return items.count >= count && items.allSatisfy(condition) ? items : nil
        }
    }

    /// Waits until the outbox row `id` satisfies `condition`.
    @discardableResult
    func waitForItem(_ id: String, _ what: String, sourceLocation: Testing.SourceLocation = #_sourceLocation,
                     where condition: @escaping @Sendable (OutboxItem) -> Bool) async throws -> OutboxItem {
        try await Harness.eventually("outbox row \(id) \(what)", sourceLocation: sourceLocation) {
            try await outboxItem(id).flatMap { condition($0) ? $0 : nil }
        }
    }
}

struct StoreSnapshot: Sendable, Equatable {
    var inbound: Int
    var sessions: Int
    var outbox: [OutboxItem]
    var reports: Int
}

/// A counting semaphore for async code.
actor Limiter {
    private let permits: Int
    private var inUse = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(permits: Int) { self.permits = permits }

    func acquire() async {
        if inUse < permits {
            inUse += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            inUse -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
