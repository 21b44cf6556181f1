@testable import BridgeStore
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
        #expect(try await store.autoCheckpointPages() == 16000, "a commit checkpoints only past 64 MB of log")
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

    /// The sync before a restart goes through SQLite's own handle of the database file; without one it would silently
    /// leave the whole sync to the RESTART, under the writer's lock.
    @Test func theCheckpointerCanSyncTheDatabaseFileItself() async throws {
        let store = try SQLiteStore(path: try StoreEngine.sqlite.freshLocation())
        #expect(try await store.syncDatabaseFile())
    }

    /// The savepoints' statement journals stay in memory: spilled to a temporary file they cost a file and two system
    /// calls per page on the writer's queue.
    @Test func temporaryFilesAreKeptInMemoryOnEveryConnection() async throws {
        let store = try SQLiteStore(path: try StoreEngine.sqlite.freshLocation())
        let values = try await store.pragma("temp_store")
        #expect(values.writer == "2")
        #expect(values.reader == "2")
    }

    /// About `megabytes` of log in commits of 200 kB, one after another; the longest commit's duration.
    static func writeLog(_ store: SQLiteStore, megabytes: Int, tag: String) async throws -> Duration {
        let now = Date()
        let text = String(repeating: "Përshëndetje ", count: 300)
        var longest = Duration.zero
        for batch in 0..<(megabytes * 5) {
            let started = ContinuousClock.now
            try await store.write { tx in
                for index in 0..<50 {
                    try tx.enqueue(OutboxItem(gateway: "gw", deployment: "d", phone: "+383\(tag)\(batch)\(String(format: "%03d", index))",
                                              text: text, nextAttemptAt: now, createdAt: now))
                }
            }
            longest = max(longest, ContinuousClock.now - started)
        }
        return longest
    }

    /// A reader holding its snapshot (an operator's copy of the store) makes the restart give way, not the writes wait.
    @Test func aLongReaderDoesNotHoldUpWrites() async throws {
        let path = try StoreEngine.sqlite.freshLocation()
        let store = try SQLiteStore(path: path)
        let reading = AsyncStream<Void>.makeStream()
        let release = AsyncStream<Void>.makeStream()
        let reader = Task {
            try await store.read { tx in
                _ = try tx.outboxItems(phone: nil)
                reading.continuation.yield()
                // Holds the read transaction (its snapshot of the log) until the writes below are done.
                let done = DispatchSemaphore(value: 0)
                Task { for await _ in release.stream { break }; done.signal() }
                done.wait()
            }
        }
        for await _ in reading.stream { break }
        // Past the restart threshold several times over, while the reader holds its snapshot.
        let longest = try await Self.writeLog(store, megabytes: 24, tag: "442")
        release.continuation.yield()
        try await reader.value
        // Each commit takes milliseconds; held up by a restart waiting for the reader, one would wait out the 10 s busy
        // timeout (or fail). 5 s is far from both.
        #expect(longest < .seconds(5), "longest commit \(longest)")
    }
}
