import Foundation

/// What one prompt costs in one language, as `validate` prints it.
public struct PromptCost: Sendable, Equatable {
    public var deployment: String
    public var language: LanguageTag
    public var text: TextID
    public var channel: Channel
    public var encoding: SMSEncoding
    public var units: Int
    /// SMS segments; for USSD the number of screens (menu pages).
    public var segments: Int
    public var budget: Int
    public var withinBudget: Bool { segments <= budget }
}

/// Checks that loaded files make a dialog residents can afford and the matcher can tell apart.
///
/// The loader checks shape and references; this checks meaning: segment budgets, USSD screens, words that collide.
public enum ConfigurationValidator {
    /// References are counted at this many digits, the most the platforms we serve hand out.
    static let worstCaseReference = "1234567"

    public static func validate(_ configuration: BridgeConfiguration) -> (diagnostics: Diagnostics, costs: [PromptCost]) {
        var diagnostics = Diagnostics()
        var costs: [PromptCost] = []
        for deployment in configuration.deployments {
            costs.append(contentsOf: checkBudgets(deployment, &diagnostics))
            checkCollisions(deployment, &diagnostics)
        }
        return (diagnostics, costs)
    }

    // MARK: Budgets

    static func sampleValues(_ id: TextID, _ deployment: Deployment, _ language: LanguageTag) -> Prompt {
        let dialog = deployment.dialog
        let template = dialog.text(id, language)
        switch id {
        case .languageMenu:
            return .menu(template: template, options: deployment.languages.map { dialog.languageName($0) })
        case .categoryQuestion:
            return .menu(template: template, options: deployment.categories.map { $0.label(in: language) })
        case .landmarkChoice:
            let names = longestLandmarkNames(deployment, language, count: 3)
            return .menu(template: template, options: names + [dialog.text(.landmarkNone, language)])
        default:
            let values = ["ref": worstCaseReference, "max": "10", "min": "3", "category": "", "landmark": "", "description": ""]
            return .text(MessageRenderer.fill(template, values))
        }
    }

    static func longestLandmarkNames(_ deployment: Deployment, _ language: LanguageTag, count: Int) -> [String] {
        Array(deployment.landmarks.map { $0.name(in: language) }.sorted { $0.count > $1.count }.prefix(count))
    }

    static func checkBudgets(_ deployment: Deployment, _ diagnostics: inout Diagnostics) -> [PromptCost] {
        let renderer = MessageRenderer(deployment: deployment)
        let dialog = deployment.dialog
        var costs: [PromptCost] = []
        for language in deployment.languages where dialog.languages.contains(language) {
            for id in TextID.allCases where id.isMessage && dialog.texts[id]?[language] != nil {
                let prompt = sampleValues(id, deployment, language)
                let location = dialog.location(of: id, language)
                let sms = renderer.sms(renderer.smsText(prompt), language)
                let budget = renderer.segmentBudget(prompt, language)
                let cost = PromptCost(deployment: deployment.id, language: language, text: id, channel: .sms, encoding: sms.cost.encoding,
                                      units: sms.cost.units, segments: sms.cost.segments, budget: budget)
                costs.append(cost)
                if !cost.withinBudget {
                    diagnostics.report(location.file, location.line,
                        "texts.\(id.rawValue).\(language) takes \(cost.segments) SMS segments (\(cost.encoding.rawValue), \(cost.units) \(unitName(cost.encoding))) in \(deployment.id); the budget is \(budget)")
                }
                if id == .confirmSummary {
                    let room = (sms.cost.encoding == .gsm7 ? 160 : 70) - sms.cost.units
                    let needed = sms.cost.encoding == .gsm7 ? 40 : 25
                    if room < needed {
                        diagnostics.report(location.file, location.line,
                            "texts.confirm_summary.\(language) leaves only \(room) characters for the category, place and description; shorten its fixed words")
                    }
                }
                // A category label too long for a menu screen even alone is the label's fault, not the question's.
                let optionSource: (Int) -> (location: SourceLocation, name: String)? = { index in
                    guard id == .categoryQuestion, deployment.categories.indices.contains(index) else { return nil }
                    let category = deployment.categories[index]
                    return (SourceLocation(file: category.file, line: category.line), "category '\(category.id)'")
                }
                costs.append(checkUSSD(id, prompt, renderer, language, deployment.id, location, optionSource, &diagnostics))
            }
        }
        return costs
    }

    static func checkUSSD(_ id: TextID, _ prompt: Prompt, _ renderer: MessageRenderer, _ language: LanguageTag, _ deployment: String,
                          _ location: SourceLocation, _ optionSource: (Int) -> (location: SourceLocation, name: String)?,
                          _ diagnostics: inout Diagnostics) -> PromptCost {
        let screens: [String]
        switch prompt {
        case .text(let text): screens = [text]
        case .menu(let template, let options): screens = renderer.menuPages(template: template, options: options, language: language)
        }
        var worst = renderer.ussd(screens.first ?? "")
        for screen in screens {
            let cost = renderer.ussd(screen)
            if cost.units > cost.limit {
                diagnostics.report(location.file, location.line,
                    "texts.\(id.rawValue).\(language) makes a USSD screen of \(cost.units) \(unitName(cost.encoding)) (\(cost.encoding.rawValue)) in \(deployment); a screen holds \(cost.limit)")
                if case .menu(_, let options) = prompt {
                    let lines = Set(screen.split(separator: "\n").map(String.init))
                    let onPage = options.indices.filter { lines.contains("\($0 + 1) \(options[$0])") }
                    if onPage.count == 1, let option = onPage.first, let source = optionSource(option) {
                        diagnostics.report(source.location.file, source.location.line,
                            "\(source.name): label '\(options[option])' (\(language)) is too long for a USSD menu: alone on its page it makes a screen of \(cost.units) \(unitName(cost.encoding)) (\(cost.encoding.rawValue)) in \(deployment); a screen holds \(cost.limit)")
                    }
                }
            }
            if cost.units * worst.limit > worst.units * cost.limit { worst = cost }
        }
        return PromptCost(deployment: deployment, language: language, text: id, channel: .ussd, encoding: worst.encoding,
                          units: worst.units, segments: screens.count, budget: screens.count)
    }

    static func unitName(_ encoding: SMSEncoding) -> String { encoding == .gsm7 ? "septets" : "UTF-16 units" }

    // MARK: Collisions

    static func checkCollisions(_ deployment: Deployment, _ diagnostics: inout Diagnostics) {
        let dialog = deployment.dialog
        // Words naming two categories: the matcher could not tell them apart.
        var owners: [String: (category: String, language: LanguageTag)] = [:]
        for category in deployment.categories {
            for language in category.labels.keys.sorted() + category.synonyms.keys.sorted() {
                let phrases = (category.labels[language].map { [$0] } ?? []) + (category.synonyms[language] ?? [])
                let line = category.synonymLines[language] ?? category.line
                for phrase in phrases {
                    let key = TextNormalizer.matchKey(phrase)
                    if key.isEmpty {
                        diagnostics.report(category.file, line, "'\(phrase)' in category '\(category.id)' has no letters or digits left to match")
                        continue
                    }
                    if NumberWords.value(of: phrase) != nil {
                        diagnostics.report(category.file, line, "'\(phrase)' in category '\(category.id)' reads as option number \(NumberWords.value(of: phrase) ?? 0): residents answering with a number would be misread")
                    }
                    if let owner = owners[key], owner.category != category.id {
                        diagnostics.report(category.file, line,
                            "'\(phrase)' (\(language)) names both '\(owner.category)' and '\(category.id)': keep it under one category")
                    } else {
                        owners[key] = (category.id, language)
                    }
                }
            }
        }
        // Keywords shared by two commands, or shadowing a category word.
        // Reported under each id that lists the word: the one just edited may be either.
        for collision in deployment.matching.keywords.collisions {
            for id in collision.ids {
                diagnostics.report(dialog.file, KeywordID(rawValue: id).flatMap { dialog.keywordLocations[$0] } ?? 1,
                    "keyword '\(collision.word)' is listed under \(collision.ids.joined(separator: " and ")): each word may start one command only")
            }
        }
        for keyword in KeywordID.allCases where keyword.isCommand {
            for word in dialog.keywords[keyword]?.all ?? [] {
                let key = TextNormalizer.matchKey(word)
                if let owner = owners[key] {
                    diagnostics.report(dialog.file, dialog.keywordLocations[keyword] ?? 1,
                        "keyword '\(word)' (\(keyword.rawValue)) is also a word for category '\(owner.category)': as a whole message it would never reach the category")
                }
            }
        }
        // Yes and no must not share a word within a language; `any` words count in every language, as the matcher reads them.
        for language in dialog.languages {
            let yesWords = (dialog.keywords[.yes]?.byLanguage[language] ?? []) + (dialog.keywords[.yes]?.any ?? [])
            let noWords = (dialog.keywords[.no]?.byLanguage[language] ?? []) + (dialog.keywords[.no]?.any ?? [])
            let yes = Set(yesWords.map(TextNormalizer.matchKey))
            let no = Set(noWords.map(TextNormalizer.matchKey))
            for word in yes.intersection(no).sorted() {
                diagnostics.report(dialog.file, dialog.keywordLocations[.yes] ?? 1, "'\(word)' is both yes and no in '\(language)'")
            }
        }
        // Two languages with the same menu name in the same script.
        var names: [String: LanguageTag] = [:]
        for language in deployment.languages {
            for name in dialog.languageNames[language] ?? [] {
                let key = (TextNormalizer.dominantScript(name)?.rawValue ?? "") + ":" + TextNormalizer.matchKey(name)
                if let other = names[key], other != language {
                    diagnostics.report(dialog.file, 1, "language name '\(name)' is used for both '\(other)' and '\(language)'")
                }
                names[key] = language
            }
        }
    }
}
