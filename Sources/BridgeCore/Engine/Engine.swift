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
        let text = String(inbound.text.trimmingWhitespace().prefix(Self.maximumAnswerLength))
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
        if answerFollowUp(text, isCommand: keyword?.0.isCommand ?? false) { return }
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
}
