import BridgeCore
import Foundation

/// `StoreTransaction` on one PostgreSQL connection inside a transaction: the SQLite store's statements in PostgreSQL's
/// dialect (`RETURNING` for new ids, `ON CONFLICT DO NOTHING` for `INSERT OR IGNORE`, no index hints).
struct PostgresTransaction: StoreTransaction {
    let sql: PostgresStatements

    static var encoder: JSONEncoder { StoreCoding.encoder }
    static var decoder: JSONDecoder { StoreCoding.decoder }
    /// References of remote platforms may be anything; only digit strings are numbers (SQLite's CAST reads others as 0).
    static let numericReference = StoreSchema.referenceNumber(.postgres)

    // MARK: Inbound

    func inbound(gateway: String, providerID: String) throws -> (record: InboundRecord, answer: StoredAnswer?)? {
        guard let row = try sql.row("SELECT * FROM inbound_message WHERE gateway = ? AND provider_id = ?", [.text(gateway), .text(providerID)])
        else { return nil }
        let record = InboundRecord(
            id: try row.int64("id"), gateway: try row.string("gateway"), providerID: try row.string("provider_id"), phone: try row.string("phone"),
            deployment: try row.string("deployment"), text: try row.string("text"), channel: Channel(rawValue: try row.string("channel")) ?? .sms,
            receivedAt: try row.date("received_at"))
        var answer: StoredAnswer?
        if let status = try row.optionalInt("answer_status") {
            answer = StoredAnswer(status: status, contentType: try row.optionalString("answer_type") ?? "text/plain",
                                  body: try row.optionalString("answer_body") ?? "")
        }
        return (record, answer)
    }

    func insertInbound(_ record: InboundRecord) throws -> Int64 {
        let row = try sql.row(
            """
            INSERT INTO inbound_message (gateway, provider_id, phone, deployment, text, channel, received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id
            """,
            [.text(record.gateway), .text(record.providerID), .text(record.phone), .text(record.deployment), .text(record.text),
             .text(record.channel.rawValue), .time(record.receivedAt)])
        return try row?.int64("id") ?? 0
    }

    func setAnswer(_ answer: StoredAnswer, forInbound id: Int64) throws {
        try sql.execute("UPDATE inbound_message SET answer_status = ?, answer_type = ?, answer_body = ? WHERE id = ?",
                        [.int(answer.status), .text(answer.contentType), .text(answer.body), .int(Int(id))])
    }

    func inboundCount() throws -> Int {
        try sql.row("SELECT COUNT(*) AS n FROM inbound_message")?.int("n") ?? 0
    }

    // MARK: Sessions

    func session(deployment: String, phone: String) throws -> Session? {
        try sessionData(deployment: deployment, phone: phone).map(StoreCoding.decodeSession)
    }

    func sessionData(deployment: String, phone: String) throws -> Data? {
        try sql.row("SELECT data FROM session WHERE deployment = ? AND phone = ?", [.text(deployment), .text(phone)])?.data("data")
    }

    func saveSession(_ session: Session, at: Date) throws {
        try saveSession(session, encoded: try StoreCoding.encodeSession(session), at: at)
    }

    func saveSession(_ session: Session, encoded: Data, at: Date) throws {
        try sql.execute(
            """
            INSERT INTO session (deployment, phone, data, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (deployment, phone) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at
            """,
            [.text(session.deployment), .text(session.phone), .bytes(encoded), .time(at)])
    }

    func sessionCount() throws -> Int {
        try sql.row("SELECT COUNT(*) AS n FROM session")?.int("n") ?? 0
    }

    // MARK: Outbox

    func enqueue(_ item: OutboxItem) throws {
        try sql.execute(
            """
            INSERT INTO outbox (id, gateway, deployment, phone, text, status, attempts, next_attempt_at, provider_message_id,
                                last_error, bypass_opt_out, created_at, updated_at, lease_owner)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(item.id), .text(item.gateway), .text(item.deployment), .text(item.phone), .text(item.text), .text(item.status.rawValue),
             .int(item.attempts), .time(item.nextAttemptAt), .text(item.providerMessageID), .text(item.lastError), .bool(item.bypassesOptOut),
             .time(item.createdAt), .time(item.updatedAt), .text(item.leaseOwner)])
    }

    static func outboxItem(_ row: PostgresStoreRow) throws -> OutboxItem {
        var item = OutboxItem(
            id: try row.string("id"), sequence: try row.int64("sequence"), gateway: try row.string("gateway"),
            deployment: try row.string("deployment"), phone: try row.string("phone"), text: try row.string("text"),
            status: OutboxStatus(rawValue: try row.string("status")) ?? .queued, attempts: try row.int("attempts"),
            nextAttemptAt: try row.date("next_attempt_at"), providerMessageID: try row.optionalString("provider_message_id"),
            lastError: try row.optionalString("last_error"), bypassesOptOut: try row.bool("bypass_opt_out"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
        item.leaseOwner = try row.optionalString("lease_owner")
        return item
    }

    func outbox(id: String) throws -> OutboxItem? {
        try sql.row("SELECT * FROM outbox WHERE id = ?", [.text(id)]).map(Self.outboxItem)
    }

    func outbox(gateway: String, providerMessageID: String) throws -> OutboxItem? {
        try sql.row("SELECT * FROM outbox WHERE gateway = ? AND provider_message_id = ? ORDER BY sequence DESC LIMIT 1",
                    [.text(gateway), .text(providerMessageID)]).map(Self.outboxItem)
    }

    func dueOutbox(now: Date, limit: Int) throws -> [OutboxItem] {
        try sql.rows(
            """
            SELECT * FROM outbox o WHERE status = 'queued' AND next_attempt_at <= ?
              AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.status = 'queued' AND e.next_attempt_at > ?
                              AND e.phone = o.phone AND e.sequence < o.sequence)
            ORDER BY sequence LIMIT ?
            """, [.time(now), .time(now), .int(limit)]
        ).map(Self.outboxItem)
    }

    func nextDue() throws -> Date? {
        try sql.row(
            """
            SELECT MIN(next_attempt_at) AS due FROM outbox o WHERE status = 'queued'
              AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.status = 'queued' AND e.phone = o.phone AND e.sequence < o.sequence)
            """)?.optionalDate("due")
    }

    func updateOutbox(_ item: OutboxItem) throws {
        try sql.execute(
            """
            UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, provider_message_id = ?, last_error = ?, updated_at = ?,
                lease_owner = ?
            WHERE id = ?
            """,
            [.text(item.status.rawValue), .int(item.attempts), .time(item.nextAttemptAt), .text(item.providerMessageID),
             .text(item.lastError), .time(item.updatedAt), .text(item.leaseOwner), .text(item.id)])
    }

    func outboxItems(phone: String?) throws -> [OutboxItem] {
        if let phone {
            return try sql.rows("SELECT * FROM outbox WHERE phone = ? ORDER BY sequence", [.text(phone)]).map(Self.outboxItem)
        }
        return try sql.rows("SELECT * FROM outbox ORDER BY sequence").map(Self.outboxItem)
    }

    func recordParts(_ providerIDs: [String], outboxID: String) throws {
        for id in providerIDs {
            try sql.execute(
                "INSERT INTO outbox_part (outbox_id, provider_message_id, status) VALUES (?, ?, 'sent') ON CONFLICT DO NOTHING",
                [.text(outboxID), .text(id)])
        }
    }

    func updatePart(gateway: String, providerMessageID: String, status: OutboxStatus) throws -> (outboxID: String, parts: [OutboxStatus])? {
        guard let found = try sql.row(
            """
            SELECT p.outbox_id, p.status FROM outbox_part p JOIN outbox o ON o.id = p.outbox_id
            WHERE p.provider_message_id = ? AND o.gateway = ?
            """, [.text(providerMessageID), .text(gateway)])
        else { return nil }
        let outboxID = try found.string("outbox_id")
        let current = OutboxStatus(rawValue: try found.string("status")) ?? .sent
        if !current.isFinal, status.rank >= current.rank {
            try sql.execute("UPDATE outbox_part SET status = ? WHERE outbox_id = ? AND provider_message_id = ?",
                            [.text(status.rawValue), .text(outboxID), .text(providerMessageID)])
        }
        let parts = try sql.rows("SELECT status FROM outbox_part WHERE outbox_id = ?", [.text(outboxID)])
            .compactMap { OutboxStatus(rawValue: try $0.string("status")) }
        return (outboxID, parts)
    }

    // MARK: Reports

    func nextReference() throws -> String {
        let highest = try sql.row("SELECT MAX(\(Self.numericReference)) AS n FROM report")?.optionalInt("n") ?? 1000
        return String(max(highest, 1000) + 1)
    }

    func insertReport(_ report: ReportRecord) throws {
        try insertReport(report, platform: "local")
    }

    static func report(_ row: PostgresStoreRow) throws -> ReportRecord {
        ReportRecord(
            reference: try row.string("reference"), submission: try decoder.decode(ReportSubmission.self, from: try row.data("submission")),
            status: ReportStatus(rawValue: try row.string("status")) ?? .open, gateway: try row.string("gateway"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }

    func report(reference: String) throws -> ReportRecord? {
        try sql.row("SELECT * FROM report WHERE reference = ?", [.text(reference)]).map(Self.report)
    }

    func updateReport(_ report: ReportRecord) throws {
        try sql.execute("UPDATE report SET status = ?, updated_at = ? WHERE reference = ?",
                        [.text(report.status.rawValue), .time(report.updatedAt), .text(report.reference)])
    }

    func reports() throws -> [ReportRecord] {
        try sql.rows("SELECT * FROM report ORDER BY \(Self.numericReference), reference").map(Self.report)
    }

    // MARK: Opt-outs

    func setOptedOut(_ optedOut: Bool, deployment: String, phone: String, at: Date, raw: String) throws {
        try sql.execute(
            """
            INSERT INTO opt_out (deployment, phone, opted_out, changed_at, raw) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (deployment, phone) DO UPDATE SET opted_out = excluded.opted_out, changed_at = excluded.changed_at,
                raw = excluded.raw
            """,
            [.text(deployment), .text(phone), .bool(optedOut), .time(at), .text(raw)])
    }

    func isOptedOut(deployment: String, phone: String) throws -> Bool {
        try sql.row("SELECT opted_out FROM opt_out WHERE deployment = ? AND phone = ?", [.text(deployment), .text(phone)])?
            .bool("opted_out") ?? false
    }

    // MARK: Gateway state

    func ussdText(gateway: String, sessionID: String) throws -> String? {
        try sql.row("SELECT text FROM ussd_session WHERE gateway = ? AND session_id = ?", [.text(gateway), .text(sessionID)])?.string("text")
    }

    func setUSSDText(_ text: String, gateway: String, sessionID: String, at: Date) throws {
        try sql.execute(
            """
            INSERT INTO ussd_session (gateway, session_id, text, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (gateway, session_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at
            """,
            [.text(gateway), .text(sessionID), .text(text), .time(at)])
    }

    func addConcatPart(gateway: String, phone: String, reference: String, total: Int, part: Int, text: String, at: Date) throws -> [String]? {
        try sql.execute(
            """
            INSERT INTO concat_part (gateway, phone, reference, total, part, text, received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """,
            [.text(gateway), .text(phone), .text(reference), .int(total), .int(part), .text(text), .time(at)])
        let key: [PostgresValue] = [.text(gateway), .text(phone), .text(reference)]
        let parts = try sql.rows("SELECT part, text FROM concat_part WHERE gateway = ? AND phone = ? AND reference = ? ORDER BY part", key)
        guard parts.count >= total else { return nil }
        try sql.execute("DELETE FROM concat_part WHERE gateway = ? AND phone = ? AND reference = ?", key)
        return try parts.map { try $0.string("text") }
    }
}
