import BridgeCore
@testable import BridgeServer
import BridgeStore
import Foundation
import Platform
import Testing

@Suite struct StatusPollerTests {
    /// A report filed through the forwarder, then the poller over the same store.
    static func filed(_ platform: ScriptedPlatform) async throws -> (ForwardingBridge, StatusPoller, PlatformRuntime) {
        let bridge = try ForwardingBridge(platform: platform)
        try await bridge.storePending()
        let task = bridge.start(bridge.forwarder())
        try await bridge.eventually { try await bridge.texts().contains(bridge.thanks("5001")) }
        task.cancel()
        let runtime = try #require(bridge.application.platforms[ForwardingBridge.deploymentID])
        return (bridge, bridge.application.statusPoller(interval: 0.05), runtime)
    }

    func status(_ status: ReportStatus, _ bridge: ForwardingBridge) -> String {
        Engine.status(status, reference: "5001", to: ForwardingBridge.phone, language: .albanian, bridge.deployment).text
    }

    @Test func aStateChangeIsTextedOnceInTheResidentsLanguage() async throws {
        let platform = ScriptedPlatform()
        let (bridge, poller, runtime) = try await Self.filed(platform)
        try #expect(await poller.poll(runtime, includeClosed: true) == 0, "first look: nothing changed since filing")
        await platform.setState("in progress", of: "5001")
        try #expect(await poller.poll(runtime, includeClosed: true) == 1)
        try #expect(await poller.poll(runtime, includeClosed: true) == 0)
        try #expect(await bridge.texts() == [bridge.thanks("5001"), status(.inProgress, bridge)])
        let report = try await bridge.store.read { try $0.report(deployment: ForwardingBridge.deploymentID, reference: "5001") }
        #expect(report?.status == .inProgress)
    }

    @Test func anUpdateWithoutANewStateSendsNothing() async throws {
        let platform = ScriptedPlatform()
        let (bridge, poller, runtime) = try await Self.filed(platform)
        _ = try await poller.poll(runtime, includeClosed: true)
        await platform.touch("5001")
        let calls = await platform.stateCalls
        try #expect(await poller.poll(runtime, includeClosed: true) == 0)
        #expect(await platform.stateCalls == calls + 1, "the moved update time was looked at")
        try #expect(await bridge.texts() == [bridge.thanks("5001")])
    }

    @Test func anOptedOutResidentGetsNoStatusSMS() async throws {
        let platform = ScriptedPlatform()
        let (bridge, poller, runtime) = try await Self.filed(platform)
        try await bridge.store.write {
            try $0.setOptedOut(true, deployment: ForwardingBridge.deploymentID, phone: ForwardingBridge.phone, at: Date(), raw: "STOP")
        }
        await platform.setState("fixed", of: "5001")
        try #expect(await poller.poll(runtime, includeClosed: true) == 0)
        try #expect(await bridge.texts() == [bridge.thanks("5001")])
    }

    @Test func closedReportsAreSkippedBetweenSlowCyclesAndAReopeningIsNoticed() async throws {
        let platform = ScriptedPlatform()
        let (bridge, poller, runtime) = try await Self.filed(platform)
        await platform.setState("fixed", of: "5001")
        try #expect(await poller.poll(runtime, includeClosed: false) == 1)
        await platform.setState("confirmed", of: "5001")
        try #expect(await poller.poll(runtime, includeClosed: false) == 0, "closed: not looked at in a fast cycle")
        try #expect(await poller.poll(runtime, includeClosed: true) == 1, "reopened: noticed in a slow cycle")
        try #expect(await bridge.texts() == [bridge.thanks("5001"), status(.fixed, bridge), status(.open, bridge)])
    }
}
