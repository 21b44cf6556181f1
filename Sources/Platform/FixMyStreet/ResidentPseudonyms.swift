/// Turns a resident's number into the stable name FixMyStreet is given instead of it, for deployments that file
/// pseudonymously (`platform.pseudonymous`).
///
/// A protocol so this module stays free of key handling: the server supplies a keyed hash (HMAC-SHA256 under the
/// deployment's `pseudonym_key`), tests a fixed table. The same number must always give the same pseudonym, so the
/// municipality can still see that several reports came from one person.
public protocol ResidentPseudonyms: Sendable {
    /// The pseudonym of `phone` (E.164): never the number, nor anything it can be recovered from without the key.
    func pseudonym(for phone: String) -> String
}
