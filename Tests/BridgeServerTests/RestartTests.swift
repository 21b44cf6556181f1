import BridgeCore
import BridgeServer
import BridgeStore
import Foundation
import Testing

/// The bridge stopped mid-conversation and started again on the same database file (a new `SQLiteStore`, a new
/// application): sessions, the outbox, USSD state and concatenation buffers carry over.
@Suite struct RestartTests {
    @Test func aConversationResumesAfterARestartAndEndsInAReport() async throws {
        try await ProviderDouble.with { double in
            let path = Harness.temporaryStorePath()
            try await Harness.withBridge(double: double, storePath: path) { bridge in
                let resident = TwilioResident(bridge: bridge)
                try await Conversations.play(.albanian, as: resident, through: 2)
                #expect(try await bridge.session("prishtina", resident.phone)?.awaiting == .landmark)
            }
            try await Harness.withBridge(double: double, storePath: path) { bridge in
                let resident = TwilioResident(bridge: bridge)
                #expect(try await bridge.session("prishtina", resident.phone)?.awaiting == .landmark)
                let sent = try await Conversations.play(.albanian, as: resident, from: 3)
                try await Conversations.expectReport(.albanian, from: resident)
                #expect(sent.count == 6)
                #expect(sent.last?.text == Script.albanian.thanks)
                // Nothing from before the restart was sent twice.
                #expect(try await bridge.outbox(resident.phone).count == 6)
            }
        }
    }

    /// A reply that failed just before the stop is still queued afterwards and goes out from the new process.
    @Test func aQueuedReplySurvivesTheRestartAndIsSent() async throws {
        try await ProviderDouble.with { double in
            let path = Harness.temporaryStorePath()
            let slow = RetryPolicy(initialDelay: 1, maximumDelay: 10, maximumAttempts: 5, requestTimeout: 5)
            let waiting = try await Harness.withBridge(double: double, storePath: path, policy: slow) { bridge -> String in
                let resident = VonageResident(bridge: bridge)
                try await Conversations.play(.serbianCyrillic, as: resident, through: 1)
                await bridge.double.script(.vonage, .serverError)
                let (_, id) = try await resident.sayAndWaitForSend(Script.serbianCyrillic.turns[2].say)
                let item = try await bridge.waitForItem(id, "failed once") { $0.attempts == 1 }
                #expect(item.status == .queued)
                return id
            }
            try await Harness.withBridge(double: double, storePath: path) { bridge in
                let resident = VonageResident(bridge: bridge)
                let resent = try await bridge.waitForItem(waiting, "sent after the restart") { $0.status == .sent }
                #expect(resent.attempts == 2)
                let sent = try await Conversations.play(.serbianCyrillic, as: resident, from: 3)
                #expect(sent.last?.text == Script.serbianCyrillic.thanks)
                try await Conversations.expectReport(.serbianCyrillic, from: resident)
                // The place question went out twice (503, then after the restart), in its turn.
                #expect(sent.map(\.text).filter { $0.contains("Где је проблем?") }.count == 2, "\(sent.map { "\($0.answerStatus) \($0.text)" })")
            }
        }
    }

    /// Africa's Talking keeps the session going across our restart: the cumulative text is read against the
    /// state stored before it.
    @Test func aUSSDSessionContinuesAcrossARestart() async throws {
        try await ProviderDouble.with { double in
            let path = Harness.temporaryStorePath()
            let session = "ATUid_" + Stamp.hex(16)
            let landmark = try await Harness.withBridge(double: double, storePath: path) { bridge -> String in
                let resident = ATResident(bridge: bridge)
                #expect(try await resident.ussd(session: session, "").body.hasPrefix("CON "))
                #expect(try await resident.ussd(session: session, "1").body.contains("99 "))
                let answer = try await resident.ussd(session: session, "1*3")
                #expect(answer.body.contains("أين توجد المشكلة؟"))
                return answer.body
            }
            try await Harness.withBridge(double: double, storePath: path) { bridge in
                let resident = ATResident(bridge: bridge)
                // AT re-sends the last request after our restart: the same screen.
                #expect(try await resident.ussd(session: session, "1*3").body == landmark)
                #expect(try await resident.ussd(session: session, "1*3*السوق المركزي").body.contains("صف المشكلة"))
                #expect(try await resident.ussd(session: session, "1*3*السوق المركزي*الأزبال في كل مكان").body.contains("1 نعم"))
                let end = try await resident.ussd(session: session, "1*3*السوق المركزي*الأزبال في كل مكان*1")
                #expect(end.body.hasPrefix("END "))
                let report = try #require(try await bridge.reports().first)
                #expect(report.submission.categoryID == "waste")
                #expect(report.submission.description == "الأزبال في كل مكان")
            }
        }
    }

    /// Parts of a concatenated message that arrive on both sides of a restart are still one message.
    @Test func concatenationPartsSurviveARestart() async throws {
        try await ProviderDouble.with { double in
            let path = Harness.temporaryStorePath()
            try await Harness.withBridge(double: double, storePath: path) { bridge in
                let resident = VonageResident(bridge: bridge, phone: "+38344123456")
                let first = try await resident.send("sms", resident.fields("2 / Sheshi Skenderbeu / dri", concat: ("0B", 2, 1)))
                #expect(first.status == 200)
                #expect(try await bridge.outbox().isEmpty)
            }
            try await Harness.withBridge(double: double, storePath: path) { bridge in
                let resident = VonageResident(bridge: bridge, phone: "+38344123456")
                #expect(try await resident.send("sms", resident.fields("ta nuk punon", concat: ("0B", 2, 2))).status == 200)
                let sent = try await bridge.double.waitForSent(to: resident.phone, count: 1)
                #expect(sent[0].text.contains("drita nuk punon"), "\(sent[0].text)")
            }
        }
    }
}
