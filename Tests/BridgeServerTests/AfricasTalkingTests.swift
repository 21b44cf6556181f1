import BridgeCore
import BridgeStore
import Foundation
import Testing

/// Africa's Talking (reference §3) through the running bridge: SMS and USSD callbacks behind the path token,
/// CON/END screens, the messaging API at the double, delivery reports and recipient status codes.
@Suite struct AfricasTalkingTests {
    // MARK: USSD

    /// Dial, the Arabic category menu paged with 99 and 0, a retried request, BACK, the network dropping the session,
    /// a redial that resumes where it stopped, a description containing `*`, the END screen and the SMS receipt.
    @Test func ussdSessionWithPagingBackAndARedialThatResumes() async throws {
        try await Harness.run { bridge in
            let resident = ATResident(bridge: bridge)
            let first = "ATUid_" + Stamp.hex(16)
            func screen(_ answer: WebhookAnswer, _ verb: String, _ sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
                #expect(answer.status == 200, "\(answer)", sourceLocation: sourceLocation)
                #expect(answer.contentType?.hasPrefix("text/plain") == true, sourceLocation: sourceLocation)
                #expect(answer.body.hasPrefix(verb + " "), "\(answer)", sourceLocation: sourceLocation)
                let text = String(answer.body.dropFirst(verb.count + 1))
                // Arabic needs UCS-2: at most 80 characters a screen (§3.f).
                #expect(text.utf16.count <= 80, "\(text.utf16.count) UTF-16 units: \(text)", sourceLocation: sourceLocation)
                return text
            }

            let dial = screen(try await resident.ussd(session: first, ""), "CON")
            #expect(dial.contains("اختر اللغة") && dial.contains("1 العربية"))
            let page1 = screen(try await resident.ussd(session: first, "1"), "CON")
            #expect(page1.contains("1 الطرق والحفر") && page1.contains("99 المزيد") && !page1.contains("10 "))
            let page2 = screen(try await resident.ussd(session: first, "1*99"), "CON")
            #expect(page2.contains("7 الحدائق") && page2.contains("10 أخرى") && page2.contains("0 رجوع"))
            #expect(screen(try await resident.ussd(session: first, "1*99*0"), "CON") == page1)
            #expect(screen(try await resident.ussd(session: first, "1*99*0*99"), "CON") == page2)

            // AT repeats a request after a network hiccup: the same screen, nothing done twice.
            let inbound = try await bridge.inboundCount()
            #expect(screen(try await resident.ussd(session: first, "1*99*0*99"), "CON") == page2)
            #expect(try await bridge.inboundCount() == inbound)

            let landmark = screen(try await resident.ussd(session: first, "1*99*0*99*7"), "CON")
            #expect(landmark.contains("أين توجد المشكلة؟"))
            let description = screen(try await resident.ussd(session: first, "1*99*0*99*7*حديقة الجامعة العربية"), "CON")
            #expect(description.contains("صف المشكلة باختصار."))
            // BACK (رجوع) from the description returns to the place question.
            #expect(screen(try await resident.ussd(session: first, "1*99*0*99*7*حديقة الجامعة العربية*رجوع"), "CON") == landmark)

            // The network drops the session; AT tells us, and we answer 200.
            let ended = try await resident.sessionEnded(session: first, input: "1*99*0*99*7*حديقة الجامعة العربية*رجوع", status: "Incomplete")
            #expect(ended.status == 200)

            // A redial is a new session with empty text: the dialog resumes at the same question.
            let second = "ATUid_" + Stamp.hex(16)
            #expect(screen(try await resident.ussd(session: second, ""), "CON") == landmark)
            #expect(screen(try await resident.ussd(session: second, "حديقة الجامعة العربية"), "CON") == description)
            let confirm = screen(try await resident.ussd(session: second, "حديقة الجامعة العربية*الأشجار * مقطوعة"), "CON")
            #expect(confirm.contains("الأشجار * مقطوعة"))
            #expect(confirm.contains("1 نعم"))
            let end = screen(try await resident.ussd(session: second, "حديقة الجامعة العربية*الأشجار * مقطوعة*1"), "END")
            #expect(end.contains("شكرا!"))
            #expect(try await resident.sessionEnded(session: second, input: "حديقة الجامعة العربية*الأشجار * مقطوعة*1",
                                                    lastResponse: "END " + end).status == 200)

            let report = try #require(try await bridge.reports().first)
            #expect(report.submission.categoryID == "parks")
            #expect(report.submission.landmark.id == "parc-ligue-arabe")
            #expect(report.submission.description == "الأشجار * مقطوعة")
            #expect(report.submission.language == .arabic)
            #expect(report.gateway == "ma-at")
            // USSD screens cannot be kept: the reference number follows by SMS, and that is the only SMS.
            let sms = try await bridge.double.waitForSent(to: resident.phone, count: 1)
            #expect(sms.count == 1)
            #expect(sms[0].text == Script.arabic.thanks)
            try await bridge.waitForOutbox(resident.phone, count: 1)
        }
    }

    @Test func ussdWithoutPhoneNumberOrServiceCodeIs400NamingIt() async throws {
        try await Harness.run { bridge in
            let token = "?token=" + Secrets.atPathToken
            for (missing, form) in [
                ("phoneNumber", [("sessionId", "ATUid_1"), ("serviceCode", ATResident.serviceCode), ("text", "")]),
                ("serviceCode", [("sessionId", "ATUid_1"), ("phoneNumber", "+212612345678"), ("text", "")]),
            ] {
                let answer = try await bridge.postForm("/gateways/ma-at/ussd" + token, form)
                #expect(answer.status == 400)
                #expect(answer.body.contains("'\(missing)'"), "\(answer)")
            }
            #expect(try await bridge.snapshot().inbound == 0)
        }
    }

    // MARK: SMS in

    @Test(arguments: TwilioTests.texts)
    func smsIsStoredAndAnsweredWithAnEmpty200(text: String) async throws {
        try await Harness.run { bridge in
            let resident = ATResident(bridge: bridge)
            let id = UUID().uuidString.lowercased()
            let answer = try await resident.sms(text, id: id)
            #expect(answer.status == 200)
            #expect(answer.body.isEmpty)
            let stored = try await bridge.store.read { try $0.inbound(gateway: "ma-at", providerID: id) }
            #expect(stored?.record.text == text)
            #expect(stored?.record.deployment == "casablanca")
        }
    }

    @Test func callbacksWithoutTheRightPathTokenAre403AndChangeNothing() async throws {
        try await Harness.run { bridge in
            let resident = ATResident(bridge: bridge)
            let before = try await bridge.snapshot()
            #expect(try await resident.sms("السلام عليكم", token: "").status == 403)
            #expect(try await resident.sms("السلام عليكم", token: "?token=guess").status == 403)
            let ussd = [("sessionId", "ATUid_1"), ("serviceCode", ATResident.serviceCode), ("phoneNumber", resident.phone), ("text", "")]
            #expect(try await bridge.postForm("/gateways/ma-at/ussd?token=guess", ussd).status == 403)
            #expect(try await bridge.postForm("/gateways/ma-at/status", [("id", "ATXid_1"), ("status", "Success")]).status == 403)
            #expect(try await bridge.snapshot() == before)
        }
    }

    @Test func smsWithoutFromIs400NamingIt() async throws {
        try await Harness.run { bridge in
            let answer = try await bridge.postForm("/gateways/ma-at/sms?token=" + Secrets.atPathToken,
                                                   [("text", "مرحبا"), ("to", ATResident.shortCode), ("id", "x1")])
            #expect(answer.status == 400)
            #expect(answer.body.contains("'from'"))
        }
    }

    // MARK: Send

    @Test func sendRequestHasTheDocumentedShape() async throws {
        try await Harness.run { bridge in
            let resident = ATResident(bridge: bridge)
            let (sent, id) = try await resident.sayAndWaitForSend()
            #expect(sent.method == "POST")
            #expect(sent.path == "/version1/messaging")
            #expect(sent.header("apiKey") == Secrets.atAPIKey)
            #expect(sent.header("Accept") == "application/json")
            #expect(sent.header("Content-Type") == "application/x-www-form-urlencoded")
            #expect(sent.field("username") == Secrets.atUsername)
            #expect(sent.field("to") == resident.phone)
            #expect(sent.field("from") == ATResident.shortCode)
            #expect(sent.field("message")?.hasPrefix("مرحبا! اختر اللغة") == true)
            let item = try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(item.providerMessageID == sent.providerMessageID)
            #expect(item.providerMessageID?.hasPrefix("ATXid_") == true)
        }
    }

    // MARK: Delivery reports

    @Test func reportsMoveSentThenDeliveredAndNeverBack() async throws {
        try await Harness.run { bridge in
            let resident = ATResident(bridge: bridge)
            let (sent, id) = try await resident.sayAndWaitForSend()
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            for status in ["Submitted", "Buffered", "Sent"] {
                #expect(try await resident.report(sent, status).status == 200)
                #expect(try await bridge.outboxItem(id)?.status == .sent, "\(status)")
            }
            #expect(try await resident.report(sent, "Success").status == 200)
            #expect(try await bridge.outboxItem(id)?.status == .delivered)
            #expect(try await resident.report(sent, "Sent").status == 200)
            #expect(try await resident.report(sent, "Failed", failureReason: "UserIsInactive").status == 200)
            #expect(try await bridge.outboxItem(id)?.status == .delivered)
        }
    }

    @Test(arguments: ["Rejected", "Failed", "Expired"])
    func finalFailureReportsFailTheMessage(status: String) async throws {
        try await Harness.run { bridge in
            let resident = ATResident(bridge: bridge)
            let (sent, id) = try await resident.sayAndWaitForSend()
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(try await resident.report(sent, status, failureReason: "InsufficientCredit").status == 200)
            let item = try await bridge.waitForItem(id, "failed") { $0.status == .failed }
            #expect(item.lastError?.contains("InsufficientCredit") == true)
            #expect(try await bridge.isOptedOut("casablanca", resident.phone) == false)
        }
    }

    @Test func blacklistFailureReasonRecordsTheOptOut() async throws {
        try await Harness.run { bridge in
            let resident = ATResident(bridge: bridge)
            let (sent, id) = try await resident.sayAndWaitForSend()
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(try await resident.report(sent, "Failed", failureReason: "UserInBlackList").status == 200)
            #expect(try await bridge.isOptedOut("casablanca", resident.phone))
        }
    }

    @Test func unknownReportStatusIsIgnoredWith200() async throws {
        try await Harness.run { bridge in
            let resident = ATResident(bridge: bridge)
            let (sent, id) = try await resident.sayAndWaitForSend()
            try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(try await resident.report(sent, "Teleported").status == 200)
            #expect(try await bridge.outboxItem(id)?.status == .sent)
        }
    }

    // MARK: Send outcomes

    @Test func recipientServerErrorsAndHTTP503AreRetriedThenSent() async throws {
        try await Harness.run { bridge in
            let resident = ATResident(bridge: bridge)
            await bridge.double.script(.africastalking, .providerRetryable, .serverError)
            let (_, id) = try await resident.sayAndWaitForSend()
            let item = try await bridge.waitForItem(id, "sent") { $0.status == .sent }
            #expect(item.attempts == 3)
            #expect(await bridge.double.sent(to: resident.phone).map(\.answerStatus) == [201, 503, 201])
        }
    }

    @Test func invalidPhoneNumberFailsAtOnce() async throws {
        try await Harness.run { bridge in
            let resident = ATResident(bridge: bridge)
            await bridge.double.script(.africastalking, .finalError)
            let (_, id) = try await resident.sayAndWaitForSend()
            let item = try await bridge.waitForItem(id, "failed") { $0.status == .failed }
            #expect(item.attempts == 1)
            #expect(item.lastError?.contains("403") == true)
            #expect(try await bridge.isOptedOut("casablanca", resident.phone) == false)
        }
    }

    @Test func blacklistedRecipientRecordsTheOptOutAndNothingMoreIsSent() async throws {
        try await Harness.run { bridge in
            let resident = ATResident(bridge: bridge)
            await bridge.double.script(.africastalking, .optOut)
            let (_, id) = try await resident.sayAndWaitForSend()
            try await bridge.waitForItem(id, "failed") { $0.status == .failed }
            #expect(try await bridge.isOptedOut("casablanca", resident.phone))
            #expect(try await resident.say("1").status == 200)
            try await bridge.waitForOutbox(resident.phone, count: 2, "failed") { $0.status == .failed }
            #expect(await bridge.double.sent(to: resident.phone).count == 1)
        }
    }
}
