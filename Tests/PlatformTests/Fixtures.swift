import AsyncHTTPClient
import BridgeCore
import Foundation
import NIOCore
import Platform
@testable import TestDoubles

/// Kosovo as the double serves it: three municipalities, a geocoder, and residents' reports.
enum Fixture {
    static let phone = "+38344123456"
    static let pothole = "Gropa në rrugë"
    static let other = "Tjera"
    static let now = Date()

    static let prishtina = DoubleBody(
        name: "Prishtinë", south: 42.60, west: 21.10, north: 42.72, east: 21.25, categories: [pothole, "Ndriçimi publik", other])
    /// Has no pothole category: reports of potholes fall back to `Tjera`.
    static let fusheKosove = DoubleBody(name: "Fushë Kosovë", south: 42.60, west: 21.00, north: 42.66, east: 21.0999, categories: ["Mbeturina", other])
    /// The staff account lacks `contribute_as_another_user` here.
    static let gracanica = DoubleBody(
        name: "Graçanicë", south: 42.55, west: 21.15, north: 42.5999, east: 21.25, categories: [pothole, other], staffMayActForOthers: false)

    static let mosque = Coordinate(latitude: 42.662914, longitude: 21.165503)
    static let centre = Coordinate(latitude: 42.6629, longitude: 21.1655)
    static let inFusheKosove = Coordinate(latitude: 42.6350, longitude: 21.0950)
    static let inGracanica = Coordinate(latitude: 42.5960, longitude: 21.1930)
    static let offshore = Coordinate(latitude: 41.0, longitude: 19.0)

    static let places: [String: GeocoderAnswer] = [
        "sheshi skënderbej": .one(latitude: 42.6598, longitude: 21.1600),
        "stacioni": .several([
            (address: "Stacioni i autobusëve, Fushë Kosovë", latitude: 42.6360, longitude: 21.0930),
            (address: "Stacioni i autobusëve, Prishtinë", latitude: 42.6550, longitude: 21.1550),
        ]),
    ]

    static func configure(_ state: FixMyStreetState) async {
        await state.configure(bodies: [prishtina, fusheKosove, gracanica])
        await state.configure(places: places)
    }

    static func submission(
        landmark: LandmarkAnswer = LandmarkAnswer(id: "mosque", text: "afër xhamisë", latitude: mosque.latitude, longitude: mosque.longitude),
        category: String = pothole, language: LanguageTag = .albanian, description: String = "Gropë e madhe, e rrezikshme për makinat.",
        phone: String = phone, at date: Date = now
    ) -> ReportSubmission {
        ReportSubmission(
            phone: phone, deployment: "kosovo", language: language, categoryID: "roads", platformCategory: category, landmark: landmark,
            description: description, submittedAt: date)
    }

    static func unresolved(_ words: String) -> LandmarkAnswer { LandmarkAnswer(id: nil, text: words, latitude: nil, longitude: nil) }

    static func context(language: LanguageTag = .albanian, fallback: String? = other) -> SubmissionContext {
        SubmissionContext(
            categoryLabel: "Gropa në rrugë", fallbackCategory: fallback, fallbackPoint: centre, wording: .standard(for: language))
    }

    static func configuration(_ double: FixMyStreetDouble, password: String = FixMyStreetState.staffPassword) -> FixMyStreetConfiguration {
        FixMyStreetConfiguration(
            baseURL: double.baseURL, credentials: FixMyStreetCredentials(email: FixMyStreetState.staffEmail, password: password),
            serviceTag: "SMS", jurisdictionID: "kosovo", serverTimeZone: FixMyStreetState.zone, requestTimeout: .seconds(10))
    }

    /// A double configured as Kosovo, and a client pointed at it.
    static func withFixMyStreet<T: Sendable>(
        password: String = FixMyStreetState.staffPassword, configure: @Sendable (FixMyStreetState) async -> Void = { _ in },
        _ body: @Sendable (FixMyStreetDouble, FixMyStreetPlatform) async throws -> T
    ) async throws -> T {
        try await FixMyStreetDouble.with(configure: { state in
            await Fixture.configure(state)
            await configure(state)
        }) { double in
            let platform = FixMyStreetPlatform(
                configuration: configuration(double, password: password), httpClient: .shared, logger: TestSupport.logger)
            return try await body(double, platform)
        }
    }

    /// The form fields of every report the client posted.
    static func posts(_ double: FixMyStreetDouble) async -> [RecordedRequest] {
        await double.requests("/report/new/mobile", method: "POST")
    }
}
