/// The matchers a deployment needs for every message, compiled once from its files.
public struct DeploymentMatching: Sendable {
    public let categories: ChoiceMatcher
    public let keywords: KeywordMatcher
    public let yesNo: YesNoMatcher
    public let gazetteer: Gazetteer
    public let languageGuesser: LanguageGuesser
    /// Language menu entries: every accepted name, with the language it picks.
    let languageNames: [(key: String, language: LanguageTag)]

    init(dialog: Dialog, categories: [Category], landmarks: [Landmark], languages: [LanguageTag]) {
        self.categories = ChoiceMatcher(options: categories.map { ChoiceOption(phrases: $0.allPhrases) })
        var words: [String: [String]] = [:]
        for id in KeywordID.allCases where id.isCommand {
            words[id.rawValue] = dialog.keywords[id]?.all ?? []
        }
        self.keywords = KeywordMatcher(words: words, argumentKeywords: [KeywordID.status.rawValue])
        var yes: [LanguageTag: [String]] = [:]
        var no: [LanguageTag: [String]] = [:]
        for language in dialog.languages {
            yes[language] = (dialog.keywords[.yes]?.byLanguage[language] ?? []) + (dialog.keywords[.yes]?.any ?? [])
            no[language] = (dialog.keywords[.no]?.byLanguage[language] ?? []) + (dialog.keywords[.no]?.any ?? [])
        }
        self.yesNo = YesNoMatcher(yes: yes, no: no)
        self.gazetteer = Gazetteer(landmarks: landmarks)
        var vocabulary: [LanguageTag: [String]] = [:]
        for language in languages {
            var list: [String] = []
            for category in categories {
                list.append(contentsOf: category.synonyms[language] ?? [])
                if let label = category.labels[language] { list.append(label) }
            }
            for (_, words) in dialog.keywords { list.append(contentsOf: words.byLanguage[language] ?? []) }
            for landmark in landmarks { if let name = landmark.names[language] { list.append(name) } }
            vocabulary[language] = list
        }
        self.languageGuesser = LanguageGuesser(vocabulary: vocabulary)
        self.languageNames = languages.flatMap { language in
            (dialog.languageNames[language] ?? [language.rawValue]).map { (TextNormalizer.matchKey($0), language) }
        }
    }
}
