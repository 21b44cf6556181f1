import Foundation
import GRDB
import TestDoubles
import Testing

@testable import BridgeStore

/// The local platform's next report number comes from an index, not from a scan of every report inside the write.
@Suite struct ReferenceNumberIndexTests {
    @Test func theNextLocalNumberIsReadFromTheIndex() async throws {
        let store = try SQLiteStore(path: try StoreEngine.sqlite.freshLocation())
        let plan = try await store.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT MAX(\(StoreSchema.referenceNumber(.sqlite))) FROM report WHERE platform = 'local'")
                .map { $0["detail"] as String? ?? "" }
        }
        #expect(plan.contains { $0.contains("report_local_number") }, "plan: \(plan)")
    }
}
