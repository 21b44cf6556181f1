import BridgeCore
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

/// The shared store for several bridge instances: PostgreSQL through postgres-nio, under the same ``Store`` contract as
/// SQLite.
///
/// Every `write` is one SERIALIZABLE transaction, retried when PostgreSQL reports a serialisation failure or deadlock:
/// the bodies see the same one-writer-at-a-time world they see in SQLite, while instances writing for different
/// residents still run side by side. Bodies are synchronous, so each runs on a thread of the store's own pool and
/// waits there for each statement; the event loops and the cooperative pool are never blocked.
public final class PostgresStore: Store {
    public let settings: PostgresSettings
    let client: PostgresClient
    let clientTask: Task<Void, Never>
    let threads: NIOThreadPool
    let logger: Logger
    let closed = Mutex(false)
    /// How often a write is run again after a serialisation failure before its error is returned.
    static let maximumAttempts = 12

    /// Connects, creates the schema if the URL names one, and migrates (one instance at a time: the others wait on an
    /// advisory lock, then find nothing left to do).
    public init(url: String, logger: Logger = Logger(label: "smsbridge.store.postgres")) async throws {
        let settings = try PostgresSettings(url: url)
        self.settings = settings
        self.logger = logger
        let tls: PostgresClient.Configuration.TLS = switch settings.tls {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password,
            database: settings.database, tls: tls)
        configuration.options.maximumConnections = settings.poolSize
        configuration.options.connectTimeout = .seconds(5)
        if let schema = settings.schema { configuration.options.additionalStartupParameters = [("search_path", schema)] }
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        clientTask = Task { await client.run() }
        threads = NIOThreadPool(numberOfThreads: settings.poolSize)
        threads.start()
        do {
            // postgres-nio keeps trying to connect while a caller waits for a connection: bounded here, so a wrong URL
            // or a database that is down fails the start with a message instead of hanging it.
            try await Self.within(.seconds(20), otherwise: PostgresStoreError.unreachable(settings.description, "no connection within 20 s")) {
                try await self.migrate()
            }
        } catch {
            await close()
            throw error
        }
    }

    /// Closes the connections and stops the store's threads.
    public func close() async {
        clientTask.cancel()
        _ = await clientTask.value
        if closed.withLock({ closed in defer { closed = true }; return !closed }) { try? await threads.shutdownGracefully() }
    }

    deinit {
        clientTask.cancel()
        if closed.withLock({ closed in defer { closed = true }; return !closed }) { threads.shutdownGracefully { _ in } }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await transaction("BEGIN ISOLATION LEVEL SERIALIZABLE", body)
            } catch let error as PSQLError where Self.isRetryable(error) && attempt < Self.maximumAttempts {
                // Another instance (or request) wrote what this transaction read: run the body again on fresh data.
                attempt += 1
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
            }
        }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        try await transaction("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", body)
    }

    /// Serialisation failures and deadlocks: the transaction did nothing and may simply run again.
    static func isRetryable(_ error: PSQLError) -> Bool {
        guard let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01"
    }

    func transaction<T: Sendable>(_ begin: String, _ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        // A database that went away fails the request (the webhook answers 503 and the gateway retries) instead of
        // holding it until the gateway gives up.
        try await Self.within(.seconds(10), otherwise: PostgresStoreError.unreachable(settings.description, "no connection within 10 s")) {
            try await self.rawTransaction(begin) { statements in try body(PostgresTransaction(sql: statements)) }
        }
    }

    /// Runs `work`, or throws `error` when it has not finished after `limit`. Work already running on a store thread
    /// is waited for (it cannot be interrupted); waiting for a connection is cancelled.
    static func within<T: Sendable>(_ limit: Duration, otherwise error: PostgresStoreError,
                                    _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw error }
            return value
        }
    }

    /// Runs `body` on raw statements on one connection between `begin` and COMMIT (ROLLBACK if it throws), on a thread of
    /// the store's pool.
    func rawTransaction<T: Sendable>(_ begin: String = "BEGIN ISOLATION LEVEL SERIALIZABLE",
                                     _ body: @escaping @Sendable (PostgresStatements) throws -> T) async throws -> T {
        let logger = self.logger
        let threads = self.threads
        return try await client.withConnection { connection in
            try await threads.runIfActive {
                let statements = PostgresStatements(connection: connection, logger: logger)
                try statements.execute(begin)
                do {
                    let value = try body(statements)
                    try statements.execute("COMMIT")
                    return value
                } catch {
                    _ = try? statements.execute("ROLLBACK")
                    throw error
                }
            }
        }
    }

    /// Applies the migrations this database has not seen, in order, each in its own transaction.
    func migrate() async throws {
        let logger = self.logger
        let threads = self.threads
        let settings = self.settings
        do {
            try await client.withConnection { connection in
                try await threads.runIfActive {
                    let sql = PostgresStatements(connection: connection, logger: logger)
                    if let schema = settings.schema { try sql.execute("CREATE SCHEMA IF NOT EXISTS \(schema)") }
                    // Session-level lock: a second instance starting at the same moment waits here, then finds nothing to do.
                    try sql.execute("SELECT pg_advisory_lock(hashtext(current_schema() || '.smsbridge.migrate'))")
                    defer { _ = try? sql.execute("SELECT pg_advisory_unlock(hashtext(current_schema() || '.smsbridge.migrate'))") }
                    try sql.execute("CREATE TABLE IF NOT EXISTS schema_migration (name TEXT PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)")
                    let applied = Set(try sql.rows("SELECT name FROM schema_migration").map { try $0.string("name") })
                    for migration in StoreSchema.migrations where !applied.contains(migration.name) {
                        do {
                            try sql.execute("BEGIN")
                            for statement in migration.statements(for: .postgres) { try sql.execute(statement) }
                            try sql.execute("INSERT INTO schema_migration (name, applied_at) VALUES (?, ?)",
                                            [.text(migration.name), .time(Date())])
                            try sql.execute("COMMIT")
                        } catch {
                            _ = try? sql.execute("ROLLBACK")
                            throw PostgresStoreError.migrationFailed(migration.name, String(reflecting: error))
                        }
                    }
                }
            }
        } catch let error as PostgresStoreError {
            throw error
        } catch {
            throw PostgresStoreError.unreachable(settings.description, String(reflecting: error))
        }
    }
}
