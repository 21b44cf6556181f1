import BridgeCore
import BridgeServer
import BridgeStore
import Foundation
import Logging
import Synchronization
import Testing

/// Every log line the bridge writes, with its metadata.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }
    var count: Int { lines.withLock { $0.count } }

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    var logger: Logger {
        var logger = Logger(label: "capture") { _ in CapturingHandler(capture: self) }
        logger.logLevel = .trace
        return logger
    }
}

struct CapturingHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let error = event.error.map { " error=\($0)" } ?? ""
        capture.append("\(event.level) \(event.message) \(all.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))\(error)")
    }
}

/// What the bridge writes to its logs, at the most verbose level an operator can choose.
@Suite struct LoggingTests {
    /// The secrets the bridge was started with (tokens, keys, passwords), never names or methods.
    static let secrets = Deployments.environment.filter { key, _ in
        ["TOKEN", "SECRET", "KEY", "PASSWORD", "SID"].contains { key.contains($0) }
    }.values

    /// Start, webhooks (accepted, refused, failing), sends (ok, retried, failed) and shutdown at trace level: no
    /// gateway secret appears in any log line.
    @Test func noSecretReachesTheLogsEvenAtTraceLevel() async throws {
        let capture = LogCapture()
        try await ProviderDouble.with { double in
            try await Harness.withBridge(double: double, logger: capture.logger) { bridge in
                await bridge.double.script(.twilio, .serverError, .success, .finalError)
                let twilio = TwilioResident(bridge: bridge)
                try await twilio.sayAndWaitForSend()
                _ = try await twilio.post("/gateways/ks-twilio/sms", twilio.fields("x", sid: "SM1"), token: "guess")
                let vonage = VonageResident(bridge: bridge)
                try await vonage.sayAndWaitForSend("Здраво")
                _ = try await vonage.send("sms", vonage.fields("Здраво"), secret: "guess")
                try await KannelResident(bridge: bridge).sayAndWaitForSend()
                try await ATResident(bridge: bridge).sayAndWaitForSend()
                try await InfobipResident(bridge: bridge).sayAndWaitForSend("Здраво")
                try await GenericResident(bridge: bridge).sayAndWaitForSend()
                try await twilio.sayAndWaitForSend("1")
                try await bridge.waitForOutbox(twilio.phone, count: 2, "done") { $0.status != .queued }
            }
        }
        #expect(capture.count > 0)
        let text = capture.text
        // Names only: the failure message must not print the secrets either.
        let leaked = Deployments.environment.filter { name, value in Self.secrets.contains(value) && text.contains(value) }.keys.sorted()
        #expect(leaked.isEmpty, "in the logs: \(leaked)")
    }
}
