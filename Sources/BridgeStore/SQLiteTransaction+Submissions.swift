import BridgeCore
import Foundation
import GRDB

extension SQLiteTransaction: SubmissionStoreTransaction {
    static func pendingSubmission(_ row: Row) throws -> PendingSubmission {
        let data: Data = row["submission"]
        var pending = PendingSubmission(
            id: row["id"], submission: try decoder.decode(ReportSubmission.self, from: data), gateway: row["gateway"],
            state: SubmissionState(rawValue: row["state"]) ?? .pending, attempts: row["attempts"],
            nextAttemptAt: Date(timeIntervalSince1970: row["next_attempt_at"]),
            postedAt: (row["posted_at"] as Double?).map(Date.init(timeIntervalSince1970:)), pendingNoticeSent: row["pending_notice_sent"],
            platformID: row["platform_id"], lastError: row["last_error"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
            updatedAt: Date(timeIntervalSince1970: row["updated_at"]), placeAsked: row["place_asked"], platformToken: row["platform_token"])
        pending.duplicateAsked = row["duplicate_asked"]
        pending.leaseOwner = row["lease_owner"]
        return pending
    }

    func insertSubmission(_ submission: PendingSubmission) throws -> Int64 {
        try execute(
            """
                INSERT INTO submission (deployment, phone, gateway, submission, state, attempts, next_attempt_at, posted_at,
                                        pending_notice_sent, platform_id, last_error, created_at, updated_at, place_asked, platform_token,
                                        duplicate_asked)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            [submission.submission.deployment, submission.submission.phone, submission.gateway,
                        try Self.encoder.encode(submission.submission), submission.state.rawValue, submission.attempts,
                        submission.nextAttemptAt.timeIntervalSince1970, submission.postedAt?.timeIntervalSince1970,
                        submission.pendingNoticeSent, submission.platformID, submission.lastError,
                        submission.createdAt.timeIntervalSince1970, submission.updatedAt.timeIntervalSince1970,
                        submission.placeAsked, submission.platformToken, submission.duplicateAsked])
        return db.lastInsertedRowID
    }

    func submission(id: Int64) throws -> PendingSubmission? {
        try Row.fetchOne(statement("SELECT * FROM submission WHERE id = ?"), arguments: [id]).map(Self.pendingSubmission)
    }

    func dueSubmissions(now: Date, limit: Int) throws -> [PendingSubmission] {
        try Row.fetchAll(statement("""
            SELECT * FROM submission WHERE state IN ('pending', 'posting', 'awaiting_resident') AND next_attempt_at <= ? ORDER BY id LIMIT ?
            """), arguments: [now.timeIntervalSince1970, limit]).map(Self.pendingSubmission)
    }

    func nextSubmissionDue() throws -> Date? {
        try Double.fetchOne(
            statement("SELECT MIN(next_attempt_at) FROM submission WHERE state IN ('pending', 'posting', 'awaiting_resident')"))
            .map(Date.init(timeIntervalSince1970:))
    }

    func updateSubmission(_ submission: PendingSubmission) throws {
        guard let id = submission.id else { return }
        try execute(
            """
                UPDATE submission SET submission = ?, state = ?, attempts = ?, next_attempt_at = ?, posted_at = ?, pending_notice_sent = ?,
                    platform_id = ?, last_error = ?, updated_at = ?, place_asked = ?, platform_token = ?, duplicate_asked = ?, lease_owner = ?
                WHERE id = ?
                """,
            [try Self.encoder.encode(submission.submission), submission.state.rawValue, submission.attempts,
                        submission.nextAttemptAt.timeIntervalSince1970, submission.postedAt?.timeIntervalSince1970,
                        submission.pendingNoticeSent, submission.platformID, submission.lastError,
                        submission.updatedAt.timeIntervalSince1970, submission.placeAsked, submission.platformToken,
                        submission.duplicateAsked, submission.leaseOwner, id])
    }

    func submissions() throws -> [PendingSubmission] {
        try Row.fetchAll(statement("SELECT * FROM submission ORDER BY id")).map(Self.pendingSubmission)
    }

    func nextLocalReference() throws -> String {
        let highest = try Int.fetchOne(
            statement("SELECT MAX(\(StoreSchema.referenceNumber(.sqlite))) FROM report WHERE platform = 'local'")) ?? 1000
        return String(max(highest, 1000) + 1)
    }

    func insertReport(_ report: ReportRecord, platform: String) throws {
        try execute(
            """
                INSERT INTO report (reference, deployment, phone, gateway, submission, status, created_at, updated_at, platform)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            [report.reference, report.submission.deployment, report.submission.phone, report.gateway,
                        try Self.encoder.encode(report.submission), report.status.rawValue, report.createdAt.timeIntervalSince1970,
                        report.updatedAt.timeIntervalSince1970, platform])
    }

    func report(deployment: String, reference: String) throws -> ReportRecord? {
        try Row.fetchOne(statement("SELECT * FROM report WHERE deployment = ? AND reference = ?"), arguments: [deployment, reference])
            .map(Self.report)
    }

    func trackedReports(deployment: String) throws -> [TrackedReport] {
        try Row.fetchAll(statement("SELECT * FROM report WHERE deployment = ? AND platform != 'local' ORDER BY created_at"),
                         arguments: [deployment])
            .map(Self.trackedReport)
    }

    static func trackedReport(_ row: Row) throws -> TrackedReport {
        TrackedReport(record: try report(row), platformUpdated: row["platform_updated"], platformState: row["platform_state"],
                      checkedAt: (row["checked_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    func tracking(deployment: String, reference: String) throws -> TrackedReport? {
        try Row.fetchOne(statement("SELECT * FROM report WHERE deployment = ? AND reference = ? AND platform != 'local'"),
                         arguments: [deployment, reference]).map(Self.trackedReport)
    }

    func updateTracking(deployment: String, reference: String, status: ReportStatus, platformUpdated: String?, platformState: String?,
                        at: Date) throws {
        try execute(
            """
                UPDATE report SET status = ?, platform_updated = COALESCE(?, platform_updated), platform_state = ?, updated_at = ?,
                    checked_at = ? WHERE deployment = ? AND reference = ?
                """,
            [status.rawValue, platformUpdated, platformState, at.timeIntervalSince1970, at.timeIntervalSince1970, deployment,
                        reference])
    }

    func insertStatusRequest(_ request: StatusRequest) throws {
        try execute(
            """
                INSERT INTO status_request (deployment, reference, phone, gateway, language, answers, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            [request.deployment, request.reference, request.phone, request.gateway, request.language.rawValue, request.answers,
                        request.createdAt.timeIntervalSince1970])
    }

    func statusRequests(limit: Int) throws -> [StatusRequest] {
        try Row.fetchAll(statement("SELECT * FROM status_request ORDER BY id LIMIT ?"), arguments: [limit]).map { row in
            StatusRequest(
                id: row["id"], deployment: row["deployment"], reference: row["reference"], phone: row["phone"], gateway: row["gateway"],
                language: LanguageTag(rawValue: row["language"]), answers: row["answers"], createdAt: Date(timeIntervalSince1970: row["created_at"]))
        }
    }

    func deleteStatusRequest(id: Int64) throws -> Bool {
        try execute("DELETE FROM status_request WHERE id = ?", [id])
        return db.changesCount > 0
    }
}
