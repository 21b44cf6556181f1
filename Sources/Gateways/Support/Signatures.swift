import Crypto
import Foundation

/// Comparisons and encodings shared by every signature check. All secret comparisons are
/// constant-time.
enum Signatures {
    /// Constant-time for equal lengths; the length itself is not secret (digest sizes).
    static func equal(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) { difference |= left ^ right }
        return difference == 0
    }

    /// Tokens and passwords: both sides hashed first, so neither content nor length leaks.
    static func equalSecrets(_ given: String, _ expected: String) -> Bool {
        equal(Array(SHA256.hash(data: Array(given.utf8))), Array(SHA256.hash(data: Array(expected.utf8))))
    }

    static func hmac<H: HashFunction>(_ hash: H.Type, key: String, message: [UInt8]) -> [UInt8] {
        Array(HMAC<H>.authenticationCode(for: message, using: SymmetricKey(data: Array(key.utf8))))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// Hex in either case; nil when not hex.
    static func unhex(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = PercentEncoding.hexValue(digits[index]), let low = PercentEncoding.hexValue(digits[index + 1]) else {
                return nil
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    static func unbase64(_ text: String) -> [UInt8]? { Data(base64Encoded: text).map(Array.init) }

    /// `Authorization: Basic …` for outbound requests.
    static func basicAuthorization(user: String, password: String) -> String {
        "Basic " + base64(Array((user + ":" + password).utf8))
    }

    /// Checks an inbound `Authorization: Basic` header against configured credentials.
    static func basicMatches(_ header: String?, user: String, password: String) -> Bool {
        guard let header, header.lowercased().hasPrefix("basic ") else { return false }
        let encoded = header.dropFirst(6).trimmingCharacters(in: .whitespaces)
        guard let decoded = unbase64(encoded), let text = TextDecoding.utf8(decoded) else { return false }
        let userMatches = equalSecrets(String(text.prefix { $0 != ":" }), user)
        let passwordMatches = equalSecrets(String(text.drop { $0 != ":" }.dropFirst()), password)
        return userMatches && passwordMatches && text.contains(":")
    }

    /// The shared secret of gateways that cannot sign (Africa's Talking, Kannel): the last path
    /// segment or a `token` query field must equal `path_token`.
    static func checkPathToken(_ request: GatewayRequest, settings: GatewaySettings) throws(GatewayError) {
        guard let expected = settings.secret("path_token") else {
            throw .misconfigured("secret 'path_token' is not set for gateway '\(settings.id)'; it authenticates this provider's callbacks")
        }
        let lastSegment = request.path.split(separator: "/").last.map(String.init) ?? ""
        let decodedSegment = PercentEncoding.decode(Array(lastSegment.utf8), plusAsSpace: false).flatMap(TextDecoding.utf8) ?? ""
        // Only the token is decoded: other values may be bytes in another charset (Kannel %b).
        let rawQuery = (try? FormCodec.rawPairs(Array(request.rawQuery.utf8), origin: "query")) ?? []
        let queryToken = rawQuery.first { $0.name == "token" }.flatMap { TextDecoding.utf8($0.bytes) } ?? ""
        let pathMatches = equalSecrets(decodedSegment, expected)
        let queryMatches = equalSecrets(queryToken, expected)
        guard pathMatches || queryMatches else { throw .forbidden("path token missing or wrong") }
    }
}
