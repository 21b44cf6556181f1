import BridgeCore
@testable import BridgeServer
import BridgeStore
import Foundation
import Gateways
import Logging
import Platform
import Testing

/// A bridge whose Prishtina deployment files on a scripted platform, over a real SQLite file.
struct ForwardingBridge {
    static let deploymentID = "prishtina"
    static let gatewayID = "prishtina-demo"
    static let phone = "+38344123456"

    let path: String
    let store: SQLiteStore
    let application: BridgeApplication
    var deployment: Deployment { application.configuration.deployment(id: Self.deploymentID)! }

    /// A fresh store, or the one at `path` opened again (a restarted process).
    init(platform: ScriptedPlatform, path: String? = nil, giveUpAfter: TimeInterval = 3 * 86_400) throws {
        self.path = path ?? FileManager.default.temporaryDirectory.appendingPathComponent("forwarder-\(UUID().uuidString).sqlite").path
        store = try SQLiteStore(path: self.path)
        var configuration = Deployments.base
        let index = configuration.deployments.firstIndex { $0.id == Self.deploymentID }!
        configuration.deployments[index].platform = PlatformDefinition(type: .fixmystreet, baseURL: "https://fms.example.org",
                                                                       giveUpAfter: giveUpAfter)
        var logger = Logger(label: "forwarder-tests")
        logger.logLevel = .critical
        application = try BridgeApplication(configuration: configuration, store: store, environment: Deployments.environment, logger: logger,
                                            platforms: [Self.deploymentID: platform])
    }

    func forwarder(noticeAfter: TimeInterval = 30) -> ReportForwarder {
        application.reportForwarder(policy: ForwarderPolicy(initialDelay: 0.05, maximumDelay: 0.2, pendingNoticeAfter: noticeAfter))
    }

    /// Runs the forwarder until the returned task is cancelled.
    func start(_ forwarder: ReportForwarder) -> Task<Void, any Error> {
        Task { try await forwarder.run() }
    }

    static func submission(_ description: String = "Drita nuk punon prej dy javësh", language: LanguageTag = .albanian) -> ReportSubmission {
        ReportSubmission(
            phone: phone, deployment: deploymentID, language: language, categoryID: "lighting", platformCategory: "Street lighting",
            landmark: LandmarkAnswer(id: "skanderbeg-square", text: "te sheshi skenderbeu", latitude: 42.6629, longitude: 21.1655),
            description: description, submittedAt: Date(timeIntervalSince1970: 1_780_000_000))
    }

    /// What the inbound transaction stores when the engine completes a report.
    func storePending(_ submission: ReportSubmission = ForwardingBridge.submission()) async throws {
        let now = Date()
        try await store.write { tx in
            _ = try tx.insertSubmission(PendingSubmission(submission: submission, gateway: Self.gatewayID, nextAttemptAt: now, createdAt: now))
            var session = try tx.session(deployment: Self.deploymentID, phone: Self.phone) ?? Session(phone: Self.phone, deployment: Self.deploymentID)
            session.language = submission.language
            try tx.saveSession(session, at: now)
        }
    }

    func texts() async throws -> [String] {
        try await store.read { try $0.outboxItems(phone: Self.phone) }.map(\.text)
    }

    func thanks(_ reference: String, language: LanguageTag = .albanian) -> String {
        Engine.thanks(reference: reference, to: Self.phone, language: language, deployment).text
    }

    func message(_ id: TextID, language: LanguageTag = .albanian) -> String {
        Engine.message(id, [:], to: Self.phone, language: language, deployment).text
    }

    /// Polls `condition` until it holds or `seconds` pass.
    func eventually(_ seconds: Double = 90, sourceLocation: Testing.SourceLocation = #_sourceLocation,
                    _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("condition not met within \(seconds) s", sourceLocation: sourceLocation)
    }
}

@Suite struct ReportForwarderTests {
    @Test func theInboundTransactionStoresTheReportPendingAndTheForwarderAcknowledgesWithThePlatformsID() async throws {
        let platform = ScriptedPlatform()
        let bridge = try ForwardingBridge(platform: platform)
        let processor = InboundProcessor(store: bridge.store, logger: bridge.application.logger, metrics: bridge.application.metrics,
                                         outboxSignal: bridge.application.signal,
                                         forwardedDeployments: Set(bridge.application.platforms.keys),
                                         submissionSignal: bridge.application.submissionSignal)
        let gateway = try #require(bridge.application.gateways[ForwardingBridge.gatewayID])
        for (index, turn) in Script.albanian.turns.enumerated() {
            let inbound = GatewayInbound(providerMessageID: "m\(index)", from: ForwardingBridge.phone, to: "1818", text: turn.say, receivedAt: Date())
            _ = try await processor.process([inbound], gateway: gateway, now: Date())
        }
        let pending = try await bridge.store.read { try $0.submissions() }
        #expect(pending.map(\.state) == [.pending])
        #expect(try await bridge.store.read { try $0.reports() }.isEmpty)
        let before = try await bridge.texts()
        #expect(!before.contains { $0.contains("numrin") }, "no reference before the platform gave one: \(before)")

        let task = bridge.start(bridge.forwarder())
        defer { task.cancel() }
        try await bridge.eventually { try await bridge.texts().contains(bridge.thanks("5001")) }
        #expect(await platform.posts == 1)
        let report = try #require(try await bridge.store.read { try $0.report(deployment: ForwardingBridge.deploymentID, reference: "5001") })
        #expect(report.submission.description == Script.albanian.description)
        #expect(report.gateway == ForwardingBridge.gatewayID)
        let session = try await bridge.store.read { try $0.session(deployment: ForwardingBridge.deploymentID, phone: ForwardingBridge.phone) }
        #expect(session?.references == ["5001"])
        #expect(try await bridge.store.read { try $0.submissions() }.map(\.state) == [.submitted])
    }

    @Test func aReportIsFiledExactlyOnceAcrossACrashBetweenPostingAndRecording() async throws {
        let platform = ScriptedPlatform([.createThenHang])
        let first = try ForwardingBridge(platform: platform)
        try await first.storePending()
        let crashed = first.start(first.forwarder())
        try await first.eventually {
            let posting = try await first.store.read { try $0.submissions() }.first?.state == .posting
            return await platform.filed.count == 1 && posting
        }
        crashed.cancel()  // the process dies while the platform's answer is on its way: nothing more is recorded

        let restarted = try ForwardingBridge(platform: platform, path: first.path)
        let task = restarted.start(restarted.forwarder())
        defer { task.cancel() }
        try await restarted.eventually { try await restarted.texts().contains(restarted.thanks("5001")) }
        #expect(await platform.posts == 1, "found again, never posted twice")
        #expect(await platform.finds >= 1)
        #expect(await platform.filed.count == 1)
        #expect(try await restarted.texts().filter { $0 == restarted.thanks("5001") }.count == 1)
        await platform.releaseHung()
    }

    @Test func aLostAnswerIsFoundAgainBeforeAnyRetryPosts() async throws {
        let platform = ScriptedPlatform([.createThenLose])
        let bridge = try ForwardingBridge(platform: platform)
        try await bridge.storePending()
        let task = bridge.start(bridge.forwarder())
        defer { task.cancel() }
        try await bridge.eventually { try await bridge.texts().contains(bridge.thanks("5001")) }
        #expect(await platform.posts == 1)
        #expect(await platform.finds == 1)
        #expect(await platform.filed.count == 1)
    }

    @Test func platformDownThenUpFilesOnceAndThanksFollow() async throws {
        let platform = ScriptedPlatform([.fail(.unavailable), .fail(.unavailable), .fail(.unavailable)])
        let bridge = try ForwardingBridge(platform: platform)
        try await bridge.storePending()
        let task = bridge.start(bridge.forwarder())
        defer { task.cancel() }
        try await bridge.eventually { try await bridge.texts().contains(bridge.thanks("5001")) }
        #expect(await platform.posts == 4)
        #expect(await platform.filed.count == 1)
        #expect(try await bridge.texts() == [bridge.thanks("5001")])
    }

    @Test func aSlowPlatformGetsReferencePendingFirstThenTheThanksWithTheID() async throws {
        let platform = ScriptedPlatform([.slow(.seconds(2))])
        let bridge = try ForwardingBridge(platform: platform)
        try await bridge.storePending(ForwardingBridge.submission("Цури вода из цеви", language: .serbianCyrillic))
        let task = bridge.start(bridge.forwarder(noticeAfter: 0.2))
        defer { task.cancel() }
        try await bridge.eventually { try await bridge.texts().count == 2 }
        #expect(try await bridge.texts() == [bridge.message(.referencePending, language: .serbianCyrillic),
                                             bridge.thanks("5001", language: .serbianCyrillic)])
        #expect(await platform.posts == 1)
    }

    @Test func aFinalRefusalTellsTheResidentAndIsNotRetried() async throws {
        let platform = ScriptedPlatform([.fail(.outsideArea)])
        let bridge = try ForwardingBridge(platform: platform)
        try await bridge.storePending()
        let task = bridge.start(bridge.forwarder())
        defer { task.cancel() }
        try await bridge.eventually { try await bridge.store.read { try $0.submissions() }.first?.state == .failed }
        #expect(try await bridge.texts() == [bridge.message(.outsideArea)])
        // Another pass finds nothing due.
        #expect(try await bridge.forwarder().forwardDue() == 0)
        #expect(await platform.posts == 1)
        #expect(try await bridge.store.read { try $0.reports() }.isEmpty)
    }

    @Test func anInvalidReportIsReportNotAccepted() async throws {
        let platform = ScriptedPlatform([.fail(.invalidReport)])
        let bridge = try ForwardingBridge(platform: platform)
        try await bridge.storePending()
        let task = bridge.start(bridge.forwarder())
        defer { task.cancel() }
        try await bridge.eventually { try await bridge.texts() == [bridge.message(.reportNotAccepted)] }
        #expect(await platform.posts == 1)
    }

    @Test func aReportAcceptedWithATokenIsNeverPostedAgainAndIsAcknowledgedOnceNumbered() async throws {
        let platform = ScriptedPlatform([.acceptWithToken])
        let bridge = try ForwardingBridge(platform: platform)
        try await bridge.storePending()
        let task = bridge.start(bridge.forwarder())
        defer { task.cancel() }
        try await bridge.eventually { await platform.tokenLookups >= 2 }
        #expect(try await bridge.store.read { try $0.submissions() }.first?.platformToken == "tok-5001")
        #expect(try await bridge.texts().isEmpty, "no reference yet")
        await platform.numberTokens()
        try await bridge.eventually { try await bridge.texts().contains(bridge.thanks("5001")) }
        #expect(await platform.posts == 1)
        #expect(await platform.finds == 0, "a token is proof of the first post: nothing to look for")
    }

    @Test func aReportThePlatformNeverTakesIsGivenUpAndTheResidentTold() async throws {
        let platform = ScriptedPlatform(Array(repeating: .fail(.unavailable), count: 1000))
        let bridge = try ForwardingBridge(platform: platform, giveUpAfter: 0.5)
        try await bridge.storePending()
        let task = bridge.start(bridge.forwarder())
        defer { task.cancel() }
        try await bridge.eventually { try await bridge.store.read { try $0.submissions() }.first?.state == .failed }
        #expect(try await bridge.texts() == [bridge.message(.temporarilyUnavailable)])
        let submission = try #require(try await bridge.store.read { try $0.submissions() }.first)
        #expect(submission.lastError?.hasPrefix("given up") == true, "\(submission.lastError ?? "-")")
        let posts = await platform.posts
        #expect(try await bridge.forwarder().forwardDue() == 0)
        #expect(await platform.posts == posts)
    }
}
