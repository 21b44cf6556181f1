@testable import BridgeStore
import Foundation
import Testing

/// The PostgreSQL store's deadline: it stops a wait for a connection, never the outcome of a body that already ran.
@Suite struct PostgresDeadlineTests {
    static let timeout = PostgresStoreError.unreachable("test", "no connection within 0.2 s")

    @Test func aWaitThatOutlastsTheDeadlineIsCancelledWithTheOperatorError() async throws {
        let started = ContinuousClock.now
        await #expect(throws: Self.timeout) {
            try await PostgresStore.within(.milliseconds(200), otherwise: Self.timeout) {
                try await Task.sleep(for: .seconds(30))   // a connection that never comes: cancellable
                return 1
            }
        }
        #expect(started.duration(to: .now) < .seconds(10), "gave up at the deadline, not after the wait")
    }

    @Test func aBodyThatFinishesAfterTheDeadlineKeepsItsOutcome() async throws {
        // Work that ignores cancellation, as a transaction body on a store thread does: it committed, so it succeeded.
        let value = try await PostgresStore.within(.milliseconds(50), otherwise: Self.timeout) {
            let deadline = ContinuousClock.now + .milliseconds(300)
            while ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
            return 42
        }
        #expect(value == 42)
    }

    @Test func aBodysOwnErrorIsNotHiddenBeforeTheDeadline() async throws {
        struct Refused: Error, Equatable {}
        await #expect(throws: Refused()) {
            try await PostgresStore.within(.seconds(5), otherwise: Self.timeout) { () async throws -> Int in throw Refused() }
        }
    }
}
