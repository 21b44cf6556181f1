import BridgeCore
import Foundation
import Platform
import Testing
@testable import TestDoubles

/// What the status poller and the duplicate hint read.
@Suite struct FixMyStreetStatusTests {
    /// `count` SMS reports, one a minute back from `newest`, ids from 5000.
    static func seed(_ state: FixMyStreetState, count: Int, newest: Date, service: String = "SMS") async {
        for index in 0..<count {
            let confirmed = newest.addingTimeInterval(-60 * Double(index))
            await state.add(
                DoubleReport(
                    id: 5000 + index, title: "Gropa në rrugë", detail: "Gropë numër \(index).", category: Fixture.pothole, latitude: 42.662914,
                    longitude: 21.1655, postcode: "afër xhamisë", service: service, username: Fixture.phone, name: "SMS reporter",
                    confirmed: confirmed, lastUpdate: confirmed))
        }
    }

    @Test func changesPageBackWithEndDateWhileTheListIsAtItsCap() async throws {
        let newest = Date(timeIntervalSince1970: 1_714_550_400)  // 2024-05-01T08:00:00Z, 10:00 in the double's zone
        try await Fixture.withFixMyStreet(configure: { state in
            await Self.seed(state, count: 2300, newest: newest)
            await state.add(
                DoubleReport(
                    id: 9999, title: "Web", detail: "Nga uebi.", category: Fixture.pothole, latitude: 42.66, longitude: 21.16, postcode: "",
                    service: "", username: "someone@example.org", name: "Web", confirmed: newest, lastUpdate: newest))
        }) { double, platform in
            let since = newest.addingTimeInterval(-3 * 86_400)
            let until = newest.addingTimeInterval(3600)
            let changes = try await platform.changes(since: since, until: until)
            #expect(changes.count == 2300)
            #expect(Set(changes.map(\.id)).count == 2300)
            #expect(!changes.contains { $0.id == "9999" })
            #expect(changes.first?.id == "5000")
            #expect(changes.first?.status == .open)
            #expect(changes.first?.platformStatus == "open")
            #expect(changes.first?.updatedRaw == "2024-05-01T10:00:00+02:00")
            #expect(changes.first?.updatedAt == newest)

            let lists = await double.requests("/open311/v2/requests.json")
            #expect(lists.count == 3)
            #expect(lists.allSatisfy { $0.query("jurisdiction_id") == "kosovo" && $0.query("interface_used") == "SMS" })
            #expect(lists.allSatisfy { $0.query("start_date") == "2024-04-28T10:00:00" })
            #expect(lists[0].query("end_date") == "2024-05-01T11:00:00")
            // The 1000th row was confirmed 999 minutes before the newest (17:21 local the day before); one second later keeps its second.
            #expect(lists[1].query("end_date") == "2024-04-30T17:21:01")
            #expect(lists[2].query("end_date") == "2024-04-30T00:42:01")
        }
    }

    @Test func anHTMLErrorPageServedWith200IsARetryableError() async throws {
        try await Fixture.withFixMyStreet(configure: { await $0.scriptHTMLListPage() }) { _, platform in
            let error = try await #require(throws: PlatformError.self) {
                try await platform.changes(since: Date().addingTimeInterval(-86_400), until: Date())
            }
            #expect(error == .unexpectedResponse)
            #expect(error.isRetryable)
            #expect(error.residentMessage == .temporarilyUnavailable)
            #expect(error.operatorMessage.contains("ERROR: Missing jurisdiction_id"))
            // The next poll works.
            #expect(try await platform.changes(since: Date().addingTimeInterval(-86_400), until: Date()).isEmpty)
        }
    }

    @Test func theRealStateComesFromTheReportPage() async throws {
        try await Fixture.withFixMyStreet { double, platform in
            let receipt = try await platform.submit(Fixture.submission(), context: Fixture.context())
            let id = try #require(receipt.id)
            #expect(try await platform.state(of: id)?.status == .open)

            await double.state.update(1234) { $0.state = "in progress" }
            let inProgress = try #require(try await platform.state(of: id))
            #expect(inProgress.label == "in progress")
            #expect(inProgress.displayName == "In progress")
            #expect(inProgress.status == .inProgress)
            #expect(!inProgress.isFixed)

            await double.state.update(1234) { $0.state = "fixed - council" }
            let fixed = try #require(try await platform.state(of: id))
            #expect(fixed.status == .fixed)
            #expect(fixed.isFixed)

            await double.state.update(1234) { $0.state = "not responsible" }
            #expect(try await platform.state(of: id)?.status == .notResponsible)

            await double.state.update(1234) { $0.state = "for triage" }
            let custom = try #require(try await platform.state(of: id))
            #expect(custom.label == "for triage")
            #expect(custom.status == nil)

            await double.state.update(1234) { $0.hidden = true }
            #expect(try await platform.state(of: id) == nil)
            #expect(try await platform.state(of: "777") == nil)
            #expect(try await platform.state(of: "../admin") == nil)
        }
    }

    @Test func aChangedUpdateTimeShowsInTheListAndClosedCoversFixed() async throws {
        try await Fixture.withFixMyStreet { double, platform in
            let before = Date().addingTimeInterval(-60)
            _ = try await platform.submit(Fixture.submission(), context: Fixture.context())
            let first = try #require(try await platform.changes(since: before, until: Date().addingTimeInterval(60)).first)
            let later = Date().addingTimeInterval(3600)
            await double.state.update(1234) {
                $0.state = "fixed - council"
                $0.lastUpdate = later
            }
            let second = try #require(try await platform.changes(since: before, until: Date().addingTimeInterval(60)).first)
            #expect(second.id == first.id)
            #expect(second.updatedRaw != first.updatedRaw)
            #expect(second.platformStatus == "closed")
            #expect(second.status == .closed)
            #expect(abs(second.updatedAt.timeIntervalSince(later)) < 1)
        }
    }

    @Test func nearbyOpenReportsOfTheSameCategoryAreTheDuplicateHint() async throws {
        try await Fixture.withFixMyStreet(configure: { state in
            let now = Date()
            func report(_ id: Int, _ category: String, _ state: String, _ latitude: Double) -> DoubleReport {
                DoubleReport(
                    id: id, title: "Gropë \(id)", detail: "…", category: category, latitude: latitude, longitude: 21.165503, postcode: "",
                    service: "SMS", username: Fixture.phone, name: "SMS reporter", state: state, confirmed: now, lastUpdate: now)
            }
            await state.add(report(41, Fixture.pothole, "confirmed", 42.6630))  // ~10 m
            await state.add(report(42, Fixture.pothole, "fixed - council", 42.6630))  // closed
            await state.add(report(43, "Ndriçimi publik", "confirmed", 42.6630))  // other category
            await state.add(report(44, Fixture.pothole, "in progress", 42.6650))  // ~230 m
            await state.add(report(45, Fixture.pothole, "confirmed", 42.6700))  // ~790 m: beyond 250 m
        }) { double, platform in
            let found = try await platform.nearby(category: Fixture.pothole, at: Fixture.mosque)
            #expect(found.map(\.id) == ["41", "44"])
            #expect(found.first?.title == "Gropë 41")
            #expect(found.first?.url == double.baseURL + "/report/41")
            #expect(found.first?.coordinate == Coordinate(latitude: 42.663, longitude: 21.165503))
            let asked = try #require(await double.requests("/around/nearby").first)
            #expect(asked.query("filter_category") == Fixture.pothole)
            #expect(asked.query("distance") == "250")
        }
    }
}
