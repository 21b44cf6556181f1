import BridgeCore
import Foundation
import Testing

/// `sender_limit` and `retention_days`: read from the files, every mistake reported at its file and line.
@Suite struct SecurityConfigurationTests {
    static let main = ValidationTests.main
    static let prishtina = ValidationTests.prishtina

    @Test func withoutSettingsTheServerUsesTwentyPerFiveMinutesAndKeepsMessages() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let configuration = try ConfigurationLoader.loadValidated(copy.configPath)
        #expect(configuration.server.senderLimit == .standard)
        #expect(configuration.deployments.allSatisfy { $0.senderLimit == nil })
    }

    @Test func serverDefaultAndADeploymentsOwnLimitAreRead() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        try copy.replace(Self.main, "server:\n", with: "server:\n  sender_limit: {messages: 30, per: 10m}\n  retention_days: 45\n")
        try copy.replace(Self.prishtina, "region: XK", with: "region: XK\nsender_limit: off")
        let configuration = try ConfigurationLoader.loadValidated(copy.configPath)
        #expect(configuration.server.senderLimit == SenderRateLimit(messages: 30, window: 600))
        #expect(configuration.server.retentionDays == 45)
        #expect(configuration.deployment(id: "prishtina")?.senderLimit == .off)
        #expect(configuration.deployment(id: "casablanca")?.senderLimit == nil)
    }

    @Test func aLimitWithoutItsWindowIsReportedAtItsLine() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let line = try copy.replace(Self.prishtina, "region: XK", with: "sender_limit: {messages: 20}\nregion: XK")
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.prishtina, line: line, "deployment.sender_limit must be {messages: 20, per: 5m} or off")
        #expect(diagnostics.count == 1, "\(ValidationTests.listing(diagnostics))")
    }

    @Test func aBadWindowAndAZeroCountAreEachReported() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let line = try copy.replace(Self.main, "server:\n", with: "server:\n  sender_limit:\n    messages: 0\n    per: soon\n") + 1
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.main, line: line + 1, "'messages'", "from 1 to 10000")
        expectDiagnostic(diagnostics, Self.main, line: line + 2, "server.sender_limit.per must be a duration")
        #expect(diagnostics.count == 2, "\(ValidationTests.listing(diagnostics))")
    }

    @Test func anUnknownKeyInTheLimitIsReported() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let line = try copy.replace(Self.main, "server:\n", with: "server:\n  sender_limit:\n    messages: 5\n    per: 1m\n    burst: 3\n") + 1
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.main, line: line + 3, "unknown key 'burst'", "server.sender_limit")
        #expect(diagnostics.count == 1, "\(ValidationTests.listing(diagnostics))")
    }

    @Test func retentionMustBeAPositiveNumberOfDays() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let line = try copy.replace(Self.main, "server:\n", with: "server:\n  retention_days: 0\n") + 1
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.main, line: line, "'retention_days'", "from 1 to 36500")
        #expect(diagnostics.count == 1, "\(ValidationTests.listing(diagnostics))")
    }
}
