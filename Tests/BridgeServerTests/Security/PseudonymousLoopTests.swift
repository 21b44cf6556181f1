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

/// A pseudonymous deployment end to end: FixMyStreet never sees the number, yet the acknowledgement and every status
/// change still reach the resident, because the bridge keeps the number.
@Suite(.serialized) struct PseudonymousLoopTests {
    static let key = "pseudonymous-loop-key-6c0d2b95e1"

    @Test func theReportCarriesThePseudonymAndStatusUpdatesStillReachTheResident() async throws {
        try await FixMyStreetDouble.with(configure: { await $0.configure(bodies: [FixMyStreetLoop.prishtina()]) }) { fms in
            try await ProviderDouble.with { double in
                var configuration = Deployments.configuration(doublePort: double.port)
                let index = try #require(configuration.deployments.firstIndex { $0.id == FixMyStreetLoop.deploymentID })
                var platform = PlatformDefinition(
                    type: .fixmystreet, baseURL: fms.baseURL,
                    secretVariables: ["email": "LOOP_FMS_EMAIL", "password": "LOOP_FMS_PASSWORD", "pseudonym_key": "LOOP_PSEUDONYM_KEY"],
                    jurisdictionID: "fixmystreet")
                platform.pseudonymous = true
                platform.timeZone = FixMyStreetState.zone
                configuration.deployments[index].platform = platform
                var environment = FixMyStreetLoop.environment
                environment["LOOP_PSEUDONYM_KEY"] = Self.key
                let store = try SQLiteStore(path: Harness.temporaryStorePath())
                let httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
                do {
                    let application = try BridgeApplication(configuration: configuration, store: store, environment: environment,
                                                            logger: Harness.logger, platformHTTPClient: httpClient)
                    var app = Application(router: application.router(policy: Harness.fastRetries),
                                          configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: Harness.logger)
                    app.addServices(
                        application.outboxSender(httpClient: httpClient, policy: Harness.fastRetries),
                        application.reportForwarder(policy: ForwarderPolicy(initialDelay: 0.05, maximumDelay: 0.5, pendingNoticeAfter: 30)),
                        application.statusPoller(interval: 0.2))
                    try await app.test(.live) { client in
                        try await Self.check(Bridge(client: client, double: double, application: application), fms: fms)
                    }
                } catch {
                    try? await httpClient.shutdown()
                    throw error
                }
                try await httpClient.shutdown()
            }
        }
    }

    static func check(_ bridge: Bridge, fms: FixMyStreetDouble) async throws {
        let resident = GenericResident(bridge: bridge)
        try await FixMyStreetLoop.converse(resident)
        let deployment = FixMyStreetLoop.deployment(bridge)
        let report = try await Harness.eventually("the report on FixMyStreet") { await fms.state.reports.first }
        let thanks = Engine.thanks(reference: String(report.id), to: resident.phone, language: .albanian, deployment).text
        try await FixMyStreetLoop.waitForText(thanks, bridge)

        // FixMyStreet knows the staff account and the pseudonym, never the number.
        let pseudonym = KeyedPseudonyms(key: key).pseudonym(for: resident.phone)
        #expect(report.ownedByStaff)
        #expect(report.name == "SMS reporter " + pseudonym)
        let national = String(resident.phone.suffix(8))
        for request in await fms.requests() {
            let values = (request.query + request.form).map(\.value) + [request.path]
            #expect(!values.contains { $0.contains(national) }, "\(request.path) carries the number")
        }
        // The bridge kept it: the status change is texted to the resident, in Albanian.
        #expect(try await bridge.reports().first?.submission.phone == resident.phone)
        await fms.state.update(report.id) {
            $0.state = "fixed - council"
            $0.lastUpdate = Date().addingTimeInterval(5)
        }
        let fixed = Engine.status(.fixed, reference: String(report.id), to: resident.phone, language: .albanian, deployment).text
        try await FixMyStreetLoop.waitForText(fixed, bridge)
    }
}
