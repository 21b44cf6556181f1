import BridgeCore
import BridgeStore
import Foundation
@testable import TestDoubles

/// What the suite needs to know to run: the binary under test, the repository's operator files, how long to go on.
struct SuiteOptions: Sendable {
    var executable: URL
    var root: URL
    var rounds: Int
    var residents: Int
    var enospcLibrary: String?
    /// Also a provider that times out (each attempt costs the bridge's 15 s request timeout).
    var timeouts: Bool
    /// A PostgreSQL database for the two-instance scenario (`postgres://…`); each run uses a fresh schema in it.
    var postgresURL: String? = nil
}

/// The tallies the summary line prints, and one line per check.
actor Tally {
    var lost = 0
    var duplicateReports = 0
    var duplicateSMS = 0
    var failures = 0

    func check(_ name: String, _ passed: Bool, _ detail: String) {
        if !passed { failures += 1 }
        print("\(passed ? "ok  " : "FAIL") \(name): \(detail)")
    }

    func add(lost: Int = 0, duplicateReports: Int = 0, duplicateSMS: Int = 0) {
        self.lost += lost
        self.duplicateReports += duplicateReports
        self.duplicateSMS += duplicateSMS
    }
}

/// Message ids the bridge acknowledged with a 2xx: each must be in the store afterwards.
actor Acknowledged {
    private(set) var ids: [String] = []
    func add(_ id: String) { ids.append(id) }
}

enum Scenarios {
    static let prishtina = DoubleBody(
        name: "Prishtinë", south: 42.60, west: 21.08, north: 42.72, east: 21.25,
        categories: ["Potholes", "Street lighting", "Rubbish", "Water leak", "Other"])

    static func phone(_ index: Int, block: Int) -> String { "+38344" + String(format: "%06d", 100_000 + block * 10_000 + index) }

    /// A one-shot report whose description names the resident, so each report is told apart.
    static func oneShot(_ index: Int) -> String { "2 / Sheshi Skenderbeu / drita e shtyllës nr \(index) nuk punon" }

    /// Polls until `condition` holds or `seconds` pass; returns whether it held.
    static func eventually(_ seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    /// Every resident has their FixMyStreet report and the acknowledgement carrying its id.
    static func everyoneAcknowledged(_ phones: [String], gateway: GatewayLedger, fms: FixMyStreetDouble) async -> Bool {
        let reports = await fms.state.reports
        for phone in phones {
            guard let report = reports.first(where: { $0.username == phone }) else { return false }
            let texts = await gateway.delivered(to: phone).map(\.text)
            guard texts.contains(where: { $0.contains("numrin \(report.id)") }) else { return false }
        }
        return true
    }

    /// Reports per resident in FixMyStreet: missing ones are lost, extra ones duplicates.
    static func countReports(_ phones: [String], fms: FixMyStreetDouble) async -> (missing: Int, duplicates: Int) {
        let reports = await fms.state.reports
        var missing = 0
        var duplicates = 0
        for phone in phones {
            let count = reports.filter { $0.username == phone }.count
            if count == 0 { missing += 1 }
            if count > 1 { duplicates += count - 1 }
        }
        return (missing, duplicates)
    }

    /// Acknowledged messages missing from the store (read after the bridge stopped).
    static func missingInbound(_ ids: [String], databasePath: String) async throws -> [String] {
        let store = try SQLiteStore(path: databasePath)
        return try await store.read { tx in
            try ids.filter { try tx.inbound(gateway: Workspace.gatewayID, providerID: $0) == nil }
        }
    }

    /// A fresh workspace and the bridge serving it, started.
    static func launch(_ options: SuiteOptions, name: String, gatewayPort: Int, fixMyStreetPort: Int,
                       environment extra: (Workspace) -> [String: String] = { _ in [:] }) async throws -> (Workspace, BridgeProcess) {
        let workspace = try Workspace(root: options.root, name: name, gatewayPort: gatewayPort, fixMyStreetPort: fixMyStreetPort,
                                      bridgePort: try freePort())
        let bridge = BridgeProcess(executable: options.executable, directory: workspace.directory, port: workspace.bridgePort,
                                   environment: Workspace.environment.merging(extra(workspace)) { $1 })
        try await bridge.start()
        return (workspace, bridge)
    }

    // MARK: Crash rounds

    /// Many residents report while the bridge is killed with SIGKILL and restarted, `rounds` times.
    static func crashRounds(_ options: SuiteOptions, tally: Tally) async throws {
        try await GatewayDouble.with(hold: .seconds(1)) { gateway in
            try await FixMyStreetDouble.with(configure: { await $0.configure(bodies: [prishtina]) }) { fms in
                let (workspace, bridge) = try await launch(options, name: "crash", gatewayPort: gateway.port, fixMyStreetPort: fms.port)
                let acknowledged = Acknowledged()
                let phones = (0..<options.residents).map { phone($0, block: 1) }
                let span = Double(options.rounds) * 0.7
                let started = ContinuousClock.now
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, number) in phones.enumerated() {
                        group.addTask {
                            try await Task.sleep(for: .milliseconds(Int.random(in: 0...Int(span * 1000))))
                            let resident = Resident(phone: number, port: workspace.bridgePort, gateway: Workspace.gatewayID)
                            try await resident.say(oneShot(index), id: "crash-\(index)-1")
                            await acknowledged.add("crash-\(index)-1")
                            try await resident.say("po", id: "crash-\(index)-2")
                            await acknowledged.add("crash-\(index)-2")
                        }
                    }
                    group.addTask {
                        for _ in 0..<options.rounds {
                            try await Task.sleep(for: .milliseconds(Int.random(in: 300...900)))
                            bridge.crash()
                            try await bridge.start()
                        }
                    }
                    try await group.waitForAll()
                }
                let loadSeconds = (ContinuousClock.now - started).components.seconds
                // No more input: what is pending must finish on its own.
                let settled = try await eventually(120) { await everyoneAcknowledged(phones, gateway: gateway.ledger, fms: fms) }
                bridge.stop()
                let ids = await acknowledged.ids
                let missing = try await missingInbound(ids, databasePath: workspace.databasePath)
                let reports = await countReports(phones, fms: fms)
                let duplicates = await gateway.ledger.duplicates()
                let resends = await gateway.ledger.resends
                await tally.add(lost: missing.count + reports.missing, duplicateReports: reports.duplicates, duplicateSMS: duplicates.count)
                await tally.check("kill -9 rounds", bridge.starts == options.rounds + 1,
                                  "\(options.rounds) kills in \(loadSeconds) s under \(phones.count) residents, \(bridge.starts) starts")
                await tally.check("acknowledged messages stored", missing.isEmpty, "\(ids.count) acknowledged, \(missing.count) missing \(missing.prefix(5))")
                await tally.check("one report per completed conversation", reports.missing == 0 && reports.duplicates == 0,
                                  "\(phones.count) conversations, \(reports.missing) without a report, \(reports.duplicates) extra")
                await tally.check("no SMS twice", duplicates.isEmpty,
                                  "\(await gateway.ledger.delivered.count) delivered, \(duplicates.count) duplicated \(duplicates.prefix(3)); "
                                      + "\(resends) resends of an id already delivered absorbed by the id (contract: idempotency key)")
                await tally.check("pending work resumed on its own", settled, settled ? "every resident got the acknowledgement with the id"
                                      : "not every acknowledgement arrived within 120 s; log: \(workspace.directory.path)/bridge.log")
                if settled && missing.isEmpty { workspace.remove() }
            }
        }
    }

    // MARK: Gateway outage

    /// The provider answers 503 (or, with `hanging`, holds every request past the bridge's 15 s timeout) for a while:
    /// everything queued goes out afterwards, per resident in order, with backoff.
    static func gatewayOutage(_ options: SuiteOptions, tally: Tally, hanging: Bool = false) async throws {
        let name = hanging ? "gateway timing out then up" : "gateway 503 then up"
        try await GatewayDouble.with(hold: .seconds(20)) { gateway in
            try await FixMyStreetDouble.with(configure: { await $0.configure(bodies: [prishtina]) }) { fms in
                let (workspace, bridge) = try await launch(options, name: hanging ? "timeout" : "gateway", gatewayPort: gateway.port,
                                                           fixMyStreetPort: fms.port)
                await gateway.ledger.set(hanging ? .hanging : .failing)
                let phones = (0..<(hanging ? 3 : max(3, options.residents / 4))).map { phone($0, block: hanging ? 5 : 2) }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, number) in phones.enumerated() {
                        group.addTask {
                            let resident = Resident(phone: number, port: workspace.bridgePort, gateway: Workspace.gatewayID)
                            try await resident.say(oneShot(index), id: "gw-\(index)-1")
                            try await resident.say("po", id: "gw-\(index)-2")
                        }
                    }
                    try await group.waitForAll()
                }
                // Let the outage last until the first resident's first SMS was refused four times (timed out twice).
                let refusals = hanging ? 2 : 4
                _ = try await eventually(120) { await gateway.ledger.attempts.filter { $0.to == phones[0] && !$0.delivered }.count >= refusals }
                await gateway.ledger.set(.up)
                let settled = try await eventually(120) { await everyoneAcknowledged(phones, gateway: gateway.ledger, fms: fms) }
                bridge.stop()
                let store = try SQLiteStore(path: workspace.databasePath)
                var outOfOrder: [String] = []
                for phone in phones {
                    let queued = try await store.read { try $0.outboxItems(phone: phone) }.sorted { $0.createdAt < $1.createdAt }.map(\.id)
                    let delivered = await gateway.ledger.delivered(to: phone).map(\.id)
                    if delivered != queued.filter({ delivered.contains($0) }) || delivered.count != queued.count {
                        outOfOrder.append(String(phone.suffix(4)))
                    }
                }
                let first = await gateway.ledger.attempts.filter { $0.to == phones[0] }
                let firstID = first.first?.id ?? ""
                let times = first.filter { $0.id == firstID }.map(\.at)
                let gaps = zip(times.dropFirst(), times).map { $0.timeIntervalSince($1) }
                // The first gap also holds the first pass over every resident's refused SMS; the later ones are the backoff.
                let backoff = Array(gaps.dropFirst())
                let growing = gaps.count >= refusals - 1 && (hanging || (backoff.count >= 2 && backoff.last! > backoff.first!))
                let duplicates = await gateway.ledger.duplicates()
                await tally.add(duplicateSMS: duplicates.count)
                await tally.check("\(name): everything delivered", settled && duplicates.isEmpty,
                                  "\(phones.count) residents, \(await gateway.ledger.delivered.count) SMS delivered after "
                                      + "\(await gateway.ledger.attempts.filter { !$0.delivered }.count) refused attempts")
                await tally.check("\(name): per resident in order", outOfOrder.isEmpty, "out of order: \(outOfOrder)")
                await tally.check("\(name): backoff", growing,
                                  "attempt gaps of one SMS: " + gaps.map { String(format: "%.2fs", $0) }.joined(separator: " "))
                if settled { workspace.remove() }
            }
        }
    }

    // MARK: FixMyStreet outage

    /// FixMyStreet is down while residents report, then comes back: every report arrives once, acknowledgements follow.
    static func platformOutage(_ options: SuiteOptions, tally: Tally) async throws {
        let fmsPort = try freePort()
        let state = FixMyStreetState()
        await state.configure(bodies: [prishtina])
        try await GatewayDouble.with(hold: .seconds(1)) { gateway in
            let (workspace, bridge) = try await launch(options, name: "platform", gatewayPort: gateway.port, fixMyStreetPort: fmsPort)
            let phones = (0..<max(3, options.residents / 4)).map { phone($0, block: 3) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, number) in phones.enumerated() {
                    group.addTask {
                        let resident = Resident(phone: number, port: workspace.bridgePort, gateway: Workspace.gatewayID)
                        try await resident.say(oneShot(index), id: "fms-\(index)-1")
                        try await resident.say("po", id: "fms-\(index)-2")
                    }
                }
                try await group.waitForAll()
            }
            // Everyone hears that the reference follows while FixMyStreet is away.
            let deployment = try ConfigurationLoader.loadValidated(options.root.appendingPathComponent("Config/smsbridge.yaml").path)
                .deployment(id: "prishtina")
            let pending = deployment.map { Engine.referencePending(to: phones[0], language: .albanian, $0).text } ?? "?"
            let noticed = try await eventually(60) {
                for phone in phones where await !gateway.ledger.delivered(to: phone).contains(where: { $0.text == pending }) {
                    return false
                }
                return true
            }
            try await FixMyStreetDouble.with(port: fmsPort, state: state) { fms in
                let settled = try await eventually(120) { await everyoneAcknowledged(phones, gateway: gateway.ledger, fms: fms) }
                bridge.stop()
                let reports = await countReports(phones, fms: fms)
                let duplicates = await gateway.ledger.duplicates()
                await tally.add(lost: reports.missing, duplicateReports: reports.duplicates, duplicateSMS: duplicates.count)
                await tally.check("FixMyStreet down then up", settled && noticed && reports.missing == 0 && reports.duplicates == 0,
                                  "\(phones.count) reports, \(reports.missing) missing, \(reports.duplicates) extra; "
                                      + "\(noticed ? "every" : "not every") resident told the reference follows; acknowledgements "
                                      + (settled ? "followed" : "missing"))
                if settled { workspace.remove() }
            }
        }
    }

    // MARK: Full disk

    /// The store's disk is full for a while: webhooks get a 5xx (the gateway retries), nothing is acknowledged that was not
    /// stored, and the bridge recovers without a restart.
    static func fullDisk(_ options: SuiteOptions, tally: Tally) async throws {
        guard let library = options.enospcLibrary else {
            await tally.check("full disk", true, "skipped: no --enospc-library")
            return
        }
        try await GatewayDouble.with(hold: .seconds(1)) { gateway in
            try await FixMyStreetDouble.with(configure: { await $0.configure(bodies: [prishtina]) }) { fms in
                let (workspace, bridge) = try await launch(options, name: "disk", gatewayPort: gateway.port, fixMyStreetPort: fms.port) {
                    ["LD_PRELOAD": library, "FAULTS_ENOSPC_FLAG": $0.flag]
                }
                let flag = workspace.flag
                let before = Resident(phone: phone(0, block: 4), port: workspace.bridgePort, gateway: Workspace.gatewayID)
                try await before.say(oneShot(0), id: "disk-0-1")
                _ = FileManager.default.createFile(atPath: flag, contents: nil)
                let during = Resident(phone: phone(1, block: 4), port: workspace.bridgePort, gateway: Workspace.gatewayID)
                var statuses: [Int?] = []
                for attempt in 0..<3 { statuses.append(await during.sayOnce(oneShot(1), id: "disk-1-1-try\(attempt)")) }
                let refused = statuses.allSatisfy { ($0 ?? 0) >= 500 }
                let healthWhileFull = await bridge.isHealthy()
                try FileManager.default.removeItem(atPath: flag)
                // The gateway's retry of the same message after space returned.
                try await during.say(oneShot(1), id: "disk-1-1-try0", patience: .seconds(30))
                try await during.say("po", id: "disk-1-2", patience: .seconds(30))
                let settled = try await eventually(60) { await everyoneAcknowledged([during.phone], gateway: gateway.ledger, fms: fms) }
                bridge.stop()
                let missing = try await missingInbound(["disk-0-1", "disk-1-1-try0", "disk-1-2"], databasePath: workspace.databasePath)
                let ghosts = try await missingInbound(["disk-1-1-try1", "disk-1-1-try2"], databasePath: workspace.databasePath)
                await tally.add(lost: missing.count)
                await tally.check("full disk: webhooks refused with 5xx", refused, "answers while full: \(statuses.map { $0.map(String.init) ?? "none" })")
                await tally.check("full disk: nothing acknowledged that was not stored", ghosts.count == 2,
                                  "\(2 - ghosts.count) refused messages found in the store")
                await tally.check("full disk: recovered without a restart", settled && bridge.starts == 1 && missing.isEmpty,
                                  "starts \(bridge.starts), retried message stored: \(!missing.contains("disk-1-1-try0")), report acknowledged: \(settled); "
                                      + "/healthz while full: \(healthWhileFull ? 200 : 503)")
                if settled { workspace.remove() }
            }
        }
    }
}
