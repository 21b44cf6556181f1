import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// A value bound to a `?` of a statement: the store's columns are text, 64-bit integers, doubles and bytes only.
enum PostgresValue {
    case text(String?)
    case int(Int?)
    case double(Double?)
    case bytes(Data?)

    static func bool(_ value: Bool) -> Self { .int(value ? 1 : 0) }
    static func time(_ date: Date) -> Self { .double(date.timeIntervalSince1970) }
    static func time(_ date: Date?) -> Self { .double(date?.timeIntervalSince1970) }
}

/// One row of a result, read by column name.
struct PostgresStoreRow {
    let cells: PostgresRandomAccessRow

    init(_ row: PostgresRow) { cells = row.makeRandomAccess() }

    func string(_ column: String) throws -> String { try cells[column].decode(String.self) }
    func optionalString(_ column: String) throws -> String? { try cells[column].decode(String?.self) }
    func int(_ column: String) throws -> Int { try cells[column].decode(Int.self) }
    func optionalInt(_ column: String) throws -> Int? { try cells[column].decode(Int?.self) }
    func int64(_ column: String) throws -> Int64 { try cells[column].decode(Int64.self) }
    func bool(_ column: String) throws -> Bool { try int(column) != 0 }
    func double(_ column: String) throws -> Double { try cells[column].decode(Double.self) }
    func optionalDouble(_ column: String) throws -> Double? { try cells[column].decode(Double?.self) }
    func date(_ column: String) throws -> Date { Date(timeIntervalSince1970: try double(column)) }
    func optionalDate(_ column: String) throws -> Date? { try optionalDouble(column).map(Date.init(timeIntervalSince1970:)) }
    func data(_ column: String) throws -> Data { try cells[column].decode(Data.self) }
}

/// Runs statements on the connection of one transaction, blocking the calling thread (a thread of the store's pool,
/// never the event loop or the cooperative pool) until PostgreSQL answers: the store's transaction bodies are
/// synchronous, as in SQLite, so one `Store` contract serves both engines.
struct PostgresStatements {
    let connection: PostgresConnection
    let logger: Logger

    /// SQL is written with `?` placeholders, as for SQLite, and numbered `$1, $2...` here, once per statement text: the
    /// statements are a fixed set of literals, so the numbered forms are kept instead of rebuilt on every call (the
    /// renumbering was about 3% of the server's CPU on the PostgreSQL bench).
    static func numbered(_ sql: String) -> String {
        if let known = numberedCache.withLock({ $0[sql] }) { return known }
        var result = ""
        result.reserveCapacity(sql.count + 16)
        var number = 0
        for character in sql {
            if character == "?" {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        // Bounded: statements built with values in their text (the copy's multi-row INSERTs) must not grow it forever.
        numberedCache.withLock { cache in
            if cache.count < 512 { cache[sql] = result }
        }
        return result
    }

    static let numberedCache = Mutex<[String: String]>([:])

    func query(_ sql: String, _ values: [PostgresValue] = []) throws -> PostgresQueryResult {
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .text(let text?): binds.append(text)
            case .int(let int?): binds.append(int)
            case .double(let double?): binds.append(double)
            case .bytes(let data?): try binds.append(data)
            case .text(nil), .int(nil), .double(nil), .bytes(nil): binds.appendNull()
            }
        }
        let future: EventLoopFuture<PostgresQueryResult> = connection.query(
            PostgresQuery(unsafeSQL: Self.numbered(sql), binds: binds), logger: logger)
        return try future.wait()
    }

    func rows(_ sql: String, _ values: [PostgresValue] = []) throws -> [PostgresStoreRow] {
        try query(sql, values).rows.map(PostgresStoreRow.init)
    }

    func row(_ sql: String, _ values: [PostgresValue] = []) throws -> PostgresStoreRow? {
        try query(sql, values).rows.first.map(PostgresStoreRow.init)
    }

    /// Runs an INSERT, UPDATE or DELETE; returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ values: [PostgresValue] = []) throws -> Int {
        try query(sql, values).metadata.rows ?? 0
    }
}
