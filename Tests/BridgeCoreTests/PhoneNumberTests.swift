import BridgeCore
import Testing

@Suite struct PhoneNumberTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var raw: String
        var region: String
        var typeOfNumber: TypeOfNumber = .unknown
        var expected: PhoneNumberParse
        var testDescription: String { "\(raw) in \(region)" }
    }

    /// Reference §4.3 test vectors (checked there with `phonenumbers` 9.0.43).
    static let referenceVectors: [Vector] = [
        Vector(raw: "+383 44 123 456", region: "XK", expected: .e164("+38344123456")),
        Vector(raw: "0038344123456", region: "XK", expected: .e164("+38344123456")),
        Vector(raw: "044123456", region: "XK", expected: .e164("+38344123456")),
        Vector(raw: "44123456", region: "XK", expected: .e164("+38344123456")),
        Vector(raw: "38344123456", region: "XK", expected: .e164("+38344123456")),
        Vector(raw: "049 123 456", region: "XK", expected: .e164("+38349123456")),
        Vector(raw: "+377 44 123 456", region: "XK", expected: .e164("+37744123456")),
        Vector(raw: "+381 63 1234567", region: "RS", expected: .e164("+381631234567")),
        Vector(raw: "0631234567", region: "RS", expected: .e164("+381631234567")),
        Vector(raw: "381631234567", region: "XK", expected: .e164("+381631234567")),
        Vector(raw: "+212 6 12 34 56 78", region: "MA", expected: .e164("+212612345678")),
        Vector(raw: "212612345678", region: "MA", expected: .e164("+212612345678")),
        Vector(raw: "0612345678", region: "MA", expected: .e164("+212612345678")),
        Vector(raw: "612345678", region: "MA", expected: .e164("+212612345678")),
        Vector(raw: "٠٦١٢٣٤٥٦٧٨", region: "MA", expected: .e164("+212612345678")),
        Vector(raw: "0712345678", region: "MA", expected: .e164("+212712345678")),
        Vector(raw: "0033612345678", region: "MA", expected: .e164("+33612345678")),
        Vector(raw: "INWI", region: "MA", expected: .alphanumeric("INWI")),
        Vector(raw: "1919", region: "MA", expected: .shortCode("1919")),
    ]

    /// Input shapes gateways and phones produce (§2.3, §4.2).
    static let inputForms: [Vector] = [
        Vector(raw: "tel:+38344123456", region: "MA", expected: .e164("+38344123456")),
        Vector(raw: "TEL:+383-44-123-456;phone-context=example", region: "MA", expected: .e164("+38344123456")),
        Vector(raw: "sms:+212612345678?body=STOP", region: "XK", expected: .e164("+212612345678")),
        Vector(raw: "۰۶۱۲۳۴۵۶۷۸", region: "MA", expected: .e164("+212612345678")),
        Vector(raw: "＋２１２ ６１２ ３４５ ６７８", region: "XK", expected: .e164("+212612345678")),
        Vector(raw: "\u{200E}+212 (0) 6.12.34.56.78\u{200E}", region: "MA", expected: .e164("+212612345678")),
        Vector(raw: "+383 (0)44 123 456", region: "XK", expected: .e164("+38344123456")),
        Vector(raw: "  (044) 123/456 ", region: "XK", expected: .e164("+38344123456")),
        Vector(raw: "+33 6 12 34 56 78", region: "MA", expected: .e164("+33612345678")),
        Vector(raw: "0522123456", region: "MA", expected: .e164("+212522123456")),
        Vector(raw: "028123456", region: "XK", expected: .e164("+38328123456")),
        Vector(raw: "38012345", region: "XK", expected: .e164("+38338012345")),
        Vector(raw: "+381 11 1234567", region: "XK", expected: .e164("+381111234567")),
        Vector(raw: "+386 43 123 456", region: "XK", expected: .e164("+38643123456")),
        Vector(raw: "VALA", region: "XK", expected: .alphanumeric("VALA")),
        Vector(raw: " Orange ", region: "MA", expected: .alphanumeric("Orange")),
        Vector(raw: "اتصالات", region: "MA", expected: .alphanumeric("اتصالات")),
        Vector(raw: "12345", region: "MA", typeOfNumber: .alphanumeric, expected: .alphanumeric("12345")),
        Vector(raw: "123456", region: "XK", expected: .shortCode("123456")),
        Vector(raw: "٨٠٠", region: "MA", expected: .shortCode("800")),
    ]

    /// Countries we hold no plan for: `+`, `00` and TON-international forms with 8–15 digits.
    static let otherCountries: [Vector] = [
        Vector(raw: "+49 151 12345678", region: "MA", expected: .e164("+4915112345678")),
        Vector(raw: "004915112345678", region: "XK", expected: .e164("+4915112345678")),
        Vector(raw: "4915112345678", region: "MA", typeOfNumber: .international, expected: .e164("+4915112345678")),
        Vector(raw: "212612345678", region: "XK", typeOfNumber: .international, expected: .e164("+212612345678")),
        Vector(raw: "+1 202 555 0123", region: "XK", expected: .e164("+12025550123")),
        Vector(raw: "+44 7700 900123", region: "MA", expected: .e164("+447700900123")),
    ]

    @Test(arguments: referenceVectors + inputForms + otherCountries)
    func normalizes(_ vector: Vector) {
        #expect(PhoneNumber.normalize(vector.raw, defaultRegion: vector.region, typeOfNumber: vector.typeOfNumber) == vector.expected)
    }

    @Test(arguments: [
        ("+386 49 123 456", "XK"),  // legacy IPKO: not a Slovenian range today
        ("+38312345678", "XK"),
        ("0038128123456", "XK"),
        ("0631234567", "XK"),  // Serbian national form, but the region is Kosovo
        ("+999 1234 5678", "XK"),  // unassigned calling code
        ("+49 1234", "MA"),  // too short for E.164
        ("+49 1234 5678 9012 345", "MA"),  // 16 digits
        ("10351024", "FR"),  // bare digits only a stranger's number could explain
        ("4915112345678", "MA"),  // bare international digits need TON international
        ("+", "XK"),
        ("", "XK"),
        ("   ", "XK"),
        ("+383 44 123 456#", "XK"),
        ("*123#", "MA"),
    ])
    func rejects(_ raw: String, _ region: String) {
        let result = PhoneNumber.normalize(raw, defaultRegion: region)
        guard case .invalid(let keptRaw, let reason) = result else {
            Issue.record("\(raw) gave \(result)")
            return
        }
        #expect(keptRaw == raw)
        #expect(!reason.isEmpty)
    }

    @Test func nationalTypeOfNumberPrefersTheNationalReading() {
        // 11-digit Kosovo fixed number that also reads as +383 44… when taken internationally.
        #expect(PhoneNumber.normalize("38344123456", defaultRegion: "XK", typeOfNumber: .national) == .e164("+38338344123456"))
        #expect(PhoneNumber.normalize("612345678", defaultRegion: "MA", typeOfNumber: .national) == .e164("+212612345678"))
        // No valid national reading: fall back to the usual rule.
        #expect(PhoneNumber.normalize("212612345678", defaultRegion: "MA", typeOfNumber: .national) == .e164("+212612345678"))
    }

    @Test func unknownDefaultRegionStillReadsInternationalForms() {
        #expect(PhoneNumber.normalize("+38344123456", defaultRegion: "DE") == .e164("+38344123456"))
        #expect(PhoneNumber.normalize("38344123456", defaultRegion: "DE") == .e164("+38344123456"))
        #expect(PhoneNumber.normalize("38344123456", defaultRegion: "xk") == .e164("+38344123456"))
    }

    @Test(arguments: [
        ("+38344123456", "+383"), ("+381631234567", "+381"), ("+212612345678", "+212"), ("+33612345678", "+33"),
        ("+37744123456", "+377"), ("+38649123456", "+386"), ("+12025550123", "+1"), ("+79161234567", "+7"),
        ("+4915112345678", "+49"), ("+35312345678", "+353"), ("+97150123456", "+971"), ("38344123456", "+383"),
    ])
    func callingCode(_ e164: String, _ code: String) {
        #expect(PhoneNumber.callingCode(of: e164) == code)
    }

    @Test func callingCodeOfNonsense() {
        #expect(PhoneNumber.callingCode(of: "+999123") == nil)
        #expect(PhoneNumber.callingCode(of: "+0123") == nil)
        #expect(PhoneNumber.callingCode(of: "+") == nil)
        #expect(PhoneNumber.callingCode(of: "INWI") == nil)
    }

    @Test(arguments: [
        ("+38344123456", "+383 44 *** *56"),
        ("+212612345678", "+212 61* *** *78"),
        ("+381631234567", "+381 63* *** *67"),
        ("+33612345678", "+33 61* *** *78"),
        ("+4915112345678", "+49 15 *** *** *78"),
    ])
    func masks(_ e164: String, _ expected: String) {
        #expect(PhoneNumber.masked(e164) == expected)
    }

    @Test(arguments: [
        "+38344123456", "+212612345678", "+381631234567", "+4915112345678", "+12025550123",
        "+99912345678", "+1234", "+12", "1234567", "",
    ])
    func maskingNeverShowsTheNumber(_ e164: String) {
        let masked = PhoneNumber.masked(e164)
        let digits = e164.filter(\.isWholeNumber)
        let shown = masked.filter(\.isWholeNumber)
        let code = PhoneNumber.callingCode(of: e164).map { $0.dropFirst() } ?? ""
        #expect(masked.hasPrefix("+"))
        #expect(shown.count - code.count <= 4)
        if !digits.isEmpty {
            #expect(shown.count < digits.count)
            #expect(!masked.contains(String(digits.dropFirst(code.count))))
        }
    }

    @Test(arguments: [
        ("+37744123456", "+38344123456"), ("+37745123456", "+38345123456"),
        ("+38643123456", "+38343123456"), ("+38649123456", "+38349123456"),
    ])
    func mapsLegacyKosovoNumbers(_ legacy: String, _ current: String) {
        #expect(PhoneNumber.legacyKosovoMapping(legacy) == current)
    }

    @Test(arguments: [
        "+37746123456", "+3774412345", "+377441234567", "+38641123456", "+38344123456", "37744123456", "+3864912345a",
    ])
    func leavesOtherNumbersUnmapped(_ e164: String) {
        #expect(PhoneNumber.legacyKosovoMapping(e164) == nil)
    }

    @Test func legacyVectorsFromTheReference() {
        // +377 44 is still a valid Monaco mobile, +386 49 is invalid for Slovenia: only the
        // explicit legacy mapping turns either into a Kosovo number.
        #expect(PhoneNumber.normalize("+377 44 123 456", defaultRegion: "XK") == .e164("+37744123456"))
        #expect(PhoneNumber.legacyKosovoMapping("+37744123456") == "+38344123456")
        guard case .invalid = PhoneNumber.normalize("+386 49 123 456", defaultRegion: "XK") else {
            Issue.record("+386 49 should not validate as Slovenian")
            return
        }
        #expect(PhoneNumber.legacyKosovoMapping("+38649123456") == "+38349123456")
    }
}
