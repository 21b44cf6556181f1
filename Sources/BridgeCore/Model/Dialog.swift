import Foundation

/// Where in an operator file something was written, so later checks can still point at it.
public struct SourceLocation: Sendable, Equatable, Hashable {
    public var file: String
    public var line: Int
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }
}

/// Whole-message words for one command: some in every language (`any`), some per language.
public struct KeywordWords: Sendable, Equatable {
    public var any: [String]
    public var byLanguage: [LanguageTag: [String]]
    public init(any: [String] = [], byLanguage: [LanguageTag: [String]] = [:]) {
        self.any = any
        self.byLanguage = byLanguage
    }

    public var all: [String] { any + byLanguage.keys.sorted().flatMap { byLanguage[$0] ?? [] } }
}

/// The conversation operators write in `Dialogs/*.yaml`: steps, every text in every language, keywords.
public struct Dialog: Sendable {
    public var id: String
    public var file: String
    public var languages: [LanguageTag]
    /// Idle seconds after which a half-finished report is dropped.
    public var sessionTimeout: TimeInterval
    public var steps: [DialogStep]
    /// How each language names itself; the first entry is shown, the others are accepted.
    public var languageNames: [LanguageTag: [String]]
    public var keywords: [KeywordID: KeywordWords]
    public var texts: [TextID: [LanguageTag: String]]
    /// Line of each text, for diagnostics.
    public var textLocations: [TextID: [LanguageTag: Int]]
    public var keywordLocations: [KeywordID: Int]

    public init(
        id: String, file: String, languages: [LanguageTag], sessionTimeout: TimeInterval, steps: [DialogStep],
        languageNames: [LanguageTag: [String]], keywords: [KeywordID: KeywordWords], texts: [TextID: [LanguageTag: String]],
        textLocations: [TextID: [LanguageTag: Int]] = [:], keywordLocations: [KeywordID: Int] = [:]
    ) {
        self.id = id
        self.file = file
        self.languages = languages
        self.sessionTimeout = sessionTimeout
        self.steps = steps
        self.languageNames = languageNames
        self.keywords = keywords
        self.texts = texts
        self.textLocations = textLocations
        self.keywordLocations = keywordLocations
    }

    public func step(_ id: StepID) -> DialogStep? { steps.first { $0.id == id } }

    public func text(_ id: TextID, _ language: LanguageTag) -> String {
        texts[id]?[language] ?? texts[id]?.values.sorted().first ?? ""
    }

    public func languageName(_ language: LanguageTag) -> String {
        languageNames[language]?.first ?? language.rawValue
    }

    public func location(of text: TextID, _ language: LanguageTag) -> SourceLocation {
        SourceLocation(file: file, line: textLocations[text]?[language] ?? 1)
    }
}
