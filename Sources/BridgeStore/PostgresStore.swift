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
/// Writes keep SQLite's model, one writer at a time, across every instance on the schema: each `write` is a READ
/// COMMITTED transaction that first takes the schema's transaction-level advisory lock. Every statement of the body then
/// sees every write committed before it, and no two bodies interleave. That is what the bodies were written for (read a
/// session, step the engine, write it back), without serialisation failures. The first version ran the bodies
/// concurrently in SERIALIZABLE transactions: on a young database (small tables scanned whole) about half the
/// transactions failed and were retried, and retries gave 503s under load. What scales with instances is everything
/// outside the write: HTTP, signature checks, provider and FixMyStreet calls, and the reads.
///
/// Bodies are synchronous, so each runs on a thread of the store's own pool and waits there for each statement. The
/// event loops and the cooperative pool are never blocked.
public final class PostgresStore: Store {
    public let settings: PostgresSettings
    let client: PostgresClient
    let clientTask: Task<Void, Never>
    let threads: NIOThreadPool
    let logger: Logger
    let closed = Mutex(false)
    /// The advisory lock every write takes: one per database and schema, the same number in every instance.
    let writeLock: Int
    /// How often a write is run again after a serialisation failure before its error is returned.
    static let maximumAttempts = 12

    /// Connects, creates the schema if the URL names one, and migrates (one instance at a time: the others wait on an
    /// advisory lock, then find nothing left to do).
    public init(url: String, logger: Logger = Logger(label: "smsbridge.store.postgres")) async throws {
        let settings = try PostgresSettings(url: url)
        self.settings = settings
        self.logger = logger
        writeLock = Self.lockKey("\(settings.database).\(settings.schema ?? "public").smsbridge.write")
        var unchecked = TLSConfiguration.makeClientConfiguration()
        unchecked.certificateVerification = .none
        var noHostName = TLSConfiguration.makeClientConfiguration()
        noHostName.certificateVerification = .noHostnameVerification
        let tls: PostgresClient.Configuration.TLS = switch settings.tls {
        case .disable: .disable
        case .prefer: .prefer(unchecked)
        case .require: .require(unchecked)
        case .verifyCA: .require(noHostName)
        case .verifyFull: .require(.makeClientConfiguration())
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
                return try await transaction("BEGIN ISOLATION LEVEL READ COMMITTED", lock: writeLock, body)
            } catch let error as PSQLError where Self.isRetryable(error) && attempt < Self.maximumAttempts {
                // A deadlock with something outside the bridge (an operator's session holding rows): the transaction did
                // nothing; run the body again.
                attempt += 1
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
            }
        }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        try await transaction("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", lock: nil, body)
    }

    /// A stable 64-bit key for an advisory lock (FNV-1a): every instance computes the same one for the same name.
    static func lockKey(_ name: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Int(Int64(bitPattern: hash))
    }

    /// An error for a log line: PostgreSQL's code and message, never its detail (which quotes row values, phone
    /// numbers among them) nor the statement's values.
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let info = error.serverInfo {
            return "PostgreSQL \(info[.sqlState] ?? "?"): \(info[.message] ?? "")"
        }
        return "PostgreSQL \(error.code)"
    }

    /// Serialisation failures and deadlocks: the transaction did nothing and may simply run again.
    static func isRetryable(_ error: PSQLError) -> Bool {
        guard let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01"
    }

    func transaction<T: Sendable>(_ begin: String, lock: Int?, _ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        // A database that went away fails the request (the webhook answers 503 and the gateway retries) instead of
        // holding it until the gateway gives up.
        try await Self.within(.seconds(10), otherwise: PostgresStoreError.unreachable(settings.description, "no connection within 10 s")) {
            try await self.rawTransaction(begin) { statements in
                if let lock { try statements.execute("SELECT pg_advisory_xact_lock(?)", [.int(lock)]) }
                return try body(PostgresTransaction(sql: statements))
            }
        }
    }

    /// Runs `work`, giving up with `error` if it is still waiting for a connection after `limit`.
    ///
    /// A body already running on a store thread cannot be interrupted. Its outcome stands even past the deadline: a
    /// transaction that committed is reported as committed, never as failed (the caller would otherwise, say, answer a
    /// gateway 503 for a stored message, or leave a claim it does not know it holds).
    static func within<T: Sendable>(_ limit: Duration, otherwise error: PostgresStoreError,
                                    _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Result<T, any Error>?.self) { group in
            group.addTask {
                do { return .success(try await work()) } catch { return .failure(error) }
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            var timedOut = false
            while let next = try await group.next() {
                guard let result = next else {
                    // The deadline: stop waiting for a connection (cancelled), but wait for a body that already runs.
                    timedOut = true
                    group.cancelAll()
                    continue
                }
                group.cancelAll()
                switch result {
                case .success(let value): return value
                case .failure(let failure): throw timedOut ? error : failure
                }
            }
            throw error
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
