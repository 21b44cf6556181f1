import BridgeCore

/// Sender numbers through `PhoneNumber.normalize`, with the gateway's knowledge of the form.
enum SenderAddress {
    /// E.164, or nil for alphanumeric and short-code senders (operator notices nobody can
    /// answer); an unreadable number is a 400 naming the field, as in courier.
    static func e164(_ raw: String, region: String, typeOfNumber: TypeOfNumber = .unknown, field: String) throws(GatewayError) -> String? {
        switch PhoneNumber.normalize(raw, defaultRegion: region, typeOfNumber: typeOfNumber) {
        case .e164(let number): return number
        case .alphanumeric, .shortCode: return nil
        case .invalid(_, let reason): throw .malformed(field: field, reason: "is not a possible number (\(reason))")
        }
    }

    /// E.164 digits without `+`, as Vonage and Infobip want them.
    static func digitsOnly(_ e164: String) -> String {
        e164.hasPrefix("+") ? String(e164.dropFirst()) : e164
    }

    /// The recipient must already be E.164; the sender checks before building a request.
    static func requireE164(_ number: String) throws(GatewayError) -> String {
        guard number.hasPrefix("+"), number.count >= 8, number.dropFirst().allSatisfy(\.isASCIIDigit) else {
            throw .malformed(field: "to", reason: "is not an E.164 number")
        }
        return number
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
