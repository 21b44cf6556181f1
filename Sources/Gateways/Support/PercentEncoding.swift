/// Percent-encoding and `application/x-www-form-urlencoded`, byte-exact, because Kannel
/// sends UTF-16BE bytes in query values and signatures need the raw form.
enum PercentEncoding {
    /// RFC 3986 unreserved characters, the only ones never encoded.
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
            UInt8(ascii: "."), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Every byte except unreserved ones as `%XX` (spaces too: safe in query and form bodies).
    static func encode(bytes: some Sequence<UInt8>) -> String {
        var output: [UInt8] = []
        for byte in bytes {
            if isUnreserved(byte) {
                output.append(byte)
            } else {
                output += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func encode(_ text: String) -> String { encode(bytes: text.utf8) }

    static func encodePathSegment(_ text: String) -> String { encode(text) }

    /// `name=value&…` with both sides encoded.
    static func formEncode(_ fields: [GatewayField]) -> String {
        fields.map { encode($0.name) + "=" + encode($0.value) }.joined(separator: "&")
    }

    /// Form encoding with byte values (Kannel UCS-2 `text`).
    static func formEncode(_ pairs: [(name: String, bytes: [UInt8])]) -> String {
        pairs.map { encode($0.name) + "=" + encode(bytes: $0.bytes) }.joined(separator: "&")
    }

    /// Decodes `%XX` and, for forms, `+` as space. Nil on a truncated or non-hex escape.
    static func decode(_ bytes: some Collection<UInt8>, plusAsSpace: Bool) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                output.append(high << 4 | low)
            case UInt8(ascii: "+") where plusAsSpace:
                output.append(UInt8(ascii: " "))
            default:
                output.append(byte)
            }
        }
        return output
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// A form or query field whose value is still bytes.
struct RawField: Sendable, Equatable {
    var name: String
    var bytes: [UInt8]
}

/// Splits `a=1&b=2` into fields. Names must be UTF-8; values stay bytes until the caller knows
/// their encoding.
enum FormCodec {
    static func rawPairs(_ input: [UInt8], origin: String) throws(GatewayError) -> [RawField] {
        var fields: [RawField] = []
        for piece in input.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = piece.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let nameBytes = PercentEncoding.decode(parts[0], plusAsSpace: true) else {
                throw .malformed(field: origin, reason: "has an invalid percent-escape in a field name")
            }
            guard let name = TextDecoding.utf8(nameBytes) else { throw .invalidUTF8(field: origin) }
            let rawValue = parts.count > 1 ? parts[1] : []
            guard let value = PercentEncoding.decode(rawValue, plusAsSpace: true) else {
                throw .malformed(field: name, reason: "has an invalid percent-escape")
            }
            fields.append(RawField(name: name, bytes: value))
        }
        return fields
    }

    /// All values as UTF-8 text; names the field that is not.
    static func fields(_ raw: [RawField]) throws(GatewayError) -> [GatewayField] {
        var fields: [GatewayField] = []
        fields.reserveCapacity(raw.count)
        for field in raw {
            guard let value = TextDecoding.utf8(field.bytes) else { throw .invalidUTF8(field: field.name) }
            fields.append(GatewayField(field.name, value))
        }
        return fields
    }
}
