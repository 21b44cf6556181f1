import BridgeCore
import Foundation

/// Strict decoders: invalid input gives nil, never replacement characters, so a garbled
/// message is refused with a clear error instead of being stored.
enum TextDecoding {
    static func utf8(_ bytes: some Collection<UInt8>) -> String? {
        String(validating: bytes, as: UTF8.self)
    }

    /// UCS-2 as gateways really send it: UTF-16BE, surrogate pairs allowed, lone ones refused.
    static func utf16BE(_ bytes: [UInt8]) -> String? {
        guard bytes.count % 2 == 0 else { return nil }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = 0
        while index < bytes.count {
            units.append(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
            index += 2
        }
        return String(validating: units, as: UTF16.self)
    }

    static func utf16BEBytes(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf16.count * 2)
        for unit in text.utf16 {
            bytes.append(UInt8(unit >> 8))
            bytes.append(UInt8(unit & 0xFF))
        }
        return bytes
    }

    static func latin1(_ bytes: [UInt8]) -> String {
        String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    /// Windows-1252 (Kannel's `mo-recode` fallback); the five undefined bytes are refused.
    static func windows1252(_ bytes: [UInt8]) -> String? {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if (0x80...0x9F).contains(byte) {
                let value = cp1252High[Int(byte - 0x80)]
                guard value != 0, let scalar = Unicode.Scalar(value) else { return nil }
                scalars.append(scalar)
            } else {
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return String(scalars)
    }

    private static let cp1252High: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    /// A message text as the bridge stores it: NFC, and no longer than the gateway limit.
    static func messageText(_ text: String) throws(GatewayError) -> String {
        let normalized = CanonicalComposition.compose(text)
        let count = normalized.count
        if count > GatewayLimits.maxTextCharacters { throw .textTooLong(characters: count) }
        return normalized
    }
}
