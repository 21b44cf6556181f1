import BridgeCore
import Foundation

/// The shipped Config/ and Dialogs/, copied to a temporary folder with a gateway of every type added to the
/// deployment files, loaded and validated once. Every gateway's send API points at a placeholder address that
/// `configuration(doublePort:)` replaces with the running provider double's port on 127.0.0.1.
enum Deployments {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// What `api_url` says in the files until a double's port is known; never contacted.
    static let placeholderAPI = "http://127.0.0.1:1"
    static let publicBaseURL = "https://bridge.example.org"

    /// Gateways of Prishtina: one per provider that serves Kosovo, plus a slow generic one for the rate test.
    static let prishtinaGateways = """

          - id: ks-twilio
            type: twilio
            sender: "+38349000111"
            public_base_url: https://bridge.example.org
            rate: 200
            secrets:
              account_sid: KS_TWILIO_ACCOUNT_SID
              auth_token: KS_TWILIO_AUTH_TOKEN
            options:
              api_url: http://127.0.0.1:1
          - id: ks-vonage
            type: vonage
            sender: "+38345000222"
            public_base_url: https://bridge.example.org
            rate: 200
            secrets:
              api_key: KS_VONAGE_API_KEY
              api_secret: KS_VONAGE_API_SECRET
              signature_secret: KS_VONAGE_SIGNATURE_SECRET
              signature_method: KS_VONAGE_SIGNATURE_METHOD
            options:
              api_url: http://127.0.0.1:1
          - id: ks-infobip
            type: infobip
            sender: "BridgeKS"
            public_base_url: https://bridge.example.org
            rate: 200
            secrets:
              api_key: KS_INFOBIP_API_KEY
              webhook_username: KS_INFOBIP_WEBHOOK_USER
              webhook_password: KS_INFOBIP_WEBHOOK_PASSWORD
            options:
              api_url: http://127.0.0.1:1
          - id: ks-kannel
            type: kannel
            sender: "1818"
            public_base_url: https://bridge.example.org
            rate: 200
            secrets:
              username: KS_KANNEL_USERNAME
              password: KS_KANNEL_PASSWORD
              path_token: KS_KANNEL_PATH_TOKEN
            options:
              api_url: http://127.0.0.1:1
          - id: ks-generic
            type: generic
            sender: "1818"
            public_base_url: https://bridge.example.org
            rate: 200
            secrets:
              signature_secret: KS_GENERIC_SECRET
            options:
              api_url: http://127.0.0.1:1/aggregator/send
          - id: ks-slow
            type: generic
            sender: "1919"
            public_base_url: https://bridge.example.org
            rate: 5
            secrets:
              signature_secret: KS_GENERIC_SECRET
            options:
              api_url: http://127.0.0.1:1/aggregator/send
        """

    /// Gateways of Casablanca: Africa's Talking (SMS and USSD) and a Kannel bind for Arabic UCS-2.
    static let casablancaGateways = """

          - id: ma-at
            type: africastalking
            sender: "20414"
            public_base_url: https://bridge.example.org
            rate: 200
            secrets:
              username: MA_AT_USERNAME
              api_key: MA_AT_API_KEY
              path_token: MA_AT_PATH_TOKEN
            options:
              api_url: http://127.0.0.1:1
          - id: ma-kannel
            type: kannel
            sender: "2020"
            public_base_url: https://bridge.example.org
            rate: 200
            secrets:
              username: MA_KANNEL_USERNAME
              password: MA_KANNEL_PASSWORD
              path_token: MA_KANNEL_PATH_TOKEN
            options:
              api_url: http://127.0.0.1:1
        """

    /// The environment the bridge resolves the secrets from (passed to `BridgeApplication`, never the process's).
    static let environment: [String: String] = [
        "KS_TWILIO_ACCOUNT_SID": Secrets.twilioAccountSID,
        "KS_TWILIO_AUTH_TOKEN": Secrets.twilioAuthToken,
        "KS_VONAGE_API_KEY": Secrets.vonageAPIKey,
        "KS_VONAGE_API_SECRET": Secrets.vonageAPISecret,
        "KS_VONAGE_SIGNATURE_SECRET": Secrets.vonageSignatureSecret,
        "KS_VONAGE_SIGNATURE_METHOD": "sha256",
        "KS_INFOBIP_API_KEY": Secrets.infobipAPIKey,
        "KS_INFOBIP_WEBHOOK_USER": Secrets.infobipWebhookUser,
        "KS_INFOBIP_WEBHOOK_PASSWORD": Secrets.infobipWebhookPassword,
        "KS_KANNEL_USERNAME": Secrets.kannelUsername,
        "KS_KANNEL_PASSWORD": Secrets.kannelPassword,
        "KS_KANNEL_PATH_TOKEN": Secrets.kannelPathToken,
        "KS_GENERIC_SECRET": Secrets.genericSecret,
        "MA_AT_USERNAME": Secrets.atUsername,
        "MA_AT_API_KEY": Secrets.atAPIKey,
        "MA_AT_PATH_TOKEN": Secrets.atPathToken,
        "MA_KANNEL_USERNAME": Secrets.kannelUsername,
        "MA_KANNEL_PASSWORD": Secrets.kannelPassword,
        "MA_KANNEL_PATH_TOKEN": Secrets.maKannelPathToken,
    ]

    /// Loaded once from the edited copy; `fatalError` names every diagnostic if the edit broke the files.
    static let base: BridgeConfiguration = {
        do {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smsbridge-server-tests-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for folder in ["Config", "Dialogs"] {
                try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent(folder), to: directory.appendingPathComponent(folder))
            }
            try append(prishtinaGateways, to: directory.appendingPathComponent("Config/deployments/prishtina.yaml"))
            try append(casablancaGateways, to: directory.appendingPathComponent("Config/deployments/casablanca.yaml"))
            return try ConfigurationLoader.loadValidated(directory.appendingPathComponent("Config/smsbridge.yaml").path)
        } catch {
            fatalError("the edited configuration must load and validate:\n\(error)")
        }
    }()

    /// Appends gateway items under the file's existing `gateways:` list (it is the last key of the shipped files).
    private static func append(_ items: String, to file: URL) throws {
        var text = try String(contentsOf: file, encoding: .utf8)
        guard text.contains("\ngateways:\n") else { throw HarnessError("no 'gateways:' list in \(file.lastPathComponent)") }
        if !text.hasSuffix("\n") { text += "\n" }
        text += items.drop { $0 == "\n" } + "\n"
        try text.write(to: file, atomically: true, encoding: .utf8)
    }

    /// The configuration with every gateway's `api_url` on the double's port.
    static func configuration(doublePort: Int, edit: (inout GatewayDefinition) -> Void = { _ in }) -> BridgeConfiguration {
        var configuration = base
        for index in configuration.deployments.indices {
            for gatewayIndex in configuration.deployments[index].gateways.indices {
                var gateway = configuration.deployments[index].gateways[gatewayIndex]
                if let url = gateway.options["api_url"], url.hasPrefix(placeholderAPI) {
                    gateway.options["api_url"] = "http://127.0.0.1:\(doublePort)" + url.dropFirst(placeholderAPI.count)
                }
                edit(&gateway)
                configuration.deployments[index].gateways[gatewayIndex] = gateway
            }
        }
        return configuration
    }
}

/// The credentials the bridge is configured with and the double checks, as the providers would.
enum Secrets {
    static let twilioAccountSID = "ACtestaccountsid0000000000000000"
    static let twilioAuthToken = "twilio-auth-token-1f2e3d"
    static let vonageAPIKey = "a1b2c3d4"
    static let vonageAPISecret = "vonage-api-secret-9z8y"
    static let vonageSignatureSecret = "vonage-signature-secret-7x6w"
    static let infobipAPIKey = "infobip-api-key-5v4u"
    static let infobipWebhookUser = "infobip-hooks"
    static let infobipWebhookPassword = "infobip-hook-password-3t2s"
    static let kannelUsername = "bridge"
    static let kannelPassword = "kannel-password-1r0q"
    static let kannelPathToken = "kannel-path-token-ks"
    static let maKannelPathToken = "kannel-path-token-ma"
    static let genericSecret = "generic-shared-secret-8p7o"
    static let atUsername = "smsbridge-ma"
    static let atAPIKey = "at-api-key-6n5m"
    static let atPathToken = "at-path-token-4l3k"
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
