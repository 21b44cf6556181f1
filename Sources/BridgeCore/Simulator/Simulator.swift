import Foundation

/// One line a simulator script sends: a resident's message or a platform status change.
public enum SimulatorInput: Sendable, Equatable {
    case message(from: String, text: String, at: Date?, channel: Channel, ussdSession: String?)
    case status(reference: String, state: String, at: Date?)

    /// Parses one `simulate --json` input line; the error names the field that is wrong.
    public static func parse(_ line: String) throws(SimulatorInputError) -> SimulatorInput {
        guard let data = line.data(using: .utf8),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { throw SimulatorInputError("not a JSON object: each line must look like {\"from\":\"+38344123456\",\"text\":\"...\"}") }
        var at: Date?
        if let value = object["at"] {
            guard let text = value as? String, let date = ISO8601DateFormatter().date(from: text) else {
                throw SimulatorInputError("'at' must be an ISO 8601 time such as 2026-11-27T10:00:00Z")
            }
            at = date
        }
        if let status = object["status"] {
            guard let fields = status as? [String: Any], let reference = fields["ref"].map({ "\($0)" }),
                let state = fields["state"] as? String
            else { throw SimulatorInputError("'status' must be {\"ref\":\"1001\",\"state\":\"fixed\"}") }
            return .status(reference: reference, state: state, at: at)
        }
        guard let from = object["from"] as? String, !from.isEmpty else { throw SimulatorInputError("'from' is missing: the sender's number") }
        guard let text = object["text"] as? String else { throw SimulatorInputError("'text' is missing (use \"\" for a USSD dial)") }
        var channel = Channel.sms
        if let value = object["channel"] {
            guard let raw = value as? String, let parsed = Channel(rawValue: raw) else {
                throw SimulatorInputError("'channel' must be \"sms\" or \"ussd\"")
            }
            channel = parsed
        }
        return .message(from: from, text: text, at: at, channel: channel, ussdSession: object["session"] as? String)
    }
}

public struct SimulatorInputError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// A report the simulator's stand-in platform accepted.
public struct SimulatedReport: Sendable, Equatable {
    public var reference: String
    public var submission: ReportSubmission
    public var status: ReportStatus
}

/// The engine with a stand-in platform around it: what `smsbridge simulate` runs, and a harness for tests.
///
/// Deterministic: the clock comes from the script (`at`), or advances a minute per line.
public struct Simulator: Sendable {
    public let configuration: BridgeConfiguration
    public let deploymentID: String?
    public private(set) var sessions: [String: Session] = [:]
    public private(set) var reports: [String: SimulatedReport] = [:]
    public private(set) var clock: Date
    private var nextReference = 1001

    public static let defaultStart = Date(timeIntervalSince1970: 1_795_770_000)  // 2026-11-27T08:20:00Z

    public init(configuration: BridgeConfiguration, deployment: String? = nil, start: Date = Simulator.defaultStart) {
        self.configuration = configuration
        self.deploymentID = deployment
        self.clock = start
    }

    public enum Output: Sendable, Equatable {
        case reply(Reply)
        case report(SimulatedReport)
        case error(String)
    }

    public mutating func handle(_ input: SimulatorInput) -> [Output] {
        switch input {
        case .message(let from, let text, let at, let channel, _):
            clock = at ?? clock.addingTimeInterval(60)
            return message(from: from, text: text, channel: channel)
        case .status(let reference, let state, let at):
            clock = at ?? clock.addingTimeInterval(60)
            return statusChange(reference: reference, state: state)
        }
    }

    func deployment(for phone: String) -> Deployment? {
        if let deploymentID { return configuration.deployment(id: deploymentID) }
        return configuration.deployment(forPhone: phone)
    }

    mutating func message(from raw: String, text: String, channel: Channel) -> [Output] {
        let region = deploymentID.flatMap { configuration.deployment(id: $0)?.region } ?? configuration.deployments.first?.region ?? "XK"
        guard case .e164(let phone) = PhoneNumber.normalize(raw, defaultRegion: region) else {
            return [.error("'\(raw)' is not a phone number the bridge can answer")]
        }
        guard let deployment = deployment(for: phone) else {
            return [.error("no deployment '\(deploymentID ?? "")' in \(configuration.file)")]
        }
        let key = deployment.id + "|" + phone
        let inbound = InboundMessage(from: phone, text: text, receivedAt: clock, channel: channel)
        let result = Engine.step(sessions[key], inbound, deployment, now: clock)
        var session = result.session
        var outputs = result.replies.map(Output.reply)
        for effect in result.effects {
            switch effect {
            case .submitReport(let submission):
                let reference = String(nextReference)
                nextReference += 1
                let report = SimulatedReport(reference: reference, submission: submission, status: .open)
                reports[reference] = report
                session.references.append(reference)
                outputs.append(.report(report))
                outputs.append(.reply(Engine.thanks(reference: reference, to: phone, language: submission.language, deployment)))
            case .statusQuery(let reference):
                let language = session.language ?? deployment.defaultLanguage
                if let reference, let report = reports[reference], report.submission.phone == phone {
                    outputs.append(.reply(Engine.status(report.status, reference: reference, to: phone, language: language, deployment)))
                } else {
                    outputs.append(.reply(Engine.unknownReference(reference ?? "", to: phone, language: language, deployment)))
                }
            case .optOut, .optIn, .placeChosen, .duplicateAnswered:
                // The simulator files at once on its local platform, so it never asks a follow-up question.
                break
            }
        }
        sessions[key] = session
        return outputs
    }

    mutating func statusChange(reference: String, state: String) -> [Output] {
        guard var report = reports[reference] else { return [.error("no report \(reference) in this simulation")] }
        guard let status = ReportStatus(platformState: state) else {
            return [.error("unknown state '\(state)' (use: \(ReportStatus.allCases.map(\.rawValue).joined(separator: ", ")))")]
        }
        guard status != report.status else { return [] }
        report.status = status
        reports[reference] = report
        let phone = report.submission.phone
        guard let deployment = configuration.deployment(id: report.submission.deployment) else { return [] }
        let session = sessions[deployment.id + "|" + phone]
        if session?.optedOut == true { return [] }
        let language = session?.language ?? report.submission.language
        return [.reply(Engine.status(status, reference: reference, to: phone, language: language, deployment))]
    }
}

extension Simulator.Output {
    /// The documented `simulate --json` line for this output.
    public var json: JSONLine {
        switch self {
        case .reply(let reply) where reply.channel == .ussd:
            return .object([
                ("to", .string(reply.to)), ("screen", .string(reply.text)), ("end", .bool(reply.endsSession)),
                ("awaiting", reply.awaiting.map { .string($0.rawValue) } ?? .null), ("language", .string(reply.language.rawValue)),
                ("encoding", .string(reply.encoding.rawValue)), ("units", .int(reply.units)),
            ])
        case .reply(let reply):
            return .object([
                ("to", .string(reply.to)), ("text", .string(reply.text)), ("encoding", .string(reply.encoding.rawValue)),
                ("segments", .int(reply.segments)), ("awaiting", reply.awaiting.map { .string($0.rawValue) } ?? .null),
                ("language", .string(reply.language.rawValue)),
            ])
        case .report(let report):
            let submission = report.submission
            let landmark = submission.landmark
            return .object([
                ("report", .object([
                    ("ref", .string(report.reference)), ("deployment", .string(submission.deployment)),
                    ("category", .string(submission.categoryID)), ("language", .string(submission.language.rawValue)),
                    ("landmark", .object([
                        ("id", landmark.id.map(JSONLine.string) ?? .null), ("text", .string(landmark.text)),
                        ("lat", landmark.latitude.map(JSONLine.double) ?? .null), ("lon", landmark.longitude.map(JSONLine.double) ?? .null),
                    ])),
                    ("description", .string(submission.description)), ("phone", .string(submission.phone)),
                ]))
            ])
        case .error(let message):
            return .object([("error", .string(message))])
        }
    }
}
