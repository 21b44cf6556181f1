/// Matches a reply in a choice state (category menu, confirmations with options) to one of N
/// numbered options, following §2.8: number, number word, exact label, containment, fuzzy, prefix.
///
/// Built once per dialog load, since normalising every synonym is the expensive part; `match` then
/// only normalises the reply. Keywords are the engine's job and are checked before this.
public struct ChoiceMatcher: Sendable {
    private struct Phrase: Sendable {
        var tokens: [String]
        /// Tokens as compared for containment (Arabic without its article).
        var containmentTokens: [String]
    }

    private struct IndexedOption: Sendable {
        var labelKeys: Set<String> = []
        var phrases: [Phrase] = []
        /// Distinct phrase tokens of 4+ characters, for the fuzzy tier.
        var fuzzyTokens: [[Unicode.Scalar]] = []
        /// Every distinct phrase token, for the prefix tier.
        var allTokens: [String] = []
    }

    private let options: [IndexedOption]

    public init(options: [ChoiceOption]) {
        self.options = options.map(Self.index)
    }

    /// The option count N; replies are numbered 1…N.
    public var count: Int { options.count }

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
            if reading.source == .digits {
                return options.indices.contains(value - 1) ? .option(index: value - 1, kind: .number) : .outOfRange(value)
            }
            if reading.source == .skeleton, let label = exactLabel(key) { return label }
            if options.indices.contains(value - 1) {
                return .option(index: value - 1, kind: .numberWord)
            }
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
        let hits = options.indices.filter { options[$0].labelKeys.contains(key) }
        switch hits.count {
        case 0: return nil
        case 1: return .option(index: hits[0], kind: .label)
        default: return .ambiguous(hits)
        }
    }

    /// Options with a whole phrase inside the reply as a contiguous token run. When several hit,
    /// the one explaining the most reply characters wins ("feu rouge" beats "trou"); a tie is ambiguous.
    private func containment(_ tokens: [String]) -> ChoiceMatch? {
        let answer = tokens.map(Self.containmentForm)
        var coverage: [(index: Int, characters: Int)] = []
        for (index, option) in options.enumerated() {
            var covered = Set<Int>()
            for phrase in option.phrases {
                let phraseTokens = phrase.containmentTokens
                guard phraseTokens.count <= answer.count else { continue }
                for start in 0...(answer.count - phraseTokens.count)
                where answer[start..<(start + phraseTokens.count)].elementsEqual(phraseTokens) {
                    covered.formUnion(start..<(start + phraseTokens.count))
                }
            }
            if !covered.isEmpty {
                coverage.append((index, covered.reduce(0) { $0 + tokens[$1].count }))
            }
        }
        guard let best = coverage.map(\.characters).max() else { return nil }
        let winners = coverage.filter { $0.characters == best }.map(\.index)
        return winners.count == 1 ? .option(index: winners[0], kind: .containment) : .ambiguous(winners)
    }

    /// Best edit distance per option over reply tokens × option tokens (4+ characters each side,
    /// thresholds of §2.8); the best option must beat the runner-up by at least one edit.
    private func fuzzy(_ tokens: [String]) -> ChoiceMatch? {
        let answer = tokens.filter { $0.unicodeScalars.count >= 4 }.map { Array($0.unicodeScalars) }
        guard !answer.isEmpty else { return nil }
        var best: [(index: Int, distance: Int)] = []
        for (index, option) in options.enumerated() {
            var optionBest: Int?
            for token in answer {
                for candidate in option.fuzzyTokens {
                    if let distance = TokenSimilarity.fuzzyDistance(token, candidate), distance < (optionBest ?? .max) {
                        optionBest = distance
                    }
                }
            }
            if let optionBest { best.append((index, optionBest)) }
        }
        guard let minimum = best.map(\.distance).min() else { return nil }
        let winners = best.filter { $0.distance == minimum }.map(\.index)
        return winners.count == 1 ? .option(index: winners[0], kind: .fuzzy) : .ambiguous(winners)
    }

    /// A reply token of 4+ characters that starts an option token ("kanal" → Kanalizimi).
    private func prefix(_ tokens: [String]) -> ChoiceMatch? {
        let stems = tokens.filter { $0.count >= 4 }
        guard !stems.isEmpty else { return nil }
        let hits = options.indices.filter { index in
            options[index].allTokens.contains { token in
                stems.contains { token.count > $0.count && token.hasPrefix($0) }
            }
        }
        switch hits.count {
        case 0: return nil
        case 1: return .option(index: hits[0], kind: .prefix)
        default: return .ambiguous(hits)
        }
    }

    // MARK: - Indexing

    private static func index(_ option: ChoiceOption) -> IndexedOption {
        var indexed = IndexedOption()
        var seenPhrases = Set<String>()
        var fuzzy = Set<String>()
        var all = Set<String>()
        for raw in option.phrases {
            for variant in variants(of: raw) {
                let key = TextNormalizer.matchKey(variant)
                guard !key.isEmpty, seenPhrases.insert(key).inserted else { continue }
                let tokens = key.split(separator: " ").map(String.init)
                indexed.labelKeys.insert(key)
                indexed.phrases.append(Phrase(tokens: tokens, containmentTokens: tokens.map(containmentForm)))
                for token in tokens {
                    all.insert(token)
                    if token.unicodeScalars.count >= 4 { fuzzy.insert(token) }
                }
            }
        }
        indexed.fuzzyTokens = fuzzy.sorted().map { Array($0.unicodeScalars) }
        indexed.allTokens = all.sorted()
        return indexed
    }

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
