import Foundation

/// Reading an answer to the step being asked.
extension Turn {
    mutating func answer(_ step: StepID, _ text: String) {
        switch step {
        case .language: answerLanguage(text)
        case .category: answerCategory(text)
        case .landmark: answerLandmark(text)
        case .description: answerDescription(text)
        case .confirm: answerConfirm(text)
        }
    }

    mutating func answerLanguage(_ text: String) {
        if let picked = pickLanguage(text) {
            session.language = picked
            session.provisionalLanguage = nil
            askNext()
            return
        }
        let guess = matching.languageGuesser.guess(
            text, among: deployment.languages, defaultLanguage: deployment.defaultLanguage, callingCodeLanguage: nil)
        if guess.confidence >= .words, session.draft == ReportDraft(), fillFromFreeText(text, atStart: true) {
            session.language = guess.language
            session.provisionalLanguage = nil
            askNext()
            return
        }
        invalid(.language, max: deployment.languages.count)
    }

    /// A language menu answer: its number, or its name in any script ("srpski" typed in Cyrillic means Cyrillic).
    func pickLanguage(_ text: String) -> LanguageTag? {
        if case .number(let number) = NumberWords.number(in: text), (1...deployment.languages.count).contains(number) {
            return deployment.languages[number - 1]
        }
        let key = TextNormalizer.matchKey(text)
        guard !key.isEmpty else { return nil }
        var hits: [LanguageTag] = []
        for entry in matching.languageNames where entry.key == key && !hits.contains(entry.language) {
            hits.append(entry.language)
        }
        if hits.count > 1, let script = TextNormalizer.dominantScript(text) {
            let sameScript = hits.filter { $0.script == script }
            if sameScript.count == 1 { return sameScript[0] }
        }
        return hits.count == 1 ? hits[0] : nil
    }

    mutating func answerCategory(_ text: String) {
        let result = matching.categories.match(text)
        guard case .option(let index, let kind) = result else {
            invalid(.category, max: deployment.categories.count)
            return
        }
        if kind == .containment, TextNormalizer.tokens(text).count >= 3 {
            fillFromFreeText(text, atStart: false)
        }
        session.draft.categoryID = deployment.categories[index].id
        askNext()
    }

    mutating func answerLandmark(_ text: String) {
        let candidates = session.draft.landmarkCandidates
        guard !candidates.isEmpty else {
            guard !text.isEmpty else {
                invalid(.landmark, max: 1)
                return
            }
            setLandmark(from: String(text.prefix(200)))
            askNext()
            return
        }
        let landmarks = candidates.compactMap { deployment.landmark($0) }
        var options = landmarks.map { ChoiceOption(phrases: Array($0.names.values) + $0.aliases) }
        options.append(ChoiceOption(phrases: dialog.languages.map { dialog.text(.landmarkNone, $0) }))
        switch ChoiceMatcher(options: options).match(text) {
        case .option(let index, _) where index < landmarks.count:
            session.draft.landmark = LandmarkAnswer(landmark: landmarks[index], text: session.draft.landmarkText ?? text)
            session.draft.landmarkCandidates = []
            askNext()
        case .option:
            keepLandmarkText()
            askNext()
        default:
            invalid(.landmark, max: options.count)
        }
    }

    mutating func keepLandmarkText() {
        let words = session.draft.landmarkText ?? ""
        session.draft.landmark = LandmarkAnswer(id: nil, text: words, latitude: nil, longitude: nil)
        session.draft.landmarkCandidates = []
    }

    mutating func answerDescription(_ text: String) {
        let step = dialog.step(.description) ?? DialogStep(id: .description)
        guard (step.minLength...step.maxLength).contains(text.count) else {
            invalidText(step)
            return
        }
        session.draft.description = text
        askNext()
    }

    mutating func answerConfirm(_ text: String) {
        var decision: Bool?
        switch NumberWords.number(in: text) {
        case .number(1): decision = true
        case .number(2): decision = false
        default: decision = matching.yesNo.match(text, language: language)
        }
        switch decision {
        case true?: submit()
        case false?:
            notices.append(renderer.fill(.cancelled, language))
            session.resetConversation()
            askNext()
        case nil:
            invalid(.confirm, max: 2)
        }
    }
}
