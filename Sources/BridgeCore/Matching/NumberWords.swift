/// Reads a whole message as one number (§2.7, §2.8 steps 1–2).
///
/// Digits inside a token that has letters are letters (`sb3a` is 7, never 3), and a number is only
/// recognised when it is the whole message, optionally after a prefix word ("nr. 1", "#1", "رقم 1").
public enum NumberWords {
    /// How a number was written; choice matching reports digits and words differently.
    enum Source: Equatable, Sendable {
        case digits, word, skeleton
    }

    struct Reading: Equatable, Sendable {
        var answer: NumberAnswer
        var source: Source?
    }

    /// The number 1–10 the whole message stands for, in digits or a number word of any language
    /// (Arabizi spellings via their consonant skeleton), or nil.
    public static func value(of raw: String) -> Int? {
        if case .number(let value) = number(in: raw), (1...10).contains(value) { return value }
        return nil
    }

    /// The message as a number answer; numbers beyond `Int` are clamped to `Int.max`.
    public static func number(in raw: String) -> NumberAnswer {
        read(key: TextNormalizer.matchKey(raw)).answer
    }

    /// Reads an already normalised match key.
    static func read(key: String) -> Reading {
        let tokens = key.split(separator: " ").map(String.init)
        guard !tokens.isEmpty else { return Reading(answer: .none) }

        // 1. Digits, optionally after a prefix word, possibly glued ("nr1", "no1").
        var body = tokens
        if body.count >= 2, NumberWordTable.digitPrefixes.contains(body[0]), TokenSimilarity.isAllDigits(body[1]) {
            body.removeFirst()
        }
        if body.count == 1, let digits = digitsAfterPrefix(body[0]) {
            return Reading(answer: .number(integer(digits)), source: .digits)
        }
        if tokens.filter({ TokenSimilarity.isAllDigits($0) }).count >= 2 {
            return Reading(answer: .severalNumbers)
        }

        // 2. Number words, exact, over every language; an unambiguous prefix word may precede them.
        if let value = NumberWordTable.byKey[key] {
            return Reading(answer: .number(value), source: .word)
        }
        if tokens.count >= 2, NumberWordTable.wordPrefixes.contains(tokens[0]),
           let value = NumberWordTable.byKey[tokens.dropFirst().joined(separator: " ")] {
            return Reading(answer: .number(value), source: .word)
        }
        if tokens.count >= 2,
           tokens.allSatisfy({ TokenSimilarity.isAllDigits($0) || NumberWordTable.byKey[$0] != nil }) {
            return Reading(answer: .severalNumbers)
        }

        // 3. Arabizi skeleton: single token only, and only after the exact lookup failed.
        if tokens.count == 1, let value = skeletonValue(tokens[0]) {
            return Reading(answer: .number(value), source: .skeleton)
        }
        return Reading(answer: .none)
    }

    /// The Darija number a single Latin token spells, by consonant skeleton.
    ///
    /// Two-consonant skeletons collide with ordinary words (`hada` "this" → `hd`, `sir` "go" → `sr`),
    /// so beyond the §2.6 rules the token must also either write a letter with a digit (`wa7d`,
    /// `sab3a`) or be within the fuzzy threshold of a listed spelling (`wahad`, `khmsa`).
    static func skeletonValue(_ token: String) -> Int? {
        guard token.count >= 2, ArabiziSkeleton.isCandidate(token) else { return nil }
        guard let entry = NumberWordTable.bySkeleton[ArabiziSkeleton.skeleton(of: token)] else { return nil }
        if ArabiziSkeleton.hasArabiziDigit(token) { return entry.value }
        let key = KeyToken(token)
        let close = entry.spellings.contains { TokenSimilarity.fuzzyDistance(key, $0) != nil }
        return close ? entry.value : nil
    }

    private static func digitsAfterPrefix(_ token: String) -> Substring? {
        if TokenSimilarity.isAllDigits(token) { return token[...] }
        for prefix in NumberWordTable.digitPrefixes where token.hasPrefix(prefix) {
            let rest = token.dropFirst(prefix.count)
            if TokenSimilarity.isAllDigits(rest) { return rest }
        }
        return nil
    }

    private static func integer(_ digits: Substring) -> Int {
        Int(digits) ?? Int.max
    }
}
