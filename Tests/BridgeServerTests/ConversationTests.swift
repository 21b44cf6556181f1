import BridgeCore
import BridgeStore
import Foundation
import Testing

/// A whole guided report through each gateway type, over real HTTP: webhooks in, the engine, the store, the
/// outbox sender and the provider's send API (the double) out, ending in a report and the thanks SMS.
@Suite struct ConversationTests {
    /// Every reply of the conversation is in the outbox as sent, with the provider's id where it gives one.
    static func expectAllSent(_ bridge: Bridge, _ phone: String, count: Int, providerIDs: Bool = true,
                              sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let items = try await bridge.waitForOutbox(phone, count: count, sourceLocation: sourceLocation)
        #expect(items.count == count, sourceLocation: sourceLocation)
        for item in items {
            #expect(item.attempts == 1, sourceLocation: sourceLocation)
            if providerIDs { #expect(item.providerMessageID != nil, sourceLocation: sourceLocation) }
        }
    }

    @Test func twilioInAlbanian() async throws {
        try await Harness.run { bridge in
            let resident = TwilioResident(bridge: bridge)
            let sent = try await Conversations.play(.albanian, as: resident)
            try await Conversations.expectReport(.albanian, from: resident)
            let thanks = try #require(sent.last)
            #expect(thanks.text == Script.albanian.thanks)
            #expect(thanks.field("To") == resident.phone)
            #expect(thanks.field("From") == TwilioResident.number)
            #expect(thanks.path == "/2010-04-01/Accounts/\(Secrets.twilioAccountSID)/Messages.json")
            // Twilio picks the encoding itself: the Albanian menu goes as written, ë and all.
            #expect(sent[0].text.contains("gjuhën"))
            try await Self.expectAllSent(bridge, resident.phone, count: 6)
        }
    }

    @Test func vonageInSerbianCyrillic() async throws {
        try await Harness.run { bridge in
            let resident = VonageResident(bridge: bridge)
            let sent = try await Conversations.play(.serbianCyrillic, as: resident)
            try await Conversations.expectReport(.serbianCyrillic, from: resident)
            let thanks = try #require(sent.last)
            #expect(thanks.text == Script.serbianCyrillic.thanks)
            #expect(thanks.field("type") == "unicode")
            #expect(thanks.field("to") == "38163123456")
            #expect(thanks.field("from") == "38345000222")
            try await Self.expectAllSent(bridge, resident.phone, count: 6)
        }
    }

    @Test func vonagePostJSONInSerbianCyrillic() async throws {
        try await Harness.run { bridge in
            let resident = VonageResident(bridge: bridge, method: "JSON")
            try await Conversations.play(.serbianCyrillic, as: resident)
            try await Conversations.expectReport(.serbianCyrillic, from: resident)
        }
    }

    @Test func infobipInSerbianCyrillic() async throws {
        try await Harness.run { bridge in
            let resident = InfobipResident(bridge: bridge)
            let sent = try await Conversations.play(.serbianCyrillic, as: resident)
            try await Conversations.expectReport(.serbianCyrillic, from: resident)
            let thanks = try #require(sent.last)
            #expect(thanks.text == Script.serbianCyrillic.thanks)
            try await Self.expectAllSent(bridge, resident.phone, count: 6)
        }
    }

    @Test func kannelInArabic() async throws {
        try await Harness.run { bridge in
            let resident = KannelResident(bridge: bridge)
            let sent = try await Conversations.play(.arabic, as: resident)
            try await Conversations.expectReport(.arabic, from: resident)
            let thanks = try #require(sent.last)
            #expect(thanks.text == Script.arabic.thanks)
            // UCS-2 the robust way (§6.d): coding=2, text already UTF-16BE, no charset.
            #expect(thanks.field("coding") == "2")
            #expect(thanks.field("charset") == nil)
            #expect(thanks.rawFields.first { $0.name == "text" }?.bytes == Wire.utf16BE(Script.arabic.thanks))
            try await Self.expectAllSent(bridge, resident.phone, count: 6, providerIDs: false)
        }
    }

    @Test func kannelInSerbianCyrillicFromANationalNumber() async throws {
        try await Harness.run { bridge in
            // Kannel can pass the sender in national form; the bridge reads it in the deployment's region.
            let resident = KannelResident(bridge: bridge, phone: "+38344123456", sender: "044123456", gateway: "ks-kannel",
                                          deployment: "prishtina", token: Secrets.kannelPathToken, shortCode: "1818")
            let sent = try await Conversations.play(.serbianCyrillic, as: resident)
            try await Conversations.expectReport(.serbianCyrillic, from: resident)
            #expect(sent.last?.field("coding") == "2")
            #expect(sent.last?.text == Script.serbianCyrillic.thanks)
        }
    }

    @Test func africasTalkingSMSInArabic() async throws {
        try await Harness.run { bridge in
            let resident = ATResident(bridge: bridge)
            let sent = try await Conversations.play(.arabic, as: resident)
            try await Conversations.expectReport(.arabic, from: resident)
            let thanks = try #require(sent.last)
            #expect(thanks.text == Script.arabic.thanks)
            #expect(thanks.field("to") == resident.phone)
            #expect(thanks.field("from") == ATResident.shortCode)
            try await Self.expectAllSent(bridge, resident.phone, count: 6)
        }
    }

    @Test func genericInAlbanian() async throws {
        try await Harness.run { bridge in
            let resident = GenericResident(bridge: bridge)
            let sent = try await Conversations.play(.albanian, as: resident)
            try await Conversations.expectReport(.albanian, from: resident)
            #expect(sent.last?.text == Script.albanian.thanks)
            try await Self.expectAllSent(bridge, resident.phone, count: 6)
        }
    }
}
