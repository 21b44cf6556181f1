import Foundation

/// Answers to a question about a completed report (``FollowUpQuestion``), read before anything else the resident says.
extension Turn {
    /// At most this many places are offered: a longer list costs segments and is no easier to pick from.
    static let maximumPlaces = 5

    /// Reads the message as the answer to the pending follow-up question; returns whether it was consumed.
    ///
    /// Commands, an expired question and messages sent while a new report is under way pass through. A reply that
    /// names no option is asked again within the landmark step's retries, then the report is filed at the fallback point
    /// and the message is handled like any other.
    mutating func answerFollowUp(_ text: String, isCommand: Bool) -> Bool {
        guard var question = session.followUp else { return false }
        if now.timeIntervalSince(question.askedAt) > dialog.sessionTimeout {
            session.followUp = nil
            return false
        }
        if isCommand || session.isInConversation || isUSSD { return false }
        if question.duplicateOf != nil { return answerDuplicateHint(text, question) }
        var options = question.places.map { ChoiceOption(phrases: [$0.name]) }
        options.append(ChoiceOption(phrases: dialog.languages.map { dialog.text(.landmarkNone, $0) }))
        if case .option(let index, _) = ChoiceMatcher(options: options).match(text) {
            session.followUp = nil
            effects.append(.placeChosen(ticket: question.ticket, place: index < question.places.count ? question.places[index] : nil))
            return true
        }
        question.invalidAnswers += 1
        if question.invalidAnswers > (dialog.step(.landmark) ?? DialogStep(id: .landmark)).retries {
            session.followUp = nil
            effects.append(.placeChosen(ticket: question.ticket, place: nil))
            return false
        }
        session.followUp = question
        let notice = renderer.fill(.invalidChoice, question.language, ["max": String(options.count)])
        replies += renderer.smsReplies(notices: [notice], prompt: nil, language: question.language, to: session.phone, awaiting: nil)
        return true
    }
}

extension Turn {
    /// "1"/yes files the report anyway, "2"/no withdraws it; anything else is an ordinary message and the hint waits.
    mutating func answerDuplicateHint(_ text: String, _ question: FollowUpQuestion) -> Bool {
        var decision: Bool?
        switch NumberWords.number(in: text) {
        case .number(1): decision = true
        case .number(2): decision = false
        default: decision = matching.yesNo.match(text, language: question.language)
        }
        guard let decision else { return false }
        session.followUp = nil
        effects.append(.duplicateAnswered(ticket: question.ticket, addAnyway: decision))
        if !decision { replies.append(renderer.reply(renderer.sms(renderer.fill(.cancelled, question.language), question.language),
                                                     language: question.language, to: session.phone, awaiting: nil)) }
        return true
    }
}

extension Engine {
    /// Tells the resident an open report of the same category is already near the point and asks whether to add theirs.
    public static func askDuplicate(
        _ session: Session, ticket: String, reference: String, language: LanguageTag, _ deployment: Deployment, now: Date
    ) -> (session: Session, replies: [Reply]) {
        var session = session
        session.followUp = FollowUpQuestion(ticket: ticket, places: [], language: language, askedAt: now, duplicateOf: reference)
        return (session, [message(.duplicateHint, ["ref": reference], to: session.phone, language: language, deployment)])
    }

    /// Asks the resident which of the geocoder's places they meant, by SMS, and remembers the question in the session.
    ///
    /// The places are numbered as in the landmark step's own choice, with "none of these" last.
    public static func askPlace(
        _ session: Session, ticket: String, places: [PlaceOption], language: LanguageTag, _ deployment: Deployment, now: Date
    ) -> (session: Session, replies: [Reply]) {
        let offered = Array(places.prefix(Turn.maximumPlaces))
        var session = session
        session.followUp = FollowUpQuestion(ticket: ticket, places: offered, language: language, askedAt: now)
        let renderer = MessageRenderer(deployment: deployment)
        let dialog = deployment.dialog
        let prompt = Prompt.menu(
            template: dialog.text(.landmarkChoice, language),
            options: offered.map { String($0.name.prefix(60)) } + [dialog.text(.landmarkNone, language)])
        let replies = renderer.smsReplies(notices: [], prompt: prompt, language: language, to: session.phone, awaiting: nil)
        return (session, replies)
    }
}
