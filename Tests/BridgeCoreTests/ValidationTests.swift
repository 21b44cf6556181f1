import BridgeCore
import Foundation
import Testing

/// `smsbridge validate` promises `file:line: message` for every problem in Dialogs/ and Config/.
/// Each test breaks one thing in a copy of the shipped files and checks the file, the line and the words.
@Suite struct ValidationTests {
    static let dialog = "Dialogs/report.yaml"
    static let categories = "Config/categories.yaml"
    static let prishtina = "Config/deployments/prishtina.yaml"
    static let main = "Config/smsbridge.yaml"
    static let prishtinaLandmarks = "Config/landmarks/prishtina.yaml"
    static let casablancaLandmarks = "Config/landmarks/casablanca.yaml"

    // MARK: Shipped files

    @Test func shippedFilesHaveNoDiagnostics() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let diagnostics = copy.diagnostics()
        #expect(diagnostics.isEmpty, "\(Self.listing(diagnostics))")
        #expect(Repository.configuration.deployments.map(\.id) == ["prishtina", "casablanca"])
    }

    @Test func shippedPromptsFitOneSegmentExceptTheUCS2CategoryMenus() throws {
        let costs = ConfigurationValidator.validate(Repository.configuration).costs
        let sms = costs.filter { $0.channel == .sms }
        let messages = TextID.allCases.filter(\.isMessage)
        // Every message in every offered language of every deployment is costed.
        let expectedRows = Repository.configuration.deployments.reduce(0) { $0 + $1.languages.count } * messages.count
        #expect(sms.count == expectedRows)
        for deployment in Repository.configuration.deployments {
            for language in deployment.languages {
                for text in messages {
                    let matching = sms.filter { $0.deployment == deployment.id && $0.language == language && $0.text == text }
                    #expect(matching.count == 1, "\(deployment.id) \(language) \(text.rawValue) costed \(matching.count) times")
                }
            }
        }
        let twoSegments: Set<String> = ["sr-Cyrl", "ar"]
        for cost in sms {
            let label = "\(cost.deployment) \(cost.language) \(cost.text.rawValue): \(cost.encoding.rawValue) \(cost.units) units"
            #expect(cost.withinBudget, "\(label) is over its budget of \(cost.budget)")
            if cost.text == .categoryQuestion && twoSegments.contains(cost.language.rawValue) {
                #expect(cost.segments == 2, "\(label)")
                #expect(cost.budget == 2, "\(label)")
                #expect(cost.encoding == .ucs2, "\(label)")
            } else {
                #expect(cost.segments == 1, "\(label)")
                #expect(cost.budget == 1, "\(label)")
            }
        }
        // Every USSD screen fits; the paged UCS-2 category menus take two screens.
        for cost in costs where cost.channel == .ussd {
            let limit = cost.encoding == .gsm7 ? 182 : 80
            #expect(cost.units <= limit, "\(cost.deployment) \(cost.language) \(cost.text.rawValue) USSD \(cost.units) units")
        }
        let ussdMenus = costs.filter { $0.channel == .ussd && $0.text == .categoryQuestion }
        #expect(ussdMenus.filter { twoSegments.contains($0.language.rawValue) }.allSatisfy { $0.segments == 2 })
        #expect(ussdMenus.filter { !twoSegments.contains($0.language.rawValue) }.allSatisfy { $0.segments == 1 })
    }

    // MARK: YAML

    @Test func unclosedBracketIsAYAMLSyntaxErrorAtItsLine() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let line = try copy.replace(Self.prishtina, "languages: [sq, sr-Latn, sr-Cyrl]", with: "languages: [sq, sr-Latn, sr-Cyrl")
        let diagnostics = copy.diagnostics()
        // libyaml notices the missing `]` on the next line; the diagnostic points at the bracket and says where it was noticed.
        expectDiagnostic(diagnostics, Self.prishtina, line: line, "YAML syntax", "flow sequence", "noticed at line \(line + 1)")
        #expect(diagnostics.count == 1, "\(Self.listing(diagnostics))")
    }

    @Test func badIndentationIsAYAMLSyntaxErrorAtItsLine() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        // `after_retries` of the first step, indented less than its `id` but more than the list dash.
        let line = try copy.replace(Self.dialog, "    after_retries: default", with: "   after_retries: default")
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.dialog, line: line, "YAML syntax", "block collection", "column 4")
        #expect(diagnostics.count == 1, "\(Self.listing(diagnostics))")
    }

    @Test func duplicateKeyIsReported() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let line = try copy.replace(Self.prishtina, "region: XK", with: "region: XK\nregion: RS")
        let diagnostics = copy.diagnostics()
        // Yams names the first of the two keys.
        expectDiagnostic(diagnostics, Self.prishtina, line: line, "duplicate key", "region")
        #expect(diagnostics.count == 1, "\(Self.listing(diagnostics))")
    }

    @Test func invalidUTF8IsReportedAtTheLineOfTheFirstBadByte() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let line = try copy.line(of: "sq: \"Ndriçimi publik\"", in: Self.categories)
        // Saved as Latin-1: ç becomes the single byte E7.
        let url = copy.path(Self.categories)
        var bytes = [UInt8](try Data(contentsOf: url))
        let needle = Array("Ndriçimi publik".utf8)
        let start = try #require(bytes.indices.first { bytes[$0...].starts(with: needle) })
        bytes.replaceSubrange(start..<(start + needle.count), with: Array("Ndri".utf8) + [0xE7] + Array("imi publik".utf8))
        try Data(bytes).write(to: url)

        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.categories, line: line, "not valid UTF-8")
        #expect(diagnostics.count == 1, "\(Self.listing(diagnostics))")
    }

    @Test(arguments: ["", "# only a comment\n", "\n\n"])
    func emptyFileIsReported(_ content: String) throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        try copy.write(Self.casablancaLandmarks, content)
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.casablancaLandmarks, line: 1, "empty")
        #expect(diagnostics.count == 1, "\(Self.listing(diagnostics))")
    }

    // MARK: Dialog shape

    @Test func unknownStepIDIsReportedAtItsID() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let line = try copy.replace(Self.dialog, "  - id: landmark\n", with: "  - id: place\n")
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.dialog, line: line, "unknown step 'place'", "landmark")
        #expect(diagnostics.count == 1, "\(Self.listing(diagnostics))")
    }

    @Test func misspelledKeyIsReportedWithTheKnownKeys() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let stepLine = try copy.line(of: "  - id: category", in: Self.dialog)
        let line = try copy.replace(Self.dialog, "  - id: category\n    retries: 2", with: "  - id: category\n    retires: 2")
        #expect(line == stepLine)
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.dialog, line: line + 1, "unknown key 'retires'", "retries")
        #expect(diagnostics.count == 1, "\(Self.listing(diagnostics))")
    }

    @Test func misspelledKeyInADeploymentIsReported() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let line = try copy.replace(Self.prishtina, "gsm_fallback_spelling: true", with: "gsm_fallback_speling: true")
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.prishtina, line: line, "unknown key 'gsm_fallback_speling'", "gsm_fallback_spelling")
        #expect(diagnostics.filter { $0.file.hasSuffix(Self.prishtina) }.count == 1, "\(Self.listing(diagnostics))")
        // The misspelt key is ignored, so Prishtina loses the GSM-7 spelling and its Albanian texts go over budget:
        // every other diagnostic is that consequence, and none is about Casablanca.
        let others = diagnostics.filter { !$0.file.hasSuffix(Self.prishtina) }
        #expect(!others.isEmpty)
        #expect(others.allSatisfy { $0.file.hasSuffix(Self.dialog) && $0.message.contains("in prishtina") }, "\(Self.listing(others))")
        #expect(others.contains { $0.message.contains("texts.thanks.sq takes 2 SMS segments (UCS-2") })
    }

    @Test func afterRetriesChoosingAnUnknownCategoryIsReportedAtThatLine() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let line = try copy.replace(Self.dialog, "after_retries: choose other", with: "after_retries: choose others")
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.dialog, line: line, "choose others", "unknown category")
        // Both deployments use the dialog and the categories file; every report points at the same line.
        #expect(!diagnostics.isEmpty)
        #expect(diagnostics.allSatisfy { $0.file.hasSuffix(Self.dialog) && $0.line == line }, "\(Self.listing(diagnostics))")
    }

    @Test func afterRetriesThatDoesNotFitTheStepIsReported() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let line = try copy.replace(Self.dialog, "after_retries: keep-text", with: "after_retries: default")
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.dialog, line: line, "does not apply to step 'landmark'")
        #expect(diagnostics.count == 1, "\(Self.listing(diagnostics))")
    }

    // MARK: Deployments and references

    @Test func centerNamingAnUnknownLandmarkIsReported() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let line = try copy.replace(Self.prishtina, "center: {lat: 42.66290, lon: 21.16550}", with: "center: town-hall")
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.prishtina, line: line, "'center'", "unknown landmark 'town-hall'")
        #expect(diagnostics.count == 1, "\(Self.listing(diagnostics))")
    }

    @Test func centerNamingAKnownLandmarkIsAccepted() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        try copy.replace(Self.prishtina, "center: {lat: 42.66290, lon: 21.16550}", with: "center: city-hall")
        let diagnostics = copy.diagnostics()
        #expect(diagnostics.isEmpty, "\(Self.listing(diagnostics))")
        let configuration = try #require(ConfigurationLoader.load(copy.configPath).configuration)
        let hall = try #require(configuration.deployment(id: "prishtina")?.landmarks.first { $0.id == "city-hall" })
        #expect(configuration.deployment(id: "prishtina")?.center == Coordinate(latitude: hall.latitude, longitude: hall.longitude))
    }

    @Test func deploymentNamingAMissingFileIsReportedWhereItIsNamed() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let line = try copy.replace(Self.prishtina, "landmarks: ../landmarks/prishtina.yaml", with: "landmarks: ../landmarks/pristina.yaml")
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.prishtina, line: line, "cannot read", "Config/landmarks/pristina.yaml", "no such file")
        #expect(diagnostics.count == 1, "\(Self.listing(diagnostics))")
    }

    @Test func mainFileNamingAMissingDeploymentIsReportedWhereItIsNamed() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let line = try copy.replace(Self.main, "- deployments/casablanca.yaml", with: "- deployments/casablance.yaml")
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.main, line: line, "cannot read", "deployments/casablance.yaml", "no such file")
        #expect(diagnostics.count == 1, "\(Self.listing(diagnostics))")
    }

    // MARK: Texts

    @Test func textMissingInOneLanguageIsReportedAtTheText() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let textLine = try copy.line(of: "  landmark_choice:", in: Self.dialog)
        try copy.replace(Self.dialog, #"    fr: "Quel lieu ?\n{menu}""# + "\n", with: "")
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.dialog, line: textLine, "'landmark_choice'", "missing in 'fr'")
        #expect(diagnostics.count == 1, "\(Self.listing(diagnostics))")
    }

    @Test func unknownTextIDIsReported() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let textsLine = try copy.line(of: "\ntexts:\n", in: Self.dialog) + 1
        let line = try copy.replace(Self.dialog, "  landmark_none:", with: "  landmark_nothing:")
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.dialog, line: line, "unknown text 'landmark_nothing'")
        // The renamed text is now missing in every language: reported at `texts:`, not at some other text.
        for language in ["sq", "sr-Latn", "sr-Cyrl", "ar", "fr"] {
            expectDiagnostic(diagnostics, Self.dialog, line: textsLine, "'landmark_none' is missing in '\(language)'")
        }
        #expect(diagnostics.count == 6, "\(Self.listing(diagnostics))")
    }

    @Test func unknownPlaceholderIsReportedWithTheAllowedOnes() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let line = try copy.replace(Self.dialog, "Raporti u pranua me numrin {ref}.", with: "Raporti u pranua me numrin {reference}.")
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.dialog, line: line, "texts.thanks.sq", "unknown placeholder {reference}", "{ref}")
        #expect(diagnostics.count == 1, "\(Self.listing(diagnostics))")
    }

    // MARK: Budgets

    @Test func ucs2PromptOverOneSegmentIsReportedWithEncodingAndCount() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let long = "Укратко опишите проблем и тачно место где се налази, молимо вас, детаљније."
        try #require(long.utf16.count == 75)
        let line = try copy.replace(Self.dialog, "sr-Cyrl: \"Укратко опишите проблем.\"", with: "sr-Cyrl: \"\(long)\"")
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.dialog, line: line,
                         "texts.description_question.sr-Cyrl", "2 SMS segments (UCS-2, 75 UTF-16 units)", "prishtina", "budget is 1")
        #expect(diagnostics.count == 1, "\(Self.listing(diagnostics))")
    }

    @Test func gsm7MenuOverOneSegmentIsReportedWithEncodingAndCount() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let shipped = try #require(Self.shippedCost(.categoryQuestion, "sq", in: "prishtina"))
        #expect(shipped.encoding == .gsm7 && shipped.segments == 1)
        let header = "Zgjidhni kategorine e problemit:"
        let line = try copy.replace(Self.dialog, #"sq: "Kategoria:\n{menu}""#, with: #"sq: ""# + header + #"\n{menu}""#)
        let septets = shipped.units + header.count - "Kategoria:".count
        #expect(septets > 160)
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.dialog, line: line,
                         "texts.category_question.sq", "2 SMS segments (GSM-7, \(septets) septets)", "budget is 1")
        #expect(diagnostics.count == 1, "\(Self.listing(diagnostics))")
    }

    @Test func ucs2CategoryMenuMayTakeTwoSegmentsButNotThree() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let shipped = try #require(Self.shippedCost(.categoryQuestion, "sr-Cyrl", in: "prishtina"))
        #expect(shipped.segments == 2 && shipped.budget == 2)
        let line = try copy.replace(Self.dialog, #"sr-Cyrl: "Врста:\n{menu}""#, with: #"sr-Cyrl: "Врста проблема:\n{menu}""#)
        let units = shipped.units + "Врста проблема:".utf16.count - "Врста:".utf16.count
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.dialog, line: line,
                         "texts.category_question.sr-Cyrl", "3 SMS segments (UCS-2, \(units) UTF-16 units)", "budget is 2")
        #expect(diagnostics.count == 1, "\(Self.listing(diagnostics))")
    }

    @Test func textOverAUSSDScreenIsReportedWithEncodingAndCount() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let long = "Mots-cles : AIDE, STOP, MENU, RETOUR, STATUT 1234, LANGUE. Pour signaler un probleme de voirie, "
            + "d'eclairage, de dechets ou d'eau, envoyez un message decrivant le probleme et le lieu exact, merci."
        #expect(long.count > 182)
        let line = try copy.replace(Self.dialog, "fr: \"Mots-clés : AIDE", with: "fr: \"\(long)\" #")
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.dialog, line: line, "texts.help.fr", "USSD screen of \(long.count) septets (GSM-7)", "holds 182")
        expectDiagnostic(diagnostics, Self.dialog, line: line, "texts.help.fr", "2 SMS segments (GSM-7, \(long.count) septets)")
        #expect(diagnostics.count == 2, "\(Self.listing(diagnostics))")
    }

    @Test func categoryLabelTooLongForAUSSDMenuLineIsReported() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let long = "تسرب الماء من القنوات والأنابيب في الشارع أو في الرصيف أو قرب المنازل والمدارس والحدائق"
        let labelLine = try copy.replace(Self.categories, "ar: \"تسرب الماء\"", with: "ar: \"\(long)\"")
        let categoryLine = try copy.line(of: "  - id: water", in: Self.categories)
        let textLine = try copy.line(of: #"ar: "الفئة:\n{menu}""#, in: Self.dialog)
        #expect(labelLine > categoryLine)
        // Its menu line alone, "4 <label>", with the paging lines cannot fit 80 UTF-16 units.
        let screen = "4 \(long)\n99 المزيد\n0 رجوع"
        #expect(screen.utf16.count > 80)
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.dialog, line: textLine, "texts.category_question.ar", "USSD screen of", "(UCS-2)", "holds 80")
        expectDiagnostic(diagnostics, Self.categories, line: categoryLine, "'water'", "ar", "USSD", "UCS-2", "holds 80")
        // The SMS menu is over its two segments as well.
        expectDiagnostic(diagnostics, Self.dialog, line: textLine, "texts.category_question.ar", "SMS segments (UCS-2", "budget is 2")
    }

    // MARK: Words that collide

    @Test func synonymSharedByTwoCategoriesIsReported() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let line = try copy.replace(Self.categories, #"      sq: ["ndriçim", "#, with: #"      sq: ["gropa", "ndriçim", "#)
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.categories, line: line, "'gropa'", "'roads'", "'lighting'")
        #expect(diagnostics.count == 1, "\(Self.listing(diagnostics))")
    }

    @Test(arguments: [("sq", "dy", 2), ("fr", "3", 3), ("sr-Latn", "pet", 5)])
    func synonymThatReadsAsAnOptionNumberIsReported(_ language: String, _ word: String, _ number: Int) throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let (old, first) = switch language {
        case "sq": (#"      sq: ["gropë", "#, "gropë")
        case "fr": (#"      fr: ["route", "#, "route")
        default: (#"      sr-Latn: ["rupa", "#, "rupa")
        }
        let line = try copy.replace(Self.categories, old, with: old.replacingOccurrences(of: "\"\(first)\"", with: "\"\(word)\", \"\(first)\""))
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.categories, line: line, "'\(word)'", "'roads'", "option number \(number)")
        #expect(diagnostics.count == 1, "\(Self.listing(diagnostics))")
    }

    @Test func keywordWordUnderTwoKeywordIDsIsReportedWhereItWasAdded() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        // AIDE is French for help; an operator adds it to `back` as well.
        let backLine = try copy.line(of: "  back:\n", in: Self.dialog)
        let helpLine = try copy.line(of: "  help:\n", in: Self.dialog)
        try copy.replace(Self.dialog, #"    any: ["BACK"]"#, with: #"    any: ["BACK", "AIDE"]"#)
        let diagnostics = copy.diagnostics()
        // Reported under both ids, so the line just edited is among them whichever it was.
        expectDiagnostic(diagnostics, Self.dialog, line: backLine, "keyword 'aide' is listed under help and back")
        expectDiagnostic(diagnostics, Self.dialog, line: helpLine, "keyword 'aide' is listed under help and back")
        #expect(diagnostics.count == 2, "\(Self.listing(diagnostics))")
    }

    @Test func yesAndNoSharingAWordIsReported() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let yesLine = try copy.line(of: "  yes:\n", in: Self.dialog)
        try copy.replace(Self.dialog, #"    sq: ["jo"]"#, with: #"    sq: ["jo", "po"]"#)
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.dialog, line: yesLine, "'po'", "both yes and no", "'sq'")
        #expect(diagnostics.count == 1, "\(Self.listing(diagnostics))")
    }

    @Test func noWordThatIsAYesWordInEveryLanguageIsReported() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        // `OK` is a yes word for every language (`any`); adding it to the Albanian no words makes "ok" ambiguous.
        let yesLine = try copy.line(of: "  yes:\n", in: Self.dialog)
        try copy.replace(Self.dialog, #"    sq: ["jo"]"#, with: #"    sq: ["jo", "ok"]"#)
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.dialog, line: yesLine, "'ok'", "both yes and no", "'sq'")
        #expect(diagnostics.count == 1, "\(Self.listing(diagnostics))")
    }

    // MARK: Landmarks

    @Test(arguments: [("95.0", "21.16380"), ("0", "0"), ("42.66360", "-181")])
    func landmarkWithInvalidCoordinatesIsReported(_ lat: String, _ lon: String) throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let line = try copy.replace(Self.prishtinaLandmarks, "    lat: 42.66360\n    lon: 21.16380", with: "    lat: \(lat)\n    lon: \(lon)")
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.prishtinaLandmarks, line: line, "'skanderbeg-square'", "invalid coordinates")
        #expect(diagnostics.count == 1, "\(Self.listing(diagnostics))")
    }

    @Test func landmarkFarFromItsCityIsReported() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let idLine = try copy.line(of: "  - id: skanderbeg-square", in: Self.prishtinaLandmarks)
        try copy.replace(Self.prishtinaLandmarks, "    lat: 42.66360\n    lon: 21.16380", with: "    lat: 21.16380\n    lon: 42.66360")
        let diagnostics = copy.diagnostics()
        let found = expectDiagnostic(diagnostics, Self.prishtinaLandmarks, line: idLine, "'skanderbeg-square'", "km from the centre of prishtina", "lat, lon")
        // Swapped coordinates put Prishtina's square in the Arabian Sea, thousands of kilometres away.
        let kilometres = found.flatMap { Int($0.message.split(separator: " ").first { Int($0) != nil } ?? "") } ?? 0
        #expect(kilometres > 2000)
        #expect(diagnostics.count == 1, "\(Self.listing(diagnostics))")
    }

    @Test func duplicateLandmarkIDIsReportedAtTheSecond() throws {
        let copy = try EditedConfiguration()
        defer { copy.remove() }
        let line = try copy.replace(Self.prishtinaLandmarks, "  - id: mother-teresa-cathedral", with: "  - id: skanderbeg-square")
        let diagnostics = copy.diagnostics()
        expectDiagnostic(diagnostics, Self.prishtinaLandmarks, line: line, "landmark id 'skanderbeg-square' is used twice")
        #expect(diagnostics.count == 1, "\(Self.listing(diagnostics))")
    }

    // MARK: Helpers

    static func shippedCost(_ text: TextID, _ language: String, in deployment: String) -> PromptCost? {
        ConfigurationValidator.validate(Repository.configuration).costs.first {
            $0.channel == .sms && $0.text == text && $0.language.rawValue == language && $0.deployment == deployment
        }
    }

    static func listing(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.isEmpty ? "no diagnostics" : diagnostics.map(\.description).joined(separator: "\n")
    }
}

/// Expects a diagnostic in `file` (a display path ending with it) at `line` whose message contains every fragment.
@discardableResult
func expectDiagnostic(
    _ diagnostics: [Diagnostic], _ file: String, line: Int, _ fragments: String...,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> Diagnostic? {
    let found = diagnostics.first { diagnostic in
        (diagnostic.file == file || diagnostic.file.hasSuffix("/" + file)) && diagnostic.line == line
            && fragments.allSatisfy { diagnostic.message.contains($0) }
    }
    if found == nil {
        Issue.record(
            "expected \(file):\(line): …\(fragments.joined(separator: "…"))…\ngot:\n\(ValidationTests.listing(diagnostics))",
            sourceLocation: sourceLocation)
    }
    return found
}
