import AsyncHTTPClient
import BridgeCore
import BridgeStore
import Foundation
import NIOCore
@testable import TestDoubles

/// What the load balancer in front of the two instances saw.
actor Balancer {
    private(set) var answered: [Int: Int] = [:]
    /// Turns whose first try got no answer (or a 5xx) and were sent again, to the other instance.
    private(set) var failovers = 0
    private(set) var acknowledged: [String] = []
    /// Turns acknowledged when the victim was killed, and when.
    private(set) var killedAfter: Int?
    private(set) var killedAt: Date?
    /// The longest a turn took, from its first try to its 2xx.
    private(set) var slowest: Duration = .zero

    var turnsDone: Int { acknowledged.count }

    func done(_ id: String, port: Int, failedOver: Bool, took: Duration) {
        answered[port, default: 0] += 1
        if failedOver { failovers += 1 }
        acknowledged.append(id)
        slowest = max(slowest, took)
    }

    /// What the victim held when it died: outbox ids and submission phones still claimed by it (read right after the kill).
    private(set) var heldReplies: [String] = []
    private(set) var heldSubmissions: [String] = []

    func killed() {
        killedAfter = acknowledged.count
        killedAt = Date()
    }

    func held(replies: [String], submissions: [String]) {
        heldReplies = replies
        heldSubmissions = submissions
    }
}

extension Scenarios {
    /// How long a claim stays with an instance (`server.lease`): the dead instance's claims are taken over after it.
    static let twoInstanceLease = 10

    /// One conversation: guided in Albanian (language menu, category, landmark, description, confirm) for two residents in
    /// three, a one-shot report and its confirmation for the third. The description names the resident either way.
    static func twoInstanceScript(_ index: Int) -> [String] {
        if index % 3 == 2 { return [oneShot(index), "po"] }
        return ["Përshëndetje", "1", "2", "te sheshi skenderbeu", "Drita e shtyllës nr \(index) nuk punon", "po"]
    }

    /// The load balancer's HTTP client. A refused connection fails the request at once, as a balancer moves on to the next
    /// upstream; the shared client would instead retry connecting to the dead instance until the request's timeout.
    static func balancerClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 16
        configuration.timeout.connect = .seconds(2)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// A load balancer's delivery of one webhook: to a random instance, and when that one gives no answer (connection
    /// refused or cut) or a 5xx, the same request (same provider message id) to the other one, until a 2xx.
    static func sayBalanced(_ resident: Resident, _ text: String, id: String, ports: [Int], balancer: Balancer, client: HTTPClient,
                            patience: Duration = .seconds(120)) async throws {
        let started = ContinuousClock.now
        let deadline = started + patience
        var port = ports.randomElement()!
        var tries = 0
        while true {
            tries += 1
            if let status = await resident.sayOnce(text, id: id, port: port, client: client), (200..<300).contains(status) {
                await balancer.done(id, port: port, failedOver: tries > 1, took: ContinuousClock.now - started)
                return
            }
            guard ContinuousClock.now < deadline else { throw FaultsError("\(id) was never accepted by either instance") }
            port = ports.first { $0 != port } ?? port
            if tries % 2 == 0 { try await Task.sleep(for: .milliseconds(50)) }
        }
    }

    /// `url` with `schema=NAME` added: the store creates the schema, so each run starts empty and sees no other run's rows.
    static func withSchema(_ url: String, _ schema: String) -> String {
        url + (url.contains("?") ? "&" : "?") + "schema=\(schema)"
    }

    /// Drops the run's schema (best effort, with psql when it is on PATH) once everything passed.
    static func dropSchema(_ url: String, _ schema: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-XqAt", "-c", "drop schema if exists \(schema) cascade"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return }
        process.waitUntilExit()
    }

    // MARK: Two instances on PostgreSQL

    /// Two `smsbridge serve` processes on one PostgreSQL schema (issue 8), behind a load balancer that sends each turn of a
    /// conversation to either at random. One is killed with SIGKILL once about 40% of the turns are in, and not
    /// restarted: every conversation completes through the survivor, which takes over what the dead one had claimed when
    /// its lease runs out; no report is filed twice and no resident gets an SMS twice.
    static func twoInstances(_ options: SuiteOptions, tally: Tally) async throws {
        guard let baseURL = options.postgresURL else {
            await tally.check("two instances", true, "skipped: no --postgres URL")
            return
        }
        let schema = "faults_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        let url = withSchema(baseURL, schema)
        try await GatewayDouble.with(hold: .seconds(1)) { gateway in
            try await FixMyStreetDouble.with(configure: { await $0.configure(bodies: [prishtina]) }) { fms in
                let ports = [try freePort(), try freePort()]
                let workspace = try Workspace(root: options.root, name: "two", gatewayPort: gateway.port, fixMyStreetPort: fms.port,
                                              bridgePort: ports[0])
                let environment = Workspace.environment.merging(["SMSBRIDGE_POSTGRES_URL": url]) { $1 }
                var instances: [BridgeProcess] = []
                for (name, port) in zip(["a", "b"], ports) {
                    instances.append(BridgeProcess(executable: options.executable, directory: workspace.directory, port: port,
                                                   environment: environment,
                                                   configFile: try workspace.instanceConfig(name, lease: twoInstanceLease),
                                                   logName: "bridge-\(name).log"))
                }
                // Whatever happens, no server outlives the scenario (stop() does nothing to one that already exited).
                defer { for instance in instances { instance.stop() } }
                // One after the other: the second finds the schema migrated (the store serialises migrations anyway).
                for instance in instances { try await instance.start() }
                let victimIndex = Int.random(in: 0...1)
                let victim = instances[victimIndex]
                let survivor = instances[1 - victimIndex]
                let victimName = victimIndex == 0 ? "a" : "b"
                let survivorName = victimIndex == 0 ? "b" : "a"

                let phones = (0..<options.residents).map { phone($0, block: 6) }
                let scripts = phones.indices.map(twoInstanceScript)
                let totalTurns = scripts.map(\.count).reduce(0, +)
                let balancer = Balancer()
                let client = balancerClient()
                // Opened before the load, to read what the victim had claimed the moment it is killed.
                let store = try await PostgresStore(url: url + "&pool=2")
                // Residents start over a few seconds and think a little between turns, so the load is still going when
                // the kill comes, with turns in flight on the victim.
                let span = max(3.0, Double(options.residents) * 0.05)
                let started = ContinuousClock.now
                let loadError: (any Error)? = await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, number) in phones.enumerated() {
                        group.addTask {
                            try await Task.sleep(for: .milliseconds(Int.random(in: 0...Int(span * 1000))))
                            let resident = Resident(phone: number, port: ports[0], gateway: Workspace.gatewayID)
                            for (turn, text) in scripts[index].enumerated() {
                                try await sayBalanced(resident, text, id: "two-\(index)-\(turn + 1)", ports: ports, balancer: balancer,
                                                      client: client)
                                try await Task.sleep(for: .milliseconds(Int.random(in: 0...300)))
                            }
                        }
                    }
                    group.addTask {
                        let target = totalTurns * 2 / 5
                        while await balancer.turnsDone < target { try await Task.sleep(for: .milliseconds(10)) }
                        victim.crash()
                        await balancer.killed()
                        let (replies, submissions) = try await store.read { tx in
                            (try tx.outboxItems(phone: nil).filter { $0.leaseOwner == victimName && $0.status == .queued }.map(\.id),
                             try tx.submissions().filter { $0.leaseOwner == victimName && ![.submitted, .failed, .withdrawn].contains($0.state) }
                                .map(\.submission.phone))
                        }
                        await balancer.held(replies: replies, submissions: submissions)
                    }
                    // The first failure ends the load: waitForAll would wait for the killer, whose turn count may never come.
                    do {
                        for try await _ in group {}
                        return nil
                    } catch {
                        group.cancelAll()
                        return error
                    }
                }
                try? await client.shutdown()
                if let loadError {
                    let states = zip(["a", "b"], instances).map { "\($0) \($1.isRunning ? "running" : "exited")" }.joined(separator: ", ")
                    victim.crash()
                    survivor.stop()
                    await store.close()
                    await tally.check("two instances: load", false,
                                      "stopped after \(await balancer.turnsDone) of \(totalTurns) turns: \(loadError); \(states) "
                                          + "(victim \(victimName)\(await balancer.killedAfter == nil ? ", not killed yet" : ", killed")); "
                                          + "logs kept in \(workspace.directory.path), schema \(schema)")
                    return
                }
                let load = ContinuousClock.now - started
                let loadSeconds = Double(load.components.seconds) + Double(load.components.attoseconds) / 1e18

                // No more input. What the victim had claimed comes back after the lease; everything finishes on the survivor.
                let finalWait = Double(twoInstanceLease) + 90
                let settleStarted = ContinuousClock.now
                let settled = try await eventually(finalWait) { await everyoneAcknowledged(phones, gateway: gateway.ledger, fms: fms) }
                let settleSeconds = (ContinuousClock.now - settleStarted).components.seconds

                let phoneSet = Set(phones)
                // The acknowledgement is the last reply of a conversation: wait for the rest of the outbox to drain too.
                let drained = try await eventually(30) {
                    try await store.read { tx in try tx.outboxItems(phone: nil).filter { phoneSet.contains($0.phone) && $0.status == .queued }.isEmpty }
                }
                let survivorRunning = await survivor.isHealthy()
                survivor.stop()

                let ids = await balancer.acknowledged
                let missing = try await store.read { tx in
                    try ids.filter { try tx.inbound(gateway: Workspace.gatewayID, providerID: $0) == nil }
                }
                var outOfOrder: [String] = []
                var undelivered = 0
                var queuedTotal = 0
                for phone in phones {
                    let items = try await store.read { try $0.outboxItems(phone: phone) }
                    let ordered = items.allSatisfy { $0.sequence != nil }
                        ? items.sorted { $0.sequence! < $1.sequence! } : items.sorted { $0.createdAt < $1.createdAt }
                    let queued = ordered.map(\.id)
                    let delivered = await gateway.ledger.delivered(to: phone).map(\.id)
                    queuedTotal += queued.count
                    undelivered += queued.filter { !delivered.contains($0) }.count
                    if delivered != queued { outOfOrder.append(String(phone.suffix(4))) }
                }
                await store.close()

                let reports = await countReports(phones, fms: fms)
                let allReports = await fms.state.reports
                let wrongDescription = phones.enumerated().filter { index, phone in
                    !allReports.filter { $0.username == phone }.allSatisfy { $0.detail.contains("nr \(index) nuk") }
                }.map { String($0.element.suffix(4)) }
                let posts = await fms.requests("/report/new/mobile", method: "POST")
                let postsPerPhone = Dictionary(grouping: posts, by: { $0.field("username") ?? "" }).mapValues(\.count)
                let repostedPhones = phones.filter { (postsPerPhone[$0] ?? 0) > 1 }
                // Who never heard back with a reference, and how many of their turns were answered at all.
                var unfinished: [String] = []
                for (index, phone) in phones.enumerated() {
                    let texts = await gateway.ledger.delivered(to: phone).map(\.text)
                    if !texts.contains(where: { $0.contains("numrin") }) {
                        unfinished.append("\(phone.suffix(4)): \(texts.count) of \(scripts[index].count) replies")
                    }
                }
                let duplicates = await gateway.ledger.duplicates()
                let resends = await gateway.ledger.resends
                let answered = await balancer.answered
                let failovers = await balancer.failovers
                let slowest = await balancer.slowest
                let killedAfter = await balancer.killedAfter

                await tally.add(lost: missing.count + reports.missing, duplicateReports: reports.duplicates, duplicateSMS: duplicates.count)
                await tally.check("two instances: load spread, one killed", (answered[ports[0]] ?? 0) > 0 && (answered[ports[1]] ?? 0) > 0
                                      && killedAfter != nil && victim.starts == 1 && survivor.starts == 1 && survivorRunning,
                                  "\(phones.count) residents, \(totalTurns) turns in \(String(format: "%.1f", loadSeconds)) s: "
                                      + "a answered \(answered[ports[0]] ?? 0), b \(answered[ports[1]] ?? 0); \(victimName) killed (kill -9) after "
                                      + "\(killedAfter.map(String.init) ?? "no") turns and not restarted; \(failovers) turns sent again to the other "
                                      + "instance; slowest turn \(slowest.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow))); "
                                      + "\(survivorName) \(survivorRunning ? "still serving" : "NOT serving") at the end")
                await tally.check("two instances: acknowledged messages stored", missing.isEmpty,
                                  "\(ids.count) acknowledged, \(missing.count) missing from PostgreSQL \(missing.prefix(5))")
                await tally.check("two instances: every conversation completed through the survivor", settled && drained,
                                  settled ? "every resident got the acknowledgement with the id, \(settleSeconds) s after the load "
                                      + "(lease \(twoInstanceLease) s)"
                                      + (drained ? "" : "; but replies were still queued 30 s later")
                                      : "\(unfinished.count) residents without the acknowledgement \(Int(finalWait)) s after the load "
                                      + "\(unfinished.prefix(5))")
                let heldReplies = await balancer.heldReplies
                let heldSubmissions = await balancer.heldSubmissions
                let deliveredIDs = Set(await gateway.ledger.delivered.map(\.id))
                let repliesTakenOver = heldReplies.filter(deliveredIDs.contains).count
                let submissionsTakenOver = heldSubmissions.filter { phone in allReports.filter { $0.username == phone }.count == 1 }.count
                await tally.check("two instances: the dead instance's claims taken over",
                                  repliesTakenOver == heldReplies.count && submissionsTakenOver == heldSubmissions.count,
                                  "\(victimName) held \(heldReplies.count) replies and \(heldSubmissions.count) submissions when killed; "
                                      + "\(survivorName) delivered \(repliesTakenOver) of those replies once and filed \(submissionsTakenOver) of those "
                                      + "reports once")
                await tally.check("two instances: one report per conversation", reports.missing == 0 && reports.duplicates == 0 && wrongDescription.isEmpty,
                                  "\(phones.count) conversations, \(reports.missing) without a report, \(reports.duplicates) extra, "
                                      + "\(wrongDescription.count) with another resident's description \(wrongDescription.prefix(5))")
                await tally.check("two instances: one FixMyStreet POST per report", repostedPhones.isEmpty,
                                  "\(posts.count) POST /report/new/mobile for \(phones.count) residents; posted more than once: "
                                      + "\(repostedPhones.count) \(repostedPhones.prefix(5).map { $0.suffix(4) })")
                await tally.check("two instances: no SMS twice", duplicates.isEmpty,
                                  "\(await gateway.ledger.delivered.count) delivered, \(duplicates.count) duplicated \(duplicates.prefix(3)); "
                                      + "\(resends) resends of an id already delivered absorbed by the id (contract: idempotency key)")
                await tally.check("two instances: every reply delivered once, per resident in order", outOfOrder.isEmpty && undelivered == 0,
                                  "\(queuedTotal) replies queued, \(undelivered) not delivered; out of order or extra: \(outOfOrder.count) "
                                      + "\(outOfOrder.prefix(5))")
                let passed = settled && drained && missing.isEmpty && outOfOrder.isEmpty && reports.missing == 0 && reports.duplicates == 0
                if passed && ProcessInfo.processInfo.environment["KEEP_FAULTS_DIR"] != "1" {
                    workspace.remove()
                    dropSchema(baseURL, schema)
                } else {
                    print("     two instances: kept \(workspace.directory.path) (bridge-a.log, bridge-b.log) and schema \(schema)")
                }
            }
        }
    }
}
