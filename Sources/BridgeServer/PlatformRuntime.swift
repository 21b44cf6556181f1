import AsyncHTTPClient
import BridgeCore
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Platform

/// A deployment's remote platform (FixMyStreet or Open311) with its credentials resolved: what the forwarder and the poller use.
///
/// Deployments on the local platform have none: the store numbers their reports in the inbound transaction.
public struct PlatformRuntime: Sendable {
    public let definition: PlatformDefinition
    public let platform: any ReportPlatform
    public let deployment: Deployment

    public init(definition: PlatformDefinition, platform: any ReportPlatform, deployment: Deployment) {
        self.definition = definition
        self.platform = platform
        self.deployment = deployment
    }

    /// Builds the platform of every deployment that has a remote one; a missing variable is reported at its file and line.
    /// `overrides` (deployment id → platform) replaces what the configuration would build: tests pass doubles here.
    public static func resolve(_ configuration: BridgeConfiguration, environment: [String: String], httpClient: HTTPClient,
                               overrides: [String: any ReportPlatform] = [:], logger: Logger)
        -> (platforms: [String: PlatformRuntime], diagnostics: [Diagnostic])
    {
        var diagnostics = Diagnostics()
        var platforms: [String: PlatformRuntime] = [:]
        for deployment in configuration.deployments {
            let definition = deployment.platform
            if let platform = overrides[deployment.id] {
                platforms[deployment.id] = PlatformRuntime(definition: definition, platform: platform, deployment: deployment)
                continue
            }
            guard definition.type != .local else { continue }
            let secrets = SecretResolver.resolve(
                definition.secretVariables, environment: environment, owner: "platform of '\(deployment.id)'", file: definition.file, line: definition.line,
                into: &diagnostics)
            guard let baseURL = definition.baseURL, definition.requiredSecrets.allSatisfy({ secrets[$0] != nil }) else { continue }
            let platform: any ReportPlatform
            switch definition.type {
            case .local:
                continue
            case .fixmystreet:
                platform = FixMyStreetPlatform(
                    configuration: FixMyStreetConfiguration(
                        baseURL: baseURL, credentials: FixMyStreetCredentials(email: secrets["email"] ?? "", password: secrets["password"] ?? ""),
                        serviceTag: definition.serviceTag, jurisdictionID: definition.jurisdictionID ?? "smsbridge",
                        serverTimeZone: definition.timeZone,
                        pseudonyms: pseudonyms(definition, secrets: secrets, deployment: deployment.id, into: &diagnostics)),
                    httpClient: httpClient, logger: logger)
            case .open311:
                platform = Open311Platform(
                    configuration: Open311Configuration(baseURL: baseURL, apiKey: secrets["api_key"] ?? "", jurisdictionID: definition.jurisdictionID),
                    httpClient: httpClient, logger: logger)
            }
            platforms[deployment.id] = PlatformRuntime(definition: definition, platform: platform, deployment: deployment)
        }
        return (platforms, diagnostics.sorted)
    }

    /// The keyed pseudonyms of a `pseudonymous` deployment; a key too short to protect the numbers is reported at the platform's line.
    static func pseudonyms(_ definition: PlatformDefinition, secrets: [String: String], deployment: String, into diagnostics: inout Diagnostics)
        -> KeyedPseudonyms?
    {
        guard definition.pseudonymous, let key = secrets["pseudonym_key"] else { return nil }
        if key.utf8.count < KeyedPseudonyms.minimumKeyBytes {
            diagnostics.report(
                definition.file, definition.line,
                "platform of '\(deployment)': the pseudonym_key (\(definition.secretVariables["pseudonym_key"] ?? "")) must be at least "
                    + "\(KeyedPseudonyms.minimumKeyBytes) bytes, e.g. from `openssl rand -hex 32`")
        }
        return KeyedPseudonyms(key: key)
    }
}
