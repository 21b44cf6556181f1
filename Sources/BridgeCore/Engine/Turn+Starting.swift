import Foundation

/// A new report: language guess and one-shot filling.
extension Turn {
    mutating func startConversation(_ text: String) {
        session.resetConversation()
        let guess = matching.languageGuesser.guess(
            text, among: deployment.languages, defaultLanguage: deployment.defaultLanguage,
            callingCodeLanguage: deployment.language(forCallingCode: PhoneNumber.callingCode(of: session.phone)))
        let found = text.isEmpty ? false : fillFromFreeText(text, atStart: true)
        if session.language == nil {
            if found && guess.confidence >= .words || dialog.step(.language) == nil {
                session.language = guess.language
            } else {
                session.provisionalLanguage = guess.language
                ask(.language, keepPage: false)
                return
            }
        }
        askNext()
    }

    /// One-shot: takes whatever a message already says (category, place, description) so those questions are skipped.
    /// Returns whether anything was found.
    @discardableResult
    mutating func fillFromFreeText(_ text: String, atStart: Bool) -> Bool {
        let parts = text.split(whereSeparator: { "/\n;|".contains($0) })
            .map { $0.trimmingWhitespace(newlines: false) }
            .filter { !$0.isEmpty }
        if parts.count >= 2, case .option(let index, _) = matching.categories.match(parts[0]) {
            session.draft.categoryID = deployment.categories[index].id
            if parts.count >= 3 {
                setLandmark(from: parts[1])
                session.draft.description = String(parts[2...].joined(separator: " / ").prefix(maxDescription))
            } else {
                session.draft.description = String(parts[1].prefix(maxDescription))
            }
            return true
        }
        var found = false
        let tokens = TextNormalizer.tokens(text)
        switch matching.categories.match(text) {
        // Unprompted text only counts when it names a category outright: a greeting must not fuzzy-match one.
        case .option(let index, let kind) where kind == .label || kind == .containment:
            session.draft.categoryID = deployment.categories[index].id
            found = true
        default:
            break
        }
        if tokens.count >= 2 {
            let place = matching.gazetteer.find(in: text)
            switch place.landmark {
            case .found(let landmark):
                session.draft.landmark = LandmarkAnswer(landmark: landmark, text: place.matchedText ?? text)
                found = true
            case .candidates(let landmarks) where found:
                session.draft.landmarkCandidates = landmarks.map(\.id)
                session.draft.landmarkText = place.matchedText ?? text
            default:
                break
            }
        }
        let minimum = dialog.step(.description)?.minLength ?? 3
        if found, tokens.count >= 3, text.count >= minimum {
            session.draft.description = String(text.prefix(maxDescription))
        }
        return found
    }

    var maxDescription: Int { dialog.step(.description)?.maxLength ?? 500 }

    mutating func setLandmark(from text: String) {
        switch matching.gazetteer.resolve(text) {
        case .found(let landmark):
            session.draft.landmark = LandmarkAnswer(landmark: landmark, text: text)
        case .candidates(let landmarks):
            session.draft.landmarkCandidates = landmarks.map(\.id)
            session.draft.landmarkText = text
        case .notFound:
            session.draft.landmark = LandmarkAnswer(id: nil, text: text, latitude: nil, longitude: nil)
        }
    }
}
