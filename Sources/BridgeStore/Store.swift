import BridgeCore
import Foundation

/// The durable state of the bridge, behind a protocol so SQLite (one instance) and PostgreSQL (several) share one contract.
///
/// Everything that must happen together happens in one `write`: the inbound message, its dedupe, the session, the
/// outbox and the answer are committed at once or not at all.
public protocol Store: Sendable {
    /// Runs `body` in one serialised write transaction; a thrown error rolls everything back.
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T
    /// Runs `body` on a consistent snapshot.
    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T
}

/// What can be done inside one transaction.
public protocol StoreTransaction: SubmissionStoreTransaction, RetentionStoreTransaction, CoordinationStoreTransaction {
    // Inbound messages
    func inbound(gateway: String, providerID: String) throws -> (record: InboundRecord, answer: StoredAnswer?)?
    /// Inserts the message; returns its id.
    func insertInbound(_ record: InboundRecord) throws -> Int64
    func setAnswer(_ answer: StoredAnswer, forInbound id: Int64) throws
    func inboundCount() throws -> Int

    // Sessions
    func session(deployment: String, phone: String) throws -> Session?
    func saveSession(_ session: Session, at: Date) throws
    /// The session's bytes exactly as stored (``StoreCoding/encodeSession(_:)``), nil when the resident has none: what
    /// the inbound processor compares with the snapshot it ran the engine on outside the serialised write.
    func sessionData(deployment: String, phone: String) throws -> Data?
    /// Saves a session already encoded with ``StoreCoding/encodeSession(_:)`` (encoded outside the write, or kept to
    /// compare with later).
    func saveSession(_ session: Session, encoded: Data, at: Date) throws
    func sessionCount() throws -> Int

    // Outbox
    func enqueue(_ item: OutboxItem) throws
    func outbox(id: String) throws -> OutboxItem?
    func outbox(gateway: String, providerMessageID: String) throws -> OutboxItem?
    /// Queued messages due at `now`, oldest first; a message waits while an earlier one to the same number is
    /// queued for later (a retry in backoff), so a resident's messages never overtake each other.
    func dueOutbox(now: Date, limit: Int) throws -> [OutboxItem]
    /// The earliest time a queued message becomes due, to sleep until then (a message waiting behind an earlier
    /// one to the same number becomes due with it).
    func nextDue() throws -> Date?
    func updateOutbox(_ item: OutboxItem) throws
    func outboxItems(phone: String?) throws -> [OutboxItem]
    /// Records the provider ids of a message sent as several parts (Vonage reports each part separately).
    func recordParts(_ providerIDs: [String], outboxID: String) throws
    /// Sets one part's status and returns the statuses of all parts of its message, or nil when the id is no part.
    func updatePart(gateway: String, providerMessageID: String, status: OutboxStatus) throws -> (outboxID: String, parts: [OutboxStatus])?

    // Reports
    /// The next free reference of the local platform (numbers from 1001).
    func nextReference() throws -> String
    func insertReport(_ report: ReportRecord) throws
    func report(reference: String) throws -> ReportRecord?
    func updateReport(_ report: ReportRecord) throws
    func reports() throws -> [ReportRecord]

    // Opt-outs
    func setOptedOut(_ optedOut: Bool, deployment: String, phone: String, at: Date, raw: String) throws
    func isOptedOut(deployment: String, phone: String) throws -> Bool

    // Gateway state that must survive restarts
    /// The cumulative USSD text last seen in a provider session (Africa's Talking sends it whole every turn).
    func ussdText(gateway: String, sessionID: String) throws -> String?
    func setUSSDText(_ text: String, gateway: String, sessionID: String, at: Date) throws
    /// Buffers one part of a concatenated SMS; returns all parts' texts in order once every part arrived.
    func addConcatPart(gateway: String, phone: String, reference: String, total: Int, part: Int, text: String, at: Date) throws -> [String]?
}
