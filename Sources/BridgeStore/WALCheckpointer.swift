import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// Checkpoints the SQLite write-ahead log beside the writer, so that the writer never has to.
///
/// Why: SQLite checkpoints from the connection whose commit pushed the log past its threshold (1,000 pages by default),
/// inside that commit: an fsync of everything written since the last one (17 to 19 ms on the development machine's
/// disk) and one of the database file, during which every webhook waiting for the writer waits too. That was the p99
/// latency at 100 messages a second. This connection of its own checkpoints passively every `interval`: writers go on
/// appending while it copies pages and syncs, and readers are never waited for. A passive pass cannot catch up with a
/// writer that keeps committing, and only a checkpoint that catches up lets the log start again from its beginning (a
/// log checkpointed only passively grows without end). So past ``restartPages`` the pass goes on to a RESTART
/// checkpoint, which holds the writer off only for what was written since the pass.
///
/// SQLite syncs the database file only in a checkpoint that catches up: the passive passes copy pages into it without
/// syncing them. Left to the RESTART, that sync covered every page copied since the last restart (13 to 14 ms of its
/// 17 to 20 ms, measured with `perf trace`) while the writer waited. So the pass syncs the database file first, through
/// SQLite's own file handle, and the RESTART has only its own few pages left to sync.
final class WALCheckpointer: Sendable {
    /// Past this many pages of log (16 MB), a pass that has copied it syncs the database file, then goes on to a RESTART
    /// checkpoint: it waits for the writer's current commit, copies the little written since, syncs those few pages, and
    /// lets the next commit start the log again.
    /// Left to the writer (its own threshold below), that checkpoint syncs everything not yet synced while every waiting
    /// webhook waits: at 500 messages a second, a 20 to 25 ms stall every 0.4 s, which set the p99.
    static let restartPages = 4000

    /// The writer's own threshold, a safety net for when the restarts keep giving way to readers.
    static let writerThresholdPages = 16000

    private let task: Mutex<Task<Void, Never>?>

    init(path: String, interval: Duration = .milliseconds(100)) throws {
        var configuration = Configuration()
        // It gives way after about 20 ms: a RESTART holds the writer off while it waits for readers to leave the log, and
        // a long reader (an operator's `store copy`) must not stop every write.
        configuration.busyMode = SQLiteStore.busyRetries(for: .milliseconds(20))
        configuration.label = "smsbridge.checkpointer"
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        task = Mutex(Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                // A failed pass (the file busy, the disk full) is tried again at the next one; the log only grows meanwhile.
                _ = try? await connection.writeWithoutTransaction { db in
                    let pass = try db.checkpoint(.passive)
                    if pass.walFrameCount >= Self.restartPages {
                        try Self.syncDatabaseFile(db)
                        try db.checkpoint(.restart)
                    }
                }
            }
        })
    }

    /// Syncs the database file (not the log) as SQLite would, with its own handle: a second descriptor of ours would,
    /// once closed, drop every POSIX lock this process holds on the file. False when SQLite gave no handle to sync (the
    /// RESTART then syncs it all, as before).
    @discardableResult
    static func syncDatabaseFile(_ db: Database) throws -> Bool {
        var file: UnsafeMutablePointer<sqlite3_file>?
        let found = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_FILE_POINTER, &file)
        guard found == SQLITE_OK, let file, let sync = file.pointee.pMethods?.pointee.xSync else { return false }
        let code = sync(file, SQLITE_SYNC_NORMAL)
        if code != SQLITE_OK { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "syncing the database file") }
        return true
    }

    /// Ends the background passes (the store is going away).
    func stop() {
        task.withLock { $0?.cancel() }
    }

    deinit { stop() }
}
