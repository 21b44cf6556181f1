import BridgeCore
import Foundation
import Testing

/// End to end: the built `smsbridge` executable, as operators and scripts run it.
@Suite struct ValidateCommandTests {
    static let headers = ["prishtina sq", "prishtina sr-Latn", "prishtina sr-Cyrl", "casablanca ar", "casablanca fr"]

    @Test func shippedConfigurationPassesWithAPerLanguageTable() throws {
        // No --config: the default Config/smsbridge.yaml, relative to the working directory.
        let result = try RunningCommand.run(["validate"], in: Package.root)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        let lines = result.stdoutLines
        #expect(lines.last == "ok: 2 deployments, every prompt within budget")

        let messages = TextID.allCases.filter(\.isMessage)
        let headerIndices = lines.indices.filter { !lines[$0].hasPrefix(" ") && !lines[$0].hasPrefix("ok:") }
        #expect(headerIndices.map { lines[$0] } == Self.headers)
        for (position, start) in headerIndices.enumerated() {
            let end = position + 1 < headerIndices.count ? headerIndices[position + 1] : lines.count - 1
            let rows = Array(lines[(start + 1)..<end])
            let language = lines[start].split(separator: " ")[1]
            // One row per message text, in TextID order, none marked over budget.
            #expect(rows.map { $0.split(separator: " ").first.map(String.init) ?? "" } == messages.map(\.rawValue), "\(lines[start])")
            #expect(rows.allSatisfy { $0.hasPrefix("   ") }, "a row is marked '!' under \(lines[start])")
            let category = try #require(rows.first { $0.contains("category_question") })
            if language == "sr-Cyrl" || language == "ar" {
                #expect(category.contains("UCS-2") && category.contains("2 segments") && category.contains("USSD 2 screens"), "\(category)")
            } else {
                #expect(category.contains("GSM-7") && category.contains("1 segment ") && category.contains("USSD 1 screen,"), "\(category)")
            }
            for row in rows {
                #expect(row.range(of: #"(GSM-7|UCS-2) [0-9]+ units, [12] segments? +USSD [0-9]+ screens?, largest [0-9]+ (GSM-7|UCS-2)$"#,
                                  options: .regularExpression) != nil, "\(row)")
            }
        }
    }

    @Test func brokenCopyFailsWithFileLineMessage() throws {
        let copy = try ConfigurationCopy()
        defer { copy.remove() }
        let centerLine = try copy.replace("Config/deployments/prishtina.yaml", "center: {lat: 42.66290, lon: 21.16550}", with: "center: town-hall")
        let thanksLine = try copy.replace("Dialogs/report.yaml", "numrin {ref}.", with: "numrin {reference}.")

        let result = try RunningCommand.run(["validate", "--quiet"], in: copy.directory)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        // Paths relative to the working directory, sorted by file then line, then the count.
        let expected = [
            "Config/deployments/prishtina.yaml:\(centerLine): 'center' names an unknown landmark 'town-hall'",
            "Dialogs/report.yaml:\(thanksLine): texts.thanks.sq uses unknown placeholder {reference} (allowed: {ref})",
            "2 problems",
        ]
        let lines = result.stdoutLines
        #expect(lines.count == expected.count, "\(result.stdout)")
        for (line, wanted) in zip(lines, expected) {
            #expect(line == wanted || line.hasSuffix("/" + wanted), "\(line)")
        }
    }

    @Test func brokenCopyWithTheTableStillEndsWithTheProblems() throws {
        let copy = try ConfigurationCopy()
        defer { copy.remove() }
        let line = try copy.replace("Dialogs/report.yaml", "    retries: 2", with: "    retires: 2")
        let result = try RunningCommand.run(["validate", "--config", copy.directory.appendingPathComponent("Config/smsbridge.yaml").path])
        #expect(result.status == 1)
        let lines = result.stdoutLines
        #expect(lines.contains("prishtina sq"))
        #expect(lines.suffix(2).first?.hasSuffix("Dialogs/report.yaml:\(line): unknown key 'retires' in a step (known keys: after_retries, id, max_length, min_length, retries)") ?? false,
                "\(lines.suffix(3))")
        #expect(lines.last == "1 problem")
    }
}

@Suite struct SimulateCommandTests {
    static let kosovo = "+38344123456"
    static let morocco = "+212612345678"
    static let smsKeys = ["to", "text", "encoding", "segments", "awaiting", "language"]
    static let screenKeys = ["to", "screen", "end", "awaiting", "language", "encoding", "units"]

    static func message(_ text: String, from: String = kosovo, ussd: Bool = false) -> String {
        var fields = [("from", from), ("text", text)]
        if ussd { fields += [("channel", "ussd"), ("session", "s1")] }
        let object = JSONLine.object(fields.map { ($0.0, JSONLine.string($0.1)) })
        return object.rendered
    }

    /// Sends one line and returns its parsed outputs; every output line must be a JSON object.
    static func turn(_ command: RunningCommand, _ line: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [JSONOutput] {
        try command.turn(line).map { try JSONOutput($0, sourceLocation: sourceLocation) }
    }

    static func checkSMS(_ output: JSONOutput, to phone: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(output.keys == smsKeys, "\(output)", sourceLocation: sourceLocation)
        #expect(output.string("to") == phone, sourceLocation: sourceLocation)
        #expect(["\"GSM-7\"", "\"UCS-2\""].contains(output.json("encoding") ?? ""), "\(output)", sourceLocation: sourceLocation)
        #expect((output.int("segments") ?? 0) >= 1, "\(output)", sourceLocation: sourceLocation)
    }

    static func checkScreen(_ output: JSONOutput, to phone: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(output.keys == screenKeys, "\(output)", sourceLocation: sourceLocation)
        #expect(output.string("to") == phone, sourceLocation: sourceLocation)
        let units = output.int("units") ?? .max
        let limit = output.string("encoding") == "GSM-7" ? 182 : 80
        #expect(units <= limit, "\(output)", sourceLocation: sourceLocation)
        #expect(output.bool("end") != nil, "\(output)", sourceLocation: sourceLocation)
    }

    @Test func guidedAlbanianReportPrintsOneJSONObjectPerLineAndATurnMarkerPerInput() throws {
        let command = try RunningCommand(["simulate", "--json"])
        defer { command.stop() }
        let description = "Llamba nuk punon prej dy javësh"
        let script: [(input: String, awaiting: String?)] = [
            ("Përshëndetje", "language"),
            ("1", "category"),
            ("2", "landmark"),
            ("te sheshi skenderbeu", "description"),
            (description, "confirm"),
            ("po", nil),
        ]
        var replies: [JSONOutput] = []
        var report: JSONOutput?
        for (input, awaiting) in script {
            // The turn marker arrives while stdin is still open: output is not held back in a buffer.
            let outputs = try Self.turn(command, Self.message(input))
            let sms = outputs.filter(\.isSMS)
            try #require(!sms.isEmpty, "no SMS for '\(input)': \(outputs)")
            for reply in sms { Self.checkSMS(reply, to: Self.kosovo) }
            let last = try #require(sms.last)
            if let awaiting {
                #expect(last.string("awaiting") == awaiting, "after '\(input)': \(last)")
            } else {
                #expect(last.json("awaiting") == "null", "after '\(input)': \(last)")
            }
            #expect(sms.allSatisfy { $0.string("language") == "sq" })
            #expect(outputs.allSatisfy { $0.isSMS || $0.isReport }, "\(outputs)")
            replies += sms
            if let found = outputs.first(where: { $0.isReport }) { report = found }
        }
        #expect(replies[0].string("text")?.contains("1 Shqip\n2 Srpski\n3 Српски") ?? false, "\(replies[0])")
        #expect(replies[1].string("text")?.hasPrefix("Kategoria:\n1 ") ?? false, "\(replies[1])")
        #expect(replies.allSatisfy { $0.int("segments") == 1 })
        let summary = try #require(replies.first { $0.string("awaiting") == "confirm" }?.string("text"))
        #expect(summary.contains("Ndricimi publik") && summary.contains("Sheshi Skenderbeu"), "\(summary)")

        let outer = try #require(report, "no report object")
        #expect(outer.keys == ["report"])
        let submitted = try outer.child("report")
        #expect(submitted.keys == ["ref", "deployment", "category", "language", "landmark", "description", "phone"])
        #expect(submitted.string("ref") == "1001")
        #expect(submitted.string("deployment") == "prishtina")
        #expect(submitted.string("category") == "lighting")
        #expect(submitted.string("language") == "sq")
        #expect(submitted.string("description") == description)
        #expect(submitted.string("phone") == Self.kosovo)
        let landmark = try submitted.child("landmark")
        #expect(landmark.keys == ["id", "text", "lat", "lon"])
        #expect(landmark.string("id") == "skanderbeg-square")
        #expect(landmark.string("text") == "te sheshi skenderbeu")
        let square = try #require(Package.configuration.deployment(id: "prishtina")?.landmarks.first { $0.id == "skanderbeg-square" })
        // Numbers, not strings, and the coordinates the landmarks file gives.
        let lat = try #require(landmark.json("lat").flatMap(Double.init), "\(landmark)")
        let lon = try #require(landmark.json("lon").flatMap(Double.init), "\(landmark)")
        #expect(abs(lat - square.latitude) < 1e-9 && abs(lon - square.longitude) < 1e-9)
        #expect(replies.last?.string("text")?.contains("1001") ?? false, "\(String(describing: replies.last))")

        let result = try command.finish()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty, "output after the last turn: \(result.stdout)")
    }

    @Test func malformedLinesGiveAnErrorAndTheRunGoesOn() throws {
        let command = try RunningCommand(["simulate", "--json"])
        defer { command.stop() }
        let greeting = try Self.turn(command, Self.message("Përshëndetje"))
        #expect(greeting.last?.string("awaiting") == "language")

        let cases: [(line: String, words: [String])] = [
            ("this is not json", ["line 2", "not a JSON object"]),
            (#"{"text":"hello"}"#, ["line 3", "'from'"]),
            (#"{"from":"+38344123456"}"#, ["line 4", "'text'"]),
            (#"{"from":"+38344123456","text":"1","channel":"fax"}"#, ["line 5", "'channel'"]),
            (#"{"from":"+38344123456","text":"1","at":"yesterday"}"#, ["line 6", "'at'", "ISO 8601"]),
        ]
        for (line, words) in cases {
            let outputs = try Self.turn(command, line)
            try #require(outputs.count == 1, "\(line) → \(outputs)")
            #expect(outputs[0].keys == ["error"], "\(outputs[0])")
            let error = outputs[0].string("error") ?? ""
            for word in words { #expect(error.contains(word), "\(line) → \(error)") }
        }
        // The conversation kept its state: "1" still answers the language menu.
        let next = try Self.turn(command, Self.message("1"))
        #expect(next.last?.string("awaiting") == "category", "\(next)")
        #expect(next.last?.string("language") == "sq")
        let result = try command.finish()
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func ussdChannelPrintsScreensAndPagesTheCategoryMenu() throws {
        let casablanca = try #require(Package.configuration.deployment(id: "casablanca"))
        let arabic = LanguageTag("ar")
        let labels = casablanca.categories.map { $0.label(in: arabic) }
        let more = "99 " + casablanca.dialog.text(.ussdMore, arabic)
        let back = "0 " + casablanca.dialog.text(.ussdBack, arabic)

        let command = try RunningCommand(["simulate", "--json", "--channel", "ussd"])
        defer { command.stop() }
        func screen(_ text: String) throws -> JSONOutput {
            let outputs = try Self.turn(command, Self.message(text, from: Self.morocco, ussd: true))
            try #require(outputs.count == 1, "'\(text)' → \(outputs)")
            Self.checkScreen(outputs[0], to: Self.morocco)
            #expect(outputs[0].bool("end") == false, "\(outputs[0])")
            return outputs[0]
        }

        let menu = try screen("")
        #expect(menu.string("awaiting") == "language")
        #expect(menu.string("language") == "ar")

        let first = try screen("1")
        #expect(first.string("awaiting") == "category")
        let firstText = try #require(first.string("screen"))
        let firstLines = firstText.split(separator: "\n").map(String.init)
        #expect(firstLines.last == more, "\(firstText)")
        #expect(firstLines.contains("1 \(labels[0])"), "\(firstText)")
        #expect(!firstLines.contains("\(labels.count) \(labels[labels.count - 1])"), "the first page holds every option: \(firstText)")

        let second = try screen("99")
        let secondText = try #require(second.string("screen"))
        let secondLines = secondText.split(separator: "\n").map(String.init)
        #expect(secondLines.last == back, "\(secondText)")
        #expect(secondLines.contains("\(labels.count) \(labels[labels.count - 1])"), "\(secondText)")
        #expect(!secondLines.contains("1 \(labels[0])"), "\(secondText)")
        #expect(second.string("awaiting") == "category")
        // Every option is on exactly one of the two pages.
        for (index, label) in labels.enumerated() {
            #expect((firstLines + secondLines).filter { $0 == "\(index + 1) \(label)" }.count == 1, "\(label)")
        }

        let again = try screen("0")
        #expect(again.string("screen") == firstText)

        let parks = try #require(casablanca.categories.firstIndex { $0.id == "parks" })
        let landmark = try screen(String(parks + 1))
        #expect(landmark.string("awaiting") == "landmark")
        #expect(try screen("Twin Center").string("awaiting") == "description")
        #expect(try screen("الحديقة مهملة").string("awaiting") == "confirm")

        // The confirmation ends the session; the report and its reference follow.
        let outputs = try Self.turn(command, Self.message("1", from: Self.morocco, ussd: true))
        let last = try #require(outputs.first { $0.isScreen }, "\(outputs)")
        Self.checkScreen(last, to: Self.morocco)
        #expect(last.bool("end") == true, "\(last)")
        let report = try #require(outputs.first { $0.isReport }, "\(outputs)").child("report")
        #expect(report.string("category") == "parks")
        #expect(report.string("deployment") == "casablanca")
        #expect(try report.child("landmark").string("id") == "twin-center")
        _ = try command.finish()
    }

    @Test func channelOptionAppliesToLinesWithoutAChannel() throws {
        let input = Self.message("", from: Self.kosovo) + "\n"
        let result = try RunningCommand.run(["simulate", "--json", "--channel", "ussd"], input: input)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdoutLines
        #expect(lines.last == RunningCommand.turnComplete)
        let screen = try JSONOutput(try #require(lines.first))
        Self.checkScreen(screen, to: Self.kosovo)
        #expect(screen.string("awaiting") == "language")
        #expect(screen.string("language") == "sq")
    }

    @Test func deploymentOptionRoutesAKosovoNumberToCasablanca() throws {
        // Without the option a +383 number reaches Prishtina.
        let plain = try RunningCommand.run(["simulate", "--json"], input: Self.message("Bonjour") + "\n")
        let prishtina = try JSONOutput(try #require(plain.stdoutLines.first))
        #expect(prishtina.string("language") == "sq", "\(prishtina)")

        let command = try RunningCommand(["simulate", "--json", "--deployment", "casablanca"])
        defer { command.stop() }
        let greeting = try Self.turn(command, Self.message("Bonjour"))
        let menu = try #require(greeting.first)
        Self.checkSMS(menu, to: Self.kosovo)
        // "Bonjour" is French: the menu is shown in French until the resident picks.
        #expect(menu.string("language") == "fr")
        #expect(menu.string("awaiting") == "language")
        #expect(menu.string("text")?.contains("Français") ?? false, "\(menu)")
        #expect(!(menu.string("text")?.contains("Shqip") ?? true), "\(menu)")

        for (input, awaiting) in [("2", "category"), ("1", "landmark"), ("Place Mohammed V", "description"), ("Trou dans la chaussée", "confirm")] {
            let outputs = try Self.turn(command, Self.message(input))
            #expect(outputs.last?.string("awaiting") == awaiting, "'\(input)' → \(outputs)")
            #expect(outputs.last?.string("language") == "fr")
        }
        let outputs = try Self.turn(command, Self.message("oui"))
        let report = try #require(outputs.first { $0.isReport }, "\(outputs)").child("report")
        #expect(report.string("deployment") == "casablanca")
        #expect(report.string("phone") == Self.kosovo)
        #expect(report.string("category") == "roads")
        #expect(try report.child("landmark").string("id") == "place-mohammed-v")
        _ = try command.finish()
    }

    @Test func unknownDeploymentIsRefused() throws {
        let result = try RunningCommand.run(["simulate", "--json", "--deployment", "nowhere"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("unknown deployment 'nowhere'") && result.stderr.contains("prishtina, casablanca"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func brokenConfigurationIsRefusedWithFileLineMessage() throws {
        let copy = try ConfigurationCopy()
        defer { copy.remove() }
        let line = try copy.replace("Config/landmarks/prishtina.yaml", "  - id: mother-teresa-cathedral", with: "  - id: skanderbeg-square")
        let result = try RunningCommand.run(["simulate", "--json"], input: Self.message("Përshëndetje") + "\n", in: copy.directory)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty, "\(result.stdout)")
        let expected = "Config/landmarks/prishtina.yaml:\(line): landmark id 'skanderbeg-square' is used twice"
        #expect(result.stderr.split(separator: "\n").contains { $0 == expected || $0.hasSuffix("/" + expected) }, "\(result.stderr)")
    }
}
