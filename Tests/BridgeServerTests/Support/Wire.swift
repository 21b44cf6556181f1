import Crypto
import Foundation

/// Form and URL encodings as the providers produce them, written here independently of the adapters so the
/// tests check the bridge against the wire format, not against itself.
enum Wire {
    /// `application/x-www-form-urlencoded` as Twilio, Africa's Talking and Vonage send it: UTF-8, spaces as `+`,
    /// everything but `A-Z a-z 0-9 - _ . *` percent-encoded.
    static func form(_ pairs: [(String, String)]) -> String {
        pairs.map { formEscape($0.0) + "=" + formEscape($0.1) }.joined(separator: "&")
    }

    static func formEscape(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "*"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                output += "+"
            default:
                output += String(format: "%%%02X", byte)
            }
        }
        return output
    }

    /// Kannel's `octstr_url_encode` (gwlib/octstr.c): every byte but `A-Z a-z 0-9 - _ . ! ~ * ' ( )` as `%XX`,
    /// space as `+`. Works on bytes, so UCS-2 text goes through as UTF-16BE bytes.
    static func kannelEscape(_ bytes: [UInt8]) -> String {
        var output = ""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "~"), UInt8(ascii: "*"),
                UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                output += "+"
            default:
                output += String(format: "%%%02X", byte)
            }
        }
        return output
    }

    static func kannelEscape(_ text: String) -> String { kannelEscape(Array(text.utf8)) }

    static func utf16BE(_ text: String) -> [UInt8] {
        text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    static func fromUTF16BE(_ bytes: [UInt8]) -> String? {
        guard bytes.count % 2 == 0 else { return nil }
        let units = stride(from: 0, to: bytes.count, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        return String(validating: units, as: UTF16.self)
    }

    /// Decodes `%XX` and `+`; invalid escapes are kept as they are (a double must not be stricter than a provider).
    static func percentDecode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        let array = Array(bytes)
        var index = 0
        while index < array.count {
            let byte = array[index]
            if byte == UInt8(ascii: "%"), index + 2 < array.count,
               let high = hexValue(array[index + 1]), let low = hexValue(array[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else if byte == UInt8(ascii: "+") {
                output.append(UInt8(ascii: " "))
                index += 1
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `a=1&b=2` → pairs with byte values, in order.
    static func pairs(_ encoded: some Collection<UInt8>) -> [(name: String, bytes: [UInt8])] {
        Array(encoded).split(separator: UInt8(ascii: "&")).map { piece in
            let parts = piece.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(decoding: percentDecode(parts[0]), as: UTF8.self)
            return (name, parts.count > 1 ? percentDecode(parts[1]) : [])
        }
    }

    static func pairs(_ encoded: String) -> [(name: String, value: String)] {
        pairs(Array(encoded.utf8)).map { ($0.name, String(decoding: $0.bytes, as: UTF8.self)) }
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func basic(_ user: String, _ password: String) -> String {
        "Basic " + Data((user + ":" + password).utf8).base64EncodedString()
    }
}

/// The signatures the providers compute, from the reference's algorithm descriptions.
enum Signing {
    /// `X-Twilio-Signature` (reference §2.b): HMAC-SHA1 over the full URL plus, for form POSTs, every parameter
    /// name and value sorted by name; repeated names have their values sorted and de-duplicated (twilio-python).
    static func twilio(url: String, params: [(String, String)], token: String) -> String {
        var message = Array(url.utf8)
        let names = Set(params.map(\.0)).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        for name in names {
            let values = Set(params.filter { $0.0 == name }.map(\.1)).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for value in values { message += Array(name.utf8) + Array(value.utf8) }
        }
        let code = HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: Array(token.utf8)))
        return Data(code).base64EncodedString()
    }

    enum VonageMethod: String, CaseIterable, Sendable { case md5hash, md5, sha1, sha256, sha512 }

    /// The string Vonage signs (reference §4.b): every parameter but `sig`, sorted by key, `&` and `=` in values
    /// replaced by `_`, each appended as `&key=value`.
    static func vonageString(_ params: [(String, String)]) -> String {
        params.filter { $0.0 != "sig" }.sorted { $0.0 < $1.0 }.map { key, value in
            "&" + key + "=" + value.replacingOccurrences(of: "&", with: "_").replacingOccurrences(of: "=", with: "_")
        }.joined()
    }

    static func vonage(_ params: [(String, String)], secret: String, method: VonageMethod) -> String {
        let message = Array(vonageString(params).utf8)
        let key = SymmetricKey(data: Array(secret.utf8))
        switch method {
        case .md5hash: return Wire.hex(Insecure.MD5.hash(data: message + Array(secret.utf8)))
        case .md5: return Wire.hex(HMAC<Insecure.MD5>.authenticationCode(for: message, using: key))
        case .sha1: return Wire.hex(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key))
        case .sha256: return Wire.hex(HMAC<SHA256>.authenticationCode(for: message, using: key))
        case .sha512: return Wire.hex(HMAC<SHA512>.authenticationCode(for: message, using: key))
        }
    }

    /// The generic contract (reference §9): `v1=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>`.
    static func generic(secret: String, timestamp: String, body: [UInt8]) -> String {
        "v1=" + Wire.hex(HMAC<SHA256>.authenticationCode(for: Array((timestamp + ".").utf8) + body, using: SymmetricKey(data: Array(secret.utf8))))
    }

    static func sha256Hex(_ bytes: [UInt8]) -> String { Wire.hex(SHA256.hash(data: bytes)) }
}
