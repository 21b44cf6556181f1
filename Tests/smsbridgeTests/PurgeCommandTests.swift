import Foundation
import Testing

/// `smsbridge purge`, the built executable: where it reads the retention period and the database, and what it says.
@Suite struct PurgeCommandTests {
    /// An empty file is an empty SQLite database: the store migrates it, and there is nothing to purge.
    static func emptyDatabase(in copy: ConfigurationCopy) throws -> String {
        let path = copy.directory.appendingPathComponent("bridge.sqlite").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        return path
    }

    @Test func purgesTheDatabaseItIsGivenAndSaysWhat() throws {
        let copy = try ConfigurationCopy()
        defer { copy.remove() }
        let database = try Self.emptyDatabase(in: copy)
        let result = try RunningCommand.run(["purge", "--older-than", "30", "--database", database], in: copy.directory)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasPrefix("purged older than 30 days (before "), "\(result.stdout)")
        #expect(result.stdout.contains("inbound texts 0, reply texts 0, sessions 0, gateway buffers 0"), "\(result.stdout)")
    }

    @Test func theRetentionPeriodComesFromTheConfigurationWhenNotGiven() throws {
        let copy = try ConfigurationCopy()
        defer { copy.remove() }
        let database = try Self.emptyDatabase(in: copy)
        try copy.replace("Config/smsbridge.yaml", "server:\n", with: "server:\n  retention_days: 60\n")
        let result = try RunningCommand.run(["purge", "--database", database], in: copy.directory)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasPrefix("purged older than 60 days"), "\(result.stdout)")
    }

    @Test func withoutAnyRetentionPeriodItRefusesAndSaysWhereToSetOne() throws {
        let copy = try ConfigurationCopy()
        defer { copy.remove() }
        let database = try Self.emptyDatabase(in: copy)
        let result = try RunningCommand.run(["purge", "--database", database], in: copy.directory)
        #expect(result.status == 1)
        #expect(result.stderr.contains("set server.retention_days, or pass --older-than DAYS"), "\(result.stderr)")
    }

    @Test func aMissingDatabaseIsNotCreated() throws {
        let copy = try ConfigurationCopy()
        defer { copy.remove() }
        let database = copy.directory.appendingPathComponent("typo.sqlite").path
        let result = try RunningCommand.run(["purge", "--older-than", "30", "--database", database], in: copy.directory)
        #expect(result.status == 1)
        #expect(result.stderr.contains("no database at \(database)"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: database))
    }

    @Test func zeroDaysIsRefused() throws {
        let copy = try ConfigurationCopy()
        defer { copy.remove() }
        let result = try RunningCommand.run(["purge", "--older-than", "0"], in: copy.directory)
        #expect(result.status != 0)
        #expect(result.stderr.contains("--older-than must be at least 1 day"), "\(result.stderr)")
    }
}
