import Foundation

/// Something to show the resident before it is laid out for a channel: a plain text, or a numbered menu.
enum Prompt: Equatable {
    case text(String)
    /// `template` holds `{menu}`; options are numbered from 1.
    case menu(template: String, options: [String])
}

/// Fills dialog texts and lays them out as SMS (encoded, segment-counted) or USSD screens (paged).
///
/// Pure: the engine, the simulator and `validate` all use it, so what is checked is what is sent.
public struct MessageRenderer: Sendable {
    public let deployment: Deployment
    public init(deployment: Deployment) { self.deployment = deployment }

    /// The dialog text with its placeholders filled.
    public func fill(_ id: TextID, _ language: LanguageTag, _ values: [String: String] = [:]) -> String {
        Self.fill(deployment.dialog.text(id, language), values)
    }

    /// Replaces each `{key}` of `template` that `values` names, in one pass: a value is never searched for placeholders
    /// itself, so a resident's description that happens to hold `{landmark}` is shown as typed. Unknown keys stay as
    /// written. (It replaced Foundation's `replacingOccurrences`, one pass per key, a hot spot of the engine.)
    static func fill(_ template: String, _ values: [String: String]) -> String {
        guard !values.isEmpty else { return template }
        let utf8 = template.utf8
        var result = ""
        var copied = utf8.startIndex
        var cursor = utf8.startIndex
        // `{` and `}` are ASCII, never part of a multi-byte sequence, so every index found here is a scalar boundary.
        while let open = utf8[cursor...].firstIndex(of: UInt8(ascii: "{")) {
            let keyStart = utf8.index(after: open)
            guard let close = utf8[keyStart...].firstIndex(of: UInt8(ascii: "}")) else { break }
            if let value = values[String(template[keyStart..<close])] {
                result += template[copied..<open]
                result += value
                copied = utf8.index(after: close)
                cursor = copied
            } else {
                cursor = keyStart
            }
        }
        if copied == utf8.startIndex { return template }
        result += template[copied...]
        return result
    }

    /// The text as it will be sent by SMS: sanitised, GSM-7 spelling where that saves segments.
    public func sms(_ native: String, _ language: LanguageTag) -> OutboundText {
        SMSComposer.prepare(native, script: language.script, allowFallbackSpelling: deployment.gsmFallbackSpelling)
    }

    /// The text as one USSD screen (sanitised; USSD has no segments to save, so native spelling is kept if it fits).
    public func ussd(_ native: String) -> (text: String, encoding: SMSEncoding, units: Int, limit: Int) {
        var text = SMSSanitizer.sanitize(native)
        var cost = USSDScreen.cost(of: text)
        if cost.units > cost.limit, deployment.gsmFallbackSpelling {
            let folded = GSMFallbackSpelling.fold(text)
            let foldedCost = USSDScreen.cost(of: folded)
            if foldedCost.units <= foldedCost.limit {
                text = folded
                cost = foldedCost
            }
        }
        return (text, cost.encoding, cost.units, cost.limit)
    }

    static func menuLines(_ options: [String], from first: Int = 1) -> String {
        options.enumerated().map { "\($0.offset + first) \($0.element)" }.joined(separator: "\n")
    }

    func smsText(_ prompt: Prompt) -> String {
        switch prompt {
        case .text(let text): text
        case .menu(let template, let options): Self.fill(template, ["menu": Self.menuLines(options)])
        }
    }

    /// The SMS budget of a prompt: one segment, two for a full menu in a UCS-2 language.
    func segmentBudget(_ prompt: Prompt, _ language: LanguageTag) -> Int {
        if case .menu(_, let options) = prompt, options.count > 5, language.script != .latin { return 2 }
        return 1
    }

    /// Notices ("session expired", "not understood") ride in the prompt's SMS when that costs no extra segment.
    func smsReplies(notices: [String], prompt: Prompt?, language: LanguageTag, to phone: String, awaiting: StepID?) -> [Reply] {
        var parts = notices
        var budget = 1
        if let prompt {
            parts.append(smsText(prompt))
            budget = segmentBudget(prompt, language)
        }
        guard !parts.isEmpty else { return [] }
        let joined = sms(parts.joined(separator: "\n"), language)
        let separate = parts.map { sms($0, language) }
        let texts: [OutboundText]
        if parts.count == 1 || joined.cost.segments <= max(budget, separate.last?.cost.segments ?? 1) {
            texts = [joined]
        } else {
            texts = separate
        }
        return texts.enumerated().map { index, text in
            reply(text, language: language, to: phone, awaiting: index == texts.count - 1 ? awaiting : nil)
        }
    }

    func reply(_ text: OutboundText, language: LanguageTag, to phone: String, awaiting: StepID?) -> Reply {
        Reply(to: phone, text: text.text, language: language, channel: .sms, encoding: text.cost.encoding,
              segments: text.cost.segments, units: text.cost.units, awaiting: awaiting, endsSession: false)
    }

    /// One USSD screen for `prompt` at `page`: notices first if they fit, the menu paged with 99 (more) and 0 (back).
    func ussdScreen(notices: [String], prompt: Prompt?, page: Int, language: LanguageTag, to phone: String,
                    awaiting: StepID?, ends: Bool) -> Reply {
        var body: String
        switch prompt {
        case .none: body = ""
        case .text(let text)?: body = text
        case .menu(let template, let options)?:
            let pages = menuPages(template: template, options: options, language: language)
            body = pages[min(max(0, page), pages.count - 1)]
        }
        var candidates: [String] = []
        if !notices.isEmpty { candidates.append((notices + [body]).filter { !$0.isEmpty }.joined(separator: "\n")) }
        candidates.append(body.isEmpty ? notices.joined(separator: "\n") : body)
        let screen = candidates.map { ussd($0) }.first { $0.units <= $0.limit } ?? ussd(truncate(candidates.last ?? "", toUSSD: true))
        return Reply(to: phone, text: screen.text, language: language, channel: .ussd, encoding: screen.encoding, segments: 1,
                     units: screen.units, awaiting: ends ? nil : awaiting, endsSession: ends)
    }

    /// Menu pages that each fit one USSD screen; numbering stays global so "7" means the same on every page.
    func menuPages(template: String, options: [String], language: LanguageTag) -> [String] {
        let header = Self.fill(template, ["menu": ""]).trimmingWhitespace()
        let more = "99 " + fill(.ussdMore, language)
        let back = "0 " + fill(.ussdBack, language)
        var pages: [String] = []
        var index = 0
        while index < options.count {
            let first = pages.isEmpty
            var lines: [String] = first && !header.isEmpty ? [header] : []
            var taken = 0
            while index + taken < options.count {
                let candidate = lines + ["\(index + taken + 1) \(options[index + taken])"]
                let isLast = index + taken + 1 == options.count
                let footer = (isLast ? [] : [more]) + (first ? [] : [back])
                if fitsUSSD((candidate + footer).joined(separator: "\n")) || taken == 0 && !fitsUSSD((lines + footer).joined(separator: "\n")) {
                    lines = candidate
                    taken += 1
                } else {
                    break
                }
            }
            if taken == 0 { lines.append("\(index + 1) \(options[index])"); taken = 1 }
            index += taken
            let footer = (index < options.count ? [more] : []) + (first ? [] : [back])
            pages.append((lines + footer).joined(separator: "\n"))
        }
        return pages.isEmpty ? [header] : pages
    }

    func fitsUSSD(_ text: String) -> Bool {
        let screen = ussd(text)
        return screen.units <= screen.limit
    }

    /// Shortens a text to one SMS segment or one USSD screen, keeping its start.
    func truncate(_ text: String, toUSSD: Bool) -> String {
        var characters = Array(text)
        while !characters.isEmpty {
            let candidate = String(characters)
            if toUSSD ? fitsUSSD(candidate) : sms(candidate, .french).cost.segments <= 1 { return candidate }
            characters.removeLast(max(1, characters.count / 20))
        }
        return ""
    }

    /// The confirmation summary shrunk to its budget: description first, then the place, so the category always shows.
    func summary(category: String, landmark: String, description: String, language: LanguageTag, channel: Channel) -> String {
        let template = deployment.dialog.text(.confirmSummary, language)
        func render(_ place: String, _ words: String) -> String {
            Self.fill(template, ["category": category, "landmark": place, "description": words])
        }
        func fits(_ text: String) -> Bool {
            channel == .ussd ? fitsUSSD(text) : sms(text, language).cost.segments <= 1
        }
        var place = landmark
        var words = description
        if fits(render(place, words)) { return render(place, words) }
        words = Self.longestPrefix(of: description, minimum: 12) { fits(render(place, $0)) } ?? Self.shorten(description, to: 12)
        if fits(render(place, words)) { return render(place, words) }
        place = Self.longestPrefix(of: landmark, minimum: 8) { fits(render($0, words)) } ?? Self.shorten(landmark, to: 8)
        if fits(render(place, words)) { return render(place, words) }
        return render(Self.shorten(landmark, to: 8), "")
    }

    /// The longest "prefix…" of `text` that satisfies `fits`, by binary search over its length.
    static func longestPrefix(of text: String, minimum: Int, fits: (String) -> Bool) -> String? {
        let characters = Array(text)
        var low = min(minimum, characters.count)
        var high = characters.count
        guard fits(shorten(text, characters, to: low)) else { return nil }
        while low < high {
            let middle = (low + high + 1) / 2
            if fits(shorten(text, characters, to: middle)) { low = middle } else { high = middle - 1 }
        }
        return shorten(text, characters, to: low)
    }

    static func shorten(_ text: String, to length: Int) -> String {
        shorten(text, Array(text), to: length)
    }

    /// `characters` is `Array(text)`, made once by a caller that shortens the same text many times.
    private static func shorten(_ text: String, _ characters: [Character], to length: Int) -> String {
        guard characters.count > length else { return text }
        return String(characters.prefix(max(0, length))).trimmingWhitespace(newlines: false) + "..."
    }
}
