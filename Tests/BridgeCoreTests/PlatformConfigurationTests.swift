import BridgeCore
import Foundation
import Testing

/// The `platform:` settings of the FixMyStreet loop: read with their units, refused out of range at their line.
@Suite struct PlatformConfigurationTests {
    static let prishtina = ValidationTests.prishtina

    static func platform(_ extra: String) -> String {
        """

        platform:
          type: fixmystreet
          base_url: https://fms.example.org
          secrets:
            email: FMS_EMAIL
            password: FMS_PASSWORD
        \(extra)
        gateways:

        """
    }

    @Test func loopSettingsAreReadWithTheirUnitsAndDefaults() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        try copy.replace(Self.prishtina, "\ngateways:\n", with: Self.platform("""
              ask_place: false
              status_stale_after: 90s
              give_up_after: 2d
              time_zone: Europe/Belgrade
            """))
        let configuration = try ConfigurationLoader.loadValidated(copy.configPath)
        let platform = try #require(configuration.deployment(id: "prishtina")?.platform)
        #expect(platform.askPlace == false)
        #expect(platform.statusStaleAfter == 90)
        #expect(platform.giveUpAfter == 2 * 86_400)
        #expect(platform.timeZone.identifier == "Europe/Belgrade")
        let defaults = PlatformDefinition(type: .fixmystreet)
        #expect(defaults.askPlace && defaults.statusStaleAfter == 600 && defaults.giveUpAfter == 3 * 86_400)
        #expect(defaults.timeZone.secondsFromGMT() == 0)
    }

    @Test func anUnknownTimeZoneIsReportedAtItsLine() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        try copy.replace(Self.prishtina, "\ngateways:\n", with: Self.platform("  time_zone: Europe/Prishtina"))
        let line = try copy.line(of: "  time_zone: Europe/Prishtina", in: Self.prishtina)
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.prishtina, line: line, "is not a time zone name")
        #expect(diagnostics.count == 1, "\(ValidationTests.listing(diagnostics))")
    }

    @Test func aGiveUpPeriodOutOfRangeIsReportedWithTheRange() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        try copy.replace(Self.prishtina, "\ngateways:\n", with: Self.platform("  give_up_after: 40d"))
        let line = try copy.line(of: "  give_up_after: 40d", in: Self.prishtina)
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.prishtina, line: line, "between 1m and 30d")
        #expect(diagnostics.count == 1, "\(ValidationTests.listing(diagnostics))")
    }
}
