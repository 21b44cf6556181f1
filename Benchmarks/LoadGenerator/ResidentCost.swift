import Foundation

/// What a report costs a resident, from `smsbridge simulate --json` over the same scripts the load phases send: inbound
/// messages per completed report, the encoding and segments of every prompt, and the segments the bridge sends per report
/// (prompts, acknowledgement and one status update), which is what an operator pays per report.
struct ResidentCost {
    let smsbridge: String
    let config: String

    struct Prompt: Hashable {
        var language: String
        var step: String
        var encoding: String
        var segments: Int
    }

    struct Conversation {
        var script: String
        var inbound = 0
        var sent = 0
        var segments = 0
        var reported = false
        var prompts: [Prompt] = []
    }

    /// One simulator process per script: each starts from an empty store, so every report is the resident's first.
    func run(_ script: Script) throws -> Conversation {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: smsbridge)
        process.arguments = ["simulate", "--json", "--config", config,
                             "--deployment", script.deployment == .prishtina ? "prishtina" : "casablanca"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        defer {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
        let reader = LineReader(handle: output.fileHandleForReading)
        var conversation = Conversation(script: script.name)
        let phone = script.phone(1, block: 0)
        var reference: String?

        func turn(_ object: [String: Any], kind: String?) throws {
            let line = try JSONSerialization.data(withJSONObject: object) + Data("\n".utf8)
            input.fileHandleForWriting.write(line)
            while let text = reader.next() {
                guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { continue }
                if object["turn_complete"] as? Bool == true { return }
                if let report = object["report"] as? [String: Any] {
                    conversation.reported = true
                    reference = report["ref"] as? String
                    continue
                }
                if let error = object["error"] as? String { throw CostError(message: "\(script.name): \(error)") }
                guard let segments = object["segments"] as? Int else { continue }
                conversation.sent += 1
                conversation.segments += segments
                let step = (object["awaiting"] as? String) ?? kind ?? (conversation.reported ? "acknowledgement" : "reply")
                conversation.prompts.append(Prompt(
                    language: object["language"] as? String ?? "?", step: step, encoding: object["encoding"] as? String ?? "?",
                    segments: segments))
            }
            throw CostError(message: "\(script.name): the simulator stopped answering")
        }

        for text in script.texts {
            conversation.inbound += 1
            try turn(["from": phone, "text": text], kind: nil)
            if conversation.reported { break }
        }
        if let reference {
            try turn(["status": ["ref": reference, "state": "fixed"]], kind: "status update")
        }
        return conversation
    }

    struct CostError: Error, CustomStringConvertible { var message: String; var description: String { message } }
}

/// Reads lines from a pipe without Foundation's buffering surprises: byte by byte into a buffer, split at newlines.
final class LineReader {
    let handle: FileHandle
    var buffer: [UInt8] = []

    init(handle: FileHandle) { self.handle = handle }

    func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            buffer += chunk
        }
    }
}
