import ArgumentParser
import BridgeCore
import BridgeServer
import BridgeStore
import Foundation
import Logging

extension SMSBridge {
    /// The retention purge by hand (or from cron when `serve` does not run it): blanks message texts and deletes
    /// sessions older than the given number of days; reports, their references and statuses, and opt-outs stay.
    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete message texts and sessions older than the retention period; keep reports and their statuses.",
            discussion: """
                Uses the store the configuration names (server.store; for SQLite server.database, or --database). Without --older-than, \
                server.retention_days is used. Safe to run while `serve` runs: it is one short transaction.
                """)

        @OptionGroup var options: ConfigOptions

        @Option(name: .customLong("older-than"), help: "Days to keep (default: server.retention_days).")
        var olderThan: Int?

        @Option(name: .long, help: "The SQLite file (default: server.database in the configuration).")
        var database: String?

        func validate() throws {
            if let olderThan, olderThan < 1 {
                throw ValidationError("--older-than must be at least 1 day (\(olderThan) would delete today's conversations)")
            }
        }

        func run() async throws {
            let configuration = try options.loadOrExit()
            guard let days = olderThan ?? configuration.server.retentionDays else {
                FileHandle.standardError.write(Data("\(configuration.file): set server.retention_days, or pass --older-than DAYS\n".utf8))
                throw ExitCode(1)
            }
            let store: any Store
            if configuration.server.store == .sqlite || database != nil {
                let path = database ?? configuration.server.database
                guard FileManager.default.fileExists(atPath: path) else {
                    FileHandle.standardError.write(Data("no database at \(path): check server.database or --database\n".utf8))
                    throw ExitCode(1)
                }
                store = try SQLiteStore(path: path)
            } else {
                do {
                    store = try await StoreOpener.open(configuration, environment: ProcessInfo.processInfo.environment, logger: Logger(label: "smsbridge"))
                } catch {
                    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                    throw ExitCode(1)
                }
            }
            let cutoff = RetentionPurger.cutoff(days: days, now: Date())
            let counts = try await store.write { try $0.purge(before: cutoff) }
            print("purged older than \(days) days (before \(ISO8601DateFormatter().string(from: cutoff))): \(counts)")
        }
    }
}
