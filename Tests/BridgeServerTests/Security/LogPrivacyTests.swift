import AsyncHTTPClient
import BridgeCore
@testable import BridgeServer
import BridgeStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Platform
@testable import TestDoubles
import Testing

/// A whole conversation as `serve` runs it (webhook in, replies out through the gateway double, the report filed on the
/// FixMyStreet double and acknowledged), logged at trace level: no line holds a resident's full number or any secret.
@Suite(.serialized) struct LogPrivacyTests {
    static let twilioResident = "+38344271828"
    static let kannelResident = "+212612314159"
    static let pseudonymKey = "log-privacy-pseudonym-key-3a9f07c1"
    static let environment = Deployments.environment.merging([
        "PRIVACY_FMS_EMAIL": FixMyStreetState.staffEmail, "PRIVACY_FMS_PASSWORD": FixMyStreetState.staffPassword,
        "PRIVACY_PSEUDONYM_KEY": pseudonymKey, "PRIVACY_ADMIN_TOKEN": "privacy-admin-token-77c1",
    ]) { $1 }

    /// Every secret value the bridge was started with.
    static let secrets: [String] = Array(LoggingTests.secrets) + [FixMyStreetState.staffPassword, pseudonymKey, "privacy-admin-token-77c1"]

    /// The national digits of each number: found in a line (spaces removed), the number is there in some form
    /// (E.164, without `+`, percent-encoded, national with a leading 0).
    static let nationalNumbers = ["44271828", "612314159"]

    @Test(arguments: [false, true])
    func aFullConversationLogsNoNumberAndNoSecret(pseudonymous: Bool) async throws {
        let capture = LogCapture()
        let body = DoubleBody(name: "Prishtinë", south: 42.60, west: 21.08, north: 42.72, east: 21.25,
                              categories: ["Potholes", "Street lighting", "Rubbish", "Other"])
        try await FixMyStreetDouble.with(configure: { await $0.configure(bodies: [body]) }) { fms in
            try await ProviderDouble.with { double in
                var configuration = Deployments.configuration(doublePort: double.port)
                configuration.server.adminTokenVariable = "PRIVACY_ADMIN_TOKEN"
                configuration.server.senderLimit = SenderRateLimit(messages: 8, window: 300)
                let index = try #require(configuration.deployments.firstIndex { $0.id == "prishtina" })
                var platform = PlatformDefinition(
                    type: .fixmystreet, baseURL: fms.baseURL,
                    secretVariables: ["email": "PRIVACY_FMS_EMAIL", "password": "PRIVACY_FMS_PASSWORD"], jurisdictionID: "fixmystreet")
                if pseudonymous {
                    platform.pseudonymous = true
                    platform.secretVariables["pseudonym_key"] = "PRIVACY_PSEUDONYM_KEY"
                }
                configuration.deployments[index].platform = platform
                let store = try SQLiteStore(path: Harness.temporaryStorePath())
                let httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
                do {
                    let application = try BridgeApplication(configuration: configuration, store: store, environment: Self.environment,
                                                            logger: capture.logger, platformHTTPClient: httpClient)
                    var app = Application(router: application.router(policy: Harness.fastRetries),
                                          configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: capture.logger)
                    app.addServices(
                        application.outboxSender(httpClient: httpClient, policy: Harness.fastRetries),
                        application.reportForwarder(policy: ForwarderPolicy(initialDelay: 0.05, maximumDelay: 0.5, pendingNoticeAfter: 30)),
                        application.retentionPurger(days: 30))
                    try await app.test(.live) { client in
                        let bridge = Bridge(client: client, double: double, application: application)
                        try await Self.converse(bridge, fms: fms, pseudonymous: pseudonymous)
                    }
                } catch {
                    try? await httpClient.shutdown()
                    throw error
                }
                try await httpClient.shutdown()
            }
        }

        let lines = capture.text.split(separator: "\n").map(String.init)
        #expect(lines.count > 20, "the run logged: \(lines.count) lines")
        #expect(lines.contains { $0.contains("filed report") }, "the platform client's lines are in the capture")
        for line in lines {
            let compact = line.filter { !$0.isWhitespace }
            for number in Self.nationalNumbers where compact.contains(number) {
                Issue.record("a full number in the logs: \(line)")
            }
        }
        let leaked = Self.secrets.filter { secret in lines.contains { $0.contains(secret) } }
        #expect(leaked.isEmpty, "\(leaked.count) secret(s) in the logs")
    }

    /// SMS through Twilio to a filed, acknowledged report; a Kannel message (its number in the query); a refused
    /// webhook; a flood past the sender limit; the metrics read with the token.
    static func converse(_ bridge: Bridge, fms: FixMyStreetDouble, pseudonymous: Bool) async throws {
        let twilio = TwilioResident(bridge: bridge, phone: twilioResident)
        for text in ["Përshëndetje", "1", "2", "te sheshi skenderbeu", "Drita nuk punon prej dy javësh", "po"] {
            #expect(try await twilio.say(text).status == 200)
        }
        let report = try await Harness.eventually("the report on FixMyStreet") { await fms.state.reports.first }
        #expect((report.username == twilioResident) != pseudonymous)
        _ = try await Harness.eventually("the acknowledgement with the reference") {
            await bridge.double.sent(to: twilioResident).contains { $0.text.contains(String(report.id)) } ? true : nil
        }
        let kannel = KannelResident(bridge: bridge, phone: kannelResident)
        try await kannel.sayAndWaitForSend()
        // Refused: a wrong signature with the resident's number in the body.
        #expect(try await twilio.post("/gateways/ks-twilio/sms", twilio.fields("po", sid: "SM1"), token: "guess").status == 403)
        // Past the sender limit (8 here): stored, logged as over the limit.
        for _ in 0..<10 { _ = try await kannel.mo("السلام عليكم") }
        #expect(try await bridge.get("/metrics", headers: [("Authorization", "Bearer privacy-admin-token-77c1")]).status == 200)
    }
}
