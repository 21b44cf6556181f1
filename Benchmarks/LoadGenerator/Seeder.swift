import ArgumentParser
import BridgeCore
import BridgeStore
import Foundation

/// Fills a database with residents in the middle of a report, through the store itself (the same encoding and SQL the
/// server uses), so "RSS with 100,000 stored sessions" needs seconds instead of 100,000 round trips through the server.
/// Each batch is one write transaction: one commit (one fsync) per batch, on SQLite and on PostgreSQL alike.
enum Seeder {
    /// Adds sessions until the store holds `total`; returns how many it added. `parallel` batches are written at once
    /// (PostgreSQL: each on its own connection; the numbers of concurrent batches are far apart, so they rarely meet in
    /// an index page, and a serialisation failure only makes the store run that batch again).
    static func seed(store: any Store, total: Int, batch: Int = 5_000, parallel: Int = 1) async throws -> Int {
        let existing = try await store.read { try $0.sessionCount() }
        let missing = max(0, total - existing)
        let now = Date()
        let batches = stride(from: 0, to: missing, by: batch).map { first in (existing + first, min(batch, missing - first)) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                let (first, count) = batches[next]
                next += 1
                group.addTask {
                    try await store.write { tx in
                        for offset in 0..<count {
                            try tx.saveSession(session(first + offset, now: now), at: now)
                        }
                    }
                }
            }
            while next < min(max(1, parallel), batches.count) { add() }
            while try await group.next() != nil {
                if next < batches.count { add() }
            }
        }
        return missing
    }

    /// Half Prishtina, half Casablanca, every language, waiting for the landmark of a lighting report. Their numbers
    /// (+38343…, +21270…) are used by no load phase.
    static func session(_ index: Int, now: Date) -> Session {
        let languages: [LanguageTag] = [.albanian, .arabic, .serbianLatin, .french, .serbianCyrillic, .arabic]
        let language = languages[index % languages.count]
        let prishtina = [LanguageTag.albanian, .serbianLatin, .serbianCyrillic].contains(language)
        let phone = prishtina ? "+38343" + String(format: "%06d", index % 1_000_000) : "+21270" + String(format: "%07d", index % 10_000_000)
        var session = Session(phone: phone, deployment: prishtina ? "prishtina" : "casablanca")
        session.language = language
        session.awaiting = .landmark
        session.draft.categoryID = "lighting"
        session.lastActivity = now
        return session
    }
}

/// The store the servers under test use, opened by the generator for seeding and for the closing check: the SQLite file
/// (`--database`) or the PostgreSQL whose URL is in an environment variable (`--postgres-url-env`), as the server reads it.
struct StoreOptions: ParsableArguments {
    @Option(help: "The server's SQLite file (store: sqlite).") var database: String?
    @Option(help: "Environment variable holding the servers' PostgreSQL URL (store: postgres), instead of --database.")
    var postgresUrlEnv: String?

    func validate() throws {
        guard (database == nil) != (postgresUrlEnv == nil) else {
            throw ValidationError("name the store: --database FILE (SQLite) or --postgres-url-env VARIABLE (PostgreSQL), one of them")
        }
    }

    var engine: String { postgresUrlEnv == nil ? "SQLite" : "PostgreSQL" }

    /// Opens the store; `close` releases a PostgreSQL store's connections and threads (SQLite closes when released).
    func open() async throws -> (store: any Store, close: @Sendable () async -> Void) {
        if let variable = postgresUrlEnv {
            guard let url = ProcessInfo.processInfo.environment[variable], !url.isEmpty else {
                throw ValidationError("\(variable) is not set: it must hold the servers' PostgreSQL URL")
            }
            let store = try await PostgresStore(url: url)
            return (store, { await store.close() })
        }
        return (try SQLiteStore(path: database ?? ""), {})
    }
}
