import AsyncHTTPClient
import BridgeCore
@testable import BridgeServer
import BridgeStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Platform
@testable import TestDoubles
import Testing

/// The whole loop over real HTTP: a resident's SMS through the generic gateway, the bridge, the FixMyStreet double and
/// back to the gateway double, with the forwarder, the status poller and the status refresher running as in `serve`.
enum FixMyStreetLoop {
    static let deploymentID = "prishtina"
    static let environment = Deployments.environment.merging(
        ["LOOP_FMS_EMAIL": FixMyStreetState.staffEmail, "LOOP_FMS_PASSWORD": FixMyStreetState.staffPassword]) { $1 }

    /// Every category FixMyStreet names in the shipped Config/categories.yaml.
    static let allCategories = ["Potholes", "Street lighting", "Rubbish", "Water leak", "Sewage", "Graffiti", "Parks", "Traffic signs",
                                "Stray animals", "Other"]

    /// Prishtina as one body around the city centre, offering `categories`.
    static func prishtina(categories: [String] = allCategories) -> DoubleBody {
        DoubleBody(name: "Prishtinë", south: 42.60, west: 21.08, north: 42.72, east: 21.25, categories: categories)
    }

    struct Settings: Sendable {
        var statusStaleAfter: TimeInterval = 600
        var pollInterval: TimeInterval = 0.2
        var pendingNoticeAfter: TimeInterval = 30
        var duplicateHint = false
        /// The store the bridge runs on: the loop must hold on PostgreSQL as on SQLite.
        var engine = StoreEngine.sqlite
    }

    /// The bridge with Prishtina filing on FixMyStreet at `fmsPort`, talking to a fresh gateway double.
    static func run(fmsPort: Int, settings: Settings = Settings(), _ body: @escaping @Sendable (Bridge) async throws -> Void) async throws {
        try await ProviderDouble.with { double in
            var configuration = Deployments.configuration(doublePort: double.port)
            let index = try #require(configuration.deployments.firstIndex { $0.id == deploymentID })
            configuration.deployments[index].platform = PlatformDefinition(
                type: .fixmystreet, baseURL: "http://127.0.0.1:\(fmsPort)",
                secretVariables: ["email": "LOOP_FMS_EMAIL", "password": "LOOP_FMS_PASSWORD"], jurisdictionID: "fixmystreet",
                statusStaleAfter: settings.statusStaleAfter)
            // The double's FixMyStreet runs on Europe/Belgrade summer time: its list compares wall-clock times there.
            configuration.deployments[index].platform.timeZone = FixMyStreetState.zone
            configuration.deployments[index].platform.duplicateHint = settings.duplicateHint
            let store = try await settings.engine.make()
            let httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
            do {
                let application = try BridgeApplication(
                    configuration: configuration, store: store, environment: environment, logger: Harness.logger, platformHTTPClient: httpClient)
                var app = Application(
                    router: application.router(policy: Harness.fastRetries),
                    configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "smsbridge"), logger: Harness.logger)
                app.addServices(
                    application.outboxSender(httpClient: httpClient, policy: Harness.fastRetries),
                    application.reportForwarder(
                        policy: ForwarderPolicy(initialDelay: 0.05, maximumDelay: 0.5, pendingNoticeAfter: settings.pendingNoticeAfter)),
                    application.statusPoller(interval: settings.pollInterval),
                    application.statusRefresher(timeout: .seconds(5)))
                try await app.test(.live) { client in
                    try await body(Bridge(client: client, double: double, application: application))
                }
            } catch {
                try? await httpClient.shutdown()
                throw error
            }
            try await httpClient.shutdown()
        }
    }

    /// A port nothing listens on now (the double's, once stopped), for an outage.
    static func freePort() async throws -> Int {
        try await FixMyStreetDouble.with { double in double.port }
    }

    static func text(_ id: TextID, _ bridge: Bridge) -> String {
        Engine.message(id, [:], to: GenericResident(bridge: bridge).phone, language: .albanian, deployment(bridge)).text
    }

    static func deployment(_ bridge: Bridge) -> Deployment { bridge.application.configuration.deployment(id: deploymentID)! }

    /// The acknowledgement with FixMyStreet's id (the double numbers from 1234), in Albanian.
    static func thanks(_ bridge: Bridge, reference: String = "1234") -> String {
        Engine.thanks(reference: reference, to: GenericResident(bridge: bridge).phone, language: .albanian, deployment(bridge)).text
    }

    static func status(_ status: ReportStatus, _ bridge: Bridge, reference: String = "1234") -> String {
        Engine.status(status, reference: reference, to: GenericResident(bridge: bridge).phone, language: .albanian, deployment(bridge)).text
    }

    /// The SMS texts the gateway double received for the resident, in order.
    static func texts(_ bridge: Bridge) async -> [String] {
        await bridge.double.sent(to: GenericResident(bridge: bridge).phone).map(\.text)
    }

    /// Waits until the resident received an SMS equal to `expected`; returns all texts so far.
    @discardableResult
    static func waitForText(_ expected: String, _ bridge: Bridge, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws
        -> [String]
    {
        try await Harness.eventually("the SMS \"\(expected)\"", sourceLocation: sourceLocation) {
            let texts = await texts(bridge)
            return texts.contains(expected) ? texts : nil
        }
    }

    /// The Albanian conversation of `Script.albanian` with the resident's own words for the place.
    static func converse(_ resident: GenericResident, place: String = "te sheshi skenderbeu",
                         description: String = "Drita nuk punon prej dy javësh") async throws {
        for text in ["Përshëndetje", "1", "2", place, description, "po"] {
            let answer = try await resident.say(text)
            #expect(answer.status == 200, "\(text): \(answer)")
        }
    }

    /// The whole conversation, then the acknowledgement with FixMyStreet's id (the double numbers from 1234).
    static func reportAndAwaitThanks(_ resident: GenericResident, place: String = "te sheshi skenderbeu") async throws {
        try await converse(resident, place: place)
        try await waitForText(thanks(resident.bridge), resident.bridge)
    }

    static func onlyReport(_ fms: FixMyStreetDouble, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> DoubleReport {
        let reports = await fms.state.reports
        #expect(reports.count == 1, "reports in FixMyStreet: \(reports.map(\.id))", sourceLocation: sourceLocation)
        return try #require(reports.first, sourceLocation: sourceLocation)
    }
}

@Suite(.serialized) struct FixMyStreetLoopTests {
    @Test(arguments: StoreEngine.available)
    func anSMSReportArrivesOnceWithEveryFieldIsAcknowledgedWithItsIDAndEachStateChangeIsTextedOnce(_ engine: StoreEngine) async throws {
        try await FixMyStreetDouble.with(configure: { await $0.configure(bodies: [FixMyStreetLoop.prishtina()]) }) { fms in
            try await FixMyStreetLoop.run(fmsPort: fms.port, settings: .init(engine: engine)) { bridge in
                let resident = GenericResident(bridge: bridge)
                try await FixMyStreetLoop.reportAndAwaitThanks(resident)

                let report = try await FixMyStreetLoop.onlyReport(fms)
                #expect(report.id == 1234)
                #expect(report.username == resident.phone, "filed on the resident's behalf, not as the staff account")
                #expect(!report.ownedByStaff)
                #expect(report.category == "Street lighting")
                #expect(report.service == "SMS")
                #expect(report.state == "confirmed")
                let square = try #require(FixMyStreetLoop.deployment(bridge).landmark("skanderbeg-square"))
                #expect(abs(report.latitude - square.latitude) < 0.000_01 && abs(report.longitude - square.longitude) < 0.000_01,
                        "\(report.latitude),\(report.longitude)")
                #expect(report.usedMap, "a gazetteer landmark is an exact point: no skipped=1")
                #expect(report.postcode == "te sheshi skenderbeu")
                #expect(report.title.hasPrefix("Ndriçimi publik"), "title: \(report.title)")
                #expect(report.detail.contains("Drita nuk punon prej dy javësh"), "detail: \(report.detail)")
                #expect(report.detail.lowercased().contains("te sheshi skenderbeu"), "detail: \(report.detail)")
                let posted = try #require(await fms.requests("/report/new/mobile", method: "POST").first)
                #expect(posted.acceptLanguage == "sq")
                #expect(posted.field("form_as") == "another_user")
                #expect(!posted.form.contains { $0.value.contains("@") }, "never an email address: \(posted.form)")
                #expect(await fms.requests("/report/new/mobile").count == 1)
                #expect(try await bridge.session(FixMyStreetLoop.deploymentID, resident.phone)?.references == ["1234"])

                // A state change in FixMyStreet: one SMS in Albanian, however many polls follow.
                await fms.state.update(1234) {
                    $0.state = "in progress"
                    $0.lastUpdate = Date().addingTimeInterval(5)
                }
                let status = FixMyStreetLoop.status(.inProgress, bridge)
                try await FixMyStreetLoop.waitForText(status, bridge)
                let listsSoFar = await fms.requests("/open311/v2/requests.json").count
                _ = try await Harness.eventually("three more status polls") {
                    await fms.requests("/open311/v2/requests.json").count >= listsSoFar + 3 ? true : nil
                }
                let texts = await FixMyStreetLoop.texts(bridge)
                #expect(texts.filter { $0 == status }.count == 1, "\(texts)")
                #expect(texts.filter { $0 == FixMyStreetLoop.thanks(bridge) }.count == 1, "\(texts)")
                #expect(try await bridge.reports().first?.status == .inProgress)

                // Fixed: one more SMS.
                await fms.state.update(1234) {
                    $0.state = "fixed - council"
                    $0.lastUpdate = Date().addingTimeInterval(10)
                }
                let fixed = FixMyStreetLoop.status(.fixed, bridge)
                try await FixMyStreetLoop.waitForText(fixed, bridge)
            }
        }
    }

    @Test(arguments: StoreEngine.available) func aReportSentWhileFixMyStreetIsDownArrivesOnceAfterItRecovers(_ engine: StoreEngine) async throws {
        let port = try await FixMyStreetLoop.freePort()
        let state = FixMyStreetState()
        await state.configure(bodies: [FixMyStreetLoop.prishtina()])
        let settings = FixMyStreetLoop.Settings(pendingNoticeAfter: 0.2, engine: engine)
        try await FixMyStreetLoop.run(fmsPort: port, settings: settings) { bridge in
            let resident = GenericResident(bridge: bridge)
            try await FixMyStreetLoop.converse(resident)
            // The resident hears at once that the reference follows; the forwarder keeps retrying meanwhile.
            try await FixMyStreetLoop.waitForText(FixMyStreetLoop.text(.referencePending, bridge), bridge)
            _ = try await Harness.eventually("three failed attempts") {
                let submissions = try await bridge.store.read { try $0.submissions() }
                return submissions.first.map { $0.attempts >= 3 && $0.lastError != nil && $0.state != .submitted } == true ? true : nil
            }
            try await FixMyStreetDouble.with(port: port, state: state) { fms in
                try await FixMyStreetLoop.waitForText(FixMyStreetLoop.thanks(bridge), bridge)
                let report = try await FixMyStreetLoop.onlyReport(fms)
                #expect(report.username == resident.phone)
                #expect(try await bridge.store.read { try $0.submissions() }.map(\.state) == [.submitted])
            }
        }
    }

    @Test func anExpiredStaffSessionIsRenewedAndTheReportStillFiledOnTheResidentsBehalf() async throws {
        try await FixMyStreetDouble.with(configure: { state in
            await state.configure(bodies: [FixMyStreetLoop.prishtina()])
            await state.expireSessions(before: "/report/new/mobile")
        }) { fms in
            try await FixMyStreetLoop.run(fmsPort: fms.port) { bridge in
                let resident = GenericResident(bridge: bridge)
                try await FixMyStreetLoop.reportAndAwaitThanks(resident)
                let report = try await FixMyStreetLoop.onlyReport(fms)
                #expect(report.username == resident.phone)
                #expect(!report.ownedByStaff)
                #expect(await fms.requests("/auth/ajax/sign_in").count == 2, "signed in, then again after the session was gone")
            }
        }
    }

    @Test func severalPlacesForTheResidentsWordsAreOfferedAndTheChosenOneIsFiled() async throws {
        let words = "afër furrës së bukës"
        let places: [(address: String, latitude: Double, longitude: Double)] = [
            ("Furra e Bukës, Rruga Agim Ramadani, Prishtinë", 42.6601, 21.1601),
            ("Furra e Bukës, Lagjja Ulpiana, Prishtinë", 42.6502, 21.1802),
            ("Furra e Bukës, Bregu i Diellit, Prishtinë", 42.6553, 21.1903),
        ]
        try await FixMyStreetDouble.with(configure: { state in
            await state.configure(bodies: [FixMyStreetLoop.prishtina()])
            await state.configure(places: [words: .several(places)])
        }) { fms in
            try await FixMyStreetLoop.run(fmsPort: fms.port) { bridge in
                let resident = GenericResident(bridge: bridge)
                try await FixMyStreetLoop.converse(resident, place: words)
                let question = try await Harness.eventually("the question which place") {
                    await FixMyStreetLoop.texts(bridge).last.flatMap { $0.contains("Ulpiana") ? $0 : nil }
                }
                let plain = { (text: String) in text.folding(options: .diacriticInsensitive, locale: nil) }
                for place in places { #expect(plain(question).contains(plain(place.address)), "\(question)") }
                #expect(await fms.requests("/report/new/mobile").isEmpty, "nothing filed before the resident answered")
                _ = try await resident.say("2")
                try await FixMyStreetLoop.waitForText(FixMyStreetLoop.thanks(bridge), bridge)
                let report = try await FixMyStreetLoop.onlyReport(fms)
                #expect(report.latitude == 42.6502 && report.longitude == 21.1802, "\(report.latitude),\(report.longitude)")
                #expect(report.usedMap)
                #expect(report.postcode == words)
                #expect(try await bridge.session(FixMyStreetLoop.deploymentID, resident.phone)?.followUp == nil)
            }
        }
    }

    @Test func noneOfTheOfferedPlacesFilesAtTheCentreFlaggedApproximate() async throws {
        let words = "te furra"
        try await FixMyStreetDouble.with(configure: { state in
            await state.configure(bodies: [FixMyStreetLoop.prishtina()])
            await state.configure(places: [words: .several([("Furra, Prishtinë", 42.66, 21.16), ("Furra, Fushë Kosovë", 42.64, 21.10)])])
        }) { fms in
            try await FixMyStreetLoop.run(fmsPort: fms.port) { bridge in
                let resident = GenericResident(bridge: bridge)
                try await FixMyStreetLoop.converse(resident, place: words)
                _ = try await Harness.eventually("the question which place") {
                    await FixMyStreetLoop.texts(bridge).last.flatMap { $0.contains("Fushë Kosovë") || $0.contains("Fushe Kosove") ? $0 : nil }
                }
                _ = try await resident.say("3")
                try await FixMyStreetLoop.waitForText(FixMyStreetLoop.thanks(bridge), bridge)
                let report = try await FixMyStreetLoop.onlyReport(fms)
                #expect(report.latitude == 42.6629 && report.longitude == 21.1655, "the deployment's centre: \(report.latitude),\(report.longitude)")
                #expect(!report.usedMap, "skipped=1")
                let posted = try #require(await fms.requests("/report/new/mobile", method: "POST").first)
                #expect(posted.field("skipped") == "1")
            }
        }
    }

    @Test func aCategoryTheBodyDoesNotOfferAtThePointIsFiledUnderTheFallback() async throws {
        let withoutLighting = FixMyStreetLoop.allCategories.filter { $0 != "Street lighting" }
        try await FixMyStreetDouble.with(configure: { await $0.configure(bodies: [FixMyStreetLoop.prishtina(categories: withoutLighting)]) }) { fms in
            try await FixMyStreetLoop.run(fmsPort: fms.port) { bridge in
                let resident = GenericResident(bridge: bridge)
                try await FixMyStreetLoop.reportAndAwaitThanks(resident)
                let report = try await FixMyStreetLoop.onlyReport(fms)
                #expect(report.category == "Other")
                #expect(report.title.hasPrefix("Ndriçimi publik"), "the resident's own category stays in the title: \(report.title)")
            }
        }
    }

    @Test func aPlaceOutsideEveryBodyIsExplainedToTheResidentAndNothingIsFiled() async throws {
        let elsewhere = DoubleBody(name: "Prizren", south: 42.18, west: 20.68, north: 42.25, east: 20.78, categories: FixMyStreetLoop.allCategories)
        try await FixMyStreetDouble.with(configure: { await $0.configure(bodies: [elsewhere]) }) { fms in
            try await FixMyStreetLoop.run(fmsPort: fms.port) { bridge in
                let resident = GenericResident(bridge: bridge)
                try await FixMyStreetLoop.converse(resident)
                try await FixMyStreetLoop.waitForText(FixMyStreetLoop.text(.outsideArea, bridge), bridge)
                #expect(await fms.state.reports.isEmpty)
                #expect(try await bridge.store.read { try $0.submissions() }.map(\.state) == [.failed])
            }
        }
    }

    @Test func statusAboutAStaleReportAsksFixMyStreetBeforeAnswering() async throws {
        let settings = FixMyStreetLoop.Settings(statusStaleAfter: 0, pollInterval: 3600)
        try await FixMyStreetDouble.with(configure: { await $0.configure(bodies: [FixMyStreetLoop.prishtina()]) }) { fms in
            try await FixMyStreetLoop.run(fmsPort: fms.port, settings: settings) { bridge in
                let resident = GenericResident(bridge: bridge)
                try await FixMyStreetLoop.reportAndAwaitThanks(resident)
                // Fixed in FixMyStreet; the poller will not look for an hour.
                await fms.state.update(1234) {
                    $0.state = "fixed - council"
                    $0.lastUpdate = Date().addingTimeInterval(5)
                }
                _ = try await resident.say("1234")
                let texts = try await FixMyStreetLoop.waitForText(FixMyStreetLoop.status(.fixed, bridge), bridge)
                let open = FixMyStreetLoop.status(.open, bridge)
                #expect(!texts.contains(open), "the stale stored status was not sent: \(texts)")
                #expect(await fms.requests("/report/ajax/1234").count >= 1)
                #expect(try await bridge.reports().first?.status == .fixed)
            }
        }
    }

    /// An open street-lighting report a few metres from Skanderbeg Square, filed on the web.
    static func openReportNearTheSquare(_ bridge: Bridge, id: Int) throws -> DoubleReport {
        let square = try #require(FixMyStreetLoop.deployment(bridge).landmark("skanderbeg-square"))
        return DoubleReport(
            id: id, title: "Street light out", detail: "The lamp by the fountain is out", category: "Street lighting",
            latitude: square.latitude + 0.0002, longitude: square.longitude, postcode: "", service: "", username: "someone@example.org",
            name: "A resident", confirmed: Date(), lastUpdate: Date())
    }

    @Test func anOpenReportNearbyIsPointedOutAndOneAddsTheResidentsAnyway() async throws {
        try await FixMyStreetDouble.with(configure: { await $0.configure(bodies: [FixMyStreetLoop.prishtina()]) }) { fms in
            try await FixMyStreetLoop.run(fmsPort: fms.port, settings: FixMyStreetLoop.Settings(duplicateHint: true)) { bridge in
                await fms.state.add(try Self.openReportNearTheSquare(bridge, id: 900))
                let resident = GenericResident(bridge: bridge)
                try await FixMyStreetLoop.converse(resident)
                let hint = Engine.message(.duplicateHint, ["ref": "900"], to: resident.phone, language: .albanian,
                                          FixMyStreetLoop.deployment(bridge)).text
                try await FixMyStreetLoop.waitForText(hint, bridge)
                #expect(await fms.requests("/report/new/mobile").isEmpty, "nothing filed before the resident answered")
                let nearby = try #require(await fms.requests("/around/nearby").first)
                #expect(nearby.query("filter_category") == "Street lighting")
                _ = try await resident.say("1")
                try await FixMyStreetLoop.waitForText(FixMyStreetLoop.thanks(bridge), bridge)
                #expect(await fms.state.reports.filter { $0.username == resident.phone }.count == 1)
            }
        }
    }

    @Test func twoAfterTheDuplicateHintFilesNothing() async throws {
        try await FixMyStreetDouble.with(configure: { await $0.configure(bodies: [FixMyStreetLoop.prishtina()]) }) { fms in
            try await FixMyStreetLoop.run(fmsPort: fms.port, settings: FixMyStreetLoop.Settings(duplicateHint: true)) { bridge in
                await fms.state.add(try Self.openReportNearTheSquare(bridge, id: 901))
                let resident = GenericResident(bridge: bridge)
                try await FixMyStreetLoop.converse(resident)
                _ = try await Harness.eventually("the duplicate hint") {
                    await FixMyStreetLoop.texts(bridge).contains { $0.contains("901") } ? true : nil
                }
                _ = try await resident.say("2")
                try await FixMyStreetLoop.waitForText(FixMyStreetLoop.text(.cancelled, bridge), bridge)
                _ = try await Harness.eventually("the submission withdrawn") {
                    try await bridge.store.read { try $0.submissions() }.first?.state == .withdrawn ? true : nil
                }
                #expect(await fms.requests("/report/new/mobile").isEmpty)
                #expect(try await ReportForwarder.passes(bridge) == 0, "nothing left to file")
            }
        }
    }
}

extension ReportForwarder {
    /// How many submissions a forwarder pass would handle now.
    static func passes(_ bridge: Bridge) async throws -> Int {
        try await bridge.application.reportForwarder().forwardDue()
    }
}
