import Crypto
import Foundation
import Platform

/// A deployment's resident pseudonyms: the first 8 bytes of HMAC-SHA256(`pseudonym_key`, E.164 number), in hex.
///
/// Keyed, so nobody without the key can test candidate numbers against a pseudonym (a plain hash of a phone number is
/// reversed by trying the few billion numbers of a country); per deployment, so one city's pseudonyms say nothing about
/// another's. 64 bits keep collisions between a city's residents negligible (about one in 10^9 for 200,000 numbers)
/// while staying short enough to read in FixMyStreet's admin. Rotating the key starts new pseudonyms for everyone.
public struct KeyedPseudonyms: ResidentPseudonyms, CustomStringConvertible {
    private let key: SymmetricKey

    /// Keys shorter than this are refused at start-up: the key is all that protects the numbers.
    public static let minimumKeyBytes = 16

    public init(key: String) {
        self.key = SymmetricKey(data: Array(key.utf8))
    }

    public func pseudonym(for phone: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Array(phone.utf8), using: key).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// Never the key.
    public var description: String { "KeyedPseudonyms(<key redacted>)" }
}
