/// Matches a reply in a choice state (category menu, confirmations with options) to one of N
/// numbered options, following §2.8: number, number word, exact label, containment, fuzzy, prefix.
///
/// Built once per dialog load, since normalising every synonym is the expensive part; `match` then
/// only normalises the reply and does dictionary lookups plus a few bounded edit distances.
/// Keywords are the engine's job and are checked before this.
public struct ChoiceMatcher: Sendable {
    private struct Phrase: Sendable {
        var option: Int
        /// Tokens as compared for containment (Arabic without its article).
        var tokens: [String]
    }

    private struct OptionToken: Sendable {
        var option: Int
        var token: KeyToken
    }

    private let optionCount: Int
    /// Label or synonym key → options that list it.
    private let optionsByLabel: [String: [Int]]
    /// Phrases by their first containment token.
    private let phrasesByFirstToken: [String: [Phrase]]
    /// Distinct option tokens of 4+ characters by length, for the fuzzy tier.
    private let fuzzyTokensByLength: [Int: [OptionToken]]
    /// Every distinct option token, for the prefix tier.
    private let allTokens: [OptionToken]

    /// Normalises every label and synonym once, so per-message matching stays cheap.
    /// - Parameter options: in menu order; the resident sees them numbered 1…N.
    public init(options: [ChoiceOption]) {
        var byLabel: [String: [Int]] = [:]
        var byFirst: [String: [Phrase]] = [:]
        var byLength: [Int: [OptionToken]] = [:]
        var all: [OptionToken] = []
        for (index, option) in options.enumerated() {
            var seenPhrases = Set<String>()
            var seenTokens = Set<String>()
            for raw in option.phrases {
                for variant in Self.variants(of: raw) {
                    let key = TextNormalizer.matchKey(variant)
                    guard !key.isEmpty, seenPhrases.insert(key).inserted else { continue }
                    byLabel[key, default: []].append(index)
                    let tokens = key.split(separator: " ").map(String.init)
                    let containmentTokens = tokens.map(Self.containmentForm)
                    byFirst[containmentTokens[0], default: []].append(Phrase(option: index, tokens: containmentTokens))
                    for token in tokens where seenTokens.insert(token).inserted {
                        let prepared = OptionToken(option: index, token: KeyToken(token))
                        all.append(prepared)
                        if prepared.token.count >= 4 { byLength[prepared.token.count, default: []].append(prepared) }
                    }
                }
            }
        }
        self.optionCount = options.count
        self.optionsByLabel = byLabel
        self.phrasesByFirstToken = byFirst
        self.fuzzyTokensByLength = byLength
        self.allTokens = all
    }

    /// The option count N; replies are numbered 1…N.
    public var count: Int { optionCount }

    /// The option a raw reply picks. A reply with mixed-script lookalikes that finds nothing is
    /// retried without homoglyph repair (see `TextNormalizer.keyVariants`).
    public func match(_ raw: String) -> ChoiceMatch {
        let keys = TextNormalizer.keyVariants(raw)
        let first = match(key: keys[0])
        guard first == .noMatch, keys.count > 1 else { return first }
        let second = match(key: keys[1])
        return second.isOption ? second : first
    }

    private func match(key: String) -> ChoiceMatch {
        guard !key.isEmpty else { return .empty }

        // 1–2. Numbers and number words.
        let reading = NumberWords.read(key: key)
        switch reading.answer {
        case .number(let value):
            let inRange = (1...max(optionCount, 1)).contains(value) && optionCount > 0
            if reading.source == .digits {
                return inRange ? .option(index: value - 1, kind: .number) : .outOfRange(value)
            }
            if reading.source == .skeleton, let label = exactLabel(key) { return label }
            if inRange { return .option(index: value - 1, kind: .numberWord) }
            return exactLabel(key) ?? .outOfRange(value)
        case .severalNumbers:
            return .noMatch
        case .none:
            break
        }

        let tokens = key.split(separator: " ").map(String.init)
        // A number followed by text ("1 Sent from my…", "1 gropa") is invalid in a choice state.
        if let first = tokens.first, TokenSimilarity.isAllDigits(first)
            || (tokens.count > 1 && NumberWordTable.digitPrefixes.contains(first) && TokenSimilarity.isAllDigits(tokens[1])) {
            return .noMatch
        }

        // 3. Exact label or synonym.
        if let label = exactLabel(key) { return label }
        // 4. Token containment.
        if let contained = containment(tokens) { return contained }
        // 5. Fuzzy.
        if let fuzzy = fuzzy(tokens) { return fuzzy }
        // 6. Unique prefix.
        return prefix(tokens) ?? .noMatch
    }

    // MARK: - Tiers

    private func exactLabel(_ key: String) -> ChoiceMatch? {
        guard let hits = optionsByLabel[key] else { return nil }
        return hits.count == 1 ? .option(index: hits[0], kind: .label) : .ambiguous(hits)
    }

    /// Options with a whole phrase inside the reply as a contiguous token run. When several hit,
    /// the one explaining the most reply characters wins ("feu rouge" beats "trou"); a tie is ambiguous.
    private func containment(_ tokens: [String]) -> ChoiceMatch? {
        let answer = tokens.map(Self.containmentForm)
        var covered: [Int: Set<Int>] = [:]
        for start in answer.indices {
            for phrase in phrasesByFirstToken[answer[start]] ?? []
            where start + phrase.tokens.count <= answer.count
                && answer[start..<(start + phrase.tokens.count)].elementsEqual(phrase.tokens) {
                covered[phrase.option, default: []].formUnion(start..<(start + phrase.tokens.count))
            }
        }
        let characters = covered.mapValues { $0.reduce(0) { $0 + tokens[$1].count } }
        guard let best = characters.values.max() else { return nil }
        let winners = characters.filter { $0.value == best }.map(\.key).sorted()
        return winners.count == 1 ? .option(index: winners[0], kind: .containment) : .ambiguous(winners)
    }

    /// Best edit distance per option over reply tokens × option tokens (4+ characters each side,
    /// thresholds of §2.8); the best option must beat the runner-up by at least one edit.
    private func fuzzy(_ tokens: [String]) -> ChoiceMatch? {
        var best: [Int: Int] = [:]
        for token in tokens where token.unicodeScalars.count >= 4 {
            let key = KeyToken(token)
            for length in (key.count - 2)...(key.count + 2) {
                for candidate in fuzzyTokensByLength[length] ?? [] {
                    if let distance = TokenSimilarity.fuzzyDistance(key, candidate.token),
                       distance < best[candidate.option] ?? .max {
                        best[candidate.option] = distance
                    }
                }
            }
        }
        guard let minimum = best.values.min() else { return nil }
        let winners = best.filter { $0.value == minimum }.map(\.key).sorted()
        return winners.count == 1 ? .option(index: winners[0], kind: .fuzzy) : .ambiguous(winners)
    }

    /// A reply token of 4+ characters that starts an option token ("kanal" → Kanalizimi).
    private func prefix(_ tokens: [String]) -> ChoiceMatch? {
        let stems = tokens.filter { $0.unicodeScalars.count >= 4 }.map(KeyToken.init)
        guard !stems.isEmpty else { return nil }
        var hits = Set<Int>()
        for candidate in allTokens where !hits.contains(candidate.option) {
            if stems.contains(where: { candidate.token.count > $0.count && candidate.token.scalars.starts(with: $0.scalars) }) {
                hits.insert(candidate.option)
            }
        }
        let sorted = hits.sorted()
        switch sorted.count {
        case 0: return nil
        case 1: return .option(index: sorted[0], kind: .prefix)
        default: return .ambiguous(sorted)
        }
    }

    // MARK: - Indexing

    /// The phrase itself and, for labels like "Rrugë/gropa" or "Déchets / ordures", each part.
    private static func variants(of raw: String) -> [String] {
        let parts = raw.split(whereSeparator: { $0 == "/" || $0 == "|" }).map(String.init)
        return parts.count > 1 ? [raw] + parts : [raw]
    }

    /// Arabic tokens compare without their article ("الحفرة" meets the synonym "حفرة").
    private static func containmentForm(_ token: String) -> String {
        ArabicFolding.withoutArticle(token) ?? token
    }
}

private extension ChoiceMatch {
    var isOption: Bool {
        if case .option = self { return true }
        return false
    }
}
