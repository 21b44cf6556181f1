import BridgeCore
import BridgeStore
import Foundation
import Logging
import Platform
import ServiceLifecycle

/// Watches the reports filed on FixMyStreet/Open311 and texts the resident once per real state change, in their language.
///
/// Each cycle: one batched list (`changes(since:until:)`) per deployment, then `state(of:)` for the reports whose
/// `updated` value moved; the resident is texted only when the state residents are told changed. Closed reports are
/// looked at every `closed_poll_every` cycles only, so a reopened one is still noticed.
public struct StatusPoller: Service, CustomStringConvertible {
    /// ServiceLifecycle logs `"\(service)"`: a plain name keeps the platform credentials out of the logs.
    public var description: String { "StatusPoller" }

    let store: any Store
    let platforms: [String: PlatformRuntime]
    let outboxSignal: OutboxSignal
    let logger: Logger
    let clock: @Sendable () -> Date
    /// Overrides every deployment's `platform.poll_interval` (tests).
    let interval: TimeInterval?
    let instance: InstanceIdentity

    public init(store: any Store, platforms: [String: PlatformRuntime], outboxSignal: OutboxSignal, logger: Logger,
                interval: TimeInterval? = nil, instance: InstanceIdentity = InstanceIdentity(), clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.platforms = platforms
        self.outboxSignal = outboxSignal
        self.logger = logger
        self.interval = interval
        self.instance = instance
        self.clock = clock
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var cycle = 0
            while !Task.isCancelled {
                let wait = interval ?? platforms.values.map(\.definition.pollInterval).min() ?? 600
                // One poller at a time among the instances sharing the store: the others skip their cycles while the
                // holder renews its lease each cycle, and take over when it stops.
                let now = clock()
                let owner = instance.name
                let until = now.addingTimeInterval(max(2 * wait, wait + instance.lease))
                let holds = (try? await store.write { try $0.acquireLease(name: "status-poller", owner: owner, now: now, until: until) }) ?? false
                for runtime in platforms.values.sorted(by: { $0.deployment.id < $1.deployment.id }) where holds {
                    do {
                        _ = try await poll(runtime, includeClosed: cycle % max(1, runtime.definition.closedPollEvery) == 0)
                    } catch is CancellationError where Task.isCancelled || Task.isShuttingDownGracefully {
                        // Only our own cancellation stops the worker: a CancellationError from inside a pass (a store call
                        // cancelled by a timeout) is a failed pass, and a service that returns stops the whole server.
                        return
                    } catch {
                        logger.warning("status poll failed", metadata: ["deployment": "\(runtime.deployment.id)", "error": "\(error)"])
                    }
                }
                if holds { cycle += 1 }
                do { try await Task.sleep(for: .milliseconds(Int(wait * 1000))) } catch { return }
            }
        }
    }

    static func isClosed(_ status: ReportStatus) -> Bool { status != .open && status != .inProgress }

    /// One look at a deployment's reports; returns how many status SMS it queued.
    func poll(_ runtime: PlatformRuntime, includeClosed: Bool) async throws -> Int {
        let deployment = runtime.deployment
        let deploymentID = deployment.id
        let tracked = try await store.read { try $0.trackedReports(deployment: deploymentID) }
            .filter { includeClosed || !Self.isClosed($0.record.status) }
        guard let oldest = tracked.map(\.record.createdAt).min() else { return 0 }
        let now = clock()
        let changes = try await runtime.platform.changes(since: oldest.addingTimeInterval(-86_400), until: now.addingTimeInterval(60))
        let byReference = Dictionary(tracked.map { ($0.record.reference, $0) }, uniquingKeysWith: { first, _ in first })
        var queued = 0
        for change in changes {
            guard let known = byReference[change.id], change.updatedRaw != known.platformUpdated else { continue }
            guard let state = try await runtime.platform.state(of: change.id) else { continue }
            let status = state.status ?? known.record.status
            let updated = change.updatedRaw
            let sent = try await store.write { tx -> Bool in
                guard let report = try tx.report(deployment: deploymentID, reference: change.id) else { return false }
                try tx.updateTracking(deployment: deploymentID, reference: change.id, status: status, platformUpdated: updated,
                                      platformState: state.label, at: now)
                guard status != report.status else { return false }
                let phone = report.submission.phone
                if try tx.isOptedOut(deployment: deploymentID, phone: phone) { return false }
                let reply = Engine.status(status, reference: change.id, to: phone, language: report.submission.language, deployment)
                try tx.enqueue(OutboxItem(gateway: report.gateway, deployment: deploymentID, phone: phone, text: reply.text,
                                          nextAttemptAt: now, createdAt: now))
                return true
            }
            if sent { queued += 1 }
        }
        if queued > 0 { outboxSignal.notify() }
        return queued
    }
}
