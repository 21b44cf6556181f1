import BridgeCore
import Foundation
import Testing

/// `platform.pseudonymous`: read with its key variable, refused where it cannot work, at its file and line.
@Suite struct PseudonymousConfigurationTests {
    static let prishtina = ValidationTests.prishtina

    static let platform = """
        platform:
          type: fixmystreet
          base_url: https://fms.example.org
          pseudonymous: true
          secrets:
            email: FMS_EMAIL
            password: FMS_PASSWORD

        """

    @Test func pseudonymousFixMyStreetIsReadWithItsKeyVariable() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        try copy.replace(Self.prishtina, "\ngateways:\n", with: "\n" + Self.platform.replacingOccurrences(of: "    password: FMS_PASSWORD\n",
            with: "    password: FMS_PASSWORD\n    pseudonym_key: FMS_PSEUDONYM_KEY\n") + "gateways:\n")
        let configuration = try ConfigurationLoader.loadValidated(copy.configPath)
        let platform = try #require(configuration.deployment(id: "prishtina")?.platform)
        #expect(platform.pseudonymous)
        #expect(platform.secretVariables["pseudonym_key"] == "FMS_PSEUDONYM_KEY")
        #expect(configuration.deployment(id: "casablanca")?.platform.pseudonymous == false)
    }

    @Test func pseudonymousWithoutAKeyVariableIsReported() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        try copy.replace(Self.prishtina, "\ngateways:\n", with: "\n" + Self.platform + "gateways:\n")
        let line = try copy.line(of: "  type: fixmystreet", in: Self.prishtina)
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.prishtina, line: line, "needs secrets.pseudonym_key")
        #expect(diagnostics.count == 1, "\(ValidationTests.listing(diagnostics))")
    }

    @Test func pseudonymousIsForFixMyStreetOnly() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let open311 = Self.platform.replacingOccurrences(of: "type: fixmystreet", with: "type: open311")
            .replacingOccurrences(of: "    email: FMS_EMAIL\n    password: FMS_PASSWORD\n", with: "    api_key: OPEN311_KEY\n")
        try copy.replace(Self.prishtina, "\ngateways:\n", with: "\n" + open311 + "gateways:\n")
        let line = try copy.line(of: "  pseudonymous: true", in: Self.prishtina)
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.prishtina, line: line, "platform.pseudonymous is for type fixmystreet only")
        #expect(diagnostics.count == 1, "\(ValidationTests.listing(diagnostics))")
    }
}
