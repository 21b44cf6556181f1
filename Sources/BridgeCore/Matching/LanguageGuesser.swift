import Foundation

/// Guesses which of a deployment's languages a first message is in, so the bridge can answer in
/// it without asking. Script decides when only one candidate writes it; otherwise letters that
/// only one language uses, vocabulary hits and Arabizi; otherwise the calling code, then the default.
public struct LanguageGuesser: Sendable {
    private let vocabulary: [LanguageTag: Set<String>]
    private let longestPhrase: Int

    /// - Parameter vocabulary: words and phrases per language that the deployment already knows
    ///   (category labels and synonyms, keywords, yes/no words), raw. Built-in function words are added.
    public init(vocabulary: [LanguageTag: [String]]) {
        var keys: [LanguageTag: Set<String>] = [:]
        var longest = 3
        for (tag, words) in vocabulary {
            for word in words {
                let key = TextNormalizer.matchKey(word)
                guard !key.isEmpty else { continue }
                keys[tag, default: []].insert(key)
                longest = max(longest, key.split(separator: " ").count)
            }
        }
        self.vocabulary = keys
        self.longestPhrase = min(longest, 6)
    }

    /// The candidate the text is most likely in.
    /// - Parameters:
    ///   - candidates: the deployment's languages, in its preferred order (first wins a tie).
    ///   - defaultLanguage: used when nothing else decides.
    ///   - callingCodeLanguage: the language of the sender's country code (`+383` → `sq`), if known.
    public func guess(
        _ text: String,
        among candidates: [LanguageTag],
        defaultLanguage: LanguageTag,
        callingCodeLanguage: LanguageTag?
    ) -> LanguageGuess {
        let fallback: LanguageGuess
        if let callingCodeLanguage, candidates.contains(callingCodeLanguage) {
            fallback = LanguageGuess(language: callingCodeLanguage, confidence: .callingCode)
        } else {
            fallback = LanguageGuess(language: defaultLanguage, confidence: .fallback)
        }
        guard !candidates.isEmpty else { return fallback }
        let phrases = phrasesOf(TextNormalizer.tokens(text))
        let dominant = TextNormalizer.dominantScript(text)

        // Script: Cyrillic or Arabic letters name the candidate that writes them.
        if let dominant, dominant != .latin {
            let writers = candidates.filter { $0.script == dominant }
            if !writers.isEmpty {
                let scores = writers.map { vocabularyScore(phrases, for: $0) }
                let best = scores.max() ?? 0
                let top = writers.indices.filter { scores[$0] == best }.map { writers[$0] }
                return LanguageGuess(language: preferred(top, fallback: fallback), confidence: .script)
            }
        }

        // Words: special letters, vocabulary and Arabizi, scored per language (sr-Latn and sr-Cyrl
        // score together; the text's script picks between them).
        let letters = specialLetterScores(text)
        let arabizi = phrases.unigrams.filter(ArabiziSkeleton.hasArabiziDigit).count
        var groupScores: [String: Int] = [:]
        var groupMembers: [String: [LanguageTag]] = [:]
        for candidate in candidates {
            var score = vocabularyScore(phrases, for: candidate)
            if candidate.script == .arabic {
                score += 2 * arabizi + phrases.all.filter(FunctionWords.darijaLatinKeys.contains).count
            } else {
                score += letters[candidate.primary, default: 0]
            }
            let group = candidate.script == .arabic ? "arabic" : candidate.primary
            groupScores[group] = max(groupScores[group] ?? 0, score)
            groupMembers[group, default: []].append(candidate)
        }
        let ranked = groupScores.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        guard let best = ranked.first, best.value > 0 else { return fallback }
        let second = ranked.count > 1 ? ranked[1].value : 0
        guard best.value >= 2 * second, best.value > second else { return fallback }
        let members = groupMembers[best.key] ?? []
        let scored = members.map { ($0, vocabularyScore(phrases, for: $0) + ($0.script == (dominant ?? .latin) ? 1 : 0)) }
        let top = scored.filter { $0.1 == scored.map(\.1).max() }.map(\.0)
        return LanguageGuess(language: preferred(top, fallback: fallback), confidence: .words)
    }

    // MARK: - Scoring

    private struct Phrases {
        var unigrams: [String]
        /// Every contiguous token run up to the longest configured phrase.
        var all: [String]
    }

    private func phrasesOf(_ tokens: [String]) -> Phrases {
        var all: [String] = []
        for start in tokens.indices {
            for length in 1...min(longestPhrase, tokens.count - start) {
                all.append(tokens[start..<(start + length)].joined(separator: " "))
            }
        }
        return Phrases(unigrams: tokens, all: all)
    }

    private func vocabularyScore(_ phrases: Phrases, for candidate: LanguageTag) -> Int {
        let configured = vocabulary[candidate] ?? []
        let builtIn = FunctionWords.keys[candidate.primary] ?? []
        // Darija words in Arabic script tell `ary` from MSA when a deployment offers both.
        let darija = candidate.primary == "ary" ? FunctionWords.darijaArabicKeys : []
        return phrases.all.filter { configured.contains($0) || builtIn.contains($0) || darija.contains($0) }.count
    }

    /// Letters only one candidate language writes, 2 points per occurrence, at most 6.
    /// `ç` is both Albanian and French, so it counts for both.
    private func specialLetterScores(_ text: String) -> [String: Int] {
        let lowered = CanonicalComposition.compose(text).lowercased()
        var scores: [String: Int] = [:]
        for character in lowered {
            var languages: [String] = []
            switch character {
            case "ë": languages = ["sq"]
            case "ç": languages = ["sq", "fr"]
            case "č", "ć", "š", "ž", "đ": languages = ["sr"]
            case "é", "è", "ê", "à", "ù", "â", "î", "ô", "û", "œ": languages = ["fr"]
            default: continue
            }
            for language in languages { scores[language] = min((scores[language] ?? 0) + 2, 6) }
        }
        return scores
    }

    /// Among equally good candidates: the calling-code or default language if it is one of them,
    /// else the first in the deployment's order.
    private func preferred(_ tied: [LanguageTag], fallback: LanguageGuess) -> LanguageTag {
        if tied.contains(fallback.language) { return fallback.language }
        return tied[0]
    }
}
