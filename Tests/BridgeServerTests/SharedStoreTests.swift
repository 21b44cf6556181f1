import AsyncHTTPClient
import BridgeCore
@testable import BridgeServer
import BridgeStore
import Foundation
import Platform
import TestDoubles
import Testing

/// Two bridge instances on one store (two store objects on one SQLite file or one PostgreSQL schema, as two processes
/// would have), each running its outbox sender against the same provider double: every reply goes out exactly once,
/// and each resident's replies arrive in the order they were queued, whichever instance sends them.
@Suite struct SharedStoreTests {
    @Test(arguments: StoreEngine.available) func twoInstancesSendEachReplyOnceAndInOrder(_ engine: StoreEngine) async throws {
        try await ProviderDouble.with { double in
            let configuration = Deployments.configuration(doublePort: double.port)
            let location = try engine.freshLocation()
            let stores = [try await engine.open(location), try await engine.open(location)]
            let now = Date()
            let residents = (0..<12).map { "+3834412\(String(format: "%04d", $0))" }
            try await stores[0].write { tx in
                for turn in 0..<3 {
                    for phone in residents {
                        try tx.enqueue(OutboxItem(id: "\(phone)-\(turn)", gateway: "ks-generic", deployment: "prishtina", phone: phone,
                                                  text: "mesazhi \(turn)", nextAttemptAt: now, createdAt: now))
                    }
                }
            }
            let httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
            var senders: [Task<Void, any Error>] = []
            for (index, store) in stores.enumerated() {
                var application = try BridgeApplication(configuration: configuration, store: store, environment: Deployments.environment,
                                                        logger: Harness.logger)
                application.instance = InstanceIdentity(name: "instance-\(index)", lease: 10)
                let sender = application.outboxSender(httpClient: httpClient, policy: Harness.fastRetries)
                senders.append(Task { try await sender.run() })
            }
            defer { for sender in senders { sender.cancel() } }
            let total = residents.count * 3
            _ = try await Harness.eventually("\(total) replies sent") {
                let rows = try await stores[1].read { try $0.outboxItems(phone: nil) }
                return rows.allSatisfy { $0.status == .sent } ? rows : nil
            }
            let requests = await double.requests(.generic)
            let ids = requests.compactMap { $0.json?["id"] as? String }
            #expect(ids.count == total, "one request per reply: \(ids.count) for \(total)")
            #expect(Set(ids).count == total, "none sent twice")
            for phone in residents {
                #expect(await double.sent(to: phone).map(\.text) == ["mesazhi 0", "mesazhi 1", "mesazhi 2"], "\(phone) in order")
            }
            for sender in senders { sender.cancel() }
            for sender in senders { _ = await sender.result }
            try await httpClient.shutdown()
        }
    }

    /// Two report forwarders on one store and a slow platform: each report is posted once, by one of them.
    @Test(arguments: StoreEngine.available) func twoInstancesFileEachReportOnce(_ engine: StoreEngine) async throws {
        let platform = ScriptedPlatform(Array(repeating: .slow(.milliseconds(300)), count: 20))
        var configuration = Deployments.base
        let index = try #require(configuration.deployments.firstIndex { $0.id == ForwardingBridge.deploymentID })
        configuration.deployments[index].platform = PlatformDefinition(type: .fixmystreet, baseURL: "https://fms.example.org")
        let location = try engine.freshLocation()
        let stores = [try await engine.open(location), try await engine.open(location)]
        let now = Date()
        let count = 6
        try await stores[0].write { tx in
            for number in 0..<count {
                _ = try tx.insertSubmission(PendingSubmission(submission: ForwardingBridge.submission("report \(number)"),
                                                              gateway: ForwardingBridge.gatewayID, nextAttemptAt: now, createdAt: now))
            }
        }
        var forwarders: [Task<Void, any Error>] = []
        for (number, store) in stores.enumerated() {
            var application = try BridgeApplication(configuration: configuration, store: store, environment: Deployments.environment,
                                                    logger: Harness.logger, platforms: [ForwardingBridge.deploymentID: platform])
            application.instance = InstanceIdentity(name: "instance-\(number)", lease: 2)
            let forwarder = application.reportForwarder(policy: ForwarderPolicy(initialDelay: 0.05, maximumDelay: 0.2, pendingNoticeAfter: 30))
            forwarders.append(Task { try await forwarder.run() })
        }
        defer { for forwarder in forwarders { forwarder.cancel() } }
        _ = try await Harness.eventually("\(count) reports filed") {
            let states = try await stores[1].read { try $0.submissions() }.map(\.state)
            return states.allSatisfy { $0 == .submitted } ? states : nil
        }
        #expect(await platform.posts == count, "one post per report")
        #expect(await platform.filed.map(\.submission.description).sorted() == (0..<count).map { "report \($0)" }.sorted())
        #expect(try await stores[0].read { try $0.outboxItems(phone: nil) }.count == count, "one acknowledgement each")
        for forwarder in forwarders { forwarder.cancel() }
        for forwarder in forwarders { _ = await forwarder.result }
    }
}
