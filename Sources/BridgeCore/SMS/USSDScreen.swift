/// One USSD screen: 160 octets with no concatenation, so a menu that doesn't fit must be paged.
public enum USSDScreen {
    /// 160 octets of packed septets (GSM 04.80; osmocom `GSM0480_USSD_7BIT_STRING_LEN`).
    public static let gsm7Limit = 182
    /// 160 octets of UCS-2.
    public static let ucs2Limit = 80

    /// Units against the limit of the encoding the text needs. The caller sanitises first,
    /// as for SMS; extension characters count 2 septets here too.
    public static func cost(of text: String) -> (encoding: SMSEncoding, units: Int, limit: Int) {
        if let septets = GSM7Alphabet.septetCount(text) {
            return (.gsm7, septets, gsm7Limit)
        }
        return (.ucs2, text.utf16.count, ucs2Limit)
    }

    /// Whether the text fits on one screen. Some handsets show less than the protocol allows,
    /// so keep UCS-2 pages nearer 75 units when you can.
    public static func fits(_ text: String) -> Bool {
        let screen = cost(of: text)
        return screen.units <= screen.limit
    }
}
