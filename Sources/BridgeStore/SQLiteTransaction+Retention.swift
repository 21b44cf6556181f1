import Foundation
import GRDB

extension SQLiteTransaction: RetentionStoreTransaction {
    func purge(before cutoff: Date) throws -> PurgeCounts {
        let time = cutoff.timeIntervalSince1970
        var counts = PurgeCounts()
        // The webhook answer is blanked too: a USSD screen repeats the resident's description in its summary.
        try execute(
            """
                UPDATE inbound_message SET text = '', answer_body = CASE WHEN answer_body IS NULL THEN NULL ELSE '' END
                WHERE received_at < ? AND (text != '' OR COALESCE(answer_body, '') != '')
                """,
            [time])
        counts.inboundTexts = db.changesCount
        try execute("UPDATE outbox SET text = '' WHERE created_at < ? AND status != 'queued' AND text != ''", [time])
        counts.outboxTexts = db.changesCount
        try execute("DELETE FROM session WHERE updated_at < ?", [time])
        counts.sessions = db.changesCount
        try execute("DELETE FROM ussd_session WHERE updated_at < ?", [time])
        counts.gatewayBuffers = db.changesCount
        try execute("DELETE FROM concat_part WHERE received_at < ?", [time])
        counts.gatewayBuffers += db.changesCount
        return counts
    }
}
