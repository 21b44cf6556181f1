import Foundation

/// The tables of the bridge, described once for both engines: each migration's SQL is written with four type
/// placeholders that each dialect renders (`{id}` an auto-numbered primary key, `{int}` a 64-bit integer, `{real}` a
/// double, `{blob}` bytes). Booleans are `{int}` 0/1 in both, and times are seconds since 1970 as `{real}`, so a row
/// reads the same from either engine and `smsbridge store copy` moves it unchanged.
///
/// The names are the migrations' identities: SQLite files record them (GRDB's migrator) and PostgreSQL records them in
/// `schema_migration`; a migration once released is never edited, only followed by another.
public enum StoreSchema {
    public enum Dialect: Sendable {
        case sqlite, postgres
    }

    public struct Migration: Sendable {
        public let name: String
        let template: String

        init(_ name: String, _ template: String) {
            self.name = name
            self.template = template
        }

        /// The migration's statements in `dialect`, one per element (PostgreSQL's extended protocol runs one at a time).
        public func statements(for dialect: Dialect) -> [String] {
            let rendered: String = switch dialect {
            case .sqlite:
                template.replacingOccurrences(of: "{reference_number}", with: StoreSchema.referenceNumber(.sqlite))
                    .replacingOccurrences(of: "{id}", with: "INTEGER PRIMARY KEY AUTOINCREMENT")
                    .replacingOccurrences(of: "{int}", with: "INTEGER").replacingOccurrences(of: "{real}", with: "DOUBLE")
                    .replacingOccurrences(of: "{blob}", with: "BLOB")
            case .postgres:
                template.replacingOccurrences(of: "{reference_number}", with: StoreSchema.referenceNumber(.postgres))
                    .replacingOccurrences(of: "{id}", with: "BIGSERIAL PRIMARY KEY")
                    .replacingOccurrences(of: "{int}", with: "BIGINT").replacingOccurrences(of: "{real}", with: "DOUBLE PRECISION")
                    .replacingOccurrences(of: "{blob}", with: "BYTEA")
            }
            return rendered.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        }
    }

    /// A report's reference as a number, as the local platform counts them (`{reference_number}` in a template): the
    /// queries for the next number use exactly this expression, so the index of v8 serves them.
    static func referenceNumber(_ dialect: Dialect) -> String {
        switch dialect {
        case .sqlite: "CAST(reference AS INTEGER)"
        case .postgres: "(CASE WHEN reference ~ '^[0-9]{1,18}$' THEN CAST(reference AS BIGINT) ELSE 0 END)"
        }
    }

    /// The tables in the order a copy must fill them (a part after its message), with their auto-numbered column if any.
    public static let tables: [(name: String, serial: String?)] = [
        ("inbound_message", "id"), ("session", nil), ("outbox", "sequence"), ("outbox_part", nil), ("report", nil), ("opt_out", nil),
        ("ussd_session", nil), ("concat_part", nil), ("submission", "id"), ("status_request", "id"), ("worker_lease", nil),
    ]

    public static let migrations: [Migration] = [
        Migration("v1: inbound, sessions, outbox, reports, opt-outs, gateway state", """
            CREATE TABLE inbound_message (
                id {id},
                gateway TEXT NOT NULL,
                provider_id TEXT NOT NULL,
                phone TEXT NOT NULL,
                deployment TEXT NOT NULL,
                text TEXT NOT NULL,
                channel TEXT NOT NULL,
                received_at {real} NOT NULL,
                answer_status {int},
                answer_type TEXT,
                answer_body TEXT,
                UNIQUE (gateway, provider_id)
            );
            CREATE TABLE session (
                deployment TEXT NOT NULL,
                phone TEXT NOT NULL,
                data {blob} NOT NULL,
                updated_at {real} NOT NULL,
                PRIMARY KEY (deployment, phone)
            );
            CREATE TABLE outbox (
                sequence {id},
                id TEXT NOT NULL UNIQUE,
                gateway TEXT NOT NULL,
                deployment TEXT NOT NULL,
                phone TEXT NOT NULL,
                text TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts {int} NOT NULL DEFAULT 0,
                next_attempt_at {real} NOT NULL,
                provider_message_id TEXT,
                last_error TEXT,
                bypass_opt_out {int} NOT NULL DEFAULT 0,
                created_at {real} NOT NULL,
                updated_at {real} NOT NULL
            );
            CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
            CREATE INDEX outbox_provider ON outbox (gateway, provider_message_id);
            CREATE TABLE report (
                reference TEXT PRIMARY KEY,
                deployment TEXT NOT NULL,
                phone TEXT NOT NULL,
                gateway TEXT NOT NULL,
                submission {blob} NOT NULL,
                status TEXT NOT NULL,
                created_at {real} NOT NULL,
                updated_at {real} NOT NULL
            );
            CREATE TABLE opt_out (
                deployment TEXT NOT NULL,
                phone TEXT NOT NULL,
                opted_out {int} NOT NULL,
                changed_at {real} NOT NULL,
                raw TEXT NOT NULL,
                PRIMARY KEY (deployment, phone)
            );
            CREATE TABLE ussd_session (
                gateway TEXT NOT NULL,
                session_id TEXT NOT NULL,
                text TEXT NOT NULL,
                updated_at {real} NOT NULL,
                PRIMARY KEY (gateway, session_id)
            );
            CREATE TABLE concat_part (
                gateway TEXT NOT NULL,
                phone TEXT NOT NULL,
                reference TEXT NOT NULL,
                total {int} NOT NULL,
                part {int} NOT NULL,
                text TEXT NOT NULL,
                received_at {real} NOT NULL,
                PRIMARY KEY (gateway, phone, reference, part)
            );
            """),
        Migration("v2: parts of multipart messages", """
            CREATE TABLE outbox_part (
                outbox_id TEXT NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
                provider_message_id TEXT NOT NULL,
                status TEXT NOT NULL,
                PRIMARY KEY (outbox_id, provider_message_id)
            );
            CREATE INDEX outbox_part_provider ON outbox_part (provider_message_id);
            """),
        Migration("v3: reports keyed by deployment, platform tracking, submissions on their way", """
            CREATE TABLE report_v3 (
                reference TEXT NOT NULL,
                deployment TEXT NOT NULL,
                phone TEXT NOT NULL,
                gateway TEXT NOT NULL,
                submission {blob} NOT NULL,
                status TEXT NOT NULL,
                created_at {real} NOT NULL,
                updated_at {real} NOT NULL,
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
                id {id},
                deployment TEXT NOT NULL,
                phone TEXT NOT NULL,
                gateway TEXT NOT NULL,
                submission {blob} NOT NULL,
                state TEXT NOT NULL,
                attempts {int} NOT NULL DEFAULT 0,
                next_attempt_at {real} NOT NULL,
                posted_at {real},
                pending_notice_sent {int} NOT NULL DEFAULT 0,
                platform_id TEXT,
                last_error TEXT,
                created_at {real} NOT NULL,
                updated_at {real} NOT NULL
            );
            CREATE INDEX submission_due ON submission (state, next_attempt_at);
            """),
        Migration("v4: follow-up questions, Open311 tokens, status refreshes", """
            ALTER TABLE submission ADD COLUMN place_asked {int} NOT NULL DEFAULT 0;
            ALTER TABLE submission ADD COLUMN platform_token TEXT;
            ALTER TABLE report ADD COLUMN checked_at {real};
            CREATE TABLE status_request (
                id {id},
                deployment TEXT NOT NULL,
                reference TEXT NOT NULL,
                phone TEXT NOT NULL,
                gateway TEXT NOT NULL,
                language TEXT NOT NULL,
                answers {int} NOT NULL,
                created_at {real} NOT NULL
            );
            """),
        // dueOutbox walks queued messages in sequence order and stops at its limit instead of sorting every queued row
        // on each pass: with 20,000 replies queued (an inbound burst, a slow provider) that sort cost the sender 20-80 ms
        // per message sent. The queries name their indexes (INDEXED BY): with this one present SQLite would otherwise
        // pick it for the NOT EXISTS probe, which is quadratic.
        Migration("v5: the outbox queue in sending order", """
            CREATE INDEX outbox_queue ON outbox (status, sequence)
            """),
        Migration("v6: duplicate hints", """
            ALTER TABLE submission ADD COLUMN duplicate_asked {int} NOT NULL DEFAULT 0
            """),
        // Several instances on one PostgreSQL (issue 8): an outbox message or a submission an instance is working on is
        // claimed (its next attempt pushed to the end of a lease, with the instance's name), and singleton workers (the
        // status poller) hold a named lease. An instance that starts again releases what it held; a dead one's claims
        // run out.
        Migration("v7: leases for several instances", """
            ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
            ALTER TABLE submission ADD COLUMN lease_owner TEXT;
            CREATE INDEX outbox_phone ON outbox (phone, sequence);
            CREATE TABLE worker_lease (
                name TEXT PRIMARY KEY,
                owner TEXT NOT NULL,
                expires_at {real} NOT NULL
            )
            """),
        // The local platform numbers a report after the highest number so far. Without an index that was a scan of every
        // report, inside the serialised write, for each report filed: 0.7 ms at 3,000 reports, and growing with each.
        Migration("v8: local report numbers indexed", """
            CREATE INDEX report_local_number ON report ({reference_number}) WHERE platform = 'local'
            """),
    ]
}
