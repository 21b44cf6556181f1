import Crypto
import Foundation

/// Vonage SMS API request signing (`sig`), in the five variants the dashboard offers.
///
/// Every parameter except `sig`, sorted by name; in each value `&` and `=` become `_`; joined
/// as `&name=value`. `md5hash` is `md5(string + secret)`, the others are HMACs keyed with the
/// signature secret. Hex, compared case-insensitively (vonage-python-sdk v3 and v4).
public enum VonageSignatureMethod: String, Sendable, CaseIterable {
    case md5hash, md5, sha1, sha256, sha512

    /// Reads the dashboard's names as well (`MD5 hash`, `SHA-256 HMAC`, `hmac-sha256`).
    public init?(configured: String) {
        let key = configured.lowercased().filter { $0.isLetter || $0.isNumber }
        switch key {
        case "md5hash", "": self = .md5hash
        case "md5", "md5hmac", "hmacmd5": self = .md5
        case "sha1", "sha1hmac", "hmacsha1": self = .sha1
        case "sha256", "sha256hmac", "hmacsha256": self = .sha256
        case "sha512", "sha512hmac", "hmacsha512": self = .sha512
        default: return nil
        }
    }
}

enum VonageSignature {
    /// The string that is hashed.
    static func signedString(_ fields: [GatewayField]) -> String {
        var latest: [String: String] = [:]
        for field in fields where field.name != "sig" { latest[field.name] = field.value }
        return latest.keys.sorted().map { name in
            let value = (latest[name] ?? "").replacingOccurrences(of: "&", with: "_").replacingOccurrences(of: "=", with: "_")
            return "&" + name + "=" + value
        }.joined()
    }

    /// The digest bytes for `fields`.
    static func digest(_ fields: [GatewayField], secret: String, method: VonageSignatureMethod) -> [UInt8] {
        let message = Array(signedString(fields).utf8)
        switch method {
        case .md5hash: return Array(Insecure.MD5.hash(data: message + Array(secret.utf8)))
        case .md5: return Signatures.hmac(Insecure.MD5.self, key: secret, message: message)
        case .sha1: return Signatures.hmac(Insecure.SHA1.self, key: secret, message: message)
        case .sha256: return Signatures.hmac(SHA256.self, key: secret, message: message)
        case .sha512: return Signatures.hmac(SHA512.self, key: secret, message: message)
        }
    }

    /// Lower-case hex signature, as the SDK produces it.
    static func sign(_ fields: [GatewayField], secret: String, method: VonageSignatureMethod) -> String {
        Signatures.hex(digest(fields, secret: secret, method: method))
    }

    static func isValid(_ fields: [GatewayField], sig: String, secret: String, method: VonageSignatureMethod) -> Bool {
        guard let given = Signatures.unhex(sig) else { return false }
        return Signatures.equal(digest(fields, secret: secret, method: method), given)
    }
}
