import Foundation

/// Whole-message commands: they pre-empt any step.
extension Turn {
    mutating func handle(_ keyword: KeywordID, argument: String?) {
        switch keyword {
        case .stop:
            session.resetConversation()
            session.optedOut = true
            effects.append(.optOut)
            emit(notices: [renderer.fill(.stop, language)], prompt: nil, awaiting: nil, ends: true)
        case .start:
            if session.isInConversation { ask(session.awaiting ?? .category, keepPage: true) } else { startConversation("") }
        case .help:
            let help = renderer.fill(.help, language)
            if isUSSD, let step = session.awaiting {
                emit(notices: [help], prompt: prompt(for: step), awaiting: step)
            } else {
                emit(notices: [help], prompt: nil, awaiting: session.awaiting)
            }
        case .language:
            session.provisionalLanguage = session.language
            session.invalidAnswers = 0
            session.menuPage = 0
            session.awaiting = .language
            emit(notices: [], prompt: prompt(for: .language), awaiting: .language)
        case .restart:
            if session.isInConversation { notices.append(renderer.fill(.cancelled, language)) }
            session.resetConversation()
            askNext()
        case .back:
            goBack()
        case .status:
            let reference = argument.flatMap { $0.isEmpty ? nil : $0 }
            if reference == nil, session.references.isEmpty {
                emit(notices: [renderer.fill(.statusNone, language)], prompt: nil, awaiting: session.awaiting)
            } else {
                effects.append(.statusQuery(reference: reference ?? session.references.last))
            }
        case .yes, .no:
            break
        }
    }

    mutating func optIn() {
        session.optedOut = false
        session.resetConversation()
        effects.append(.optIn)
        emit(notices: [renderer.fill(.start, language)], prompt: nil, awaiting: nil, ends: true)
    }

    /// BACK re-asks the step before the current one, forgetting its answer.
    mutating func goBack() {
        guard let current = session.awaiting else {
            askNext()
            return
        }
        let order = dialog.steps.map(\.id)
        let index = order.firstIndex(of: current) ?? order.count
        let previous = order[..<index].last { step in
            switch step {
            case .language: true
            case .category: session.draft.categoryID != nil
            case .landmark: session.draft.landmark != nil || !session.draft.landmarkCandidates.isEmpty
            case .description: session.draft.description != nil
            case .confirm: false
            }
        }
        guard let previous else {
            ask(current, keepPage: false)
            return
        }
        switch previous {
        case .language: session.provisionalLanguage = session.language
        case .category: session.draft.categoryID = nil
        case .landmark:
            session.draft.landmark = nil
            session.draft.landmarkCandidates = []
            session.draft.landmarkText = nil
        case .description: session.draft.description = nil
        case .confirm: break
        }
        ask(previous, keepPage: false)
    }
}
