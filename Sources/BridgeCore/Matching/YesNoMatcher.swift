/// Reads a reply as yes or no. The session language is asked first because the short words clash
/// across languages (§2.7): `ne` is "no" only in Serbian, `po` "yes" only in Albanian, `la` "no"
/// only in Arabic. Words from other languages count only when no configured language reads them
/// the other way and they are not on the language-specific list.
///
/// The digits `1`/`2` of a numbered yes/no prompt are the caller's business.
public struct YesNoMatcher: Sendable {
    private let byTag: [LanguageTag: [String: Bool]]
    private let byPrimary: [String: [String: Bool]]
    private let shared: [String: Bool]
    private let courtesy: Set<String>
    private let longestPhrase: Int

    /// - Parameters:
    ///   - yes: yes words per language, raw (any script).
    ///   - no: no words per language, raw.
    ///   - languageSpecific: words only the session language may interpret.
    ///   - courtesy: words that may accompany a yes or no ("faleminderit", "merci").
    public init(
        yes: [LanguageTag: [String]],
        no: [LanguageTag: [String]],
        languageSpecific: Set<String> = YesNoWords.languageSpecific,
        courtesy: [String] = YesNoWords.courtesy
    ) {
        var byTag: [LanguageTag: [String: Bool]] = [:]
        var meanings: [String: Set<Bool>] = [:]
        var longest = 1
        for (words, meaning) in [(yes, true), (no, false)] {
            for (tag, list) in words.sorted(by: { $0.key < $1.key }) {
                for word in list {
                    let key = TextNormalizer.matchKey(word)
                    guard !key.isEmpty else { continue }
                    byTag[tag, default: [:]][key] = meaning
                    meanings[key, default: []].insert(meaning)
                    longest = max(longest, key.split(separator: " ").count)
                }
            }
        }
        var byPrimary: [String: [String: Bool]] = [:]
        for (tag, table) in byTag.sorted(by: { $0.key < $1.key }) {
            byPrimary[tag.primary, default: [:]].merge(table) { first, _ in first }
        }
        let specific = Set(languageSpecific.map(TextNormalizer.matchKey))
        var shared: [String: Bool] = [:]
        for (key, set) in meanings where set.count == 1 && !specific.contains(key) {
            shared[key] = set.first
        }
        let courtesyKeys = Set(courtesy.map(TextNormalizer.matchKey).filter { !$0.isEmpty })
        for key in courtesyKeys { longest = max(longest, key.split(separator: " ").count) }
        self.byTag = byTag
        self.byPrimary = byPrimary
        self.shared = shared
        self.courtesy = courtesyKeys
        self.longestPhrase = longest
    }

    /// The reference vocabulary of `YesNoWords`.
    public static let standard = YesNoMatcher(yes: YesNoWords.yes, no: YesNoWords.no)

    /// True for yes, false for no, nil when the reply is neither, mixes both, or has other words
    /// ("ne znam" is not a no). Courtesy words and repetition are allowed ("po po", "non merci").
    public func match(_ raw: String, language: LanguageTag) -> Bool? {
        let session = byTag[language] ?? byPrimary[language.primary] ?? [:]
        for key in TextNormalizer.keyVariants(raw) {
            if let answer = match(tokens: key.split(separator: " ").map(String.init), session: session) { return answer }
        }
        return nil
    }

    private func match(tokens: [String], session: [String: Bool]) -> Bool? {
        guard !tokens.isEmpty else { return nil }
        var sawYes = false, sawNo = false
        var index = 0
        covering: while index < tokens.count {
            for length in stride(from: min(longestPhrase, tokens.count - index), through: 1, by: -1) {
                let phrase = tokens[index..<(index + length)].joined(separator: " ")
                if let meaning = session[phrase] ?? shared[phrase] {
                    if meaning { sawYes = true } else { sawNo = true }
                    index += length
                    continue covering
                }
                if courtesy.contains(phrase) {
                    index += length
                    continue covering
                }
            }
            return nil
        }
        return sawYes == sawNo ? nil : sawYes
    }
}
