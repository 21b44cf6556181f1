import BridgeCore
import Foundation
import Platform
import Testing
@testable import TestDoubles

/// The platform `simulate` and the demo use.
@Suite struct LocalPlatformTests {
    @Test func numbersReportsFrom1001() async throws {
        let platform = LocalPlatform(places: ["Sheshi Skënderbej": Coordinate(latitude: 42.6598, longitude: 21.16)])
        let first = try await platform.submit(Fixture.submission(), context: Fixture.context())
        let second = try await platform.submit(Fixture.submission(landmark: Fixture.unresolved("sheshi skënderbej")), context: Fixture.context())
        let third = try await platform.submit(Fixture.submission(landmark: Fixture.unresolved("diku")), context: Fixture.context())
        #expect([first.id, second.id, third.id] == ["1001", "1002", "1003"])
        #expect(first.locationSource == .landmark)
        #expect(second.locationSource == .geocoded)
        #expect(third.locationSource == .fallback)
        #expect(third.location == Fixture.centre)
        let reports = await platform.reports
        #expect(reports.count == 3)
        #expect(reports[2].detail.hasSuffix("Vendndodhja është e përafërt (qendra e komunës)."))
        #expect(reports[0].title == "Gropa në rrugë – afër xhamisë")
    }

    @Test func statesChangesAndFindingTheSameSubmission() async throws {
        let platform = LocalPlatform(firstID: 1001)
        let start = Date().addingTimeInterval(-1)
        let submission = Fixture.submission()
        let receipt = try await platform.submit(submission, context: Fixture.context())
        let id = try #require(receipt.id)
        #expect(try await platform.state(of: id)?.status == .open)
        #expect(await platform.setState("in progress", of: id))
        #expect(try await platform.state(of: id)?.status == .inProgress)
        #expect(!(await platform.setState("fixed", of: "42")))
        #expect(try await platform.state(of: "42") == nil)

        let changes = try await platform.changes(since: start, until: Date().addingTimeInterval(1))
        #expect(changes.map(\.id) == [id])
        #expect(changes.first?.status == .open)

        #expect(try await platform.findExisting(submission, context: Fixture.context(), around: submission.submittedAt)?.id == id)
        #expect(try await platform.findExisting(Fixture.submission(description: "Tjetër."), context: Fixture.context(), around: Date()) == nil)

        #expect(try await platform.nearby(category: Fixture.pothole, at: Fixture.mosque).map(\.id) == [id])
        await platform.setState("fixed", of: id)
        #expect(try await platform.nearby(category: Fixture.pothole, at: Fixture.mosque).isEmpty)
        #expect(try await platform.state(of: id)?.isFixed == true)
        #expect(try await platform.categories(at: Fixture.offshore).offers("anything"))
    }
}

/// The words the bridge writes into a report.
@Suite struct ReportTextTests {
    @Test func titleIsCategoryThenPlaceAndShort() {
        #expect(ReportText.title(categoryLabel: "Gropa në rrugë", landmark: " afër   xhamisë ") == "Gropa në rrugë – afër xhamisë")
        #expect(ReportText.title(categoryLabel: "Gropa në rrugë", landmark: "") == "Gropa në rrugë")
        let long = ReportText.title(categoryLabel: "Ndriçimi publik", landmark: String(repeating: "rruga e gjatë ", count: 20))
        #expect(long.count <= 80)
        #expect(long.hasPrefix("Ndriçimi publik – rruga e gjatë"))
        #expect(long.hasSuffix("…"))
    }

    @Test func detailParagraphsSurviveFixMyStreetsCleanup() {
        let detail = ReportText.detail(
            description: "  Drita nuk punon\nqë një javë. ", landmark: "te shkolla", approximate: true, wording: .standard(for: .albanian))
        #expect(detail == "Drita nuk punon\nqë një javë.\n\nVendi: te shkolla\n\nVendndodhja është e përafërt (qendra e komunës).")
        #expect(Wire.cleanup(detail, multiline: true).components(separatedBy: "\n\n").count == 3)
        #expect(ReportText.detail(description: "Gropë.", landmark: "", approximate: false, wording: .standard(for: .french)) == "Gropë.")
        #expect(ReportWording.standard(for: .french).placePrefix == "Lieu : ")
        #expect(ReportWording.standard(for: .serbianCyrillic).placePrefix == "Место: ")
        #expect(ReportWording.standard(for: .arabic).placePrefix == "المكان: ")
    }
}
