import BridgeCore
import Foundation
import Gateways

/// A configured gateway with its secrets resolved from the environment and its adapter built: what routes and the sender use.
public struct GatewayRuntime: Sendable {
    public let definition: GatewayDefinition
    public let adapter: any GatewayAdapter
    public let deployment: Deployment

    public var id: String { definition.id }

    /// Outbound messages are logged and stored instead of sent (the demo, and gateways with no send URL).
    public var isConsole: Bool { definition.flag("console") }

    /// Lets unsigned requests in from this machine only: for the local demo, never for a public gateway.
    public var acceptsUnsignedFromLoopback: Bool { definition.flag("unsigned_from_loopback") }

    /// Secrets each provider cannot work without; the start-up check names the missing environment variable.
    static func requiredSecrets(_ type: GatewayType) -> [String] {
        switch type {
        case .twilio: ["account_sid", "auth_token"]
        case .africastalking: ["username", "api_key", "path_token"]
        case .vonage: ["api_key", "api_secret"]
        case .infobip: []
        case .kannel: ["username", "password", "path_token"]
        case .generic: []
        }
    }

    /// Builds every gateway of `configuration`; a missing variable or a bad value is reported at its file and line.
    public static func resolve(_ configuration: BridgeConfiguration, environment: [String: String])
        -> (gateways: [String: GatewayRuntime], diagnostics: [Diagnostic])
    {
        var diagnostics = Diagnostics()
        var gateways: [String: GatewayRuntime] = [:]
        for deployment in configuration.deployments {
            for definition in deployment.gateways {
                guard let type = GatewayType(rawValue: definition.type) else { continue }
                let secrets = SecretResolver.resolve(
                    definition.secretVariables, environment: environment, owner: "gateway '\(definition.id)'", file: definition.file, line: definition.line,
                    into: &diagnostics)
                for name in requiredSecrets(type) where definition.secretVariables[name] == nil {
                    diagnostics.report(definition.file, definition.line,
                        "gateway '\(definition.id)' (\(type.rawValue)) needs secrets.\(name): the name of the environment variable that holds it")
                }
                let has = { (name: String) in definition.secretVariables[name] != nil }
                if type == .infobip, !has("api_key"), !(has("username") && has("password")) {
                    diagnostics.report(definition.file, definition.line,
                        "gateway '\(definition.id)' (infobip) needs secrets.api_key, or secrets.username and secrets.password")
                }
                if [.infobip, .kannel].contains(type), !has("base_url"), definition.option("api_url") == nil, !definition.flag("console") {
                    diagnostics.report(definition.file, definition.line,
                        "gateway '\(definition.id)' (\(type.rawValue)) needs options.api_url: where its send API listens")
                }
                if type == .generic, definition.secretVariables["signature_secret"] == nil, !definition.flag("unsigned_from_loopback") {
                    diagnostics.report(definition.file, definition.line,
                        "gateway '\(definition.id)' (generic) needs secrets.signature_secret, or options.unsigned_from_loopback: true for a local demo")
                }
                for (name, value) in definition.options where name.hasSuffix("_url") {
                    if URL(string: value)?.scheme.map({ ["http", "https"].contains($0) }) != true {
                        diagnostics.report(definition.file, definition.line, "gateway '\(definition.id)': options.\(name) must be an http(s) URL")
                    }
                }
                let settings = GatewaySettings(
                    id: definition.id, type: type, publicBaseURL: definition.publicBaseURL, sender: definition.sender,
                    secrets: secrets, sendURL: definition.option("api_url"), region: deployment.region)
                gateways[definition.id] = GatewayRuntime(definition: definition, adapter: Gateways.adapter(for: settings), deployment: deployment)
            }
        }
        return (gateways, diagnostics.sorted)
    }
}
