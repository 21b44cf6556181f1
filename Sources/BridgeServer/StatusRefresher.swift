import BridgeCore
import BridgeStore
import Foundation
import Logging
import Platform
import ServiceLifecycle

/// Answers STATUS questions about reports whose stored status may be stale, after asking the platform.
///
/// The inbound transaction stores the question durably (``StatusRequest``) instead of answering from a status the poller
/// last saw hours ago; this worker asks the platform (bounded by `timeout`, so a slow platform delays the answer by at
/// most that), records what it saw, and answers. When the platform cannot be reached the stored status is sent: the
/// resident always gets an answer. USSD residents already had the stored status on screen, so for them only a change
/// is texted.
public struct StatusRefresher: Service, CustomStringConvertible {
    /// ServiceLifecycle logs `"\(service)"`: a plain name keeps the platform credentials out of the logs.
    public var description: String { "StatusRefresher" }

    let store: any Store
    let platforms: [String: PlatformRuntime]
    let signal: OutboxSignal
    let outboxSignal: OutboxSignal
    let logger: Logger
    let timeout: Duration
    let clock: @Sendable () -> Date

    public init(store: any Store, platforms: [String: PlatformRuntime], signal: OutboxSignal, outboxSignal: OutboxSignal, logger: Logger,
                timeout: Duration = .seconds(10), clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.platforms = platforms
        self.signal = signal
        self.outboxSignal = outboxSignal
        self.logger = logger
        self.timeout = timeout
        self.clock = clock
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    if try await answerWaiting() == 0 { await signal.wait(timeout: .seconds(1)) }
                } catch is CancellationError where Task.isCancelled || Task.isShuttingDownGracefully {
                    // Only our own cancellation stops the worker: a CancellationError from inside a pass (a store call cancelled
                    // by a timeout) is a failed pass, and a service that returns stops the whole server.
                    return
                } catch {
                    logger.error("status refresh pass failed; retrying", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    /// One pass over the waiting questions, concurrently; returns how many were answered.
    func answerWaiting() async throws -> Int {
        let waiting = try await store.read { try $0.statusRequests(limit: 20) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for request in waiting { group.addTask { try await answer(request) } }
            try await group.waitForAll()
        }
        return waiting.count
    }

    /// The platform's state of the report, or nil when it did not answer in time (or no longer shows it).
    func currentState(of reference: String, on platform: any ReportPlatform) async -> ReportState? {
        let timeout = self.timeout
        return await withTaskGroup(of: ReportState?.self) { group in
            group.addTask { try? await platform.state(of: reference) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    func answer(_ request: StatusRequest) async throws {
        guard let id = request.id else { return }
        let state: ReportState? = if let runtime = platforms[request.deployment] {
            await currentState(of: request.reference, on: runtime.platform)
        } else {
            nil
        }
        if state == nil {
            logger.notice("status question answered from the store; the platform did not answer",
                          metadata: ["deployment": "\(request.deployment)", "reference": "\(request.reference)"])
        }
        let now = clock()
        let deployment = platforms[request.deployment]?.deployment
        let queued = try await store.write { tx -> Bool in
            // Gone already: another instance sharing the store answered it.
            guard try tx.deleteStatusRequest(id: id) else { return false }
            guard let deployment, let report = try tx.report(deployment: request.deployment, reference: request.reference) else { return false }
            var status = report.status
            if let state {
                status = state.status ?? report.status
                try tx.updateTracking(deployment: request.deployment, reference: request.reference, status: status, platformUpdated: nil,
                                      platformState: state.label, at: now)
            }
            guard request.answers || status != report.status else { return false }
            if try tx.isOptedOut(deployment: request.deployment, phone: request.phone) { return false }
            let reply = Engine.status(status, reference: request.reference, to: request.phone, language: request.language, deployment)
            try tx.enqueue(OutboxItem(gateway: request.gateway, deployment: request.deployment, phone: request.phone, text: reply.text,
                                      nextAttemptAt: now, createdAt: now))
            return true
        }
        if queued { outboxSignal.notify() }
    }
}
