import Foundation
import GRDB
import Synchronization

/// Checkpoints the SQLite write-ahead log beside the writer, so that the writer's own checkpoints find little to do.
///
/// Why: SQLite checkpoints from the connection whose commit pushed the log past its threshold (1,000 pages by default),
/// inside that commit: an fsync of everything written since the last one (17 to 19 ms on the development machine's
/// disk) and one of the database file, during which every webhook waiting for the writer waits too. That was the p99
/// latency at 100 messages a second. This connection of its own checkpoints passively every `interval`: writers go on
/// appending while it copies pages and syncs, and readers are never waited for. The writer still checkpoints, past
/// ``writerThresholdPages``, because only a checkpoint that catches up with the last commit lets the next write start
/// the log again from its beginning (a log checkpointed only beside the writer grows without end); by then little is
/// left to copy or sync.
final class WALCheckpointer: Sendable {
    /// The writer's own threshold: 4,000 pages (16 MB of log), about a second of the busiest load the bench offers.
    static let writerThresholdPages = 4000

    private let task: Mutex<Task<Void, Never>?>

    init(path: String, interval: Duration = .milliseconds(100)) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.label = "smsbridge.checkpointer"
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        task = Mutex(Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                // A failed pass (the file busy, the disk full) is tried again at the next one; the log only grows meanwhile.
                _ = try? await connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            }
        })
    }

    /// Ends the background passes (the store is going away).
    func stop() {
        task.withLock { $0?.cancel() }
    }

    deinit { stop() }
}
