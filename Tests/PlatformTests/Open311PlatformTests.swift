import BridgeCore
import Foundation
import NIOCore
import Platform
import Testing
@testable import TestDoubles

/// A city's own GeoReport v2 server accepting `POST requests.json`.
@Suite struct Open311PlatformTests {
    static func platform(_ double: Open311Double, apiKey: String = Open311State.apiKey) -> Open311Platform {
        Open311Platform(
            configuration: Open311Configuration(
                baseURL: double.baseURL, apiKey: apiKey, jurisdictionID: "city.example.org", serviceCodes: [Fixture.pothole: "pothole"],
                requestTimeout: .seconds(10)),
            logger: TestSupport.logger)
    }

    @Test func postsTheGeoReportFieldsAndReadsTheID() async throws {
        try await Open311Double.with { double in
            let platform = Self.platform(double)
            let receipt = try await platform.submit(Fixture.submission(), context: Fixture.context())
            #expect(receipt.id == "638344")
            #expect(receipt.category == "pothole")
            #expect(receipt.locationSource == .landmark)

            let post = try #require(await double.requests(method: "POST").first)
            #expect(post.path == "/open311/v2/requests.json")
            #expect(Set(post.formNames) == ["api_key", "jurisdiction_id", "service_code", "lat", "long", "description"])
            #expect(post.field("api_key") == Open311State.apiKey)
            #expect(post.field("jurisdiction_id") == "city.example.org")
            #expect(post.field("service_code") == "pothole")
            #expect(post.field("lat") == "42.662914")
            #expect(post.field("long") == "21.165503")
            #expect(
                post.field("description")
                    == "Gropa në rrugë – afër xhamisë\n\nGropë e madhe, e rrezikshme për makinat.\n\nVendi: afër xhamisë")
            #expect(post.field("email") == nil)
            #expect(post.field("phone") == nil)
        }
    }

    @Test func anUnresolvedLandmarkIsSentAsAddressString() async throws {
        try await Open311Double.with { double in
            let receipt = try await Self.platform(double).submit(
                Fixture.submission(landmark: Fixture.unresolved("afër  stacionit")), context: Fixture.context())
            #expect(receipt.locationSource == .address)
            #expect(receipt.location == nil)
            let post = try #require(await double.requests(method: "POST").first)
            #expect(post.field("address_string") == "afër stacionit")
            #expect(post.field("lat") == nil)
            #expect(post.field("long") == nil)
        }
    }

    @Test func aTokenIsTurnedIntoAnIDLater() async throws {
        try await Open311Double.with { double in
            await double.state.setAnswerWithToken(true)
            let platform = Self.platform(double)
            let receipt = try await platform.submit(Fixture.submission(), context: Fixture.context())
            #expect(receipt.id == nil)
            #expect(receipt.token == "tok-638344")
            #expect(try await platform.requestID(forToken: "tok-638344") == "638344")
            #expect(try await platform.requestID(forToken: "tok-1") == nil)
        }
    }

    @Test(arguments: [
        (DoubleAnswer.json(#"[{"code":400,"description":"Invalid service_code"}]"#, status: 400), PlatformError.rejected, false),
        (.json(#"[{"code":403,"description":"Invalid api_key"}]"#, status: 403), .notAuthorized, false),
        (.json(#"[{"code":503,"description":"Maintenance"}]"#, status: 503), .unavailable, true),
        (.html("<html>oops</html>", status: 200), .unexpectedResponse, true),
    ])
    func errorsAreTyped(answer: DoubleAnswer, expected: PlatformError, retryable: Bool) async throws {
        try await Open311Double.with { double in
            await double.state.script(answer)
            let error = try await #require(throws: PlatformError.self) {
                try await Self.platform(double).submit(Fixture.submission(), context: Fixture.context())
            }
            #expect(error == expected)
            #expect(error.isRetryable == retryable)
            #expect(!error.operatorMessage.contains(Open311State.apiKey))
        }
    }

    @Test func statusComesFromGetRequests() async throws {
        try await Open311Double.with { double in
            let platform = Self.platform(double)
            let start = Date().addingTimeInterval(-60)
            let receipt = try await platform.submit(Fixture.submission(), context: Fixture.context())
            let id = try #require(receipt.id)
            #expect(try await platform.state(of: id)?.status == .open)
            await double.state.setStatus("closed", of: id)
            #expect(try await platform.state(of: id)?.status == .closed)
            #expect(try await platform.state(of: "1") == nil)

            let changes = try await platform.changes(since: start, until: Date().addingTimeInterval(60))
            #expect(changes.map(\.id) == [id])
            #expect(changes.first?.platformStatus == "closed")
            let list = try #require(await double.requests(method: "GET").first { $0.path == "/open311/v2/requests.json" })
            #expect(list.query("start_date")?.hasSuffix("Z") == true)
            #expect(list.query("api_key") == Open311State.apiKey)

            let found = try await platform.findExisting(Fixture.submission(), context: Fixture.context(), around: Date())
            #expect(found?.id == id)
            #expect(await double.requests(method: "POST").count == 1)
        }
    }

    @Test func servicesAreTheCategoriesAndThereIsNoGeocoderOrNearby() async throws {
        try await Open311Double.with { double in
            let platform = Self.platform(double)
            let check = try await platform.categories(at: Fixture.mosque)
            #expect(check.isCovered)
            #expect(check.offers(Fixture.pothole))
            #expect(check.offers("other"))
            #expect(!check.offers("graffiti"))
            #expect(try await platform.geocode("stacioni", near: nil).isEmpty)
            #expect(try await platform.nearby(category: Fixture.pothole, at: Fixture.mosque).isEmpty)
            let error = try await #require(throws: PlatformError.self) {
                try await Self.platform(double, apiKey: "wrong").categories(at: Fixture.mosque)
            }
            #expect(error == .notAuthorized)
        }
    }
}
