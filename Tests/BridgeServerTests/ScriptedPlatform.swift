import BridgeCore
import Foundation
import Platform

/// A `ReportPlatform` whose answers a test scripts: slow, down then up, a timeout after creating the report (the outcome
/// unknown to the bridge), a final refusal, a hang that never answers (the process "crashed" mid-post).
actor ScriptedPlatform: ReportPlatform {
    enum Behaviour: Sendable {
        case accept
        case fail(PlatformError)
        /// Answers after this long.
        case slow(Duration)
        /// Creates the report, then the answer is lost: a retryable error.
        case createThenLose
        /// Creates the report and never answers until ``releaseHung()``.
        case createThenHang
        /// Creates the report and answers with a token only (Open311): the id comes once ``numberTokens()`` was called.
        case acceptWithToken
    }

    struct Filed: Sendable {
        var id: String
        var submission: ReportSubmission
        var state: String
        var updated: Int
    }

    private var script: [Behaviour]
    private(set) var filed: [Filed] = []
    private(set) var posts = 0
    private(set) var finds = 0
    private(set) var stateCalls = 0
    private(set) var tokenLookups = 0
    private var tokensNumbered = false
    private var nextID: Int
    private var hung: [CheckedContinuation<Void, Never>] = []

    init(_ script: [Behaviour] = [], firstID: Int = 5001) {
        self.script = script
        self.nextID = firstID
    }

    /// The server numbers the reports it accepted with a token.
    func numberTokens() { tokensNumbered = true }

    func requestID(forToken token: String) async throws(PlatformError) -> String? {
        tokenLookups += 1
        guard tokensNumbered, token.hasPrefix("tok-") else { return nil }
        return String(token.dropFirst(4))
    }

    func releaseHung() {
        for waiter in hung { waiter.resume() }
        hung = []
    }

    /// Moves a report to another state, as staff would; its update time changes.
    func setState(_ label: String, of id: String) {
        guard let index = filed.firstIndex(where: { $0.id == id }) else { return }
        filed[index].state = label
        filed[index].updated += 1
    }

    /// Touches a report (a comment, say) without changing its state.
    func touch(_ id: String) {
        guard let index = filed.firstIndex(where: { $0.id == id }) else { return }
        filed[index].updated += 1
    }

    private func create(_ submission: ReportSubmission) -> String {
        let id = String(nextID)
        nextID += 1
        filed.append(Filed(id: id, submission: submission, state: "confirmed", updated: 0))
        return id
    }

    func submit(_ submission: ReportSubmission, context: SubmissionContext) async throws(PlatformError) -> PlatformReceipt {
        posts += 1
        let behaviour = script.isEmpty ? .accept : script.removeFirst()
        switch behaviour {
        case .accept:
            return PlatformReceipt(id: create(submission))
        case .fail(let error):
            throw error
        case .slow(let duration):
            try? await Task.sleep(for: duration)
            return PlatformReceipt(id: create(submission))
        case .createThenLose:
            _ = create(submission)
            throw .unavailable
        case .acceptWithToken:
            return PlatformReceipt(id: nil, token: "tok-" + create(submission))
        case .createThenHang:
            _ = create(submission)
            await withCheckedContinuation { hung.append($0) }
            throw .unavailable
        }
    }

    func findExisting(_ submission: ReportSubmission, context: SubmissionContext, around: Date) async throws(PlatformError) -> PlatformReceipt? {
        finds += 1
        return filed.last { $0.submission == submission }.map { PlatformReceipt(id: $0.id) }
    }

    func geocode(_ text: String, near: Coordinate?) async throws(PlatformError) -> [GeocodeCandidate] { [] }

    func categories(at point: Coordinate) async throws(PlatformError) -> CategoryCheck {
        CategoryCheck(isCovered: true, acceptsAnyCategory: true, mayActForAnotherUser: true)
    }

    func nearby(category: String, at point: Coordinate) async throws(PlatformError) -> [NearbyReport] { [] }

    func changes(since: Date, until: Date) async throws(PlatformError) -> [StatusChange] {
        filed.map { report in
            let open = ReportStatus(platformState: report.state).map { $0 == .open || $0 == .inProgress } ?? true
            return StatusChange(
                id: report.id, platformStatus: open ? "open" : "closed", status: open ? .open : .closed,
                updatedRaw: "2026-01-01T00:00:\(String(format: "%02d", report.updated))Z", updatedAt: Date(), requestedAt: nil, title: nil,
                category: nil)
        }
    }

    func state(of id: String) async throws(PlatformError) -> ReportState? {
        stateCalls += 1
        guard let report = filed.first(where: { $0.id == id }) else { return nil }
        return ReportState(id: id, label: report.state, displayName: nil, isFixed: ReportStatus(platformState: report.state) == .fixed)
    }
}
