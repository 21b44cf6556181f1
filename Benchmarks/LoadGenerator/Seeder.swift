import BridgeCore
import BridgeStore
import Foundation

/// Fills a database with residents in the middle of a report, through the store itself (the same encoding and SQL the
/// server uses), so "RSS with 100,000 stored sessions" needs seconds instead of 100,000 round trips.
enum Seeder {
    /// Adds sessions until the store holds `total`; returns how many it added.
    static func seed(path: String, total: Int) async throws -> Int {
        let store = try SQLiteStore(path: path)
        let existing = try await store.read { try $0.sessionCount() }
        let missing = max(0, total - existing)
        let batch = 5_000
        var added = 0
        let now = Date()
        while added < missing {
            let first = added
            let count = min(batch, missing - added)
            try await store.write { tx in
                for offset in 0..<count {
                    try tx.saveSession(session(first + offset, now: now), at: now)
                }
            }
            added += count
        }
        return added
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
