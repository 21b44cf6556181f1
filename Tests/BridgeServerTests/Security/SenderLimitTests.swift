import BridgeCore
@testable import BridgeServer
import BridgeStore
import Foundation
import Testing

/// The per-sender rate limit and loop guard in the running server: over the limit, a message is stored and
/// acknowledged but not answered; other numbers are not affected.
@Suite struct SenderLimitTests {
    static let bot = "+38344999001"
    static let resident = "+38344999002"

    @Test func aBotAnsweringEveryReplyIsStoppedAfterTwentyWhileAnotherResidentIsAnsweredEveryTime() async throws {
        let capture = LogCapture()
        try await DemoBridge.run(logger: capture.logger) { bridge in
            var botReplies: [Int] = []
            for index in 0..<40 {
                // The bot answers each of our replies within two seconds ...
                #expect(try await bridge.say("Sorry, I did not understand. Reply HELP for help.", from: Self.bot) == 200)
                botReplies.append(try await bridge.replies(to: Self.bot).count)
                // ... while a resident writes every ten seconds and is answered every time.
                if index % 5 == 0 {
                    let before = try await bridge.replies(to: Self.resident).count
                    #expect(try await bridge.say(index == 0 ? "Përshëndetje" : "1", from: Self.resident) == 200)
                    #expect(try await bridge.replies(to: Self.resident).count > before, "resident unanswered at message \(index)")
                }
                bridge.clock.advance(2)
            }
            // Every message is stored (none lost), 40 + 8.
            #expect(try await bridge.inboundCount() == 48)
            // Answered up to the twentieth, then not once more.
            #expect(botReplies[19] > 0)
            #expect(botReplies[19] > botReplies[18])
            #expect(botReplies.dropFirst(20).allSatisfy { $0 == botReplies[19] }, "\(botReplies)")
            let metrics = bridge.application.metrics.render()
            #expect(metrics.contains(#"smsbridge_inbound_rate_limited_total{gateway="prishtina-demo"} 20"#), "\(metrics)")
        }
        let warnings = capture.text.split(separator: "\n").filter { $0.contains("over its rate limit") && $0.hasPrefix("warning") }
        #expect(warnings.count == 1, "logged loudly once: \(warnings)")
        #expect(warnings.first?.contains(PhoneNumber.masked(Self.bot)) == true)
        #expect(!capture.text.contains(Self.bot) && !capture.text.contains(String(Self.bot.dropFirst())))
    }

    @Test func aSilencedMessageLeavesTheConversationAsItWas() async throws {
        try await DemoBridge.run(configure: { $0.server.senderLimit = SenderRateLimit(messages: 2, window: 60) }) { bridge in
            try await bridge.say("Përshëndetje", from: Self.bot)
            try await bridge.say("1", from: Self.bot)
            let session = try await bridge.store.read { try $0.session(deployment: "prishtina", phone: Self.bot) }
            bridge.clock.advance(1)
            // A retry of an answered message is a duplicate, not a new arrival: it neither counts nor changes anything.
            #expect(try await bridge.say("2", from: Self.bot, id: "third") == 200)
            #expect(try await bridge.say("2", from: Self.bot, id: "third") == 200)
            #expect(try await bridge.store.read { try $0.session(deployment: "prishtina", phone: Self.bot) } == session)
            #expect(try await bridge.replies(to: Self.bot).count == 2)
            #expect(try await bridge.inboundCount() == 3)
            // A minute of quiet later the same answer moves the conversation on.
            bridge.clock.advance(61)
            try await bridge.say("2", from: Self.bot)
            #expect(try await bridge.replies(to: Self.bot).count == 3)
            #expect(try await bridge.store.read { try $0.session(deployment: "prishtina", phone: Self.bot) } != session)
        }
    }

    @Test func aDeploymentCanTurnTheLimitOffForItself() async throws {
        try await DemoBridge.run(configure: { configuration in
            configuration.server.senderLimit = SenderRateLimit(messages: 1, window: 300)
            let index = configuration.deployments.firstIndex { $0.id == "prishtina" }!
            configuration.deployments[index].senderLimit = .off
        }) { bridge in
            for _ in 0..<5 { try await bridge.say("Përshëndetje", from: Self.bot) }
            #expect(try await bridge.replies(to: Self.bot).count == 5)
            #expect(!bridge.application.metrics.render().contains("smsbridge_inbound_rate_limited_total"))
        }
    }

    @Test func stopIsHonouredEvenOverTheLimit() async throws {
        try await DemoBridge.run(configure: { $0.server.senderLimit = SenderRateLimit(messages: 2, window: 60) }) { bridge in
            for text in ["Përshëndetje", "1", "2", "3"] {
                try await bridge.say(text, from: Self.bot)
                bridge.clock.advance(1)
            }
            let optedOut = { try await bridge.store.read { try $0.isOptedOut(deployment: "prishtina", phone: Self.bot) } }
            #expect(try await optedOut() == false)
            #expect(try await bridge.say("STOP", from: Self.bot) == 200)
            #expect(try await optedOut() == true, "the opt-out is recorded over the limit")
        }
    }

    /// The same message asked about again (the transaction's body run again, a webhook resent after a 503) is counted
    /// once: six messages sent over and over never reach a limit of twenty.
    @Test func aMessageDecidedAgainIsCountedOnce() throws {
        let deployment = try #require(Deployments.base.deployments.first)
        let guardian = SenderGuard(serverLimit: SenderRateLimit(messages: 20, window: 300), logger: LogCapture().logger, metrics: BridgeMetrics())
        let now = Date()
        for message in 0..<6 {
            for _ in 0..<12 {
                #expect(guardian.admits(Self.resident, deployment: deployment, gateway: "gw", message: "gw m\(message)", at: now))
            }
        }
        // 6 counted: 14 more distinct messages are answered, the 21st is not.
        for message in 6..<20 {
            #expect(guardian.admits(Self.resident, deployment: deployment, gateway: "gw", message: "gw m\(message)", at: now))
        }
        #expect(!guardian.admits(Self.resident, deployment: deployment, gateway: "gw", message: "gw m20", at: now))
        #expect(!guardian.admits(Self.resident, deployment: deployment, gateway: "gw", message: "gw m20", at: now), "and says so again")
    }
}
