/// The two alphabets we ever send in. National language shift tables are deliberately absent:
/// none of them covers ë, č ć đ š ž, Cyrillic or Arabic, and few SMSCs or handsets honour them.
public enum SMSEncoding: String, Sendable, Codable {
    /// GSM 03.38 default alphabet plus its extension table: 160 septets in one SMS.
    case gsm7 = "GSM-7"
    /// UTF-16 in practice (DCS 0x08): 70 code units in one SMS.
    case ucs2 = "UCS-2"
}

/// What a message costs before it leaves, so templates can be kept to one segment and the
/// number can be compared with what the gateway says it billed.
public struct SMSCost: Sendable, Equatable, Codable {
    /// GSM-7 unless one character forces the whole message to UCS-2.
    public var encoding: SMSEncoding
    /// Septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2.
    /// Counting UTF-16 units rather than characters is what makes an emoji cost 2.
    public var units: Int
    /// Parts the network bills: 1 up to 160/70 units, otherwise parts of 153/67.
    public var segments: Int

    public init(encoding: SMSEncoding, units: Int, segments: Int) {
        self.encoding = encoding
        self.units = units
        self.segments = segments
    }
}
