import BridgeCore
import BridgeStore
import Foundation
import Logging

/// Opens the store the configuration names: the SQLite file, or the PostgreSQL whose URL is in the environment.
enum StoreOpener {
    static func open(_ configuration: BridgeConfiguration, environment: [String: String], logger: Logger) async throws -> any Store {
        switch configuration.server.store {
        case .sqlite:
            return try SQLiteStore(path: configuration.server.database)
        case .postgres:
            let variable = configuration.server.postgresURLVariable
            guard let url = environment[variable], !url.isEmpty else {
                throw ConfigurationError([Diagnostic(
                    file: configuration.file, line: 1,
                    message: "server.store is postgres, but \(variable) is not set: export \(variable)=postgres://user:password@host:5432/database")])
            }
            return try await PostgresStore(url: url, logger: logger)
        }
    }
}
