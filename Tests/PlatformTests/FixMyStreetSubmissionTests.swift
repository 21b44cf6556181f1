import AsyncHTTPClient
import BridgeCore
import Foundation
import Platform
import Testing
@testable import TestDoubles

/// Filing reports on FixMyStreet as the staff account, on the resident's behalf.
@Suite struct FixMyStreetSubmissionTests {
    @Test func signsInAndFilesOnTheResidentsBehalfWithExactlyTheDocumentedFields() async throws {
        try await Fixture.withFixMyStreet { double, platform in
            let receipt = try await platform.submit(Fixture.submission(), context: Fixture.context())

            #expect(receipt.id == "1234")
            #expect(receipt.url == double.baseURL + "/report/1234")
            #expect(receipt.category == Fixture.pothole)
            #expect(!receipt.usedFallbackCategory)
            #expect(receipt.locationSource == .landmark)
            #expect(!receipt.isApproximate)

            let signIns = await double.requests("/auth/ajax/sign_in")
            #expect(signIns.count == 1)
            #expect(signIns.first?.field("email") == FixMyStreetState.staffEmail)
            #expect(signIns.first?.field("password_sign_in") == FixMyStreetState.staffPassword)

            let posts = await Fixture.posts(double)
            let post = try #require(posts.first)
            #expect(posts.count == 1)
            #expect(Set(post.formNames) == ["form_as", "username", "name", "may_show_name", "service", "category", "lat", "lon", "pc", "title", "detail"])
            #expect(post.formNames.count == Set(post.formNames).count)
            #expect(post.field("form_as") == "another_user")
            #expect(post.field("username") == Fixture.phone)
            #expect(post.field("service") == "SMS")
            #expect(post.field("category") == Fixture.pothole)
            #expect(post.field("lat") == "42.662914")
            #expect(post.field("lon") == "21.165503")
            #expect(post.field("pc") == "afër xhamisë")
            #expect(post.field("title") == "Gropa në rrugë – afër xhamisë")
            #expect(post.field("detail") == "Gropë e madhe, e rrezikshme për makinat.\n\nVendi: afër xhamisë")
            #expect(post.field("may_show_name") == "0")
            #expect(post.field("email") == nil)
            #expect(post.field("skipped") == nil)
            #expect(post.contentType?.hasPrefix("application/x-www-form-urlencoded") == true)
            #expect(post.acceptLanguage == "sq")
            #expect(post.session != nil)

            // Checked, with the session, that the account may act for another user at that point, before posting.
            let requests = await double.requests().map(\.path)
            #expect(requests == ["/auth/ajax/sign_in", "/report/new/ajax", "/report/new/mobile"])
            let check = try #require(await double.requests("/report/new/ajax").first)
            #expect(check.session == post.session)
            #expect(check.query("latitude") == "42.662914")

            let stored = try #require(await double.state.report(1234))
            #expect(stored.username == Fixture.phone)
            #expect(!stored.ownedByStaff)
            #expect(stored.service == "SMS")
        }
    }

    @Test(arguments: [(LanguageTag.albanian, "sq"), (.serbianLatin, "sr"), (.serbianCyrillic, "sr"), (.arabic, "ar"), (.french, "fr")])
    func acceptLanguageIsTheResidentsLanguage(language: LanguageTag, header: String) async throws {
        try await Fixture.withFixMyStreet { double, platform in
            _ = try await platform.submit(Fixture.submission(language: language), context: Fixture.context(language: language))
            let post = try #require(await Fixture.posts(double).first)
            #expect(post.acceptLanguage == header)
            #expect(post.field("detail")?.contains(ReportWording.standard(for: language).placePrefix + "afër xhamisë") == true)
        }
    }

    @Test func theSessionSurvivesBetweenReports() async throws {
        try await Fixture.withFixMyStreet { double, platform in
            _ = try await platform.submit(Fixture.submission(), context: Fixture.context())
            let second = try await platform.submit(Fixture.submission(description: "Edhe një gropë."), context: Fixture.context())
            #expect(second.id == "1235")
            #expect(await double.requests("/auth/ajax/sign_in").count == 1)
            let posts = await Fixture.posts(double)
            #expect(posts.count == 2)
            #expect(posts[0].session == posts[1].session)
        }
    }

    @Test func concurrentReportsSignInOnce() async throws {
        try await Fixture.withFixMyStreet { double, platform in
            let ids = try await withThrowingTaskGroup(of: String?.self) { group in
                for index in 0..<4 {
                    group.addTask { try await platform.submit(Fixture.submission(description: "Gropë numër \(index)."), context: Fixture.context()).id }
                }
                var ids: [String] = []
                for try await id in group { ids += id.map { [$0] } ?? [] }
                return ids
            }
            #expect(Set(ids).count == 4)
            // Two concurrent first calls may each find no session; the keeper lets only one of them sign in.
            #expect(await double.requests("/auth/ajax/sign_in").count == 1)
        }
    }

    // MARK: Sessions

    @Test func signsInAgainWhenThePostSaysTheSessionIsGone() async throws {
        try await Fixture.withFixMyStreet(configure: { await $0.expireSessions(before: "/report/new/mobile") }) { double, platform in
            let receipt = try await platform.submit(Fixture.submission(), context: Fixture.context())
            #expect(receipt.id == "1234")
            let signIns = await double.requests("/auth/ajax/sign_in")
            let posts = await Fixture.posts(double)
            #expect(signIns.count == 2)
            #expect(posts.count == 2)
            #expect(posts[0].session != posts[1].session)
            #expect(await double.state.reports.count == 1)
        }
    }

    @Test func signsInAgainWhenCheckAuthSaysTheSessionIsGone() async throws {
        try await Fixture.withFixMyStreet(configure: { await $0.expireSessions(before: "/report/new/ajax") }) { double, platform in
            let receipt = try await platform.submit(Fixture.submission(), context: Fixture.context())
            #expect(receipt.id == "1234")
            let paths = await double.requests().map(\.path)
            #expect(paths == [
                "/auth/ajax/sign_in", "/report/new/ajax", "/auth/ajax/check_auth", "/auth/ajax/sign_in", "/report/new/ajax", "/report/new/mobile",
            ])
        }
    }

    @Test func aSessionThatStaysGoneIsARetryableError() async throws {
        let gone = DoubleAnswer.json(#"{"errors":{"update_method":"Please pick your update preference","username_register":"Please enter your email"}}"#)
        try await Fixture.withFixMyStreet(configure: { await $0.script(submission: .answer(gone), .answer(gone)) }) { double, platform in
            let error = try await #require(throws: PlatformError.self) {
                try await platform.submit(Fixture.submission(), context: Fixture.context())
            }
            #expect(error == .sessionExpired)
            #expect(error.isRetryable)
            #expect(error.residentMessage == .temporarilyUnavailable)
            #expect(await double.requests("/auth/ajax/sign_in").count == 2)
            #expect(await Fixture.posts(double).count == 2)
        }
    }

    @Test func refusedCredentialsAreASignInError() async throws {
        try await Fixture.withFixMyStreet(password: "wrong") { double, platform in
            let error = try await #require(throws: PlatformError.self) {
                try await platform.submit(Fixture.submission(), context: Fixture.context())
            }
            #expect(error == .signInFailed)
            #expect(!error.isRetryable)
            #expect(!error.operatorMessage.contains("wrong"))
            #expect(await Fixture.posts(double).isEmpty)
        }
    }

    // MARK: The point and its categories

    @Test func aStaffAccountWithoutThePermissionThereNeverPosts() async throws {
        try await Fixture.withFixMyStreet { double, platform in
            let landmark = LandmarkAnswer(id: "church", text: "te kisha", latitude: Fixture.inGracanica.latitude, longitude: Fixture.inGracanica.longitude)
            let error = try await #require(throws: PlatformError.self) {
                try await platform.submit(Fixture.submission(landmark: landmark), context: Fixture.context())
            }
            #expect(error == .notPermitted)
            #expect(!error.isRetryable)
            #expect(error.operatorMessage.contains("Graçanicë"))
            #expect(error.operatorMessage.contains("contribute_as_another_user"))
            // It checked the session was alive before concluding the permission is missing, and never posted.
            #expect(await double.requests("/auth/ajax/check_auth").count == 1)
            #expect(await Fixture.posts(double).isEmpty)
        }
    }

    @Test func aPointOutsideEveryBodyIsExplainedToTheResident() async throws {
        try await Fixture.withFixMyStreet { double, platform in
            let landmark = LandmarkAnswer(id: nil, text: "në det", latitude: Fixture.offshore.latitude, longitude: Fixture.offshore.longitude)
            let error = try await #require(throws: PlatformError.self) {
                try await platform.submit(Fixture.submission(landmark: landmark), context: Fixture.context())
            }
            #expect(error == .outsideArea)
            #expect(error.residentMessage == .outsideArea)
            #expect(error.residentMessage.rawValue == "outside_area")
            #expect(!error.isRetryable)
            #expect(await Fixture.posts(double).isEmpty)

            let check = try await platform.categories(at: Fixture.offshore)
            #expect(!check.isCovered)
            #expect(check.platformMessage == FixMyStreetState.outsideArea)
            #expect(!check.offers(Fixture.pothole))
        }
    }

    @Test func aCategoryTheBodyLacksFallsBackToOther() async throws {
        try await Fixture.withFixMyStreet { double, platform in
            let landmark = LandmarkAnswer(id: "station", text: "te stacioni", latitude: Fixture.inFusheKosove.latitude, longitude: Fixture.inFusheKosove.longitude)
            let receipt = try await platform.submit(Fixture.submission(landmark: landmark), context: Fixture.context())
            #expect(receipt.category == Fixture.other)
            #expect(receipt.usedFallbackCategory)
            let post = try #require(await Fixture.posts(double).first)
            #expect(post.field("category") == Fixture.other)
            // The title keeps what the resident reported.
            #expect(post.field("title") == "Gropa në rrugë – te stacioni")
        }
    }

    @Test func aCategoryWithNoFallbackOfferedIsNotPosted() async throws {
        try await Fixture.withFixMyStreet { double, platform in
            let landmark = LandmarkAnswer(id: "station", text: "te stacioni", latitude: Fixture.inFusheKosove.latitude, longitude: Fixture.inFusheKosove.longitude)
            let error = try await #require(throws: PlatformError.self) {
                try await platform.submit(Fixture.submission(landmark: landmark), context: Fixture.context(fallback: nil))
            }
            #expect(error == .categoryNotOffered)
            #expect(error.residentMessage == .reportNotAccepted)
            #expect(await Fixture.posts(double).isEmpty)
        }
    }

    @Test func categoriesAtAPointAreAskedSignedOut() async throws {
        try await Fixture.withFixMyStreet { double, platform in
            _ = try await platform.submit(Fixture.submission(), context: Fixture.context())
            let check = try await platform.categories(at: Fixture.inFusheKosove)
            #expect(check.isCovered)
            #expect(check.bodies == ["Fushë Kosovë"])
            #expect(check.categories == ["Mbeturina", "Tjera"])
            #expect(!check.mayActForAnotherUser)
            #expect(check.choose(Fixture.pothole, fallback: Fixture.other)?.name == Fixture.other)
            #expect(check.choose(Fixture.pothole, fallback: Fixture.other)?.isFallback == true)
            let asked = try #require(await double.requests("/report/new/ajax").last)
            #expect(asked.cookie == nil)
        }
    }

    @Test func olderInstallsWithOnlyTheCategorySelectAreRead() async throws {
        try await Fixture.withFixMyStreet(configure: { await $0.setLegacyForm(true) }) { _, platform in
            let check = try await platform.categories(at: Fixture.mosque)
            #expect(check.categories == [Fixture.pothole, "Ndriçimi publik", Fixture.other])
        }
    }

    // MARK: Unresolved landmarks

    @Test func oneGeocoderResultIsUsed() async throws {
        try await Fixture.withFixMyStreet { double, platform in
            let receipt = try await platform.submit(
                Fixture.submission(landmark: Fixture.unresolved("Sheshi Skënderbej")), context: Fixture.context())
            #expect(receipt.locationSource == .geocoded)
            #expect(receipt.location == Coordinate(latitude: 42.6598, longitude: 21.16))
            let lookup = try #require(await double.requests("/ajax/lookup_location").first)
            #expect(lookup.query("term") == "Sheshi Skënderbej")
            #expect(lookup.acceptLanguage == "sq")
            let post = try #require(await Fixture.posts(double).first)
            #expect(post.field("lat") == "42.659800")
            #expect(post.field("lon") == "21.160000")
            #expect(post.field("skipped") == nil)
            #expect(post.field("pc") == "Sheshi Skënderbej")
            #expect(post.field("detail") == "Gropë e madhe, e rrezikshme për makinat.\n\nVendi: Sheshi Skënderbej")
        }
    }

    @Test func severalGeocoderResultsAreChoicesNearestFirst() async throws {
        try await Fixture.withFixMyStreet { _, platform in
            let found = try await platform.geocode("stacioni", near: Fixture.centre)
            #expect(found.map(\.name) == ["Stacioni i autobusëve, Prishtinë", "Stacioni i autobusëve, Fushë Kosovë"])
            #expect(found.first?.coordinate == Coordinate(latitude: 42.655, longitude: 21.155))
            #expect(try await platform.geocode("sheshi skënderbej", near: nil).count == 1)
            #expect(try await platform.geocode("askund", near: nil).isEmpty)
            #expect(try await platform.geocode("   ", near: nil).isEmpty)
        }
    }

    @Test(arguments: ["stacioni", "diku afër shtëpisë sime"])
    func noSingleResultFilesAtTheFallbackPointSaidToBeApproximate(words: String) async throws {
        try await Fixture.withFixMyStreet { double, platform in
            let receipt = try await platform.submit(Fixture.submission(landmark: Fixture.unresolved(words)), context: Fixture.context())
            #expect(receipt.locationSource == .fallback)
            #expect(receipt.isApproximate)
            #expect(receipt.location == Fixture.centre)
            let post = try #require(await Fixture.posts(double).first)
            #expect(post.field("lat") == "42.662900")
            #expect(post.field("lon") == "21.165500")
            #expect(post.field("skipped") == "1")
            #expect(post.field("pc") == words)
            #expect(
                post.field("detail")
                    == "Gropë e madhe, e rrezikshme për makinat.\n\nVendi: \(words)\n\nVendndodhja është e përafërt (qendra e komunës).")
            let stored = try #require(await double.state.report(1234))
            #expect(!stored.usedMap)
        }
    }

    // MARK: Crash between posting and recording the id

    @Test func findExistingFindsTheReportACrashLostAndNothingIsPostedAgain() async throws {
        try await Fixture.withFixMyStreet { double, platform in
            let submission = Fixture.submission(description: "GROPË E MADHE\npara shkollës")
            let attempted = Date()
            _ = try await platform.submit(submission, context: Fixture.context())
            // …the bridge crashed here, before storing the id.
            let found = try await platform.findExisting(submission, context: Fixture.context(), around: attempted)
            #expect(found?.id == "1234")
            #expect(found?.url == double.baseURL + "/report/1234")
            #expect(found?.location == Fixture.mosque)
            #expect(found?.category == Fixture.pothole)
            #expect(await Fixture.posts(double).count == 1)

            let list = try #require(await double.requests("/open311/v2/requests.json").first)
            #expect(list.query("interface_used") == "SMS")
            #expect(list.query("jurisdiction_id") == "kosovo")
            #expect(list.query("start_date")?.contains("+") == false)

            // Another resident's words are not this report.
            let other = Fixture.submission(description: "Drita nuk punon.")
            #expect(try await platform.findExisting(other, context: Fixture.context(), around: attempted) == nil)
        }
    }

    @Test func aFailureAfterFixMyStreetSavedIsRetryableAndTheReportIsFoundNotRefiled() async throws {
        try await Fixture.withFixMyStreet(configure: { await $0.script(submission: .saveThenFail(.errorPage(502, "Bad Gateway"))) }) { double, platform in
            let submission = Fixture.submission()
            let error = try await #require(throws: PlatformError.self) {
                try await platform.submit(submission, context: Fixture.context())
            }
            #expect(error == .unavailable)
            #expect(error.isRetryable)
            let found = try await platform.findExisting(submission, context: Fixture.context(), around: submission.submittedAt)
            #expect(found?.id == "1234")
            #expect(await Fixture.posts(double).count == 1)
        }
    }
}
