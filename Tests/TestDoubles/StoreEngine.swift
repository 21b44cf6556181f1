import BridgeStore
import Foundation

/// The engines the conformance suite runs against: SQLite always, PostgreSQL when `SMSBRIDGE_TEST_POSTGRES_URL` names a
/// server (scripts/test starts a throw-away cluster and sets it). With `SMSBRIDGE_REQUIRE_POSTGRES=1` (CI) a missing URL
/// fails the PostgreSQL cases instead of leaving them out.
public enum StoreEngine: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    public var description: String { rawValue }

    public static var available: [StoreEngine] {
        let environment = ProcessInfo.processInfo.environment
        if environment["SMSBRIDGE_TEST_POSTGRES_URL"] != nil || environment["SMSBRIDGE_REQUIRE_POSTGRES"] == "1" { return [.sqlite, .postgres] }
        return [.sqlite]
    }

    /// A place for a fresh, empty store: a new SQLite file, or a new schema in the test database.
    public func freshLocation() throws -> String {
        switch self {
        case .sqlite:
            return FileManager.default.temporaryDirectory.appendingPathComponent("smsbridge-store-\(UUID().uuidString)/bridge.sqlite").path
        case .postgres:
            guard let url = ProcessInfo.processInfo.environment["SMSBRIDGE_TEST_POSTGRES_URL"] else {
                throw MissingPostgres()
            }
            let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
            return url + (url.contains("?") ? "&" : "?") + "schema=\(schema)&pool=4"
        }
    }

    /// Opens (and migrates) the store at `location`; a second call on the same location is a restart.
    public func open(_ location: String) async throws -> any Store {
        switch self {
        case .sqlite: try SQLiteStore(path: location)
        case .postgres: try await PostgresStore(url: location)
        }
    }

    /// A fresh store.
    public func make() async throws -> any Store {
        try await open(try freshLocation())
    }

    public struct MissingPostgres: Error, CustomStringConvertible {
        public var description: String {
            "SMSBRIDGE_REQUIRE_POSTGRES=1 but SMSBRIDGE_TEST_POSTGRES_URL is not set: start a cluster with scripts/postgres start"
        }
    }
}
