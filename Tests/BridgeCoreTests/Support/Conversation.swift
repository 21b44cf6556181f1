import BridgeCore
import Foundation

/// Drives the engine like a resident, one message at a time, with a clock that moves a minute per message.
struct Conversation {
    let deployment: Deployment
    let phone: String
    var session: Session?
    var clock = Date(timeIntervalSince1970: 1_795_770_000)
    var channel: Channel = .sms
    private(set) var lastResult: StepResult?

    init(_ deployment: Deployment, phone: String, channel: Channel = .sms) {
        self.deployment = deployment
        self.phone = phone
        self.channel = channel
    }

    /// Sends `text` and returns the replies' texts.
    @discardableResult
    mutating func send(_ text: String, after seconds: TimeInterval = 60) -> [Reply] {
        clock = clock.addingTimeInterval(seconds)
        let result = Engine.step(session, InboundMessage(from: phone, text: text, receivedAt: clock, channel: channel), deployment, now: clock)
        session = result.session
        lastResult = result
        return result.replies
    }

    var effects: [Effect] { lastResult?.effects ?? [] }
    var awaiting: StepID? { session?.awaiting }

    var submission: ReportSubmission? {
        for effect in effects { if case .submitReport(let submission) = effect { return submission } }
        return nil
    }
}
