/// What kind of line a national number is, as libphonenumber classifies it. Replies go to
/// mobiles; the kind also decides between two readings of the same bare digits.
enum PhoneNumberKind: Sendable, Equatable {
    case fixedLine, mobile, tollFree, premiumRate, sharedCost, voip, uan
}

/// Numbering-plan facts for the regions the bridge meets (reference §4.1), taken from
/// libphonenumber metadata (`phonenumbers` 9.0.43). Patterns match the whole national
/// significant number (NSN, without trunk prefix or calling code).
///
/// Kept by hand rather than as a dependency: six regions are enough for Kosovo (with Serbian
/// SIMs and the legacy Monaco/Slovenia codes) and Casablanca (with French visitors).
struct NumberingPlan: Sendable {
    let region: String
    /// Digits, no `+`.
    let callingCode: String
    /// Dialled before the NSN inside the country (`0` in all regions here).
    let trunkPrefix: String
    /// Dialled before a calling code from inside the country.
    let internationalPrefix: String
    /// Checked in order; each test is a whole-string regex literal, so a typo in a pattern
    /// fails the build rather than a lookup. (`Regex` values aren't `Sendable`, closures are.)
    let patterns: [(kind: PhoneNumberKind, matches: @Sendable (Substring) -> Bool)]

    /// A whole-string test built once per pattern. A regex literal written inside the test closure is parsed again on
    /// every call (it was 20% of a webhook's CPU: every inbound number is normalised twice); this one is parsed when the
    /// plan is first used. The regex is never mutated after creation and its compiled program is cached thread-safely by
    /// the standard library, so sharing it across threads is safe although `Regex` is not declared `Sendable`.
    static func whole(_ regex: Regex<Substring>) -> @Sendable (Substring) -> Bool {
        nonisolated(unsafe) let regex = regex
        return { $0.wholeMatch(of: regex) != nil }
    }

    func kind(ofNationalNumber nsn: Substring) -> PhoneNumberKind? {
        guard nsn.allSatisfy(\.isASCIIDigitCharacter) else { return nil }
        return patterns.first { $0.matches(nsn) }?.kind
    }

    static func forRegion(_ region: String) -> NumberingPlan? {
        all.first { $0.region == region.uppercased() }
    }

    static func forCallingCode(_ callingCode: Substring) -> NumberingPlan? {
        all.first { $0.callingCode == callingCode }
    }

    static let all: [NumberingPlan] = [kosovo, serbia, morocco, france, monaco, slovenia]

    /// Kosovo. Fixed NSNs starting 38 may be 8–12 digits, which is why bare `38344123456`
    /// also reads as a valid *fixed* Kosovo number.
    static let kosovo = NumberingPlan(
        region: "XK", callingCode: "383", trunkPrefix: "0", internationalPrefix: "00",
        patterns: [
            (.mobile, whole(#/4[3-9]\d{6}/#)),
            (.fixedLine, whole(#/38\d{6,10}|(?:2[89]|39)(?:0\d{5,6}|[1-9]\d{5})/#)),
            (.tollFree, whole(#/800\d{5}/#)),
            (.premiumRate, whole(#/900\d{5}/#)),
        ])

    /// Serbia: Kosovo Serbs often keep Serbian SIMs (+381 6x).
    static let serbia = NumberingPlan(
        region: "RS", callingCode: "381", trunkPrefix: "0", internationalPrefix: "00",
        patterns: [
            (.mobile, whole(#/6(?:[0-689]|7\d)\d{6,7}/#)),
            (.fixedLine, whole(#/(?:11[1-9]\d|(?:2[389]|39)(?:0[2-9]|[2-9]\d))\d{3,8}|(?:1[02-9]|2[0-24-7]|3[0-8])[2-9]\d{4,9}/#)),
            (.tollFree, whole(#/800\d{3,9}/#)),
            (.premiumRate, whole(#/(?:78\d|90[0169])\d{3,7}/#)),
            (.uan, whole(#/7[06]\d{4,10}/#)),
        ])

    /// Morocco: 9-digit NSNs since 2009; mobiles start 6 or 7, fixed lines 5.
    static let morocco = NumberingPlan(
        region: "MA", callingCode: "212", trunkPrefix: "0", internationalPrefix: "00",
        patterns: [
            (.mobile, whole(#/(?:6(?:[0-79]\d|8[0-247-9])|7(?:[016-8]\d|2[0-8]|3[01]|5[0-5]))\d{6}/#)),
            (.fixedLine, whole(#/5(?:(?:18|4[0679]|5[03])\d|2(?:[0-25-79]\d|3[1-578]|4[02-46-8]|8[0235-9])|3(?:[0-47]\d|5[02-9]|6[02-8]|8[014-9]|9[3-9]))\d{5}/#)),
            (.tollFree, whole(#/80[0-7]\d{6}/#)),
            (.premiumRate, whole(#/89\d{7}/#)),
            (.voip, whole(#/(?:592(?:4[0-2]|93)|80[89]\d\d)\d{4}/#)),
        ])

    /// France: visitors and diaspora in Morocco.
    static let france = NumberingPlan(
        region: "FR", callingCode: "33", trunkPrefix: "0", internationalPrefix: "00",
        patterns: [
            (.mobile, whole(#/(?:6(?:[0-24-8]\d|3[0-8]|9[589])|7[3-9]\d)\d{6}/#)),
            (.fixedLine, whole(#/(?:26[013-9]|59[1-35-9])\d{6}|(?:[13]\d|2[0-57-9]|4[1-9]|5[0-8])\d{7}/#)),
            (.tollFree, whole(#/80[0-5]\d{6}/#)),
            (.premiumRate, whole(#/836(?:0[0-36-9]|[1-9]\d)\d{4}|8(?:1[2-9]|2[2-47-9]|3[0-57-9]|[569]\d|8[0-35-9])\d{6}/#)),
            (.sharedCost, whole(#/8(?:1[01]|2[0156]|4[024]|84)\d{6}/#)),
            (.voip, whole(#/9\d{8}/#)),
            (.uan, whole(#/80[6-9]\d{6}/#)),
        ])

    /// Monaco: before 2017 Vala's Kosovo mobiles were +377 44/45, and the metadata still lists
    /// those ranges as Monegasque mobiles.
    static let monaco = NumberingPlan(
        region: "MC", callingCode: "377", trunkPrefix: "0", internationalPrefix: "00",
        patterns: [
            (.mobile, whole(#/4(?:[46]\d|5[1-9])\d{5}|(?:3|[67]\d)\d{7}/#)),
            (.fixedLine, whole(#/(?:870|9[2-47-9]\d)\d{5}/#)),
            (.tollFree, whole(#/(?:800|90\d)\d{5}/#)),
        ])

    /// Slovenia: IPKO's Kosovo mobiles were +386 49 (invalid for Slovenia today), the MVNOs'
    /// +386 43 (still a valid Slovenian mobile range).
    static let slovenia = NumberingPlan(
        region: "SI", callingCode: "386", trunkPrefix: "0", internationalPrefix: "00",
        patterns: [
            (.mobile, whole(#/65(?:[178]\d|5[56]|6[01])\d{4}|(?:[37][01]|4[013]|51|6[489])\d{6}/#)),
            (.fixedLine, whole(#/(?:[1-357][2-8]|4[24-8])\d{6}/#)),
            (.tollFree, whole(#/80\d{4,6}/#)),
            (.premiumRate, whole(#/89[1-3]\d{2,5}|90\d{4,6}/#)),
            (.voip, whole(#/(?:59\d\d|8(?:1(?:[67]\d|8[0-589])|2(?:0\d|2[0-37-9]|8[0-2489])|3[389]\d))\d{4}/#)),
        ])
}

extension Character {
    /// `0`–`9` only; `Character.isNumber` would also accept `٣` and `½`.
    var isASCIIDigitCharacter: Bool { isASCII && isWholeNumber }
}
