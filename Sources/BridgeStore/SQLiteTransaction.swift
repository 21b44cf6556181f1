import BridgeCore
import Foundation
import GRDB

/// `StoreTransaction` on one GRDB connection inside a transaction.
struct SQLiteTransaction: StoreTransaction {
    let db: Database

    static var encoder: JSONEncoder { StoreCoding.encoder }
    static var decoder: JSONDecoder { StoreCoding.decoder }

    /// Every statement goes through the connection's statement cache: compiled once per connection, not per call.
    /// Compiling (with GRDB's authorizer callback per column) was 4% of the server's CPU under load. Only fixed SQL
    /// comes here; SQL built from data would fill the cache.
    func statement(_ sql: String) throws -> Statement { try db.cachedStatement(sql: sql) }

    func execute(_ sql: String, _ arguments: StatementArguments = StatementArguments()) throws {
        try statement(sql).execute(arguments: arguments)
    }

    // MARK: Inbound

    func inbound(gateway: String, providerID: String) throws -> (record: InboundRecord, answer: StoredAnswer?)? {
        guard let row = try Row.fetchOne(statement("SELECT * FROM inbound_message WHERE gateway = ? AND provider_id = ?"),
                                         arguments: [gateway, providerID]) else { return nil }
        let record = InboundRecord(
            id: row["id"], gateway: row["gateway"], providerID: row["provider_id"], phone: row["phone"], deployment: row["deployment"],
            text: row["text"], channel: Channel(rawValue: row["channel"]) ?? .sms, receivedAt: Date(timeIntervalSince1970: row["received_at"]))
        var answer: StoredAnswer?
        if let status: Int = row["answer_status"] {
            answer = StoredAnswer(status: status, contentType: row["answer_type"] ?? "text/plain", body: row["answer_body"] ?? "")
        }
        return (record, answer)
    }

    func insertInbound(_ record: InboundRecord) throws -> Int64 {
        try statement("""
                INSERT INTO inbound_message (gateway, provider_id, phone, deployment, text, channel, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(
            arguments: [record.gateway, record.providerID, record.phone, record.deployment, record.text, record.channel.rawValue,
                        record.receivedAt.timeIntervalSince1970])
        return db.lastInsertedRowID
    }

    func setAnswer(_ answer: StoredAnswer, forInbound id: Int64) throws {
        try statement("UPDATE inbound_message SET answer_status = ?, answer_type = ?, answer_body = ? WHERE id = ?")
            .execute(arguments: [answer.status, answer.contentType, answer.body, id])
    }

    func inboundCount() throws -> Int {
        try Int.fetchOne(statement("SELECT COUNT(*) FROM inbound_message")) ?? 0
    }

    // MARK: Sessions

    func session(deployment: String, phone: String) throws -> Session? {
        try sessionData(deployment: deployment, phone: phone).map(StoreCoding.decodeSession)
    }

    func sessionData(deployment: String, phone: String) throws -> Data? {
        try Data.fetchOne(statement("SELECT data FROM session WHERE deployment = ? AND phone = ?"), arguments: [deployment, phone])
    }

    func saveSession(_ session: Session, at: Date) throws {
        try saveSession(session, encoded: try StoreCoding.encodeSession(session), at: at)
    }

    func saveSession(_ session: Session, encoded: Data, at: Date) throws {
        try statement("""
                INSERT INTO session (deployment, phone, data, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (deployment, phone) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at
                """).execute(
            arguments: [session.deployment, session.phone, encoded, at.timeIntervalSince1970])
    }

    func sessionCount() throws -> Int {
        try Int.fetchOne(statement("SELECT COUNT(*) FROM session")) ?? 0
    }

    // MARK: Outbox

    func enqueue(_ item: OutboxItem) throws {
        try statement("""
                INSERT INTO outbox (id, gateway, deployment, phone, text, status, attempts, next_attempt_at, provider_message_id,
                                    last_error, bypass_opt_out, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(
            arguments: [item.id, item.gateway, item.deployment, item.phone, item.text, item.status.rawValue, item.attempts,
                        item.nextAttemptAt.timeIntervalSince1970, item.providerMessageID, item.lastError, item.bypassesOptOut,
                        item.createdAt.timeIntervalSince1970, item.updatedAt.timeIntervalSince1970])
    }

    /// The outbox's columns in the order ``outboxItem(_:)`` reads them. Reading a row by position spares GRDB's
    /// lookup by name, which lowercases the name for each of the fifteen columns: 1.3% of the server's CPU under load,
    /// where every reply is read back when it is claimed and when its send is recorded.
    static let outboxColumns = """
        id, sequence, gateway, deployment, phone, text, status, attempts, next_attempt_at, provider_message_id, last_error,
        bypass_opt_out, created_at, updated_at, lease_owner
        """

    /// An outbox row selected as ``outboxColumns``.
    static func outboxItem(_ row: Row) -> OutboxItem {
        var item = OutboxItem(
            id: row[0], sequence: row[1], gateway: row[2], deployment: row[3], phone: row[4],
            text: row[5], status: OutboxStatus(rawValue: row[6]) ?? .queued, attempts: row[7],
            nextAttemptAt: Date(timeIntervalSince1970: row[8]), providerMessageID: row[9],
            lastError: row[10], bypassesOptOut: row[11], createdAt: Date(timeIntervalSince1970: row[12]),
            updatedAt: Date(timeIntervalSince1970: row[13]))
        item.leaseOwner = row[14]
        return item
    }

    func outbox(id: String) throws -> OutboxItem? {
        try Row.fetchOne(statement("SELECT \(Self.outboxColumns) FROM outbox WHERE id = ?"), arguments: [id]).map(Self.outboxItem)
    }

    func outbox(gateway: String, providerMessageID: String) throws -> OutboxItem? {
        try Row.fetchOne(statement("""
            SELECT \(Self.outboxColumns) FROM outbox WHERE gateway = ? AND provider_message_id = ? ORDER BY sequence DESC LIMIT 1
            """), arguments: [gateway, providerMessageID]).map(Self.outboxItem)
    }

    func dueOutbox(now: Date, limit: Int) throws -> [OutboxItem] {
        try Row.fetchAll(statement("""
            SELECT \(Self.outboxColumns) FROM outbox o INDEXED BY outbox_queue WHERE status = 'queued' AND next_attempt_at <= ?
              AND NOT EXISTS (SELECT 1 FROM outbox e INDEXED BY outbox_due WHERE e.status = 'queued' AND e.next_attempt_at > ?
                              AND e.phone = o.phone AND e.sequence < o.sequence)
            ORDER BY sequence LIMIT ?
            """), arguments: [now.timeIntervalSince1970, now.timeIntervalSince1970, limit]).map(Self.outboxItem)
    }

    func nextDue() throws -> Date? {
        try Double.fetchOne(statement("""
            SELECT MIN(next_attempt_at) FROM outbox o WHERE status = 'queued'
              AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.status = 'queued' AND e.phone = o.phone AND e.sequence < o.sequence)
            """)).map(Date.init(timeIntervalSince1970:))
    }

    func updateOutbox(_ item: OutboxItem) throws {
        try execute(
            """
                UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, provider_message_id = ?, last_error = ?, updated_at = ?,
                    lease_owner = ?
                WHERE id = ?
                """,
            [item.status.rawValue, item.attempts, item.nextAttemptAt.timeIntervalSince1970, item.providerMessageID,
                        item.lastError, item.updatedAt.timeIntervalSince1970, item.leaseOwner, item.id])
    }

    func outboxItems(phone: String?) throws -> [OutboxItem] {
        if let phone {
            return try Row.fetchAll(statement("SELECT \(Self.outboxColumns) FROM outbox WHERE phone = ? ORDER BY sequence"),
                                    arguments: [phone]).map(Self.outboxItem)
        }
        return try Row.fetchAll(statement("SELECT \(Self.outboxColumns) FROM outbox ORDER BY sequence")).map(Self.outboxItem)
    }

    func recordParts(_ providerIDs: [String], outboxID: String) throws {
        for id in providerIDs {
            try execute("INSERT OR IGNORE INTO outbox_part (outbox_id, provider_message_id, status) VALUES (?, ?, 'sent')",
                        [outboxID, id])
        }
    }

    func updatePart(gateway: String, providerMessageID: String, status: OutboxStatus) throws -> (outboxID: String, parts: [OutboxStatus])? {
        guard let outboxID = try String.fetchOne(statement("""
            SELECT p.outbox_id FROM outbox_part p JOIN outbox o ON o.id = p.outbox_id
            WHERE p.provider_message_id = ? AND o.gateway = ?
            """), arguments: [providerMessageID, gateway]) else { return nil }
        let current = try String.fetchOne(statement("SELECT status FROM outbox_part WHERE outbox_id = ? AND provider_message_id = ?"),
                                          arguments: [outboxID, providerMessageID]).flatMap(OutboxStatus.init(rawValue:)) ?? .sent
        if !current.isFinal, status.rank >= current.rank {
            try execute("UPDATE outbox_part SET status = ? WHERE outbox_id = ? AND provider_message_id = ?",
                        [status.rawValue, outboxID, providerMessageID])
        }
        let parts = try String.fetchAll(statement("SELECT status FROM outbox_part WHERE outbox_id = ?"), arguments: [outboxID])
            .compactMap(OutboxStatus.init(rawValue:))
        return (outboxID, parts)
    }

    // MARK: Reports

    func nextReference() throws -> String {
        let highest = try Int.fetchOne(statement("SELECT MAX(CAST(reference AS INTEGER)) FROM report")) ?? 1000
        return String(max(highest, 1000) + 1)
    }

    func insertReport(_ report: ReportRecord) throws {
        try execute(
            """
                INSERT INTO report (reference, deployment, phone, gateway, submission, status, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            [report.reference, report.submission.deployment, report.submission.phone, report.gateway,
                        try Self.encoder.encode(report.submission), report.status.rawValue, report.createdAt.timeIntervalSince1970,
                        report.updatedAt.timeIntervalSince1970])
    }

    static func report(_ row: Row) throws -> ReportRecord {
        let data: Data = row["submission"]
        return ReportRecord(
            reference: row["reference"], submission: try decoder.decode(ReportSubmission.self, from: data),
            status: ReportStatus(rawValue: row["status"]) ?? .open, gateway: row["gateway"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]), updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
    }

    func report(reference: String) throws -> ReportRecord? {
        try Row.fetchOne(statement("SELECT * FROM report WHERE reference = ?"), arguments: [reference]).map(Self.report)
    }

    func updateReport(_ report: ReportRecord) throws {
        try execute("UPDATE report SET status = ?, updated_at = ? WHERE reference = ?",
                    [report.status.rawValue, report.updatedAt.timeIntervalSince1970, report.reference])
    }

    func reports() throws -> [ReportRecord] {
        try Row.fetchAll(statement("SELECT * FROM report ORDER BY CAST(reference AS INTEGER)")).map(Self.report)
    }

    // MARK: Opt-outs

    func setOptedOut(_ optedOut: Bool, deployment: String, phone: String, at: Date, raw: String) throws {
        try execute(
            """
                INSERT INTO opt_out (deployment, phone, opted_out, changed_at, raw) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (deployment, phone) DO UPDATE SET opted_out = excluded.opted_out, changed_at = excluded.changed_at,
                    raw = excluded.raw
                """,
            [deployment, phone, optedOut, at.timeIntervalSince1970, raw])
    }

    func isOptedOut(deployment: String, phone: String) throws -> Bool {
        try Bool.fetchOne(statement("SELECT opted_out FROM opt_out WHERE deployment = ? AND phone = ?"), arguments: [deployment, phone])
            ?? false
    }

    // MARK: Gateway state

    func ussdText(gateway: String, sessionID: String) throws -> String? {
        try String.fetchOne(statement("SELECT text FROM ussd_session WHERE gateway = ? AND session_id = ?"),
                            arguments: [gateway, sessionID])
    }

    func setUSSDText(_ text: String, gateway: String, sessionID: String, at: Date) throws {
        try execute(
            """
                INSERT INTO ussd_session (gateway, session_id, text, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (gateway, session_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at
                """,
            [gateway, sessionID, text, at.timeIntervalSince1970])
    }

    func addConcatPart(gateway: String, phone: String, reference: String, total: Int, part: Int, text: String, at: Date) throws -> [String]? {
        try execute(
            """
                INSERT OR IGNORE INTO concat_part (gateway, phone, reference, total, part, text, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            [gateway, phone, reference, total, part, text, at.timeIntervalSince1970])
        let parts = try Row.fetchAll(statement("""
            SELECT part, text FROM concat_part WHERE gateway = ? AND phone = ? AND reference = ? ORDER BY part
            """), arguments: [gateway, phone, reference])
        guard parts.count >= total else { return nil }
        try execute("DELETE FROM concat_part WHERE gateway = ? AND phone = ? AND reference = ?",
                    [gateway, phone, reference])
        return parts.map { $0["text"] }
    }
}
