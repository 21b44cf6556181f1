import Foundation
import GRDB

extension SQLiteTransaction: CoordinationStoreTransaction {
    func claimOutbox(id: String, owner: String, now: Date, until: Date) throws -> Bool {
        try statement("""
            UPDATE outbox SET next_attempt_at = ?, lease_owner = ?
            WHERE id = ? AND status = 'queued' AND next_attempt_at <= ?
              AND NOT EXISTS (SELECT 1 FROM outbox e INDEXED BY outbox_phone WHERE e.phone = outbox.phone AND e.sequence < outbox.sequence
                              AND e.status = 'queued')
            """).execute(arguments: [until.timeIntervalSince1970, owner, id, now.timeIntervalSince1970])
        return db.changesCount == 1
    }

    func renewOutboxClaim(id: String, owner: String, until: Date) throws -> Bool {
        try statement("UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND lease_owner = ? AND status = 'queued'")
            .execute(arguments: [until.timeIntervalSince1970, id, owner])
        return db.changesCount == 1
    }

    func claimSubmission(id: Int64, owner: String, now: Date, until: Date) throws -> Bool {
        try execute("""
            UPDATE submission SET next_attempt_at = ?, lease_owner = ?
            WHERE id = ? AND state IN ('pending', 'posting', 'awaiting_resident') AND next_attempt_at <= ?
            """, [until.timeIntervalSince1970, owner, id, now.timeIntervalSince1970])
        return db.changesCount == 1
    }

    func renewSubmissionClaim(id: Int64, owner: String, until: Date) throws -> Bool {
        try execute("UPDATE submission SET next_attempt_at = ? WHERE id = ? AND lease_owner = ?",
                    [until.timeIntervalSince1970, id, owner])
        return db.changesCount == 1
    }

    func releaseClaims(owner: String, now: Date) throws -> Int {
        let time = now.timeIntervalSince1970
        try execute("UPDATE outbox SET next_attempt_at = ?, lease_owner = NULL WHERE lease_owner = ? AND status = 'queued'",
                    [time, owner])
        var released = db.changesCount
        try execute("""
            UPDATE submission SET next_attempt_at = ?, lease_owner = NULL
            WHERE lease_owner = ? AND state IN ('pending', 'posting', 'awaiting_resident') AND next_attempt_at > ?
            """, [time, owner, time])
        released += db.changesCount
        return released
    }

    func acquireLease(name: String, owner: String, now: Date, until: Date) throws -> Bool {
        try execute("""
            INSERT INTO worker_lease (name, owner, expires_at) VALUES (?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
            WHERE worker_lease.owner = excluded.owner OR worker_lease.expires_at <= ?
            """, [name, owner, until.timeIntervalSince1970, now.timeIntervalSince1970])
        return try String.fetchOne(statement("SELECT owner FROM worker_lease WHERE name = ?"), arguments: [name]) == owner
    }
}
