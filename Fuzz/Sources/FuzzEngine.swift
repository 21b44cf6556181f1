import BridgeCore
import Foundation

/// Fuzzes whole conversations through `Engine.step` with the shipped deployments: any sequence of
/// messages, over SMS or USSD, must get answers without crashing, and the session must survive
/// the store's JSON round trip.
///
/// Input: byte 0 picks the deployment, the channel (bit 0x80) and the sender; the rest is one
/// message per line. A line starting with 0x01 arrives two hours after the previous one (past
/// the session timeout), others a minute after; a submitted report gets reference 1001, 1002, ….
enum FuzzEngine {
    static let senders = ["+38344123456", "+381641234567", "+212612345678", "+33612345678"]

    static func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        let deployment = Shipped.deployments[Int(selector & 0x0F) % Shipped.deployments.count]
        let channel: Channel = selector & 0x80 != 0 ? .ussd : .sms
        let phone = senders[Int(selector >> 4 & 0x03)]
        var clock = Date(timeIntervalSince1970: 1_795_770_000)
        var session: Session?
        var reference = 1001
        for line in bytes.dropFirst().split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).prefix(64) {
            var line = line
            if line.first == 0x01 {
                clock.addTimeInterval(7200)
                line = line.dropFirst()
            } else {
                clock.addTimeInterval(60)
            }
            let inbound = InboundMessage(from: phone, text: String(decoding: line, as: UTF8.self), receivedAt: clock, channel: channel)
            let result = Engine.step(session, inbound, deployment, now: clock)
            for effect in result.effects {
                if case .submitReport = effect {
                    _ = Engine.thanks(reference: String(reference), to: phone, language: result.session.language ?? deployment.defaultLanguage, deployment)
                    reference += 1
                }
            }
            // The server stores the session as JSON between messages.
            do {
                let data = try JSONEncoder().encode(result.session)
                session = try JSONDecoder().decode(Session.self, from: data)
            } catch {
                fatalError("a session does not survive its JSON round trip: \(error)")
            }
            precondition(session == result.session, "a session changed in its JSON round trip")
        }
    }
}
