import AsyncHTTPClient
import BridgeCore
import Foundation
import NIOCore
import NIOHTTP1
@testable import TestDoubles
import Testing

/// `smsbridge serve` as a real process, killed with SIGKILL at the worst moment for the FixMyStreet loop.
@Suite(.serialized) struct ServeCrashTests {
    static let environment = ["CRASH_FMS_EMAIL": FixMyStreetState.staffEmail, "CRASH_FMS_PASSWORD": FixMyStreetState.staffPassword]

    /// The shipped files, with Prishtina filing on the FixMyStreet double.
    static func configuration(fixMyStreet: String) throws -> ConfigurationCopy {
        let copy = try ConfigurationCopy()
        try copy.replace("Config/deployments/prishtina.yaml", "\ngateways:", with: """

            platform:
              type: fixmystreet
              base_url: \(fixMyStreet)
              secrets:
                email: CRASH_FMS_EMAIL
                password: CRASH_FMS_PASSWORD
              pending_notice_after: 10m
              time_zone: Etc/GMT-2

            gateways:
            """)
        return copy
    }

    /// Polls until `condition` holds, for at most a minute.
    static func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw CommandError("timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    static func isServing(_ port: Int) async -> Bool {
        let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz")
        guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)) else { return false }
        return response.status == .ok
    }

    /// A message through Prishtina's demo gateway (generic contract, unsigned from loopback).
    static func say(_ text: String, id: String, port: Int) async throws {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/gateways/prishtina-demo/sms")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let body = try JSONSerialization.data(withJSONObject: ["id": id, "from": "+38344123456", "to": "1818", "text": text])
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        #expect(response.status == .ok, "\(text): \(response.status)")
    }

    @Test func aBridgeKilledBetweenPostingAndRecordingStillFilesExactlyOneReport() async throws {
        let prishtina = DoubleBody(name: "Prishtinë", south: 42.60, west: 21.08, north: 42.72, east: 21.25, categories: ["Street lighting", "Other"])
        let port = try await FixMyStreetDouble.with { $0.port }
        try await FixMyStreetDouble.with(configure: { state in
            await state.configure(bodies: [prishtina])
            await state.script(submission: .saveThenHold)
        }) { fms in
            let copy = try Self.configuration(fixMyStreet: fms.baseURL)
            defer { copy.remove() }
            let arguments = ["serve", "--config", copy.directory.appendingPathComponent("Config/smsbridge.yaml").path, "--port", String(port)]

            let first = try RunningCommand(arguments, in: copy.directory, environment: Self.environment)
            defer { first.stop() }
            try await Self.eventually("the bridge to serve") { await Self.isServing(port) }
            try await Self.say("2 / Sheshi Skenderbeu / drita nuk punon", id: "m1", port: port)
            try await Self.say("po", id: "m2", port: port)
            // FixMyStreet saved the report and holds its answer: the bridge is waiting to record the id. Kill it now.
            try await Self.eventually("the report in FixMyStreet") { await fms.state.reports.count == 1 }
            first.crash()
            #expect(!first.output.contains("numrin 1234"), "no acknowledgement before the crash")
            await fms.state.releaseHeldAnswers()

            let second = try RunningCommand(arguments, in: copy.directory, environment: Self.environment)
            defer { second.stop() }
            let log = try second.waitForOutput(containing: "numrin 1234")
            #expect(log.contains("found_again=true"), "the restarted bridge found the first report instead of posting again:\n\(log)")
            #expect(await fms.state.reports.count == 1)
            #expect(await fms.requests("/report/new/mobile", method: "POST").count == 1)
            #expect(await fms.state.reports.first?.username == "+38344123456")
        }
    }
}
