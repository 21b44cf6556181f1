import BridgeCore
import Foundation

/// Fuzzes the text layer with any UTF-8 (lossily decoded) text: normalisation, numbers in every
/// script, keywords, yes/no, categories, landmarks and language guessing with the shipped
/// deployments' vocabularies, phone numbers, and the SMS side (sanitiser, GSM-7, fallback
/// spelling, segments, USSD screens). Checks that SMS parts join back into the text.
enum FuzzText {
    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)

        _ = TextNormalizer.keyVariants(text)
        _ = TextNormalizer.tokens(text)
        _ = TextNormalizer.dominantScript(text)
        _ = NumberWords.value(of: text)
        _ = NumberWords.number(in: text)
        for region in ["XK", "RS", "MA", "FR"] { _ = PhoneNumber.normalize(text, defaultRegion: region) }
        if case .e164(let e164) = PhoneNumber.normalize(text, defaultRegion: "XK") {
            _ = PhoneNumber.callingCode(of: e164)
            _ = PhoneNumber.masked(e164)
            _ = PhoneNumber.legacyKosovoMapping(e164)
        }
        _ = PhoneNumber.masked(text)

        // One deployment per input (the length picks it): the gazetteer's fuzzy matching is the costly part.
        do {
            let deployment = Shipped.deployments[bytes.count % Shipped.deployments.count]
            let matching = deployment.matching
            _ = matching.keywords.matches(text)
            _ = matching.categories.match(text)
            _ = matching.gazetteer.resolve(text)
            _ = matching.gazetteer.find(in: text)
            for language in deployment.languages {
                _ = matching.yesNo.match(text, language: language)
            }
            _ = matching.languageGuesser.guess(
                text, among: deployment.languages, defaultLanguage: deployment.defaultLanguage,
                callingCodeLanguage: deployment.languages.last)
        }

        let sanitized = SMSSanitizer.sanitize(text)
        for candidate in [text, sanitized, GSMFallbackSpelling.fold(sanitized)] {
            let cost = SMSSegmenter.cost(of: candidate)
            let parts = SMSSegmenter.parts(of: candidate)
            precondition(parts.count == cost.segments, "parts and cost disagree on segments")
            precondition(
                Array(parts.joined().unicodeScalars) == Array(candidate.unicodeScalars), "SMS parts do not join back into the text")
            if let septets = GSM7Alphabet.encode(candidate) { _ = GSM7Alphabet.decode(septets) }
            _ = USSDScreen.cost(of: candidate)
        }
        _ = GSM7Alphabet.decode(bytes)
        for script in [Script.latin, .cyrillic, .arabic] {
            _ = TextNormalizer.containsLetters(text, of: script)
            _ = SMSComposer.prepare(text, script: script, allowFallbackSpelling: true)
        }
        // Edit distance is quadratic by design; matchers call it on words, so fuzz it on words.
        let words = text.split(separator: " ").prefix(8).map { String($0.prefix(40)) }
        for (a, b) in zip(words, words.dropFirst()) { _ = EditDistance.damerauLevenshtein(a, b) }
    }
}
