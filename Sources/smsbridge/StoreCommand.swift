import ArgumentParser
import BridgeCore
import BridgeStore
import Foundation

extension SMSBridge {
    /// Store administration: moving a deployment from SQLite to PostgreSQL when one machine is no longer enough.
    struct StoreCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "store", abstract: "Store administration.", subcommands: [Copy.self])
    }
}

extension SMSBridge.StoreCommand {
    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy every table of a SQLite store into an empty PostgreSQL store, in one transaction.",
            discussion: """
                Stop `serve` first: what it writes after the copy started would stay behind (the copy checks the counts \
                and fails rather than leave rows out). The URL comes from the environment variable server.postgres_url_env \
                names (default SMSBRIDGE_POSTGRES_URL), never from the command line, where other users could read it. \
                The destination must be empty; a failed copy leaves it empty. Then set server.store: postgres and start \
                the instances.
                """)

        @OptionGroup var options: ConfigOptions

        @Option(name: .long, help: "The source: sqlite:FILE (default: sqlite:<server.database>).")
        var from: String?

        @Option(name: .long, help: "The destination: postgres (the URL is read from the environment).")
        var to: String = "postgres"

        func validate() throws {
            if let from, !from.hasPrefix("sqlite:") || from.count == "sqlite:".count {
                throw ValidationError("--from must be sqlite:FILE, such as sqlite:data/smsbridge.sqlite")
            }
            guard to == "postgres" else {
                throw ValidationError("--to must be postgres; put the URL in the environment variable server.postgres_url_env names")
            }
        }

        func run() async throws {
            let configuration = try options.loadOrExit()
            let path = from.map { String($0.dropFirst("sqlite:".count)) } ?? configuration.server.database
            guard FileManager.default.fileExists(atPath: path) else {
                FileHandle.standardError.write(Data("no SQLite store at \(path): check --from or server.database\n".utf8))
                throw ExitCode(1)
            }
            let variable = configuration.server.postgresURLVariable
            guard let url = ProcessInfo.processInfo.environment[variable], !url.isEmpty else {
                FileHandle.standardError.write(Data("\(variable) is not set: export \(variable)=postgres://user:password@host:5432/database\n".utf8))
                throw ExitCode(1)
            }
            do {
                let source = try SQLiteStore(path: path)
                let destination = try await PostgresStore(url: url)
                let started = Date()
                let counts = try await StoreCopier.copy(from: source, to: destination)
                await destination.close()
                for count in counts where count.rows > 0 { print("\(count.table): \(count.rows)") }
                print(String(format: "copied %d rows from %@ to %@ in %.1f s", counts.reduce(0) { $0 + $1.rows }, path,
                             destination.settings.description, Date().timeIntervalSince(started)))
            } catch let error as PostgresStoreError {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
