import Foundation
import BridgeCore

/// The words the bridge adds to a resident's report, in the report's language.
///
/// Native speakers should review the defaults; a deployment can pass its own.
public struct ReportWording: Sendable, Equatable, Codable {
    /// Starts the line carrying the resident's place words (`Vendi: `).
    public var placePrefix: String
    /// The line saying the point is only the fallback (the municipality centre).
    public var approximateLocation: String

    public init(placePrefix: String, approximateLocation: String) {
        self.placePrefix = placePrefix
        self.approximateLocation = approximateLocation
    }

    /// Defaults for the languages the deployments speak; English otherwise.
    public static func standard(for language: LanguageTag) -> ReportWording {
        switch (language.primary, language.script) {
        case ("sq", _): ReportWording(placePrefix: "Vendi: ", approximateLocation: "Vendndodhja është e përafërt (qendra e komunës).")
        case ("sr", .cyrillic): ReportWording(placePrefix: "Место: ", approximateLocation: "Локација је приближна (центар општине).")
        case ("sr", _): ReportWording(placePrefix: "Mesto: ", approximateLocation: "Lokacija je približna (centar opštine).")
        case ("ar", _), ("ary", _): ReportWording(placePrefix: "المكان: ", approximateLocation: "الموقع تقريبي (وسط الجماعة).")
        case ("fr", _): ReportWording(placePrefix: "Lieu : ", approximateLocation: "Emplacement approximatif (centre de la commune).")
        default: ReportWording(placePrefix: "Place: ", approximateLocation: "Approximate location (municipality centre).")
        }
    }
}

/// Builds a report's title and text from what the resident said.
public enum ReportText {
    /// A short title, category label then place words (`Gropa në rrugë – afër xhamisë`), at most `maxLength` characters.
    /// FixMyStreet requires a title; Open311 has none.
    public static func title(categoryLabel: String, landmark: String, maxLength: Int = 80) -> String {
        let label = collapse(categoryLabel)
        let place = collapse(landmark)
        guard !place.isEmpty else { return String(label.prefix(maxLength)) }
        guard !label.isEmpty else { return truncate(place, to: maxLength) }
        let separator = " – "
        let room = maxLength - label.count - separator.count
        guard room >= 8 else { return String(label.prefix(maxLength)) }
        return label + separator + truncate(place, to: room)
    }

    /// The resident's description, then a paragraph with the place words, then (fallback point only) the
    /// approximate-location paragraph.
    ///
    /// Paragraphs are separated by a blank line: FixMyStreet joins single line breaks into spaces and keeps only
    /// blank-line paragraph breaks.
    public static func detail(description: String, landmark: String, approximate: Bool, wording: ReportWording) -> String {
        var paragraphs: [String] = []
        let text = description.trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.isEmpty { paragraphs.append(text) }
        let place = collapse(landmark)
        if !place.isEmpty { paragraphs.append(wording.placePrefix + place) }
        if approximate { paragraphs.append(wording.approximateLocation) }
        return paragraphs.joined(separator: "\n\n")
    }

    /// Text compared the way FixMyStreet stores it: lower-cased, every run of whitespace one space.
    static func comparable(_ text: String) -> String { collapse(text).lowercased() }

    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
    }

    private static func truncate(_ text: String, to length: Int) -> String {
        guard text.count > length else { return text }
        return String(text.prefix(max(0, length - 1))).trimmingCharacters(in: .whitespaces) + "…"
    }
}
