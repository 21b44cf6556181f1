import BridgeCore
import Foundation

extension PostgresTransaction: SubmissionStoreTransaction {
    static func pendingSubmission(_ row: PostgresStoreRow) throws -> PendingSubmission {
        var pending = PendingSubmission(
            id: try row.int64("id"), submission: try decoder.decode(ReportSubmission.self, from: try row.data("submission")),
            gateway: try row.string("gateway"), state: SubmissionState(rawValue: try row.string("state")) ?? .pending,
            attempts: try row.int("attempts"), nextAttemptAt: try row.date("next_attempt_at"), postedAt: try row.optionalDate("posted_at"),
            pendingNoticeSent: try row.bool("pending_notice_sent"), platformID: try row.optionalString("platform_id"),
            lastError: try row.optionalString("last_error"), createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"),
            placeAsked: try row.bool("place_asked"), platformToken: try row.optionalString("platform_token"))
        pending.duplicateAsked = try row.bool("duplicate_asked")
        pending.leaseOwner = try row.optionalString("lease_owner")
        return pending
    }

    func insertSubmission(_ submission: PendingSubmission) throws -> Int64 {
        let row = try sql.row(
            """
            INSERT INTO submission (deployment, phone, gateway, submission, state, attempts, next_attempt_at, posted_at,
                                    pending_notice_sent, platform_id, last_error, created_at, updated_at, place_asked, platform_token,
                                    duplicate_asked, lease_owner)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """,
            [.text(submission.submission.deployment), .text(submission.submission.phone), .text(submission.gateway),
             .bytes(try Self.encoder.encode(submission.submission)), .text(submission.state.rawValue), .int(submission.attempts),
             .time(submission.nextAttemptAt), .time(submission.postedAt), .bool(submission.pendingNoticeSent), .text(submission.platformID),
             .text(submission.lastError), .time(submission.createdAt), .time(submission.updatedAt), .bool(submission.placeAsked),
             .text(submission.platformToken), .bool(submission.duplicateAsked), .text(submission.leaseOwner)])
        return try row?.int64("id") ?? 0
    }

    func submission(id: Int64) throws -> PendingSubmission? {
        try sql.row("SELECT * FROM submission WHERE id = ?", [.int(Int(id))]).map(Self.pendingSubmission)
    }

    func dueSubmissions(now: Date, limit: Int) throws -> [PendingSubmission] {
        try sql.rows(
            """
            SELECT * FROM submission WHERE state IN ('pending', 'posting', 'awaiting_resident') AND next_attempt_at <= ? ORDER BY id LIMIT ?
            """, [.time(now), .int(limit)]
        ).map(Self.pendingSubmission)
    }

    func nextSubmissionDue() throws -> Date? {
        try sql.row("SELECT MIN(next_attempt_at) AS due FROM submission WHERE state IN ('pending', 'posting', 'awaiting_resident')")?
            .optionalDate("due")
    }

    func updateSubmission(_ submission: PendingSubmission) throws {
        guard let id = submission.id else { return }
        try sql.execute(
            """
            UPDATE submission SET submission = ?, state = ?, attempts = ?, next_attempt_at = ?, posted_at = ?, pending_notice_sent = ?,
                platform_id = ?, last_error = ?, updated_at = ?, place_asked = ?, platform_token = ?, duplicate_asked = ?, lease_owner = ?
            WHERE id = ?
            """,
            [.bytes(try Self.encoder.encode(submission.submission)), .text(submission.state.rawValue), .int(submission.attempts),
             .time(submission.nextAttemptAt), .time(submission.postedAt), .bool(submission.pendingNoticeSent), .text(submission.platformID),
             .text(submission.lastError), .time(submission.updatedAt), .bool(submission.placeAsked), .text(submission.platformToken),
             .bool(submission.duplicateAsked), .text(submission.leaseOwner), .int(Int(id))])
    }

    func submissions() throws -> [PendingSubmission] {
        try sql.rows("SELECT * FROM submission ORDER BY id").map(Self.pendingSubmission)
    }

    func nextLocalReference() throws -> String {
        let highest = try sql.row("SELECT MAX(\(Self.numericReference)) AS n FROM report WHERE platform = 'local'")?.optionalInt("n") ?? 1000
        return String(max(highest, 1000) + 1)
    }

    func insertReport(_ report: ReportRecord, platform: String) throws {
        try sql.execute(
            """
            INSERT INTO report (reference, deployment, phone, gateway, submission, status, created_at, updated_at, platform)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(report.reference), .text(report.submission.deployment), .text(report.submission.phone), .text(report.gateway),
             .bytes(try Self.encoder.encode(report.submission)), .text(report.status.rawValue), .time(report.createdAt),
             .time(report.updatedAt), .text(platform)])
    }

    func report(deployment: String, reference: String) throws -> ReportRecord? {
        try sql.row("SELECT * FROM report WHERE deployment = ? AND reference = ?", [.text(deployment), .text(reference)]).map(Self.report)
    }

    func trackedReports(deployment: String) throws -> [TrackedReport] {
        try sql.rows("SELECT * FROM report WHERE deployment = ? AND platform != 'local' ORDER BY created_at", [.text(deployment)])
            .map(Self.trackedReport)
    }

    static func trackedReport(_ row: PostgresStoreRow) throws -> TrackedReport {
        TrackedReport(record: try report(row), platformUpdated: try row.optionalString("platform_updated"),
                      platformState: try row.optionalString("platform_state"), checkedAt: try row.optionalDate("checked_at"))
    }

    func tracking(deployment: String, reference: String) throws -> TrackedReport? {
        try sql.row("SELECT * FROM report WHERE deployment = ? AND reference = ? AND platform != 'local'", [.text(deployment), .text(reference)])
            .map(Self.trackedReport)
    }

    func updateTracking(deployment: String, reference: String, status: ReportStatus, platformUpdated: String?, platformState: String?,
                        at: Date) throws {
        try sql.execute(
            """
            UPDATE report SET status = ?, platform_updated = COALESCE(?, platform_updated), platform_state = ?, updated_at = ?,
                checked_at = ? WHERE deployment = ? AND reference = ?
            """,
            [.text(status.rawValue), .text(platformUpdated), .text(platformState), .time(at), .time(at), .text(deployment), .text(reference)])
    }

    func insertStatusRequest(_ request: StatusRequest) throws {
        try sql.execute(
            """
            INSERT INTO status_request (deployment, reference, phone, gateway, language, answers, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(request.deployment), .text(request.reference), .text(request.phone), .text(request.gateway), .text(request.language.rawValue),
             .bool(request.answers), .time(request.createdAt)])
    }

    func statusRequests(limit: Int) throws -> [StatusRequest] {
        try sql.rows("SELECT * FROM status_request ORDER BY id LIMIT ?", [.int(limit)]).map { row in
            StatusRequest(
                id: try row.int64("id"), deployment: try row.string("deployment"), reference: try row.string("reference"),
                phone: try row.string("phone"), gateway: try row.string("gateway"), language: LanguageTag(rawValue: try row.string("language")),
                answers: try row.bool("answers"), createdAt: try row.date("created_at"))
        }
    }

    func deleteStatusRequest(id: Int64) throws -> Bool {
        try sql.execute("DELETE FROM status_request WHERE id = ?", [.int(Int(id))]) > 0
    }
}
