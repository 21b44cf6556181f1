import Foundation

/// Which question comes next, and how it is shown.
extension Turn {
    func isFilled(_ step: StepID) -> Bool {
        switch step {
        case .language: session.language != nil
        case .category: session.draft.categoryID != nil
        case .landmark: session.draft.landmark != nil
        case .description: session.draft.description != nil
        case .confirm: false
        }
    }

    mutating func askNext() {
        if let step = dialog.steps.first(where: { !isFilled($0.id) }) {
            ask(step.id, keepPage: false)
        } else {
            submit()
        }
    }

    func isMenu(_ step: StepID) -> Bool {
        switch step {
        case .language, .category, .confirm: true
        case .landmark: !session.draft.landmarkCandidates.isEmpty
        case .description: false
        }
    }

    mutating func ask(_ step: StepID, keepPage: Bool) {
        if session.awaiting != step { session.invalidAnswers = 0 }
        if !keepPage { session.menuPage = 0 }
        session.awaiting = step
        emit(notices: [], prompt: prompt(for: step), awaiting: step)
    }

    mutating func pageMenu(_ step: StepID, forward: Bool) {
        guard case .menu(let template, let options) = prompt(for: step) else { return }
        let pages = renderer.menuPages(template: template, options: options, language: language).count
        if forward {
            session.menuPage = min(session.menuPage + 1, pages - 1)
        } else if session.menuPage > 0 {
            session.menuPage -= 1
        } else {
            goBack()
            return
        }
        emit(notices: [], prompt: prompt(for: step), awaiting: step)
    }

    func prompt(for step: StepID) -> Prompt {
        switch step {
        case .language:
            return .menu(template: dialog.text(.languageMenu, language), options: deployment.languages.map { dialog.languageName($0) })
        case .category:
            return .menu(template: dialog.text(.categoryQuestion, language), options: deployment.categories.map { $0.label(in: language) })
        case .landmark:
            if !session.draft.landmarkCandidates.isEmpty {
                let names = session.draft.landmarkCandidates.compactMap { deployment.landmark($0)?.name(in: language) }
                return .menu(template: dialog.text(.landmarkChoice, language), options: names + [dialog.text(.landmarkNone, language)])
            }
            return .text(dialog.text(.landmarkQuestion, language))
        case .description:
            return .text(dialog.text(.descriptionQuestion, language))
        case .confirm:
            let draft = session.draft
            let category = draft.categoryID.flatMap { deployment.category($0)?.label(in: language) } ?? ""
            let place = draft.landmark.map { answer in answer.id.flatMap { deployment.landmark($0)?.name(in: language) } ?? answer.text } ?? ""
            return .text(renderer.summary(category: category, landmark: place, description: draft.description ?? "",
                                          language: language, channel: inbound.channel))
        }
    }

    /// Sends pending notices (expired, cancelled) followed by `notices` and the prompt.
    mutating func emit(notices extra: [String], prompt: Prompt?, awaiting: StepID?, ends: Bool = false) {
        let notices = self.notices + extra
        if isUSSD {
            replies.append(renderer.ussdScreen(notices: notices, prompt: prompt, page: session.menuPage, language: language,
                                               to: session.phone, awaiting: awaiting, ends: ends))
        } else {
            replies.append(contentsOf: renderer.smsReplies(notices: notices, prompt: prompt, language: language, to: session.phone, awaiting: awaiting))
        }
        self.notices = []
    }
}
