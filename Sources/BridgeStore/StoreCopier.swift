import Foundation
import GRDB

/// Moves a deployment from its SQLite file to PostgreSQL (`smsbridge store copy`): every table, row for row, ids kept,
/// in one PostgreSQL transaction, so a failed copy leaves the destination empty and can simply be run again.
///
/// Both engines have the same tables from the same description (``StoreSchema``), so rows move unchanged; the copy
/// refuses a destination that already holds data, and checks the row counts before it commits.
public enum StoreCopier {
    /// How many rows of one table went over.
    public struct TableCount: Sendable, Equatable {
        public let table: String
        public let rows: Int
    }

    /// Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest table.
    static let batch = 200

    public static func copy(from source: SQLiteStore, to destination: PostgresStore) async throws -> [TableCount] {
        try await destination.rawTransaction { sql in
            var occupied: [String] = []
            for table in StoreSchema.tables {
                let rows = try sql.row("SELECT COUNT(*) AS n FROM \(table.name)")?.int("n") ?? 0
                if rows > 0 { occupied.append("\(table.name): \(rows) rows") }
            }
            guard occupied.isEmpty else { throw PostgresStoreError.notEmpty(occupied.joined(separator: ", ")) }
            var counts: [TableCount] = []
            for table in StoreSchema.tables {
                var copied = 0
                var offset = 0
                while true {
                    let rows = try source.pool.read { db in
                        try Row.fetchAll(db, sql: "SELECT * FROM \(table.name) ORDER BY rowid LIMIT ? OFFSET ?", arguments: [batch, offset])
                    }
                    if rows.isEmpty { break }
                    offset += rows.count
                    let columns = Array(rows[0].columnNames)
                    let placeholders = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
                    var values: [PostgresValue] = []
                    values.reserveCapacity(rows.count * columns.count)
                    for row in rows {
                        for index in columns.indices { values.append(value(row[index] as DatabaseValue)) }
                    }
                    try sql.execute(
                        "INSERT INTO \(table.name) (\(columns.joined(separator: ", "))) VALUES "
                            + Array(repeating: placeholders, count: rows.count).joined(separator: ", "), values)
                    copied += rows.count
                }
                if let serial = table.serial {
                    // The next id continues after the copied ones.
                    try sql.execute("""
                        SELECT setval(pg_get_serial_sequence('\(table.name)', '\(serial)'), COALESCE(MAX(\(serial)), 0) + 1, false)
                        FROM \(table.name)
                        """)
                }
                let source = try source.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.name)") ?? 0 }
                guard source == copied else {
                    throw PostgresStoreError.migrationFailed("copy", "\(table.name): \(source) rows in SQLite, \(copied) copied (is serve still writing?)")
                }
                counts.append(TableCount(table: table.name, rows: copied))
            }
            return counts
        }
    }

    static func value(_ value: DatabaseValue) -> PostgresValue {
        switch value.storage {
        case .null: .text(nil)
        case .int64(let int): .int(Int(int))
        case .double(let double): .double(double)
        case .string(let string): .text(string)
        case .blob(let data): .bytes(data)
        }
    }
}
