import Foundation

/// What lets several instances share one store without doing the same work twice (issue 8), and one instance resume
/// after a crash without waiting for its own claims to run out.
///
/// A claim is a lease written into the row: the row's next attempt moves to the end of the lease and the claimer's name
/// is kept beside it. Another instance sees the row as not due until the lease runs out, which is also how the work of
/// an instance that died is taken over. Claims are checked and taken in one write transaction, so two instances racing
/// for the same row (SQLite's single writer, PostgreSQL's serialisable transactions) cannot both win.
public protocol CoordinationStoreTransaction {
    /// Claims a queued outbox message that is due at `now` and has no earlier message to the same number still queued
    /// (a resident's messages never overtake each other, whichever instance sends them). False when another instance
    /// got it first, it was sent meanwhile, or an earlier message to the number waits.
    func claimOutbox(id: String, owner: String, now: Date, until: Date) throws -> Bool
    /// Extends `owner`'s claim on a queued outbox message until `until`, before an attempt the claim would not outlast;
    /// false when the claim was lost (it ran out and another instance took the message) or the message moved on.
    func renewOutboxClaim(id: String, owner: String, until: Date) throws -> Bool
    /// Claims a submission that is due at `now`; false when another instance got it first or it moved on.
    func claimSubmission(id: Int64, owner: String, now: Date, until: Date) throws -> Bool
    /// Extends `owner`'s claim on a submission while a slow platform keeps the attempt going; false when the claim was
    /// lost (it ran out and another instance took the submission over).
    func renewSubmissionClaim(id: Int64, owner: String, until: Date) throws -> Bool
    /// Makes everything `owner` had claimed due at `now`: an instance starting again takes its own work back at once.
    /// Returns how many rows were released.
    func releaseClaims(owner: String, now: Date) throws -> Int
    /// Takes the named lease for `owner` until `until`, or renews it if `owner` holds it; false while another holder's
    /// lease runs. For work only one instance should do at a time (the status poller).
    func acquireLease(name: String, owner: String, now: Date, until: Date) throws -> Bool
}
