import Foundation

/// The conversation: one inbound message in, the next session, replies and effects out.
///
/// Pure and deterministic (the clock is an argument), so the server, the simulator, USSD and the tests
/// all run exactly the same code.
public enum Engine {
    /// Advances `session` (nil for a resident never seen) by one inbound message.
    public static func step(_ session: Session?, _ inbound: InboundMessage, _ deployment: Deployment, now: Date) -> StepResult {
        var turn = Turn(
            deployment: deployment, inbound: inbound, now: now,
            session: session ?? Session(phone: inbound.from, deployment: deployment.id))
        turn.run()
        return StepResult(session: turn.session, replies: turn.replies, effects: turn.effects)
    }

    /// The acknowledgement once the platform gave the report its reference.
    public static func thanks(reference: String, to phone: String, language: LanguageTag, _ deployment: Deployment) -> Reply {
        message(.thanks, ["ref": reference], to: phone, language: language, deployment)
    }

    /// "Received, the reference follows", for when the platform is slow.
    public static func referencePending(to phone: String, language: LanguageTag, _ deployment: Deployment) -> Reply {
        message(.referencePending, [:], to: phone, language: language, deployment)
    }

    /// A report's status in the resident's language.
    public static func status(_ status: ReportStatus, reference: String, to phone: String, language: LanguageTag, _ deployment: Deployment) -> Reply {
        message(status.textID, ["ref": reference], to: phone, language: language, deployment)
    }

    /// STATUS for a reference this resident never sent.
    public static func unknownReference(_ reference: String, to phone: String, language: LanguageTag, _ deployment: Deployment) -> Reply {
        message(.statusUnknown, ["ref": reference], to: phone, language: language, deployment)
    }

    /// Any dialog text as an SMS.
    public static func message(_ id: TextID, _ values: [String: String], to phone: String, language: LanguageTag, _ deployment: Deployment) -> Reply {
        let renderer = MessageRenderer(deployment: deployment)
        return renderer.reply(renderer.sms(renderer.fill(id, language, values), language), language: language, to: phone, awaiting: nil)
    }
}

/// One message's worth of work on a session.
struct Turn {
    let deployment: Deployment
    let inbound: InboundMessage
    let now: Date
    var session: Session
    var replies: [Reply] = []
    var effects: [Effect] = []
    /// Short texts sent before (or with) the next prompt: expired, cancelled, not understood.
    var notices: [String] = []

    init(deployment: Deployment, inbound: InboundMessage, now: Date, session: Session) {
        self.deployment = deployment
        self.inbound = inbound
        self.now = now
        self.session = session
    }

    var dialog: Dialog { deployment.dialog }
    var matching: DeploymentMatching { deployment.matching }
    var renderer: MessageRenderer { MessageRenderer(deployment: deployment) }
    var language: LanguageTag { session.language ?? session.provisionalLanguage ?? deployment.defaultLanguage }
    var isUSSD: Bool { inbound.channel == .ussd }

    /// Free text longer than this is cut: a 10 kB message must not become a 10 kB report field.
    static let maximumAnswerLength = 1600

    mutating func run() {
        let text = String(inbound.text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(Self.maximumAnswerLength))
        if session.isInConversation, let last = session.lastActivity, now.timeIntervalSince(last) > dialog.sessionTimeout {
            session.resetConversation()
            if !session.optedOut { notices.append(renderer.fill(.sessionExpired, language)) }
        }
        session.lastActivity = now
        let keyword = matching.keywords.match(text).flatMap { match in KeywordID(rawValue: match.id).map { ($0, match.argument) } }

        if session.optedOut {
            if let (id, _) = keyword, id == .start || id == .restart { optIn() }
            return
        }
        if isUSSD, text.isEmpty {
            if let step = session.awaiting { ask(step, keepPage: true) } else { startConversation("") }
            return
        }
        if isUSSD, let step = session.awaiting, isMenu(step), text == "99" || text == "0" {
            pageMenu(step, forward: text == "99")
            return
        }
        if let (id, argument) = keyword {
            handle(id, argument: argument)
            return
        }
        if !session.isInConversation, let reference = bareReference(text) {
            effects.append(.statusQuery(reference: reference))
            return
        }
        if let step = session.awaiting {
            answer(step, text)
        } else {
            startConversation(text)
        }
    }

    /// A bare number outside a report that is one of this resident's references is a status question.
    func bareReference(_ text: String) -> String? {
        let key = TextNormalizer.matchKey(text)
        guard !key.isEmpty, key.allSatisfy(\.isASCII), key.allSatisfy(\.isNumber), session.references.contains(key) else { return nil }
        return key
    }

    // MARK: Keywords

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

    // MARK: Starting

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
            .map { $0.trimmingCharacters(in: .whitespaces) }
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

    // MARK: Asking

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

    // MARK: Answers

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

    // MARK: Invalid answers

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

    // MARK: Submitting

    mutating func submit() {
        let draft = session.draft
        let categoryID = draft.categoryID ?? inferredCategory(from: draft.description ?? "")
        let submission = ReportSubmission(
            phone: session.phone, deployment: deployment.id, language: language, categoryID: categoryID,
            platformCategory: deployment.fixmystreetName(of: categoryID),
            landmark: draft.landmark ?? LandmarkAnswer(id: nil, text: draft.landmarkText ?? "", latitude: nil, longitude: nil),
            description: draft.description ?? "", submittedAt: now)
        if session.language == nil { session.language = language }
        effects.append(.submitReport(submission))
        session.resetConversation()
        if isUSSD {
            emit(notices: [renderer.fill(.referencePending, language)], prompt: nil, awaiting: nil, ends: true)
        } else if !notices.isEmpty {
            emit(notices: [], prompt: nil, awaiting: nil)
        }
    }

    /// When operators drop the category step, the description still names the problem more often than not.
    func inferredCategory(from description: String) -> String {
        if case .option(let index, _) = matching.categories.match(description) { return deployment.categories[index].id }
        return deployment.category("other")?.id ?? deployment.categories.last?.id ?? "other"
    }
}
