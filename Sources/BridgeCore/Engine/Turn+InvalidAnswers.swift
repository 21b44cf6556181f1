import Foundation

/// Bounded patience: re-ask, then the dialog's fallback.
extension Turn {
    mutating func invalid(_ step: StepID, max: Int) {
        session.invalidAnswers += 1
        let configured = dialog.step(step) ?? DialogStep(id: step)
        if session.invalidAnswers > configured.retries {
            exhausted(configured)
            return
        }
        let notice = renderer.fill(.invalidChoice, language, ["max": String(max)])
        if isUSSD {
            emit(notices: [notice], prompt: prompt(for: step), awaiting: step)
        } else {
            emit(notices: [notice], prompt: nil, awaiting: step)
        }
    }

    mutating func invalidText(_ step: DialogStep) {
        session.invalidAnswers += 1
        if session.invalidAnswers > step.retries {
            exhausted(step)
            return
        }
        let notice = renderer.fill(.invalidText, language, ["min": String(step.minLength), "max": String(step.maxLength)])
        emit(notices: [notice], prompt: isUSSD ? prompt(for: step.id) : nil, awaiting: step.id)
    }

    /// The dialog's fallback after the last allowed invalid answer.
    mutating func exhausted(_ step: DialogStep) {
        session.invalidAnswers = 0
        switch step.afterRetries {
        case .useDefault:
            session.language = deployment.defaultLanguage
            session.provisionalLanguage = nil
            askNext()
        case .choose(let option):
            session.draft.categoryID = deployment.category(option)?.id ?? deployment.categories.last?.id
            askNext()
        case .keepText:
            if session.draft.landmarkCandidates.isEmpty {
                session.draft.landmark = LandmarkAnswer(id: nil, text: "", latitude: nil, longitude: nil)
            } else {
                keepLandmarkText()
            }
            askNext()
        case .restart:
            notices.append(renderer.fill(.help, language))
            session.resetConversation()
            askNext()
        case .end:
            session.resetConversation()
            emit(notices: [renderer.fill(.help, language)], prompt: nil, awaiting: nil, ends: true)
        }
    }
}
