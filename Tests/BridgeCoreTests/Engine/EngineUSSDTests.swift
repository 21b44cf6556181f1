import BridgeCore
import Foundation
import Testing

/// The same dialog rendered as USSD screens: paged menus within 182 GSM-7 / 80 UCS-2 characters.
@Suite struct EngineUSSDTests {
    static func fits(_ reply: Reply) -> Bool {
        reply.units <= (reply.encoding == .gsm7 ? USSDScreen.gsm7Limit : USSDScreen.ucs2Limit)
    }

    @Test func arabicReportWithPagedCategoryMenu() throws {
        var chat = Conversation(Repository.casablanca, phone: "+212612345678", channel: .ussd)
        let dial = chat.send("")
        #expect(chat.awaiting == .language)
        #expect(dial.count == 1 && !dial[0].endsSession)

        let first = try #require(chat.send("1").first)
        #expect(chat.awaiting == .category)
        #expect(first.encoding == .ucs2)
        #expect(Self.fits(first))
        #expect(first.text.contains("\n99 "))
        #expect(first.text.contains("1 "))
        #expect(!first.text.contains("\n10 "))

        let second = try #require(chat.send("99").first)
        #expect(Self.fits(second))
        #expect(second.text.contains("10 "))
        #expect(second.text.contains("\n0 "))
        #expect(chat.awaiting == .category)

        let backAgain = try #require(chat.send("0").first)
        #expect(backAgain.text == first.text)

        chat.send("99")
        chat.send("7")
        #expect(chat.session?.draft.categoryID == "parks")
        #expect(chat.awaiting == .landmark)
        chat.send("حديقة الجامعة العربية")
        chat.send("الأشجار مقطوعة والعشب محروق")
        #expect(chat.awaiting == .confirm)
        let end = try #require(chat.send("1").first)
        #expect(end.endsSession)
        #expect(try #require(chat.submission).categoryID == "parks")
    }

    @Test func latinMenuFitsOneScreen() throws {
        var chat = Conversation(Repository.prishtina, phone: "+38344123456", channel: .ussd)
        chat.send("")
        let menu = try #require(chat.send("1").first)
        #expect(menu.encoding == .gsm7)
        #expect(menu.text.contains("10 "))
        #expect(Self.fits(menu))
    }

    @Test func zeroOnTheFirstPageGoesBackAStep() {
        var chat = Conversation(Repository.prishtina, phone: "+38344123456", channel: .ussd)
        chat.send("")
        chat.send("3")
        #expect(chat.awaiting == .category)
        chat.send("0")
        #expect(chat.awaiting == .language)
    }

    @Test func redialResumesTheCurrentScreen() throws {
        var chat = Conversation(Repository.prishtina, phone: "+38344123456", channel: .ussd)
        chat.send("")
        chat.send("1")
        chat.send("1")
        #expect(chat.awaiting == .landmark)
        let resumed = try #require(chat.send("").first)
        #expect(chat.awaiting == .landmark)
        #expect(!resumed.endsSession)
    }

    @Test func everyScreenFits() {
        for (deployment, phone, inputs) in [
            (Repository.casablanca, "+212612345678", ["", "2", "3", "la gare", "1", "Il y a des ordures partout", "HELP", "1"]),
            (Repository.prishtina, "+381631234567", ["", "3", "99", "99", "0", "4", "Скендербег", "Цури вода из цеви", "1"]),
        ] {
            var chat = Conversation(deployment, phone: phone, channel: .ussd)
            for input in inputs {
                for reply in chat.send(input) {
                    #expect(Self.fits(reply), "\(input) → \(reply.text) (\(reply.units) \(reply.encoding))")
                    #expect(reply.channel == .ussd)
                }
            }
            #expect(chat.submission != nil)
        }
    }
}
