import AsyncHTTPClient
import BridgeCore
@testable import BridgeServer
import Foundation
import Logging
import Platform
import Testing

/// The keyed pseudonyms of `platform.pseudonymous`, and how a deployment turns them on.
@Suite struct PseudonymTests {
    static let key = "prishtina-pseudonym-key-0123456789"

    /// Vectors computed outside Swift: `hmac.new(key, phone, sha256).hexdigest()[:16]` in Python.
    @Test func pseudonymsAreTheTruncatedHMACOfTheNumber() {
        let pseudonyms = KeyedPseudonyms(key: Self.key)
        #expect(pseudonyms.pseudonym(for: "+38344123456") == "b04a7b8ea08e751d")
        #expect(pseudonyms.pseudonym(for: "+38344123457") == "5dec10a5bc140c60")
        // Another deployment's key gives another pseudonym for the same person.
        #expect(KeyedPseudonyms(key: "another-deployment-key-abcdef").pseudonym(for: "+38344123456") == "4fa8fa9eb8d61270")
        #expect(!"\(pseudonyms)".contains(Self.key))
    }

    static func fixMyStreet(pseudonymous: Bool, key: String?) -> (BridgeConfiguration, [String: String]) {
        var configuration = Deployments.base
        let index = configuration.deployments.firstIndex { $0.id == "prishtina" }!
        var definition = PlatformDefinition(
            type: .fixmystreet, baseURL: "https://fms.example.org",
            secretVariables: ["email": "FMS_EMAIL", "password": "FMS_PASSWORD"], file: "Config/deployments/prishtina.yaml", line: 30)
        definition.pseudonymous = pseudonymous
        if pseudonymous { definition.secretVariables["pseudonym_key"] = "FMS_PSEUDONYM_KEY" }
        configuration.deployments[index].platform = definition
        var environment = Deployments.environment
        environment["FMS_EMAIL"] = "bridge@example.org"
        environment["FMS_PASSWORD"] = "fms-password-2c4e"
        environment["FMS_PSEUDONYM_KEY"] = key
        return (configuration, environment)
    }

    @Test func aPseudonymousDeploymentsFixMyStreetClientHashesWithItsKey() throws {
        let (configuration, environment) = Self.fixMyStreet(pseudonymous: true, key: Self.key)
        let (platforms, diagnostics) = PlatformRuntime.resolve(configuration, environment: environment, httpClient: .shared, logger: Harness.logger)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let client = try #require(platforms["prishtina"]?.platform as? FixMyStreetPlatform)
        #expect(client.configuration.pseudonyms?.pseudonym(for: "+38344123456") == "b04a7b8ea08e751d")
    }

    @Test func anOrdinaryDeploymentSendsTheNumber() throws {
        let (configuration, environment) = Self.fixMyStreet(pseudonymous: false, key: nil)
        let (platforms, _) = PlatformRuntime.resolve(configuration, environment: environment, httpClient: .shared, logger: Harness.logger)
        let client = try #require(platforms["prishtina"]?.platform as? FixMyStreetPlatform)
        #expect(client.configuration.pseudonyms == nil)
    }

    @Test func aMissingOrShortKeyStopsTheStartAtThePlatformsLine() {
        for (key, fragment) in [(nil as String?, "environment variable FMS_PSEUDONYM_KEY (its pseudonym_key) is not set"),
                                ("short", "pseudonym_key (FMS_PSEUDONYM_KEY) must be at least 16 bytes")] {
            let (configuration, environment) = Self.fixMyStreet(pseudonymous: true, key: key)
            let (_, diagnostics) = PlatformRuntime.resolve(configuration, environment: environment, httpClient: .shared, logger: Harness.logger)
            #expect(diagnostics.contains { $0.file == "Config/deployments/prishtina.yaml" && $0.line == 30 && $0.message.contains(fragment) },
                    "\(diagnostics)")
            if key == "short" { #expect(!"\(diagnostics)".contains("short"), "the key itself is never printed") }
        }
    }
}
