import BridgeStore
import Foundation
import TestDoubles
import Testing

/// Checkpoints happen beside the writer, which only checkpoints past a high threshold, and the log still reaches the
/// database file.
@Suite struct WALCheckpointTests {
    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    @Test func theLogIsCopiedIntoTheDatabaseBeforeTheWriterWouldCheckpoint() async throws {
        let path = try StoreEngine.sqlite.freshLocation()
        let store = try SQLiteStore(path: path)
        #expect(try await store.autoCheckpointPages() == 4000, "a commit checkpoints only past 16 MB of log")
        let before = Self.fileSize(path)

        // About 2 MB of replies: past SQLite's default of 1,000 pages, far below the writer's threshold.
        let now = Date()
        let text = String(repeating: "Përshëndetje ", count: 300)
        for batch in 0..<10 {
            try await store.write { tx in
                for index in 0..<50 {
                    try tx.enqueue(OutboxItem(gateway: "gw", deployment: "d", phone: "+3834410\(batch)\(String(format: "%03d", index))",
                                              text: text, nextAttemptAt: now, createdAt: now))
                }
            }
        }
        #expect(Self.fileSize(path + "-wal") > 1_000_000, "the replies are in the log")

        let deadline = ContinuousClock.now + .seconds(20)
        while Self.fileSize(path) < before + 1_000_000, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(Self.fileSize(path) >= before + 1_000_000, "the checkpointer copied the log into the database file")
        #expect(try await store.read { try $0.outboxItems(phone: nil) }.count == 500)
    }
}
