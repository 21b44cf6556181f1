import BridgeCore
import Foundation
import GRDB

/// The default store: one SQLite file in WAL mode, through GRDB's pool (one writer, concurrent readers).
public final class SQLiteStore: Store {
    let pool: DatabasePool
    /// Writes that arrive while a commit is in progress share the next transaction (see ``GroupCommit``).
    let groupCommit: GroupCommit
    public let path: String

    /// Opens (creating folders and the file if needed) and migrates the database at `path`.
    public init(path: String) throws {
        self.path = path
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        groupCommit = GroupCommit(pool: pool)
        try Self.migrator.migrate(pool)
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
        migrator.registerMigration("v1: inbound, sessions, outbox, reports, opt-outs, gateway state") { db in
            try db.execute(sql: """
                CREATE TABLE inbound_message (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    gateway TEXT NOT NULL,
                    provider_id TEXT NOT NULL,
                    phone TEXT NOT NULL,
                    deployment TEXT NOT NULL,
                    text TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    received_at DOUBLE NOT NULL,
                    answer_status INTEGER,
                    answer_type TEXT,
                    answer_body TEXT,
                    UNIQUE (gateway, provider_id)
                );
                CREATE TABLE session (
                    deployment TEXT NOT NULL,
                    phone TEXT NOT NULL,
                    data BLOB NOT NULL,
                    updated_at DOUBLE NOT NULL,
                    PRIMARY KEY (deployment, phone)
                );
                CREATE TABLE outbox (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    gateway TEXT NOT NULL,
                    deployment TEXT NOT NULL,
                    phone TEXT NOT NULL,
                    text TEXT NOT NULL,
                    status TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at DOUBLE NOT NULL,
                    provider_message_id TEXT,
                    last_error TEXT,
                    bypass_opt_out INTEGER NOT NULL DEFAULT 0,
                    created_at DOUBLE NOT NULL,
                    updated_at DOUBLE NOT NULL
                );
                CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
                CREATE INDEX outbox_provider ON outbox (gateway, provider_message_id);
                CREATE TABLE report (
                    reference TEXT PRIMARY KEY,
                    deployment TEXT NOT NULL,
                    phone TEXT NOT NULL,
                    gateway TEXT NOT NULL,
                    submission BLOB NOT NULL,
                    status TEXT NOT NULL,
                    created_at DOUBLE NOT NULL,
                    updated_at DOUBLE NOT NULL
                );
                CREATE TABLE opt_out (
                    deployment TEXT NOT NULL,
                    phone TEXT NOT NULL,
                    opted_out INTEGER NOT NULL,
                    changed_at DOUBLE NOT NULL,
                    raw TEXT NOT NULL,
                    PRIMARY KEY (deployment, phone)
                );
                CREATE TABLE ussd_session (
                    gateway TEXT NOT NULL,
                    session_id TEXT NOT NULL,
                    text TEXT NOT NULL,
                    updated_at DOUBLE NOT NULL,
                    PRIMARY KEY (gateway, session_id)
                );
                CREATE TABLE concat_part (
                    gateway TEXT NOT NULL,
                    phone TEXT NOT NULL,
                    reference TEXT NOT NULL,
                    total INTEGER NOT NULL,
                    part INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    received_at DOUBLE NOT NULL,
                    PRIMARY KEY (gateway, phone, reference, part)
                );
                """)
        }
        migrator.registerMigration("v2: parts of multipart messages") { db in
            try db.execute(sql: """
                CREATE TABLE outbox_part (
                    outbox_id TEXT NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
                    provider_message_id TEXT NOT NULL,
                    status TEXT NOT NULL,
                    PRIMARY KEY (outbox_id, provider_message_id)
                );
                CREATE INDEX outbox_part_provider ON outbox_part (provider_message_id);
                """)
        }
        migrator.registerMigration("v3: reports keyed by deployment, platform tracking, submissions on their way") { db in
            try db.execute(sql: """
                CREATE TABLE report_v3 (
                    reference TEXT NOT NULL,
                    deployment TEXT NOT NULL,
                    phone TEXT NOT NULL,
                    gateway TEXT NOT NULL,
                    submission BLOB NOT NULL,
                    status TEXT NOT NULL,
                    created_at DOUBLE NOT NULL,
                    updated_at DOUBLE NOT NULL,
                    platform TEXT NOT NULL DEFAULT 'local',
                    platform_updated TEXT,
                    platform_state TEXT,
                    PRIMARY KEY (deployment, reference)
                );
                INSERT INTO report_v3 (reference, deployment, phone, gateway, submission, status, created_at, updated_at)
                    SELECT reference, deployment, phone, gateway, submission, status, created_at, updated_at FROM report;
                DROP TABLE report;
                ALTER TABLE report_v3 RENAME TO report;
                CREATE INDEX report_reference ON report (reference);
                CREATE TABLE submission (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    deployment TEXT NOT NULL,
                    phone TEXT NOT NULL,
                    gateway TEXT NOT NULL,
                    submission BLOB NOT NULL,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at DOUBLE NOT NULL,
                    posted_at DOUBLE,
                    pending_notice_sent INTEGER NOT NULL DEFAULT 0,
                    platform_id TEXT,
                    last_error TEXT,
                    created_at DOUBLE NOT NULL,
                    updated_at DOUBLE NOT NULL
                );
                CREATE INDEX submission_due ON submission (state, next_attempt_at);
                """)
        }
        migrator.registerMigration("v4: follow-up questions, Open311 tokens, status refreshes") { db in
            try db.execute(sql: """
                ALTER TABLE submission ADD COLUMN place_asked INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE submission ADD COLUMN platform_token TEXT;
                ALTER TABLE report ADD COLUMN checked_at DOUBLE;
                CREATE TABLE status_request (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    deployment TEXT NOT NULL,
                    reference TEXT NOT NULL,
                    phone TEXT NOT NULL,
                    gateway TEXT NOT NULL,
                    language TEXT NOT NULL,
                    answers INTEGER NOT NULL,
                    created_at DOUBLE NOT NULL
                );
                """)
        }
        migrator.registerMigration("v5: the outbox queue in sending order") { db in
            // dueOutbox walks queued messages in sequence order and stops at its limit instead of sorting every queued row
            // on each pass: with 20,000 replies queued (an inbound burst, a slow provider) that sort cost the sender 20-80 ms
            // per message sent. The queries name their indexes (INDEXED BY): with this one present SQLite would otherwise
            // pick it for the NOT EXISTS probe, which is quadratic.
            try db.execute(sql: "CREATE INDEX outbox_queue ON outbox (status, sequence)")
        }
        migrator.registerMigration("v6: duplicate hints") { db in
            try db.execute(sql: "ALTER TABLE submission ADD COLUMN duplicate_asked INTEGER NOT NULL DEFAULT 0")
        }
        return migrator
    }
}
