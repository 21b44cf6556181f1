import BridgeCore
import Foundation
import GRDB

/// The default store: one SQLite file in WAL mode, through GRDB's pool (one writer, concurrent readers).
public final class SQLiteStore: Store {
    let pool: DatabasePool
    /// Writes that arrive while a commit is in progress share the next transaction (see ``GroupCommit``).
    let groupCommit: GroupCommit
    /// Checkpoints the log beside the writer (see ``WALCheckpointer``).
    let checkpointer: WALCheckpointer
    public let path: String

    /// Opens (creating folders and the file if needed) and migrates the database at `path`.
    public init(path: String) throws {
        self.path = path
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = Self.busyRetries(for: .seconds(10))
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            // Each write of a group commit runs in a savepoint, whose statement journal keeps the original of every page
            // the write changes. Past 64 kB SQLite spills that journal to a temporary file: a file created and unlinked
            // per batch, and two system calls per page, on the writer's queue. In memory it is a copy.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(WALCheckpointer.writerThresholdPages)")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        groupCommit = GroupCommit(pool: pool)
        try Self.migrator.migrate(pool)
        checkpointer = try WALCheckpointer(path: path)
    }


    /// Busy handling: try again every quarter of a millisecond for about `budget`. SQLite's own timeout sleeps 1, 2, 5,
    /// 10, 15... ms between tries, so a writer held up by a checkpoint went on waiting up to 10 ms after it ended.
    static func busyRetries(for budget: Duration) -> Database.BusyMode {
        let tries = Int(budget / .microseconds(250))
        return .callback { tried in
            usleep(250)
            return tried < tries
        }
    }

    /// Syncs the database file as the checkpointer does before a restart, for tests: false when SQLite gave no handle.
    func syncDatabaseFile() async throws -> Bool {
        try await pool.writeWithoutTransaction { db in try WALCheckpointer.syncDatabaseFile(db) }
    }

    /// A pragma's value on the writer's connection and on a reader's, for tests.
    func pragma(_ name: String) async throws -> (writer: String?, reader: String?) {
        let writer = try await pool.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
        let reader = try await pool.read { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
        return (writer, reader)
    }

    /// The pool connections' `wal_autocheckpoint` (see ``WALCheckpointer``), for tests.
    public func autoCheckpointPages() async throws -> Int {
        try await pragma("wal_autocheckpoint").reader.flatMap { Int($0) } ?? -1
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        try await groupCommit.write { db in try body(SQLiteTransaction(db: db)) }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        try await pool.read { db in try body(SQLiteTransaction(db: db)) }
    }

    /// The journal mode SQLite reports, for tests that must see WAL.
    public func journalMode() async throws -> String {
        try await pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in StoreSchema.migrations {
            let statements = migration.statements(for: .sqlite)
            migrator.registerMigration(migration.name) { db in
                for statement in statements { try db.execute(sql: statement) }
            }
        }
        return migrator
    }
}
