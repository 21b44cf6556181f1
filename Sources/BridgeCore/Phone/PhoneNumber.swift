import Foundation
import Synchronization

/// How the gateway labelled the sender address (SMPP `source_addr_ton`, modem type 145/129).
/// It settles readings the digits alone leave open.
public enum TypeOfNumber: Sendable {
    /// SMPP TON 0, modem type 129: the digits decide.
    case unknown
    /// SMPP TON 1, modem type 145: digits are calling code + NSN even without `+`.
    case international
    /// SMPP TON 2: dialled inside the default region, with or without the trunk `0`.
    case national
    /// SMPP TON 5: a sender name, even when it happens to be all digits.
    case alphanumeric
}

/// What a sender address turned out to be. Only `.e164` may be replied to or subscribed.
public enum PhoneNumberParse: Sendable, Equatable {
    /// `+` followed by calling code and national number, the key we store.
    case e164(String)
    /// An operator or brand name (`VALA`, `INWI`): never a person, never replied to.
    case alphanumeric(String)
    /// 3–6 digit service numbers are not dialable from abroad and must not become E.164.
    case shortCode(String)
    /// Kept with the raw text and a reason so the report can still be audited.
    case invalid(raw: String, reason: String)
}

/// Sender-number handling (reference §4): normalise to E.164, mask for logs, and map the legacy
/// Kosovo codes for historical records.
public enum PhoneNumber {
    /// E.164 for a sender address in any of the forms gateways deliver (`+383 44 123 456`,
    /// `0038344123456`, `044123456`, `38344123456`, Arabic-Indic digits, `tel:` URIs).
    ///
    /// Bare digits can be a national number or an international one without `+`. A plain
    /// national parse gets Kosovo wrong (`38344123456` is also a valid 11-digit Kosovo *fixed*
    /// number), so both readings are tried and a valid mobile wins, then the international
    /// reading, then the national one. Bare digits are only read as a number we can check
    /// against a numbering plan: guessing that `10351024` means `+1 0351024` would send
    /// replies to strangers. A gateway that knows its senders are international (no `+`)
    /// says so with `.international`, and then any country with 8–15 digits is accepted, as
    /// for `+` and `00` forms. `.national` puts the national reading first; `.alphanumeric`
    /// is taken at its word.
    public static func normalize(_ raw: String, defaultRegion: String, typeOfNumber: TypeOfNumber = .unknown) -> PhoneNumberParse {
        let key = NormalizeKey(raw: raw, region: defaultRegion, typeOfNumber: typeOfNumber)
        if let parsed = normalized.withLock({ $0[key] }) { return parsed }
        let parsed = parse(raw, defaultRegion: defaultRegion, typeOfNumber: typeOfNumber)
        normalized.withLock { cache in
            if cache.count >= normalizedLimit { cache.removeAll(keepingCapacity: true) }
            cache[key] = parsed
        }
        return parsed
    }

    /// Recent answers of `normalize`. Every webhook normalises its sender at least twice (adapter, then processor) and a
    /// resident sends several messages in a few minutes, while classifying a number runs the numbering plan's regexes
    /// (a tenth of a webhook's CPU). The answer depends on the arguments alone; the cache is emptied when full.
    private static let normalized = Mutex<[NormalizeKey: PhoneNumberParse]>([:])
    private static let normalizedLimit = 8_192

    private struct NormalizeKey: Hashable {
        var raw: String
        var region: String
        var typeOfNumber: TypeOfNumber
    }

    private static func parse(_ raw: String, defaultRegion: String, typeOfNumber: TypeOfNumber) -> PhoneNumberParse {
        let trimmed = raw.trimmingWhitespace()
        guard !trimmed.isEmpty else { return .invalid(raw: raw, reason: "empty sender") }
        if typeOfNumber == .alphanumeric { return .alphanumeric(trimmed) }

        // NFKC folds full-width and other compatibility digits; ASCII is already in that form, and gateways send ASCII
        // almost always, so the (Foundation, allocation-heavy) normalisation is skipped for it.
        let compatible = trimmed.utf8.allSatisfy { $0 < 0x80 } ? trimmed : trimmed.precomposedStringWithCompatibilityMapping
        let address = withoutURIScheme(asciiDigits(compatible))
        if address.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) {
            return .alphanumeric(trimmed)
        }
        let compact = String(String.UnicodeScalarView(address.unicodeScalars.filter { !isSeparator($0) }))
        guard !compact.isEmpty else { return .invalid(raw: raw, reason: "no digits") }

        let hasPlus = compact.hasPrefix("+")
        let digits = hasPlus ? compact.dropFirst() : Substring(compact)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigitCharacter) else {
            return .invalid(raw: raw, reason: "unexpected characters in number")
        }

        if hasPlus { return finish(international(digits), raw: raw) }
        if digits.hasPrefix("00") { return finish(international(digits.dropFirst(2)), raw: raw) }
        if typeOfNumber == .international { return finish(international(digits), raw: raw) }
        if digits.count <= 6 { return .shortCode(String(digits)) }
        return bareDigits(digits, region: defaultRegion, typeOfNumber: typeOfNumber, raw: raw)
    }

    /// The calling code with `+` (`+383`, `+381`, `+212`, `+33`), from the ITU table, so logs
    /// and statistics can group senders by country. Nil when no assigned code matches.
    public static func callingCode(of e164: String) -> String? {
        let digits = e164.hasPrefix("+") ? e164.dropFirst() : Substring(e164)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigitCharacter) else { return nil }
        return CallingCodes.prefix(of: digits).map { "+" + $0 }
    }

    /// A form safe for logs: calling code, then the national number grouped in threes from
    /// the right with all but its first two and last two digits starred
    /// (`+38344123456` → `+383 44 *** *56`). Never shows more than four national digits, and
    /// fewer for short numbers, so a log line never identifies a resident on its own.
    public static func masked(_ e164: String) -> String {
        let digits = e164.unicodeScalars.filter { $0.properties.numericType == .decimal }
        let all = String(String.UnicodeScalarView(digits))
        let code = CallingCodes.prefix(of: Substring(all)) ?? ""
        let national = Array(all.dropFirst(code.count))
        let shown = national.count >= 8 ? 2 : national.count >= 4 ? 1 : 0
        var characters: [Character] = []
        for (index, digit) in national.enumerated() {
            let visible = index < shown || index >= national.count - shown
            characters.append(visible ? digit : "*")
        }
        var groups: [String] = []
        var end = characters.count
        while end > 0 {
            let start = max(0, end - 3)
            groups.insert(String(characters[start..<end]), at: 0)
            end = start
        }
        let prefix = code.isEmpty ? "+" : "+\(code) "
        return prefix + groups.joined(separator: " ")
    }

    /// Before +383 (2017–2019) Kosovo mobiles used Monaco (+377 44/45) and Slovenia
    /// (+386 43/49) with the same 8-digit NSN. For matching historical records only: those
    /// ranges can be real Monegasque or Slovenian numbers today, so never map live traffic.
    public static func legacyKosovoMapping(_ e164: String) -> String? {
        guard e164.hasPrefix("+") else { return nil }
        let digits = e164.dropFirst()
        guard digits.count == 11, digits.allSatisfy(\.isASCIIDigitCharacter) else { return nil }
        for legacy in ["37744", "37745", "38643", "38649"] where digits.hasPrefix(legacy) {
            return "+383" + digits.dropFirst(3)
        }
        return nil
    }

    // MARK: - Readings

    private struct Reading {
        var e164: String
        /// Nil when we hold no numbering plan for the country and only the length was checked.
        var kind: PhoneNumberKind?
        var checkedAgainstPlan: Bool
    }

    private enum Outcome {
        case reading(Reading)
        case failure(String)
    }

    private static func finish(_ outcome: Outcome, raw: String) -> PhoneNumberParse {
        switch outcome {
        case .reading(let reading): return .e164(reading.e164)
        case .failure(let reason): return .invalid(raw: raw, reason: reason)
        }
    }

    /// `digits` = calling code + NSN. Countries with a plan are validated against it (also
    /// forgiving a trunk `0` after the code, as in `+383 (0)44…`); others need 8–15 digits.
    private static func international(_ digits: Substring) -> Outcome {
        guard digits.count <= 15 else { return .failure("longer than 15 digits") }
        guard let code = CallingCodes.prefix(of: digits) else { return .failure("unknown calling code") }
        let nsn = digits.dropFirst(code.count)
        guard let plan = NumberingPlan.forCallingCode(code) else {
            guard digits.count >= 8 else { return .failure("shorter than 8 digits") }
            return .reading(Reading(e164: "+" + digits, kind: nil, checkedAgainstPlan: false))
        }
        if let kind = plan.kind(ofNationalNumber: nsn) {
            return .reading(Reading(e164: "+" + digits, kind: kind, checkedAgainstPlan: true))
        }
        if nsn.hasPrefix(plan.trunkPrefix) {
            let withoutTrunk = nsn.dropFirst(plan.trunkPrefix.count)
            if let kind = plan.kind(ofNationalNumber: withoutTrunk) {
                return .reading(Reading(e164: "+" + code + withoutTrunk, kind: kind, checkedAgainstPlan: true))
            }
        }
        return .failure("not a valid +\(code) number")
    }

    /// `digits` dialled inside `region`: with the trunk prefix (`044123456`) or without it.
    private static func national(_ digits: Substring, plan: NumberingPlan) -> Reading? {
        if digits.hasPrefix(plan.trunkPrefix) {
            let nsn = digits.dropFirst(plan.trunkPrefix.count)
            if let kind = plan.kind(ofNationalNumber: nsn) {
                return Reading(e164: "+" + plan.callingCode + nsn, kind: kind, checkedAgainstPlan: true)
            }
        }
        if let kind = plan.kind(ofNationalNumber: digits) {
            return Reading(e164: "+" + plan.callingCode + digits, kind: kind, checkedAgainstPlan: true)
        }
        return nil
    }

    private static func bareDigits(_ digits: Substring, region: String, typeOfNumber: TypeOfNumber, raw: String) -> PhoneNumberParse {
        let nationalReading = NumberingPlan.forRegion(region).flatMap { national(digits, plan: $0) }
        var internationalReading: Reading?
        if case .reading(let reading) = international(digits) { internationalReading = reading }

        if typeOfNumber == .national, let nationalReading { return .e164(nationalReading.e164) }
        let ranked: [Reading?] = [
            internationalReading.flatMap { $0.kind == .mobile ? $0 : nil },
            nationalReading.flatMap { $0.kind == .mobile ? $0 : nil },
            internationalReading.flatMap { $0.checkedAgainstPlan ? $0 : nil },
            nationalReading,
        ]
        if let best = ranked.lazy.compactMap({ $0 }).first { return .e164(best.e164) }
        return .invalid(raw: raw, reason: "no valid national (\(region)) or international reading")
    }

    // MARK: - Cleaning

    /// Every decimal digit (Arabic-Indic, Persian, …) as ASCII; NFKC already did full-width.
    private static func asciiDigits(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue {
                output.append(Unicode.Scalar(UInt8(48 + Int(value))))
            } else {
                output.append(scalar)
            }
        }
        return String(output)
    }

    /// Drops `tel:` / `sms:` and any URI parameters or query after the number.
    private static func withoutURIScheme(_ text: String) -> String {
        let lowered = text.lowercased()
        for scheme in ["tel:", "sms:"] where lowered.hasPrefix(scheme) {
            let rest = text.dropFirst(scheme.count)
            let number = rest.prefix { $0 != ";" && $0 != "?" && $0 != "," }
            return String(number)
        }
        return text
    }

    /// Spaces, the punctuation people group digits with, and invisible format characters
    /// (phones put LRM/RLM around numbers in Arabic text).
    private static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.properties.isWhitespace { return true }
        if scalar.properties.generalCategory == .format { return true }
        return "-.()/".unicodeScalars.contains(scalar)
    }
}
