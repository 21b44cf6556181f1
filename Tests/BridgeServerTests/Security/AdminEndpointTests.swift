import BridgeCore
@testable import BridgeServer
import BridgeStore
import Foundation
import Testing

/// `/metrics` (and any admin route) needs the bearer token from `server.admin_token_env`; `/healthz` stays open.
@Suite struct AdminEndpointTests {
    static let variable = "SMSBRIDGE_ADMIN_TOKEN"
    static let token = "admin-token-5f1d9c2e7b"

    static func withToken(_ body: @escaping @Sendable (DemoBridge) async throws -> Void) async throws {
        var environment = Deployments.environment
        environment[variable] = token
        try await DemoBridge.run(configure: { $0.server.adminTokenVariable = variable }, environment: environment, body)
    }

    @Test func metricsWithoutOrWithAWrongTokenAre401() async throws {
        try await Self.withToken { bridge in
            for authorization in [nil, "Bearer guess", "Bearer \(Self.token)x", "Bearer " + Self.token.dropLast(), "Basic \(Self.token)", Self.token] {
                let answer = try await bridge.get("/metrics", authorization: authorization)
                #expect(answer.status == 401, "\(authorization ?? "no header")")
                #expect(answer.challenge == "Bearer")
                #expect(!answer.body.contains("smsbridge_"), "no metrics leak in the refusal")
            }
        }
    }

    @Test func metricsWithTheTokenAre200() async throws {
        try await Self.withToken { bridge in
            try await bridge.say("Përshëndetje", from: "+38344999003")
            for authorization in ["Bearer \(Self.token)", "bearer \(Self.token)"] {
                let answer = try await bridge.get("/metrics", authorization: authorization)
                #expect(answer.status == 200)
                #expect(answer.body.contains(#"smsbridge_inbound_messages_total{gateway="prishtina-demo"} 1"#), "\(answer.body)")
            }
        }
    }

    @Test func healthStaysOpen() async throws {
        try await Self.withToken { bridge in
            let answer = try await bridge.get("/healthz")
            #expect(answer.status == 200 && answer.body == "ok\n")
        }
    }

    @Test func withoutATokenMetricsAnswerThisMachineOnly() async throws {
        try await DemoBridge.run { bridge in
            let answer = try await bridge.get("/metrics")
            #expect(answer.status == 200)
        }
        let open = AdminAuthorization(token: nil)
        #expect(open.verdict(authorization: nil, fromLoopback: true) == .allowed)
        #expect(open.verdict(authorization: nil, fromLoopback: false) == .forbidden)
        #expect(open.verdict(authorization: "Bearer anything", fromLoopback: false) == .forbidden)
        let closed = AdminAuthorization(token: Self.token)
        #expect(closed.verdict(authorization: nil, fromLoopback: true) == .unauthorized)
        #expect(closed.verdict(authorization: "Bearer \(Self.token)", fromLoopback: false) == .allowed)
    }

    @Test func aConfiguredButUnsetVariableStopsTheStartWithItsName() throws {
        var configuration = Deployments.base
        configuration.server.adminTokenVariable = Self.variable
        let error = #expect(throws: ConfigurationError.self) {
            _ = try BridgeApplication(configuration: configuration, store: try SQLiteStore(path: Harness.temporaryStorePath()),
                                      environment: Deployments.environment, logger: Harness.logger)
        }
        #expect(error.map { "\($0)" }?.contains("server.admin_token_env names \(Self.variable), which is not set") == true, "\(String(describing: error))")
    }
}
