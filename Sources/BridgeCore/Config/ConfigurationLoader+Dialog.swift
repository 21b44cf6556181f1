import Foundation

extension ConfigurationLoader {
    mutating func loadDialog(_ path: String, referencedFrom: (file: String, line: Int)) -> Dialog? {
        if let cached = dialogCache(path) { return cached }
        let file = YAMLFile.load(path, into: &diagnostics, referencedFrom: referencedFrom)
        let dialog = file.root.flatMap { parseDialog($0, file: file.path) }
        storeDialog(dialog, for: path)
        return dialog
    }

    private mutating func parseDialog(_ root: YAMLValue, file: String) -> Dialog? {
        let what = "a dialog"
        root.checkKeys(["id", "languages", "session_timeout", "steps", "language_names", "keywords", "texts"], in: what, &diagnostics)
        let id = root.requiredString("id", in: what, &diagnostics) ?? "dialog"
        guard let languageList = root["languages"] else {
            diagnostics.report(file, root.line, "\(what) needs 'languages': the language variants its texts are written in")
            return nil
        }
        let languages = languageList.stringList(in: "'languages'", &diagnostics).map { LanguageTag($0) }
        if languages.isEmpty {
            diagnostics.report(file, languageList.line, "'languages' must list at least one language")
            return nil
        }

        var timeout: TimeInterval = 30 * 60
        if let value = root["session_timeout"] {
            if let text = value.string, let seconds = Self.parseDuration(text), seconds > 0 {
                timeout = seconds
            } else {
                diagnostics.report(file, value.line, "'session_timeout' must be a duration such as 90s, 30m or 2h")
            }
        }

        let steps = parseSteps(root["steps"], file: file, rootLine: root.line)

        var languageNames: [LanguageTag: [String]] = [:]
        if let value = root["language_names"] {
            for entry in value.mapping ?? [] {
                let names = entry.value.stringList(in: "language_names.\(entry.key)", &diagnostics)
                if names.isEmpty { diagnostics.report(file, entry.keyLine, "language_names.\(entry.key) needs a name") }
                languageNames[LanguageTag(entry.key)] = names
            }
        }
        for language in languages where languageNames[language] == nil {
            diagnostics.report(file, root.keyLine("language_names"), "language_names has no entry for '\(language)': the language menu shows it")
        }

        var keywords: [KeywordID: KeywordWords] = [:]
        var keywordLocations: [KeywordID: Int] = [:]
        if let value = root["keywords"] {
            for entry in value.mapping ?? [] {
                guard let keyword = KeywordID(rawValue: entry.key) else {
                    diagnostics.report(file, entry.keyLine, "unknown keyword '\(entry.key)' (known: \(KeywordID.allCases.map(\.rawValue).joined(separator: ", ")))")
                    continue
                }
                var words = KeywordWords()
                for group in entry.value.mapping ?? [] {
                    let list = group.value.stringList(in: "keywords.\(entry.key).\(group.key)", &diagnostics)
                    if group.key == "any" {
                        words.any = list
                    } else {
                        let language = LanguageTag(group.key)
                        if !languages.contains(language) {
                            diagnostics.report(file, group.keyLine, "keywords.\(entry.key) has words for '\(group.key)', which is not in 'languages'")
                        }
                        words.byLanguage[language] = list
                    }
                }
                keywords[keyword] = words
                keywordLocations[keyword] = entry.keyLine
            }
        }
        for keyword in KeywordID.allCases where keywords[keyword]?.all.isEmpty ?? true {
            diagnostics.report(file, root.keyLine("keywords"), "keywords.\(keyword.rawValue) has no words: residents need a way to say it")
        }

        var texts: [TextID: [LanguageTag: String]] = [:]
        var textLocations: [TextID: [LanguageTag: Int]] = [:]
        if let value = root["texts"], let entries = value.mapping {
            for entry in entries {
                guard let textID = TextID(rawValue: entry.key) else {
                    diagnostics.report(file, entry.keyLine, "unknown text '\(entry.key)' (known texts are listed in Dialogs/README.md)")
                    continue
                }
                for variant in entry.value.mapping ?? [] {
                    let language = LanguageTag(variant.key)
                    guard let text = variant.value.string, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                        diagnostics.report(file, variant.keyLine, "texts.\(entry.key).\(variant.key) must be a non-empty text")
                        continue
                    }
                    if !languages.contains(language) {
                        diagnostics.report(file, variant.keyLine, "texts.\(entry.key) has a text in '\(variant.key)', which is not in 'languages'")
                    }
                    for placeholder in Self.placeholders(in: text) where !textID.placeholders.contains(placeholder) {
                        let allowed = textID.placeholders.isEmpty ? "none" : textID.placeholders.sorted().map { "{\($0)}" }.joined(separator: " ")
                        diagnostics.report(file, variant.value.line, "texts.\(entry.key).\(variant.key) uses unknown placeholder {\(placeholder)} (allowed: \(allowed))")
                    }
                    texts[textID, default: [:]][language] = text
                    textLocations[textID, default: [:]][language] = variant.value.line
                }
                if entry.value.mapping == nil {
                    diagnostics.report(file, entry.keyLine, "texts.\(entry.key) must map each language to its text")
                }
            }
            for textID in TextID.allCases {
                let line = entries.first { $0.key == textID.rawValue }?.keyLine ?? root.keyLine("texts")
                for language in languages where texts[textID]?[language] == nil {
                    diagnostics.report(file, line, "text '\(textID.rawValue)' is missing in '\(language)'")
                }
            }
        } else {
            diagnostics.report(file, root.line, "\(what) needs 'texts': every text in every language")
        }
        if let menu = texts[.languageMenu] {
            for (language, text) in menu where !text.contains("{menu}") {
                diagnostics.report(file, textLocations[.languageMenu]?[language] ?? 1, "texts.language_menu.\(language) must contain {menu}")
            }
        }
        for textID in [TextID.categoryQuestion, .landmarkChoice] {
            for (language, text) in texts[textID] ?? [:] where !text.contains("{menu}") {
                diagnostics.report(file, textLocations[textID]?[language] ?? 1, "texts.\(textID.rawValue).\(language) must contain {menu}")
            }
        }

        return Dialog(
            id: id, file: file, languages: languages, sessionTimeout: timeout, steps: steps, languageNames: languageNames,
            keywords: keywords, texts: texts, textLocations: textLocations, keywordLocations: keywordLocations)
    }

    private mutating func parseSteps(_ value: YAMLValue?, file: String, rootLine: Int) -> [DialogStep] {
        guard let value, let items = value.sequence, !items.isEmpty else {
            diagnostics.report(file, value?.line ?? rootLine, "'steps' must list the steps in order (language, category, landmark, description, confirm)")
            return []
        }
        var steps: [DialogStep] = []
        for item in items {
            item.checkKeys(["id", "retries", "after_retries", "min_length", "max_length"], in: "a step", &diagnostics)
            guard let raw = item.requiredString("id", in: "a step", &diagnostics) else { continue }
            guard let id = StepID(rawValue: raw) else {
                diagnostics.report(file, item.keyLine("id"), "unknown step '\(raw)' (known steps: \(StepID.allCases.map(\.rawValue).joined(separator: ", ")))")
                continue
            }
            if steps.contains(where: { $0.id == id }) {
                diagnostics.report(file, item.line, "step '\(raw)' appears twice")
                continue
            }
            var step = DialogStep(id: id)
            step.retries = item.optionalInt("retries", in: "step '\(raw)'", range: 0...10, &diagnostics) ?? 2
            step.afterRetries = Self.defaultFallback(for: id)
            if let fallbackValue = item["after_retries"] {
                if let fallback = fallbackValue.string.flatMap(Self.parseFallback) {
                    if Self.fallback(fallback, fits: id) {
                        step.afterRetries = fallback
                        afterRetriesLines[file + "#" + id.rawValue] = fallbackValue.line
                    } else {
                        diagnostics.report(file, fallbackValue.line, "'after_retries: \(fallbackValue.string ?? "")' does not apply to step '\(raw)' (\(Self.fallbackHelp(for: id)))")
                    }
                } else {
                    diagnostics.report(file, fallbackValue.line, "'after_retries' must be one of: default, choose <id>, keep-text, restart, end")
                }
            }
            step.minLength = item.optionalInt("min_length", in: "step '\(raw)'", range: 1...1000, &diagnostics) ?? 3
            step.maxLength = item.optionalInt("max_length", in: "step '\(raw)'", range: 1...1600, &diagnostics) ?? 500
            if step.minLength > step.maxLength {
                diagnostics.report(file, item.line, "step '\(raw)': min_length is larger than max_length")
            }
            steps.append(step)
        }
        if let confirm = steps.firstIndex(where: { $0.id == .confirm }), confirm != steps.count - 1 {
            diagnostics.report(file, items[confirm].line, "step 'confirm' must be the last step: it sends the report")
        }
        return steps
    }

    static func parseDuration(_ text: String) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            if let number = Double(trimmed.dropLast(suffix.count)) { return number * factor }
        }
        return Double(trimmed)
    }

    static func parseFallback(_ text: String) -> RetryFallback? {
        let parts = text.split(separator: " ").map(String.init)
        switch parts.first {
        case "default" where parts.count == 1: return .useDefault
        case "choose" where parts.count == 2: return .choose(parts[1])
        case "keep-text" where parts.count == 1: return .keepText
        case "restart" where parts.count == 1: return .restart
        case "end" where parts.count == 1: return .end
        default: return nil
        }
    }

    static func defaultFallback(for step: StepID) -> RetryFallback {
        switch step {
        case .language: .useDefault
        case .landmark: .keepText
        default: .restart
        }
    }

    static func fallback(_ fallback: RetryFallback, fits step: StepID) -> Bool {
        switch fallback {
        case .useDefault: step == .language
        case .choose: step == .category
        case .keepText: step == .landmark
        case .restart, .end: true
        }
    }

    static func fallbackHelp(for step: StepID) -> String {
        switch step {
        case .language: "use default, restart or end"
        case .category: "use choose <category id>, restart or end"
        case .landmark: "use keep-text, restart or end"
        default: "use restart or end"
        }
    }

    /// `{name}` placeholders in a text.
    static func placeholders(in text: String) -> [String] {
        var result: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else { break }
            let name = after[..<close]
            if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0 == "_" }) { result.append(String(name)) }
            rest = after[after.index(after: close)...]
        }
        return result
    }
}
