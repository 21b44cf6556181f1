/// Resolves what residents call a place ("te Sheshi Skënderbeu", "kod stanice", "قرب ساحة محمد
/// الخامس") to a configured landmark, across scripts, spellings and declensions.
///
/// Names and aliases are compared on match keys, so Cyrillic and Latin, accents and Arabic letter
/// variants meet. Alias tokens match reply tokens exactly, without an Arabic article or clitic,
/// by stem (`stanica`/`stanice`, `Skenderbeu`/`Skenderbeut`) or within the §2.8 typo thresholds;
/// a whole alias found verbatim scores highest, but a longer alias that explains more of the
/// reply can still beat a short one found exactly inside it.
public struct Gazetteer: Sendable {
    private let landmarks: [Landmark]
    private let index: GazetteerIndex

    /// Landmarks whose scores are this close to the best are offered as candidates.
    private static let resolveMargin = 0.2
    /// In free text, a landmark within this share of the best window's score is a candidate too.
    private static let findShare = 0.9
    private static let maxCandidates = 5

    /// Normalises every name and alias once; a resolve is then lookups plus bounded edit distances
    /// against tokens of similar length only.
    public init(landmarks: [Landmark]) {
        self.landmarks = landmarks
        self.index = GazetteerIndex(landmarks: landmarks)
    }

    /// Reads an answer to "where is it?": mostly a place, perhaps with prepositions and fillers in
    /// any language. One clear winner is `found`; close scores (a shared alias) give `candidates`.
    public func resolve(_ answer: String) -> LandmarkResolution {
        let tokens = TextNormalizer.tokens(answer)
        // Prepositions and fillers explain nothing; place-type words ("rruga", "ساحة") do tell
        // "Rruga Nëna Terezë" from "Katedralja Nëna Terezë", so they stay in the answer's weight.
        let isFiller = tokens.map {
            (PlaceWords.fillerKeys.contains($0) || PlaceWords.connectorKeys.contains($0)) && !PlaceWords.genericKeys.contains($0)
        }
        let contentWeight = zip(tokens, isFiller).reduce(0.0) { $0 + ($1.1 ? 0 : Double($1.0.unicodeScalars.count)) }
        guard contentWeight > 0 else { return .notFound }
        let matches = tokens.map { index.matches(for: $0, freeText: false) }

        var best: [Int: Double] = [:]
        for aliasID in candidateAliases(matches) {
            guard let score = resolveScore(index.aliases[aliasID], tokens: tokens, isFiller: isFiller,
                                           contentWeight: contentWeight, matches: matches) else { continue }
            let landmark = index.aliases[aliasID].landmark
            best[landmark] = max(best[landmark] ?? 0, score)
        }
        return decide(best, isClose: { top, other in other >= top - Self.resolveMargin }).resolution
    }

    /// Looks for a landmark named anywhere in a longer message ("drita nuk punon te sheshi
    /// skenderbeu") and reports the part of the raw text that named it.
    public func find(in freeText: String) -> (landmark: LandmarkResolution, matchedText: String?) {
        let ranged = TextNormalizer.tokensWithRanges(freeText)
        let matches = ranged.map { index.matches(for: $0.token, freeText: true) }
        var best: [Int: (score: Double, window: Range<Int>)] = [:]
        for aliasID in candidateAliases(matches) {
            let alias = index.aliases[aliasID]
            guard alias.hasDistinctive, alias.tokens.count <= ranged.count else { continue }
            for start in 0...(ranged.count - alias.tokens.count) {
                guard let score = windowScore(alias, at: start, matches: matches) else { continue }
                if score > best[alias.landmark]?.score ?? 0 {
                    best[alias.landmark] = (score, start..<(start + alias.tokens.count))
                }
            }
        }
        let (resolution, winner) = decide(best.mapValues(\.score), isClose: { top, other in other >= top * Self.findShare })
        guard let winner, let window = best[winner]?.window else { return (resolution, nil) }
        let range = ranged[window.lowerBound].range.lowerBound..<ranged[window.upperBound - 1].range.upperBound
        return (resolution, Self.trimmed(freeText[range]))
    }

    // MARK: - Scoring

    private func candidateAliases(_ matches: [[Int: Double]]) -> [Int] {
        var ids = Set<Int>()
        for tokenMatches in matches {
            for tokenID in tokenMatches.keys where index.tokens[tokenID].isDistinctive {
                ids.formUnion(index.aliasesByToken[tokenID])
            }
        }
        return ids.sorted()
    }

    /// Alias coverage (how much of the alias the answer has) plus answer coverage (how much of the
    /// answer's content the alias explains), with a small bonus for the alias appearing verbatim.
    /// Answer coverage weighs more, so a long alias matched with one typo ("stacioni i trenitt")
    /// beats a short alias matched exactly inside it ("stacioni"). Nil when under half the alias
    /// matched or only its place-type words did.
    private func resolveScore(_ alias: GazetteerIndex.Alias, tokens: [String], isFiller: [Bool],
                              contentWeight: Double, matches: [[Int: Double]]) -> Double? {
        var used = Set<Int>()
        var aliasWeight = 0.0, answerWeight = 0.0
        var distinctive = false
        var positions: [Int] = []
        var allExact = true
        var last = -1
        for tokenID in alias.tokens {
            var choice: (position: Int, quality: Double)?
            for position in tokens.indices where !used.contains(position) {
                guard let quality = matches[position][tokenID] else { continue }
                if let current = choice {
                    let better = quality > current.quality
                        || (quality == current.quality && current.position < last && position > last)
                    if !better { continue }
                }
                choice = (position, quality)
            }
            guard let choice else {
                allExact = false
                continue
            }
            used.insert(choice.position)
            positions.append(choice.position)
            last = choice.position
            let token = index.tokens[tokenID]
            aliasWeight += token.weight * choice.quality
            if !isFiller[choice.position] {
                answerWeight += Double(tokens[choice.position].unicodeScalars.count) * choice.quality
            }
            if token.isDistinctive { distinctive = true }
            if choice.quality < GazetteerIndex.Quality.exact { allExact = false }
        }
        let aliasCoverage = aliasWeight / alias.totalWeight
        guard distinctive, aliasCoverage >= 0.5 else { return nil }
        let verbatim = allExact && positions == Array((positions.first ?? 0)..<((positions.first ?? 0) + positions.count))
        return aliasCoverage + 1.5 * answerWeight / contentWeight + (verbatim ? 0.25 : 0)
    }

    /// The alias as a contiguous run starting at `start`: every token must match, and at least one
    /// distinctive one. Weighted by token length so longer, more specific aliases win.
    private func windowScore(_ alias: GazetteerIndex.Alias, at start: Int, matches: [[Int: Double]]) -> Double? {
        var score = 0.0
        var exact = true
        var distinctive = false
        for (offset, tokenID) in alias.tokens.enumerated() {
            guard let quality = matches[start + offset][tokenID] else { return nil }
            let token = index.tokens[tokenID]
            score += token.weight * quality
            if quality < GazetteerIndex.Quality.exact { exact = false }
            if token.isDistinctive { distinctive = true }
        }
        return distinctive ? score + (exact ? 0.5 : 0) : nil
    }

    /// The resolution for landmark scores, and the index of the best landmark.
    private func decide(_ scores: [Int: Double], isClose: (Double, Double) -> Bool) -> (resolution: LandmarkResolution, best: Int?) {
        let ranked = scores.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        guard let top = ranked.first else { return (.notFound, nil) }
        let close = ranked.filter { isClose(top.value, $0.value) }
        if close.count == 1 { return (.found(landmarks[top.key]), top.key) }
        return (.candidates(close.prefix(Self.maxCandidates).map { landmarks[$0.key] }), top.key)
    }

    /// The matched raw text without punctuation stuck to its ends ("Skënderbeu!").
    private static func trimmed(_ text: Substring) -> String {
        let isWordCharacter: (Character) -> Bool = { $0.isLetter || $0.isNumber }
        guard let first = text.firstIndex(where: isWordCharacter),
              let last = text.lastIndex(where: isWordCharacter) else { return String(text) }
        return String(text[first...last])
    }
}
