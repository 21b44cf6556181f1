import ArgumentParser
import BridgeCore
import Foundation

extension SMSBridge {
    /// Talks to the real engine and dialog files as a resident would, with a stand-in platform numbering reports from 1001.
    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Try the dialog as a resident: type messages, see replies with encoding and segments.",
            discussion: """
                Interactive by default. Lines starting with / are commands: /from +212612345678 changes the sender, \
                /status 1001 fixed changes a report's state, /dial starts a USSD session, /quit leaves.
                With --json, read one JSON object per line ({"from":"+38344123456","text":"..."}) and write one per output, \
                then {"turn_complete":true} after each input line.
                """)

        @OptionGroup var options: ConfigOptions

        @Option(name: .long, help: "Deployment id; without it the sender's country code picks one.")
        var deployment: String?

        @Option(name: .long, help: "sms or ussd.")
        var channel: String = "sms"

        @Option(name: .long, help: "The resident's number in interactive mode.")
        var from: String?

        @Flag(name: .long, help: "Scriptable JSON lines on stdin and stdout.")
        var json = false

        func validate() throws {
            guard Channel(rawValue: channel) != nil else { throw ValidationError("--channel must be sms or ussd") }
        }

        func run() throws {
            let configuration = try options.loadOrExit()
            if let deployment, configuration.deployment(id: deployment) == nil {
                throw ValidationError("unknown deployment '\(deployment)' (known: \(configuration.deployments.map(\.id).joined(separator: ", ")))")
            }
            var simulator = Simulator(configuration: configuration, deployment: deployment)
            if json {
                runJSON(&simulator)
            } else {
                runInteractive(&simulator, configuration)
            }
        }

        func runJSON(_ simulator: inout Simulator) {
            let defaultChannel = Channel(rawValue: channel) ?? .sms
            var lineNumber = 0
            while let line = readLine(strippingNewline: true) {
                lineNumber += 1
                if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                do {
                    var input = try SimulatorInput.parse(line)
                    if case .message(let from, let text, let at, .sms, let session) = input, defaultChannel == .ussd, !line.contains("\"channel\"") {
                        input = .message(from: from, text: text, at: at, channel: .ussd, ussdSession: session)
                    }
                    for output in simulator.handle(input) { out(output.json.rendered) }
                } catch {
                    out(JSONLine.object([("error", .string("line \(lineNumber): \(error.description)"))]).rendered)
                }
                out(#"{"turn_complete":true}"#)
            }
        }

        func runInteractive(_ simulator: inout Simulator, _ configuration: BridgeConfiguration) {
            let chosen = deployment.flatMap { configuration.deployment(id: $0) } ?? configuration.deployments[0]
            var phone = from ?? Self.samplePhone(for: chosen)
            var ussd = channel == "ussd"
            // Piped input is echoed so that a saved run reads as a transcript.
            let typed = isatty(FileHandle.standardInput.fileDescriptor) != 0
            out("Simulating \(chosen.id) as \(phone) over \(ussd ? "USSD" : "SMS"). Type a message; /help for commands.")
            if ussd { show(simulator.handle(.message(from: phone, text: "", at: nil, channel: .ussd, ussdSession: nil))) }
            while true {
                out("> ", newline: false)
                guard let line = readLine() else {
                    out("")
                    break
                }
                if !typed { out(line) }
                let words = line.split(separator: " ").map(String.init)
                switch words.first {
                case "/quit", "/exit": return
                case "/help":
                    out("/from NUMBER  /status REF STATE  /dial (USSD)  /sms  /quit")
                case "/from" where words.count == 2:
                    phone = words[1]
                case "/status" where words.count == 3:
                    show(simulator.handle(.status(reference: words[1], state: words[2], at: nil)))
                case "/dial":
                    ussd = true
                    show(simulator.handle(.message(from: phone, text: "", at: nil, channel: .ussd, ussdSession: nil)))
                case "/sms":
                    ussd = false
                default:
                    show(simulator.handle(.message(from: phone, text: line, at: nil, channel: ussd ? .ussd : .sms, ussdSession: nil)))
                }
            }
        }

        /// Unbuffered: a script waiting for `turn_complete` must see it at once.
        func out(_ text: String, newline: Bool = true) {
            FileHandle.standardOutput.write(Data((newline ? text + "\n" : text).utf8))
        }

        static func samplePhone(for deployment: Deployment) -> String {
            switch deployment.region {
            case "MA": "+212612345678"
            case "RS": "+381631234567"
            case "FR": "+33612345678"
            default: "+38344123456"
            }
        }

        func show(_ outputs: [Simulator.Output]) {
            for output in outputs {
                switch output {
                case .reply(let reply) where reply.channel == .ussd:
                    out("┌ USSD \(reply.endsSession ? "END" : "CON") · \(reply.encoding.rawValue) \(reply.units) units")
                    for line in reply.text.split(separator: "\n", omittingEmptySubsequences: false) { out("│ \(line)") }
                    out("└")
                case .reply(let reply):
                    out("← [\(reply.language) · \(reply.encoding.rawValue) · \(reply.segments) segment\(reply.segments == 1 ? "" : "s")]")
                    for line in reply.text.split(separator: "\n", omittingEmptySubsequences: false) { out("  \(line)") }
                case .report(let report):
                    let landmark = report.submission.landmark
                    out("✔ report \(report.reference): \(report.submission.categoryID) at \(landmark.id ?? "\"\(landmark.text)\" (unresolved)"): \(report.submission.description)")
                case .error(let message):
                    out("! \(message)")
                }
            }
        }
    }
}
