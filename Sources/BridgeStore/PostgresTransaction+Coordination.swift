import Foundation

extension PostgresTransaction: CoordinationStoreTransaction, RetentionStoreTransaction {
    func claimOutbox(id: String, owner: String, now: Date, until: Date) throws -> Bool {
        try sql.execute(
            """
            UPDATE outbox SET next_attempt_at = ?, lease_owner = ?
            WHERE id = ? AND status = 'queued' AND next_attempt_at <= ?
              AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.phone = outbox.phone AND e.sequence < outbox.sequence AND e.status = 'queued')
            """, [.time(until), .text(owner), .text(id), .time(now)]) == 1
    }

    func claimSubmission(id: Int64, owner: String, now: Date, until: Date) throws -> Bool {
        try sql.execute(
            """
            UPDATE submission SET next_attempt_at = ?, lease_owner = ?
            WHERE id = ? AND state IN ('pending', 'posting', 'awaiting_resident') AND next_attempt_at <= ?
            """, [.time(until), .text(owner), .int(Int(id)), .time(now)]) == 1
    }

    func renewOutboxClaim(id: String, owner: String, until: Date) throws -> Bool {
        try sql.execute("UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND lease_owner = ? AND status = 'queued'",
                        [.time(until), .text(id), .text(owner)]) == 1
    }

    func renewSubmissionClaim(id: Int64, owner: String, until: Date) throws -> Bool {
        try sql.execute("UPDATE submission SET next_attempt_at = ? WHERE id = ? AND lease_owner = ?", [.time(until), .int(Int(id)), .text(owner)]) == 1
    }

    func releaseClaims(owner: String, now: Date) throws -> Int {
        let outbox = try sql.execute("UPDATE outbox SET next_attempt_at = ?, lease_owner = NULL WHERE lease_owner = ? AND status = 'queued'",
                                     [.time(now), .text(owner)])
        let submissions = try sql.execute(
            """
            UPDATE submission SET next_attempt_at = ?, lease_owner = NULL
            WHERE lease_owner = ? AND state IN ('pending', 'posting', 'awaiting_resident') AND next_attempt_at > ?
            """, [.time(now), .text(owner), .time(now)])
        return outbox + submissions
    }

    func acquireLease(name: String, owner: String, now: Date, until: Date) throws -> Bool {
        try sql.execute(
            """
            INSERT INTO worker_lease (name, owner, expires_at) VALUES (?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
            WHERE worker_lease.owner = excluded.owner OR worker_lease.expires_at <= ?
            """, [.text(name), .text(owner), .time(until), .time(now)])
        return try sql.row("SELECT owner FROM worker_lease WHERE name = ?", [.text(name)])?.string("owner") == owner
    }

    func purge(before cutoff: Date) throws -> PurgeCounts {
        let time: [PostgresValue] = [.time(cutoff)]
        var counts = PurgeCounts()
        // The webhook answer is blanked too: a USSD screen repeats the resident's description in its summary.
        counts.inboundTexts = try sql.execute(
            """
            UPDATE inbound_message SET text = '', answer_body = CASE WHEN answer_body IS NULL THEN NULL ELSE '' END
            WHERE received_at < ? AND (text != '' OR COALESCE(answer_body, '') != '')
            """, time)
        counts.outboxTexts = try sql.execute("UPDATE outbox SET text = '' WHERE created_at < ? AND status != 'queued' AND text != ''", time)
        counts.sessions = try sql.execute("DELETE FROM session WHERE updated_at < ?", time)
        counts.gatewayBuffers = try sql.execute("DELETE FROM ussd_session WHERE updated_at < ?", time)
        counts.gatewayBuffers += try sql.execute("DELETE FROM concat_part WHERE received_at < ?", time)
        return counts
    }
}
