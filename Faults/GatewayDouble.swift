import Foundation
import Hummingbird
import Logging
import NIOCore

/// The provider the bridge sends through: a generic-contract aggregator on 127.0.0.1 that counts every SMS per resident.
///
/// It can be switched to answer 503 or to hold requests past the bridge's timeout, as a provider in trouble does; a
/// request it fails or holds is not delivered, so a resident who gets one text twice shows up as a duplicate.
actor GatewayLedger {
    enum Mode: Sendable { case up, failing, hanging }

    struct Attempt: Sendable {
        var id: String
        var to: String
        var text: String
        var at: Date
        var delivered: Bool
        /// A resend of an id already delivered: the contract makes `id` an idempotency key, so the resident gets nothing new.
        var resend = false
    }

    private(set) var mode: Mode = .up
    private(set) var attempts: [Attempt] = []

    func set(_ mode: Mode) { self.mode = mode }

    func record(_ attempt: Attempt) {
        var attempt = attempt
        if attempt.delivered, attempts.contains(where: { $0.delivered && $0.id == attempt.id }) {
            attempt.delivered = false
            attempt.resend = true
        }
        attempts.append(attempt)
    }

    var delivered: [Attempt] { attempts.filter(\.delivered) }

    var resends: Int { attempts.filter(\.resend).count }

    func delivered(to phone: String) -> [Attempt] { attempts.filter { $0.delivered && $0.to == phone } }

    /// Texts a resident received more than once (the same text under two outbox ids: two rows for one message).
    func duplicates() -> [String] {
        var seenTexts = Set<String>()
        var found: [String] = []
        for attempt in attempts where attempt.delivered {
            if !seenTexts.insert(attempt.to + "\u{1F}" + attempt.text).inserted { found.append("\(attempt.to.suffix(4)): \(attempt.text.prefix(40))") }
        }
        return found
    }
}

struct GatewayDouble: Sendable {
    let port: Int
    let ledger: GatewayLedger

    /// Runs `body` with the double listening on 127.0.0.1, then stops it.
    static func with<T: Sendable>(hold: Duration, _ body: @Sendable (GatewayDouble) async throws -> T) async throws -> T {
        let ledger = GatewayLedger()
        let router = Router(context: BasicRequestContext.self)
        router.post("/send") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let object = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
            let id = object["id"] as? String ?? ""
            let to = object["to"] as? String ?? ""
            let text = object["text"] as? String ?? ""
            switch await ledger.mode {
            case .up:
                await ledger.record(.init(id: id, to: to, text: text, at: Date(), delivered: true))
                return Response(status: .ok, headers: [.contentType: "application/json"],
                                body: .init(byteBuffer: ByteBuffer(string: #"{"message_id":"gw-\#(id)"}"#)))
            case .failing:
                await ledger.record(.init(id: id, to: to, text: text, at: Date(), delivered: false))
                return Response(status: .serviceUnavailable)
            case .hanging:
                await ledger.record(.init(id: id, to: to, text: text, at: Date(), delivered: false))
                try? await Task.sleep(for: hold)
                return Response(status: .serviceUnavailable)
            }
        }
        var logger = Logger(label: "faults-gateway")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "gateway-double"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            }, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw FaultsError("the gateway double did not start") }
            defer { group.cancelAll() }
            return try await body(GatewayDouble(port: port, ledger: ledger))
        }
    }
}

struct FaultsError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
