import ArgumentParser
import BridgeCore
import Foundation

/// The `smsbridge` command line: one binary for operators (validate, simulate) and for production (serve).
@main
struct SMSBridge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smsbridge",
        abstract: "SMS and USSD reporting channel for FixMyStreet.",
        subcommands: [Validate.self, Simulate.self, Serve.self, Purge.self, StoreCommand.self]
    )
}

/// Options every command that reads the operator files shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "The bridge configuration file.")
    var config: String = "Config/smsbridge.yaml"

    /// The validated configuration, or every problem with file and line on stderr and exit status 1.
    func loadOrExit() throws -> BridgeConfiguration {
        do {
            return try ConfigurationLoader.loadValidated(config)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
    }
}
