import AsyncHTTPClient
import BridgeCore
import Foundation
import Platform
import Testing
@testable import TestDoubles

/// Pseudonymous deployments: FixMyStreet gets a stable pseudonym of the resident, never the number.
@Suite struct FixMyStreetPseudonymTests {
    /// A fixed table instead of the server's keyed hash: the platform must use whatever it is given, as given.
    struct Table: ResidentPseudonyms {
        func pseudonym(for phone: String) -> String { phone == Fixture.phone ? "9f3c01aa7d52e6b4" : "0000000000000000" }
    }

    static func withPseudonymousFixMyStreet<T: Sendable>(_ body: @Sendable (FixMyStreetDouble, FixMyStreetPlatform) async throws -> T)
        async throws -> T
    {
        try await FixMyStreetDouble.with(configure: { await Fixture.configure($0) }) { double in
            var configuration = Fixture.configuration(double)
            configuration.pseudonyms = Table()
            return try await body(double, FixMyStreetPlatform(configuration: configuration, httpClient: .shared, logger: TestSupport.logger))
        }
    }

    @Test func theReportCarriesThePseudonymAndNothingOfTheNumber() async throws {
        try await Self.withPseudonymousFixMyStreet { double, platform in
            let receipt = try await platform.submit(Fixture.submission(), context: Fixture.context())
            #expect(receipt.id == "1234")

            let post = try #require(await Fixture.posts(double).first)
            #expect(Set(post.formNames) == ["name", "may_show_name", "service", "category", "lat", "lon", "pc", "title", "detail"])
            #expect(post.field("name") == "SMS reporter 9f3c01aa7d52e6b4")
            #expect(post.field("may_show_name") == "0")
            #expect(post.field("form_as") == nil && post.field("username") == nil && post.field("phone") == nil)
            // No field, and no request at all, carries the number in any form.
            let digits = String(Fixture.phone.dropFirst())
            for request in await double.requests() {
                let values = (request.query + request.form).map(\.value) + [request.path]
                #expect(!values.contains { $0.contains(digits) }, "\(request.path) carries the number")
            }
            let stored = try #require(await double.state.report(1234))
            #expect(stored.ownedByStaff, "filed by the staff account itself")
            #expect(stored.username == FixMyStreetState.staffEmail)
            #expect(stored.name == "SMS reporter 9f3c01aa7d52e6b4")
            #expect(stored.state == "confirmed")
        }
    }

    @Test func theSameResidentGetsTheSamePseudonymOnEveryReport() async throws {
        try await Self.withPseudonymousFixMyStreet { double, platform in
            _ = try await platform.submit(Fixture.submission(), context: Fixture.context())
            _ = try await platform.submit(Fixture.submission(description: "Edhe një gropë."), context: Fixture.context())
            _ = try await platform.submit(Fixture.submission(phone: "+38344000111"), context: Fixture.context())
            let names = await Fixture.posts(double).map { $0.field("name") }
            #expect(names == ["SMS reporter 9f3c01aa7d52e6b4", "SMS reporter 9f3c01aa7d52e6b4", "SMS reporter 0000000000000000"])
        }
    }

    @Test func noPermissionToActForAnotherUserIsNeeded() async throws {
        try await Self.withPseudonymousFixMyStreet { double, platform in
            // Graçanicë does not let the staff account act for others: a normal deployment is refused there (notPermitted).
            let landmark = LandmarkAnswer(id: "centre", text: "qendra", latitude: Fixture.inGracanica.latitude, longitude: Fixture.inGracanica.longitude)
            let receipt = try await platform.submit(Fixture.submission(landmark: landmark), context: Fixture.context())
            let id = try #require(receipt.id.flatMap { Int($0) })
            let stored = try #require(await double.state.report(id))
            #expect(stored.name == "SMS reporter 9f3c01aa7d52e6b4")
        }
    }
}
