import BridgeCore
import Foundation
import Platform
import Testing
@testable import TestDoubles

/// Every answer `/report/new/mobile` documents, each a typed error with what to tell the resident and the operator.
@Suite struct FixMyStreetErrorTests {
    struct Shape: Sendable, CustomTestStringConvertible {
        var name: String
        var answer: DoubleAnswer
        var expected: PlatformError
        var resident: ResidentMessageID
        var retryable: Bool
        var fields: Set<String> = []
        var testDescription: String { name }
    }

    static let shapes: [Shape] = [
        Shape(
            name: "location not covered (a string, not an object)", answer: .json(#"{"errors":"Unable to determine location"}"#),
            expected: .outsideArea, resident: .outsideArea, retryable: false),
        Shape(
            name: "category not offered", answer: .json(#"{"errors":{"category":"Please choose a category"}}"#),
            expected: .categoryNotOffered, resident: .reportNotAccepted, retryable: false, fields: ["category"]),
        Shape(
            name: "category missing (with bodies)",
            answer: .json(#"{"errors":{"category":"Ju lutem zgjedhni kategorinë","bodies":"No council selected"}}"#),
            expected: .categoryNotOffered, resident: .reportNotAccepted, retryable: false, fields: ["category", "bodies"]),
        Shape(
            name: "validation",
            answer: .json(#"{"errors":{"title":"Please enter a subject","detail":"Please enter some details","name":"Please enter your name"}}"#),
            expected: .invalidReport, resident: .reportNotAccepted, retryable: false, fields: ["title", "detail", "name"]),
        Shape(
            name: "extra question", answer: .json(#"{"errors":{"xdepth":"This information is required"}}"#),
            expected: .invalidReport, resident: .reportNotAccepted, retryable: false, fields: ["xdepth"]),
        Shape(
            name: "photo and phone", answer: .json(#"{"errors":{"photo":"Please upload a JPEG image only","phone":"Please check your phone number is correct"}}"#),
            expected: .invalidReport, resident: .reportNotAccepted, retryable: false, fields: ["photo", "phone"]),
        Shape(
            name: "created unconfirmed, no id", answer: .json(#"{"success":1}"#),
            expected: .reportUnconfirmed, resident: .referencePending, retryable: false),
        Shape(
            name: "inline sign-in", answer: .json(#"{"errors":{"password":"There was a problem with your login information."},"check_name":"SMS Bridge"}"#),
            expected: .sessionExpired, resident: .temporarilyUnavailable, retryable: true, fields: ["password"]),
        Shape(
            name: "HTML page with 200", answer: .html("<html><body><h1>Sorry, there has been an error</h1></body></html>", status: 200),
            expected: .unexpectedResponse, resident: .temporarilyUnavailable, retryable: true),
        Shape(
            name: "server error", answer: .errorPage(500), expected: .unavailable, resident: .temporarilyUnavailable, retryable: true),
        Shape(
            name: "neither success nor errors", answer: .json("{}"), expected: .unexpectedResponse, resident: .temporarilyUnavailable,
            retryable: true),
        Shape(
            name: "an unknown answer quoting the number", answer: .json(#"{"status":"queued","username":"+38344123456"}"#),
            expected: .unexpectedResponse, resident: .temporarilyUnavailable, retryable: true),
        Shape(
            name: "no such endpoint (wrong base URL, old install)", answer: .errorPage(404, "Page not found"), expected: .unexpectedStatus,
            resident: .temporarilyUnavailable, retryable: false),
    ]

    @Test(arguments: shapes)
    func everyDocumentedShapeIsATypedError(shape: Shape) async throws {
        // Scripted twice: a session-loss answer is retried once after signing in again.
        try await Fixture.withFixMyStreet(configure: { await $0.script(submission: .answer(shape.answer), .answer(shape.answer)) }) { _, platform in
            let error = try await #require(throws: PlatformError.self) {
                try await platform.submit(Fixture.submission(), context: Fixture.context())
            }
            #expect(error == shape.expected, "\(error)")
            #expect(error.residentMessage == shape.resident)
            #expect(error.isRetryable == shape.retryable)
            #expect(Set(error.fieldErrors.keys) == shape.fields)
            #expect(!error.operatorMessage.isEmpty)
            #expect(!error.operatorMessage.contains(Fixture.phone))
            #expect(!error.operatorMessage.contains(FixMyStreetState.staffPassword))
        }
    }

    @Test func theResidentsNumberMustBeE164AndIsNeverLoggedWhole() async throws {
        try await Fixture.withFixMyStreet { double, platform in
            let error = try await #require(throws: PlatformError.self) {
                try await platform.submit(Fixture.submission(phone: "044123456"), context: Fixture.context())
            }
            #expect(error == .invalidReport)
            #expect(!error.operatorMessage.contains("044123456"))
            #expect(await double.requests().isEmpty)
        }
    }

    @Test func credentialsComeFromTheNamedEnvironmentVariables() throws {
        let environment = ["FMS_KOSOVO_EMAIL": "bridge@example.org", "FMS_KOSOVO_PASSWORD": "s3cret!"]
        let credentials = try FixMyStreetCredentials.fromEnvironment(
            emailVariable: "FMS_KOSOVO_EMAIL", passwordVariable: "FMS_KOSOVO_PASSWORD", environment: environment)
        #expect(credentials == FixMyStreetCredentials(email: "bridge@example.org", password: "s3cret!"))
        #expect(!credentials.description.contains("s3cret!"))

        let error = try #require(throws: PlatformError.self) {
            try FixMyStreetCredentials.fromEnvironment(
                emailVariable: "FMS_KOSOVO_EMAIL", passwordVariable: "FMS_CASA_PASSWORD", environment: environment)
        }
        #expect(error == .missingCredentials)
        #expect(error.operatorMessage.contains("FMS_CASA_PASSWORD"))
        #expect(!error.operatorMessage.contains("s3cret!"))
    }

    @Test func residentMessagesAreDialogTextIDs() {
        #expect(ResidentMessageID.allCases.map(\.rawValue) == ["outside_area", "temporarily_unavailable", "report_not_accepted", "reference_pending"])
        #expect(ResidentMessageID.referencePending.textID == .referencePending)
    }
}

