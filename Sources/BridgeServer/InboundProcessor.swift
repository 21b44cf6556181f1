import BridgeCore
import BridgeStore
import Crypto
import Foundation
import Gateways
import Logging

/// Turns a verified webhook into committed state and the gateway's answer, in one store transaction per request.
///
/// The order is the durability contract: dedupe, engine step, session, outbox, answer — all committed before the
/// gateway hears anything, so a crash before the answer makes the gateway retry and the retry finds the first answer.
struct InboundProcessor: Sendable {
    let store: any Store
    let logger: Logger
    let metrics: BridgeMetrics
    let outboxSignal: OutboxSignal
    /// Deployments whose reports go to a remote platform: stored pending for the report forwarder instead of numbered here.
    var forwardedDeployments: Set<String> = []
    var submissionSignal: OutboxSignal?
    /// Deployment → how old a remote report's status may be before a STATUS question asks the platform again.
    var statusStaleAfter: [String: TimeInterval] = [:]
    /// Wakes the status refresher when a STATUS question waits for the platform.
    var statusSignal: OutboxSignal?
    /// The outbox's retry policy: a delivery report saying a failure is temporary puts the message back in the queue.
    var retryPolicy = RetryPolicy()
    /// The per-sender rate limit and loop guard: an SMS over the limit is stored and acknowledged, but not answered.
    var senderGuard: SenderGuard?
    /// Sessions as this process last stored them, so the engine step runs before the serialised write (see ``prepare``).
    var snapshots = SessionSnapshots()

    /// What a request produced.
    struct Outcome: Sendable {
        var answer: GatewayResponse
        var duplicate: Bool
        var processed: Int
        /// A STATUS question waits for the status refresher.
        var refresh = false
        /// The sessions written, as stored, for ``SessionSnapshots`` once the write committed.
        var saved: [SessionSnapshots.Snapshot] = []
    }

    func process(_ inbound: [GatewayInbound], gateway: GatewayRuntime, now: Date) async throws -> Outcome {
        let deployment = gateway.deployment
        let adapter = gateway.adapter
        let gatewayID = gateway.id
        let logger = self.logger
        let forwarded = forwardedDeployments.contains(deployment.id)
        let staleAfter = statusStaleAfter[deployment.id]
        let prepared = await prepare(inbound, deployment: deployment, now: now)
        let outcome = try await store.write { tx -> Outcome in
            var screens: [String] = []
            var ends = false
            var inserted: [Int64] = []
            var firstDuplicateAnswer: StoredAnswer?
            var duplicates = 0
            var wakeRefresher = false
            var saved: [SessionSnapshots.Snapshot] = []
            for (index, message) in inbound.enumerated() {
                guard case .e164(let phone) = PhoneNumber.normalize(message.from, defaultRegion: deployment.region) else {
                    logger.notice("inbound from a sender we cannot answer", metadata: ["gateway": "\(gatewayID)", "from": "\(PhoneNumber.masked(message.from))"])
                    continue
                }
                let providerID = Self.providerID(message)
                if let existing = try tx.inbound(gateway: gatewayID, providerID: providerID) {
                    duplicates += 1
                    if firstDuplicateAnswer == nil { firstDuplicateAnswer = existing.answer }
                    continue
                }
                var text = message.text
                if message.channel == .ussd, let sessionID = message.ussdSessionID {
                    let previous = try tx.ussdText(gateway: gatewayID, sessionID: sessionID)
                    try tx.setUSSDText(message.text, gateway: gatewayID, sessionID: sessionID, at: now)
                    switch USSDTextDiff.turn(previous: previous, current: message.text) {
                    case .start: text = ""
                    case .input(let input), .resynced(let input): text = input
                    case .repeated: text = ""
                    }
                }
                let record = InboundRecord(
                    gateway: gatewayID, providerID: providerID, phone: phone, deployment: deployment.id, text: message.text,
                    channel: message.channel == .ussd ? .ussd : .sms, receivedAt: message.receivedAt)
                inserted.append(try tx.insertInbound(record))
                if let concat = message.concat {
                    guard let parts = try tx.addConcatPart(gateway: gatewayID, phone: phone, reference: concat.reference, total: concat.total,
                                                           part: concat.part, text: message.text, at: now)
                    else { continue }
                    text = parts.joined()
                }
                if record.channel == .sms, let senderGuard,
                    !senderGuard.admits(phone, deployment: deployment, gateway: gatewayID, message: gatewayID + " " + providerID, at: now),
                    deployment.matching.keywords.match(text)?.id != KeywordID.stop.rawValue
                {
                    // An opt-out is honoured whatever the rate: a person who floods in anger and then sends STOP must stop hearing from us.
                    continue
                }
                let stored = try tx.sessionData(deployment: deployment.id, phone: phone)
                let result: StepResult
                var encoded: Data?
                if let step = prepared[index], step.snapshot == stored {
                    // Nothing changed since the snapshot: the step made before the write is the step.
                    result = step.result
                    encoded = step.encoded
                } else {
                    result = Engine.step(
                        try stored.map(StoreCoding.decodeSession),
                        InboundMessage(from: phone, text: text, receivedAt: now, channel: record.channel), deployment, now: now)
                }
                var session = result.session
                var extraSMS: [Reply] = []
                var ussdOverride: Reply?
                let optingOut = result.effects.contains(.optOut)
                for effect in result.effects {
                    switch effect {
                    case .submitReport(let submission) where forwarded:
                        // Durable now; the report forwarder files it and sends the acknowledgement with the platform's id.
                        _ = try tx.insertSubmission(PendingSubmission(submission: submission, gateway: gatewayID, nextAttemptAt: now, createdAt: now))
                    case .submitReport(let submission):
                        let reference = try tx.nextLocalReference()
                        try tx.insertReport(ReportRecord(reference: reference, submission: submission, status: .open, gateway: gatewayID,
                                                         createdAt: now, updatedAt: now))
                        session.references.append(reference)
                        encoded = nil
                        extraSMS.append(Engine.thanks(reference: reference, to: phone, language: submission.language, deployment))
                    case .statusQuery(let reference):
                        let language = session.language ?? deployment.defaultLanguage
                        let reply: Reply
                        if let reference, let report = try tx.report(deployment: deployment.id, reference: reference),
                            report.submission.phone == phone
                        {
                            if let staleAfter, let tracked = try tx.tracking(deployment: deployment.id, reference: reference),
                                now.timeIntervalSince(tracked.checkedAt ?? tracked.record.createdAt) > staleAfter
                            {
                                // Asked again before answering (SMS) or texted only if it changed (USSD, answered below at once).
                                let waits = record.channel != .ussd
                                try tx.insertStatusRequest(StatusRequest(deployment: deployment.id, reference: reference, phone: phone,
                                                                         gateway: gatewayID, language: language, answers: waits, createdAt: now))
                                wakeRefresher = true
                                if waits { continue }
                            }
                            reply = Engine.status(report.status, reference: reference, to: phone, language: language, deployment)
                        } else {
                            reply = Engine.unknownReference(reference ?? "", to: phone, language: language, deployment)
                        }
                        if record.channel == .ussd { ussdOverride = reply } else { extraSMS.append(reply) }
                    case .placeChosen(let ticket, let place):
                        guard var waiting = try Self.waitingSubmission(ticket, from: phone, tx) else { continue }
                        if let place {
                            waiting.submission.landmark.latitude = place.coordinate.latitude
                            waiting.submission.landmark.longitude = place.coordinate.longitude
                        }
                        try Self.release(&waiting, as: .pending, at: now, tx)
                    case .duplicateAnswered(let ticket, let addAnyway):
                        guard var waiting = try Self.waitingSubmission(ticket, from: phone, tx) else { continue }
                        waiting.lastError = addAnyway ? nil : "withdrawn by the resident after the duplicate hint"
                        try Self.release(&waiting, as: addAnyway ? .pending : .withdrawn, at: now, tx)
                    case .optOut:
                        try tx.setOptedOut(true, deployment: deployment.id, phone: phone, at: now, raw: text)
                    case .optIn:
                        try tx.setOptedOut(false, deployment: deployment.id, phone: phone, at: now, raw: text)
                    }
                }
                for reply in result.replies + extraSMS {
                    if reply.channel == .ussd {
                        screens.append(reply.text)
                        ends = reply.endsSession
                    } else {
                        try tx.enqueue(OutboxItem(gateway: gatewayID, deployment: deployment.id, phone: phone, text: reply.text,
                                                  nextAttemptAt: now, bypassesOptOut: optingOut, createdAt: now))
                    }
                }
                if let ussdOverride {
                    screens = [ussdOverride.text]
                    ends = true
                }
                let data = try encoded ?? StoreCoding.encodeSession(session)
                try tx.saveSession(session, encoded: data, at: now)
                saved.append(SessionSnapshots.Snapshot(data: data, session: session))
            }
            if inserted.isEmpty, let firstDuplicateAnswer {
                return Outcome(answer: GatewayResponse(status: firstDuplicateAnswer.status, contentType: firstDuplicateAnswer.contentType,
                                                       body: firstDuplicateAnswer.body), duplicate: true, processed: 0)
            }
            let answer = adapter.answer(for: inbound, replies: screens, endsSession: ends)
            let stored = StoredAnswer(status: answer.status, contentType: answer.contentType, body: answer.body)
            for id in inserted { try tx.setAnswer(stored, forInbound: id) }
            return Outcome(answer: answer, duplicate: duplicates > 0 && inserted.isEmpty, processed: inserted.count, refresh: wakeRefresher,
                           saved: saved)
        }
        for snapshot in outcome.saved {
            if let session = snapshot.session { snapshots.remember(snapshot, deployment: session.deployment, phone: session.phone) }
        }
        if outcome.refresh { statusSignal?.notify() }
        if outcome.processed > 0 {
            outboxSignal.notify()
            if forwarded { submissionSignal?.notify() }
        }
        metrics.inbound(gateway: gatewayID, count: outcome.processed, duplicates: outcome.duplicate ? inbound.count : 0)
        return outcome
    }

    /// One message's engine step, made before the write on a snapshot of its session.
    struct PreparedStep: Sendable {
        /// The stored bytes the step started from; nil when the resident had no session.
        let snapshot: Data?
        let result: StepResult
        /// `result.session` as it will be stored.
        let encoded: Data
    }

    /// Runs the engine for each plain SMS of the request before the store's serialised write, on the session as this
    /// process last stored it (or as read now), keyed by the message's index.
    ///
    /// Why: the step and the session's coding are most of a message's work, and inside the write they run one request
    /// at a time. The write uses a prepared step only when the stored bytes are still the snapshot's, so the outcome is
    /// exactly that of the step made inside; anything else (a concatenated part, a USSD turn whose text depends on the
    /// provider session, a snapshot that could not be read) is stepped inside as before.
    func prepare(_ inbound: [GatewayInbound], deployment: Deployment, now: Date) async -> [Int: PreparedStep] {
        var phones: [Int: String] = [:]
        for (index, message) in inbound.enumerated() where message.channel == .sms && message.concat == nil {
            guard case .e164(let phone) = PhoneNumber.normalize(message.from, defaultRegion: deployment.region) else { continue }
            phones[index] = phone
        }
        guard !phones.isEmpty else { return [:] }
        var found: [Int: SessionSnapshots.Snapshot] = [:]
        var missing: [Int: String] = [:]
        for (index, phone) in phones {
            if let snapshot = snapshots.snapshot(deployment: deployment.id, phone: phone) { found[index] = snapshot } else { missing[index] = phone }
        }
        if !missing.isEmpty {
            let deploymentID = deployment.id
            let request = missing
            guard let read = try? await store.read({ tx in try request.mapValues { try tx.sessionData(deployment: deploymentID, phone: $0) } })
            else { return [:] }
            for (index, data) in read {
                if let data {
                    // Bytes that do not decode fail inside the write, as they always did.
                    guard let session = try? StoreCoding.decodeSession(data) else { continue }
                    found[index] = SessionSnapshots.Snapshot(data: data, session: session)
                } else {
                    found[index] = SessionSnapshots.Snapshot(data: nil, session: nil)
                }
            }
        }
        var prepared: [Int: PreparedStep] = [:]
        for (index, snapshot) in found {
            guard let phone = phones[index] else { continue }
            let message = inbound[index]
            let result = Engine.step(snapshot.session, InboundMessage(from: phone, text: message.text, receivedAt: now, channel: .sms),
                                     deployment, now: now)
            guard let encoded = try? StoreCoding.encodeSession(result.session) else { continue }
            prepared[index] = PreparedStep(snapshot: snapshot.data, result: result, encoded: encoded)
        }
        return prepared
    }

    /// The submission a follow-up answer is about: it waits in `awaiting_resident` until the answer (or the question's
    /// expiry) sends it on, and only the resident it belongs to can answer for it. Nil for a stale or foreign ticket.
    static func waitingSubmission(_ ticket: String, from phone: String, _ tx: any StoreTransaction) throws -> PendingSubmission? {
        guard let id = Int64(ticket), let waiting = try tx.submission(id: id), waiting.state == .awaitingResident,
            waiting.submission.phone == phone
        else { return nil }
        return waiting
    }

    /// Moves a waiting submission on now: back to the forwarder (`pending`) or out of it (`withdrawn`).
    static func release(_ waiting: inout PendingSubmission, as state: SubmissionState, at now: Date, _ tx: any StoreTransaction) throws {
        waiting.state = state
        // An instance already working on it (its question expired just now) keeps its claim: moving the next attempt to
        // now would let another instance claim and file it a second time. That instance records its own outcome.
        if waiting.leaseOwner == nil { waiting.nextAttemptAt = now }
        waiting.updatedAt = now
        try tx.updateSubmission(waiting)
    }

    /// The dedupe key: the provider's id when it gives one; USSD turns are (session, cumulative text);
    /// id-less messages a content fingerprint.
    static func providerID(_ message: GatewayInbound) -> String {
        if message.channel == .ussd, let session = message.ussdSessionID {
            return "ussd:" + session + ":" + message.text
        }
        if let id = message.providerMessageID, !id.isEmpty { return id }
        let material = [message.from, message.to, message.text, String(Int(message.receivedAt.timeIntervalSince1970))].joined(separator: "\u{1F}")
        return "sha256:" + SHA256.hash(data: Data(material.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Applies delivery reports; statuses never go backwards, and provider stop codes record an opt-out.
    func apply(_ reports: [DeliveryReport], gateway: GatewayRuntime, now: Date) async throws -> Int {
        let gatewayID = gateway.id
        let applied = try await store.write { tx -> Int in
            var applied = 0
            for report in reports {
                var status: OutboxStatus = switch report.status {
                case .queued: .queued
                case .sent: .sent
                case .delivered: .delivered
                case .failed: .failed
                }
                var found: OutboxItem?
                if let providerID = report.providerMessageID,
                    let parts = try tx.updatePart(gateway: gatewayID, providerMessageID: providerID, status: status)
                {
                    // A message sent in parts is delivered when every part is, failed as soon as one part fails.
                    found = try tx.outbox(id: parts.outboxID)
                    status = parts.parts.contains(.failed) ? .failed : parts.parts.allSatisfy { $0 == .delivered } ? .delivered : .sent
                }
                found = try found ?? report.ourID.flatMap { try tx.outbox(id: $0) }
                    ?? report.providerMessageID.flatMap { try tx.outbox(gateway: gatewayID, providerMessageID: $0) }
                guard var item = found, item.gateway == gatewayID else { continue }
                if report.optOut {
                    try tx.setOptedOut(true, deployment: item.deployment, phone: item.phone, at: now, raw: "delivery report \(report.errorCode ?? "")")
                }
                if status == .failed, report.retryable, !item.status.isFinal, item.attempts < retryPolicy.maximumAttempts {
                    // The SMSC or network refused for now (throttling, absent handset): resend with backoff, as for a send error.
                    item.status = .queued
                    item.nextAttemptAt = now.addingTimeInterval(
                        retryPolicy.delay(afterAttempts: item.attempts, retryAfter: nil, random: Double.random(in: 0...1)))
                    item.lastError = "delivery report: temporary failure \(report.errorCode ?? "")"
                    item.updatedAt = now
                    try tx.updateOutbox(item)
                    applied += 1
                    continue
                }
                guard !item.status.isFinal, status.rank > item.status.rank || status.isFinal else { continue }
                item.status = status
                item.lastError = report.errorCode.map { "delivery report: \($0)" } ?? item.lastError
                item.updatedAt = now
                try tx.updateOutbox(item)
                applied += 1
            }
            return applied
        }
        if applied > 0 { outboxSignal.notify() }
        return applied
    }
}
