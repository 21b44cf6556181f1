import BridgeCore
import BridgeStore
import Foundation
import Logging
import Platform
import ServiceLifecycle

/// How the report forwarder retries and when it reassures the resident.
public struct ForwarderPolicy: Sendable {
    public var initialDelay: TimeInterval
    public var maximumDelay: TimeInterval
    /// Overrides every deployment's `platform.pending_notice_after` (tests).
    public var pendingNoticeAfter: TimeInterval?

    public init(initialDelay: TimeInterval = 5, maximumDelay: TimeInterval = 600, pendingNoticeAfter: TimeInterval? = nil) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.pendingNoticeAfter = pendingNoticeAfter
    }

    /// Exponential backoff with jitter in the upper half.
    func delay(afterAttempts attempts: Int, random: Double) -> TimeInterval {
        let exponential = min(maximumDelay, initialDelay * pow(2, Double(max(0, attempts - 1))))
        return exponential * (0.5 + 0.5 * random)
    }
}

/// Files the reports the inbound transaction stored as pending on the deployment's platform, exactly once, then queues
/// the acknowledgement with the platform's id in the resident's language.
///
/// Runs outside the inbound transaction: a slow or absent platform never holds a conversation up. Resumable: a
/// submission whose last attempt may have reached the platform is in state `posting`, and the platform is asked for it
/// (``ReportPlatform/findExisting(_:context:around:)``) before anything is posted again, after a timeout or a crash alike.
public struct ReportForwarder: Service, CustomStringConvertible {
    /// ServiceLifecycle logs `"\(service)"`: a plain name keeps the platform credentials out of the logs.
    public var description: String { "ReportForwarder" }

    let store: any Store
    let platforms: [String: PlatformRuntime]
    let policy: ForwarderPolicy
    let signal: OutboxSignal
    let outboxSignal: OutboxSignal
    let logger: Logger
    let instance: InstanceIdentity
    let clock: @Sendable () -> Date

    public init(store: any Store, platforms: [String: PlatformRuntime], policy: ForwarderPolicy = ForwarderPolicy(), signal: OutboxSignal,
                outboxSignal: OutboxSignal, logger: Logger, instance: InstanceIdentity = InstanceIdentity(),
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.platforms = platforms
        self.policy = policy
        self.signal = signal
        self.outboxSignal = outboxSignal
        self.logger = logger
        self.instance = instance
        self.clock = clock
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let handled = try await forwardDue()
                    if handled == 0 {
                        let nextDue = try await store.read { try $0.nextSubmissionDue() }
                        let wait = nextDue.map { max(0.01, min(1, $0.timeIntervalSince(clock()))) } ?? 1
                        await signal.wait(timeout: .milliseconds(Int(wait * 1000)))
                    }
                } catch is CancellationError where Task.isCancelled || Task.isShuttingDownGracefully {
                    // Only our own cancellation stops the worker: a CancellationError from inside a pass (a store call cancelled
                    // by a timeout) is a failed pass, and a service that returns stops the whole server.
                    return
                } catch {
                    logger.error("report forwarder pass failed; retrying", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    /// One pass: every due submission, concurrently (one slow report does not hold up the others). Returns how many.
    func forwardDue() async throws -> Int {
        let now = clock()
        let due = try await store.read { try $0.dueSubmissions(now: now, limit: 50) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for item in due {
                group.addTask { try await forwardClaimed(item) }
            }
            try await group.waitForAll()
        }
        return due.count
    }

    /// What one attempt came to.
    enum Outcome: Sendable {
        case submitted(id: String, adopted: Bool)
        /// The geocoder knows several places for the resident's words: ask which one before filing.
        case ask([GeocodeCandidate])
        /// An open report of the same category is near the point: tell the resident, file only if they want to add theirs.
        case hint(reference: String)
        /// Accepted with a token only (Open311): ask for the id later, never post again.
        case accepted(token: String)
        case retry(reason: String)
        case failed(PlatformError)
    }

    /// Claims the submission, then forwards it while renewing the claim: instances sharing the store never file the same
    /// report side by side, however slow the platform. A submission another instance claimed first is left to it.
    func forwardClaimed(_ item: PendingSubmission) async throws {
        guard let id = item.id else { return }
        let owner = instance.name
        let lease = instance.lease
        let claimedAt = clock()
        guard try await store.write({ try $0.claimSubmission(id: id, owner: owner, now: claimedAt, until: claimedAt.addingTimeInterval(lease)) })
        else { return }
        if let previous = item.leaseOwner, previous != owner {
            logger.notice("took over a report whose claim ran out (its instance stopped)",
                          metadata: ["submission": "\(id)", "previous_instance": "\(previous)"])
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await forward(item) }
            group.addTask {
                while true {
                    try await Task.sleep(for: .milliseconds(Int(lease * 1000 / 3)))
                    let until = clock().addingTimeInterval(lease)
                    guard try await store.write({ try $0.renewSubmissionClaim(id: id, owner: owner, until: until) }) else {
                        logger.warning("claim on a submission lost to another instance; leaving it", metadata: ["submission": "\(id)"])
                        return
                    }
                }
            }
            // The attempt ends (or the claim was lost): stop the other task. Its error, if any, is the outcome.
            try await group.next()
            group.cancelAll()
        }
    }

    func forward(_ item: PendingSubmission) async throws {
        guard let id = item.id else { return }
        if item.state == .awaitingResident, item.duplicateAsked {
            // The duplicate hint went unanswered: the resident did not ask to add theirs, so nothing is filed.
            try await withdraw(id, reason: "no answer to the duplicate hint")
            return
        }
        guard let runtime = platforms[item.submission.deployment] else {
            try await reschedule(id, reason: "deployment '\(item.submission.deployment)' has no remote platform configured")
            return
        }
        let context = SubmissionContext(deployment: runtime.deployment, submission: item.submission,
                                        fallbackCategoryID: runtime.definition.fallbackCategoryID)
        let noticeAfter = policy.pendingNoticeAfter ?? runtime.definition.pendingNoticeAfter
        let outcome = try await withThrowingTaskGroup(of: Outcome?.self) { group -> Outcome in
            group.addTask {
                try await attempt(item, platform: runtime.platform, context: context, askPlace: runtime.definition.askPlace,
                                  duplicateHint: runtime.definition.duplicateHint)
            }
            if !item.pendingNoticeSent {
                group.addTask {
                    do {
                        try await Task.sleep(for: .milliseconds(Int(noticeAfter * 1000)))
                        try await queuePendingNotice(id, deployment: runtime.deployment)
                    } catch where Task.isCancelled {
                        // The attempt ended first; the notice is no longer needed, and its cancellation is no failure of the
                        // attempt (which is recorded below).
                    }
                    return nil
                }
            }
            var result: Outcome = .retry(reason: "no answer")
            while let next = try await group.next() {
                if let next {
                    result = next
                    group.cancelAll()
                }
            }
            return result
        }
        try await record(outcome, for: id, runtime: runtime)
    }

    /// Exchanges a token for the id, or looks for an earlier attempt's report, or asks the resident which place they meant;
    /// else marks the submission `posting` (durably, before the request) and posts.
    func attempt(_ item: PendingSubmission, platform: any ReportPlatform, context: SubmissionContext, askPlace: Bool,
                 duplicateHint: Bool = false) async throws -> Outcome {
        guard let id = item.id else { return .retry(reason: "unsaved submission") }
        if let token = item.platformToken {
            do {
                if let reportID = try await platform.requestID(forToken: token) { return .submitted(id: reportID, adopted: true) }
                return .retry(reason: "the platform has not numbered the report yet (token \(token))")
            } catch {
                return error.isRetryable ? .retry(reason: "exchanging the token: \(error)") : .failed(error)
            }
        }
        if item.state == .posting {
            do {
                if let found = try await platform.findExisting(item.submission, context: context, around: item.postedAt ?? item.createdAt),
                    let foundID = found.id
                {
                    return .submitted(id: foundID, adopted: true)
                }
            } catch {
                return error.isRetryable ? .retry(reason: "looking for an earlier attempt: \(error)") : .failed(error)
            }
        }
        if askPlace, !item.placeAsked, item.state == .pending, item.submission.landmark.latitude == nil {
            let words = item.submission.landmark.text.trimmingCharacters(in: .whitespacesAndNewlines)
            // A failed lookup is not fatal: `submit` asks the geocoder again and reports its own failure.
            if !words.isEmpty, let places = try? await platform.geocode(words, near: context.fallbackPoint), places.count > 1 {
                return .ask(places)
            }
        }
        if duplicateHint, !item.duplicateAsked, item.state == .pending, let latitude = item.submission.landmark.latitude,
            let longitude = item.submission.landmark.longitude,
            // Best effort: without an answer from /around/nearby the report is filed as usual.
            let nearby = try? await platform.nearby(category: item.submission.platformCategory,
                                                   at: Coordinate(latitude: latitude, longitude: longitude)),
            let first = nearby.first
        {
            return .hint(reference: first.id)
        }
        let now = clock()
        try await store.write { tx in
            guard var current = try tx.submission(id: id) else { return }
            current.state = .posting
            current.postedAt = now
            current.updatedAt = now
            try tx.updateSubmission(current)
        }
        do {
            let receipt = try await platform.submit(item.submission, context: context)
            guard let reportID = receipt.id else {
                if let token = receipt.token { return .accepted(token: token) }
                return .retry(reason: "accepted without an id or a token")
            }
            return .submitted(id: reportID, adopted: false)
        } catch {
            return error.isRetryable ? .retry(reason: "\(error)") : .failed(error)
        }
    }

    /// "Received, the reference follows": once, when the platform is slow.
    func queuePendingNotice(_ id: Int64, deployment: Deployment) async throws {
        let now = clock()
        let queued = try await store.write { tx -> Bool in
            guard var current = try tx.submission(id: id), !current.pendingNoticeSent, current.state == .pending || current.state == .posting,
                current.platformToken == nil
            else { return false }
            current.pendingNoticeSent = true
            current.updatedAt = now
            try tx.updateSubmission(current)
            let reply = Engine.referencePending(to: current.submission.phone, language: current.submission.language, deployment)
            try tx.enqueue(OutboxItem(gateway: current.gateway, deployment: deployment.id, phone: current.submission.phone, text: reply.text,
                                      nextAttemptAt: now, createdAt: now))
            return true
        }
        if queued { outboxSignal.notify() }
    }

    func withdraw(_ id: Int64, reason: String) async throws {
        let now = clock()
        try await store.write { tx in
            guard var current = try tx.submission(id: id), current.state == .awaitingResident else { return }
            current.leaseOwner = nil
            current.state = .withdrawn
            current.lastError = reason
            current.updatedAt = now
            try tx.updateSubmission(current)
        }
        logger.info("report withdrawn", metadata: ["reason": "\(reason)"])
    }

    /// Parks the submission until the resident answers the follow-up `question` (or it expires after the dialog's session
    /// timeout) and queues the question. An opted-out resident cannot be asked: the submission goes on at once, as if the
    /// question had expired. Returns whether an SMS was queued.
    static func ask(_ current: inout PendingSubmission, _ tx: any StoreTransaction, _ deployment: Deployment, now: Date,
                    question: (Session) -> (session: Session, replies: [Reply])) throws -> Bool {
        let phone = current.submission.phone
        if try tx.isOptedOut(deployment: deployment.id, phone: phone) {
            current.nextAttemptAt = now
            try tx.updateSubmission(current)
            return false
        }
        current.state = .awaitingResident
        current.nextAttemptAt = now.addingTimeInterval(deployment.dialog.sessionTimeout + 1)
        try tx.updateSubmission(current)
        let asked = question(try tx.session(deployment: deployment.id, phone: phone) ?? Session(phone: phone, deployment: deployment.id))
        try tx.saveSession(asked.session, at: now)
        for reply in asked.replies {
            try tx.enqueue(OutboxItem(gateway: current.gateway, deployment: deployment.id, phone: phone, text: reply.text,
                                      nextAttemptAt: now, createdAt: now))
        }
        return true
    }

    func reschedule(_ id: Int64, reason: String) async throws {
        let now = clock()
        let delay = policy.maximumDelay
        try await store.write { tx in
            guard var current = try tx.submission(id: id) else { return }
            current.leaseOwner = nil
            current.lastError = reason
            current.nextAttemptAt = now.addingTimeInterval(delay)
            current.updatedAt = now
            try tx.updateSubmission(current)
        }
    }

    func record(_ outcome: Outcome, for id: Int64, runtime: PlatformRuntime) async throws {
        let now = clock()
        let deployment = runtime.deployment
        let platformName = runtime.definition.type.rawValue
        let policy = self.policy
        let giveUpAfter = runtime.definition.giveUpAfter
        let random = Double.random(in: 0...1)
        let queued = try await store.write { tx -> Bool in
            guard var current = try tx.submission(id: id), current.state != .submitted, current.state != .failed else { return false }
            current.leaseOwner = nil
            let phone = current.submission.phone
            let language = current.submission.language
            current.updatedAt = now
            // Every try counts for the backoff, including looking for an earlier attempt's report or exchanging a token.
            switch outcome {
            case .ask, .hint: break
            default: current.attempts += 1
            }
            switch outcome {
            case .submitted(let reference, _):
                if try tx.report(deployment: deployment.id, reference: reference) == nil {
                    try tx.insertReport(
                        ReportRecord(reference: reference, submission: current.submission, status: .open, gateway: current.gateway,
                                     createdAt: current.createdAt, updatedAt: now),
                        platform: platformName)
                }
                current.state = .submitted
                current.platformID = reference
                current.lastError = nil
                try tx.updateSubmission(current)
                if var session = try tx.session(deployment: deployment.id, phone: phone), !session.references.contains(reference) {
                    session.references.append(reference)
                    try tx.saveSession(session, at: now)
                }
                let thanks = Engine.thanks(reference: reference, to: phone, language: language, deployment)
                try tx.enqueue(OutboxItem(gateway: current.gateway, deployment: deployment.id, phone: phone, text: thanks.text,
                                          nextAttemptAt: now, createdAt: now))
                return true
            case .ask(let places):
                guard current.state == .pending else { return false }
                current.placeAsked = true
                let options = places.map { PlaceOption(name: $0.name, coordinate: $0.coordinate) }
                return try Self.ask(&current, tx, deployment, now: now) {
                    Engine.askPlace($0, ticket: String(id), places: options, language: language, deployment, now: now)
                }
            case .hint(let reference):
                guard current.state == .pending else { return false }
                current.duplicateAsked = true
                return try Self.ask(&current, tx, deployment, now: now) {
                    Engine.askDuplicate($0, ticket: String(id), reference: reference, language: language, deployment, now: now)
                }
            case .accepted(let token):
                current.platformToken = token
                current.state = .pending
                current.lastError = "accepted with token \(token); waiting for the platform to number it"
                current.nextAttemptAt = now.addingTimeInterval(policy.delay(afterAttempts: max(1, current.attempts), random: random))
                try tx.updateSubmission(current)
                return false
            case .retry(let reason) where now.timeIntervalSince(current.createdAt) > giveUpAfter:
                current.state = .failed
                current.lastError = "given up after " + (giveUpAfter >= 3600 ? "\(Int(giveUpAfter / 3600)) h" : "\(Int(giveUpAfter)) s") + ": \(reason)"
                try tx.updateSubmission(current)
                let reply = Engine.message(.temporarilyUnavailable, [:], to: phone, language: language, deployment)
                try tx.enqueue(OutboxItem(gateway: current.gateway, deployment: deployment.id, phone: phone, text: reply.text,
                                          nextAttemptAt: now, createdAt: now))
                return true
            case .retry(let reason):
                current.lastError = reason
                current.nextAttemptAt = now.addingTimeInterval(policy.delay(afterAttempts: max(1, current.attempts), random: random))
                try tx.updateSubmission(current)
                return false
            case .failed(let error):
                current.state = .failed
                current.lastError = error.description
                try tx.updateSubmission(current)
                let message = error.residentMessage
                if message == .referencePending, current.pendingNoticeSent { return false }
                guard let textID = message.textID else { return false }
                let reply = Engine.message(textID, [:], to: phone, language: language, deployment)
                try tx.enqueue(OutboxItem(gateway: current.gateway, deployment: deployment.id, phone: phone, text: reply.text,
                                          nextAttemptAt: now, createdAt: now))
                return true
            }
        }
        switch outcome {
        case .submitted(let reference, let adopted):
            logger.info("report filed", metadata: ["deployment": "\(deployment.id)", "reference": "\(reference)", "found_again": "\(adopted)"])
        case .ask(let places):
            logger.info("several places for the resident's words; asking which", metadata: ["deployment": "\(deployment.id)", "places": "\(places.count)"])
        case .hint(let reference):
            logger.info("an open report of the same category is nearby; asking the resident", metadata: [
                "deployment": "\(deployment.id)", "nearby": "\(reference)",
            ])
        case .accepted:
            logger.info("report accepted with a token; the id follows", metadata: ["deployment": "\(deployment.id)"])
        case .retry(let reason):
            logger.warning("report not filed yet, will retry", metadata: ["deployment": "\(deployment.id)", "reason": "\(reason)"])
        case .failed(let error):
            logger.error("report refused for good", metadata: ["deployment": "\(deployment.id)", "error": "\(error.operatorMessage)"])
        }
        if queued { outboxSignal.notify() }
    }
}
