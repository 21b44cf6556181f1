import ArgumentParser
import AsyncHTTPClient
import BridgeCore
import BridgeServer
import BridgeStore
import Foundation
import Hummingbird
import Logging

extension SMSBridge {
    /// The production server: webhooks in, durable store, outbox out.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the gateway webhooks; with the shipped Config/ a local demo on SQLite with console gateways.")

        @OptionGroup var options: ConfigOptions

        @Option(name: .long, help: "Port to listen on (default: server.port in the configuration, else 8080).")
        var port: Int?

        @Option(name: .long, help: "Address to listen on (default: server.host, else 127.0.0.1).")
        var hostname: String?

        func run() async throws {
            var logger = Logger(label: "smsbridge")
            logger.logLevel = .info
            let configuration: BridgeConfiguration
            var application: BridgeApplication
            let environment = ProcessInfo.processInfo.environment
            do {
                configuration = try ConfigurationLoader.loadValidated(options.config)
                let store = try await StoreOpener.open(configuration, environment: environment, logger: logger)
                application = try BridgeApplication(configuration: configuration, store: store, environment: environment, logger: logger)
            } catch let error as ConfigurationError {
                FileHandle.standardError.write(Data((error.description + "\n").utf8))
                throw ExitCode(1)
            } catch let error as PostgresStoreError {
                FileHandle.standardError.write(Data(("error: \(error)\n").utf8))
                throw ExitCode(1)
            }
            let host = hostname ?? configuration.server.host
            let port = port ?? configuration.server.port
            application.instance = .configured(configuration.server.instance, lease: configuration.server.lease, port: port)
            // Whatever a process of this name had claimed when it stopped (a crash, kill -9) is due again now, not when
            // its leases run out.
            let owner = application.instance.name
            let released = try await application.store.write { try $0.releaseClaims(owner: owner, now: Date()) }
            logger.info("store ready", metadata: [
                "store": "\(configuration.server.store.rawValue)", "instance": "\(owner)", "claims_released": "\(released)",
            ])
            for gateway in configuration.gateways {
                logger.info("gateway ready", metadata: [
                    "id": "\(gateway.id)", "type": "\(gateway.type)", "deployment": "\(gateway.deployment)",
                    "sms": "http://\(host):\(port)/gateways/\(gateway.id)/sms",
                ])
            }
            let policy = RetryPolicy(initialDelay: configuration.server.retryInitialDelay, maximumAttempts: configuration.server.retryMaximumAttempts)
            try await application.application(host: host, port: port, httpClient: HTTPClient.shared, policy: policy).runService()
        }
    }
}
