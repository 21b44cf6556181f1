/// A language variant a dialog speaks, as a BCP 47 tag (`sq`, `sr-Latn`, `sr-Cyrl`, `ar`, `fr`).
///
/// A struct rather than an enum so that a deployment can add a language by editing YAML only.
public struct LanguageTag: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public static let albanian = LanguageTag("sq")
    public static let serbianLatin = LanguageTag("sr-Latn")
    public static let serbianCyrillic = LanguageTag("sr-Cyrl")
    public static let arabic = LanguageTag("ar")
    public static let french = LanguageTag("fr")

    /// The primary language subtag (`sr` for `sr-Cyrl`).
    public var primary: String { String(rawValue.split(separator: "-").first ?? Substring(rawValue)) }

    /// The script residents write this variant in; Serbian has two.
    public var script: Script {
        if rawValue.hasSuffix("-Cyrl") { return .cyrillic }
        if rawValue.hasSuffix("-Latn") { return .latin }
        switch primary {
        case "ar", "ary", "fa", "ur": return .arabic
        case "ru", "uk", "bg", "mk": return .cyrillic
        default: return .latin
        }
    }

    public var description: String { rawValue }
    public static func < (lhs: LanguageTag, rhs: LanguageTag) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The writing systems the bridge tells apart when it guesses a language or folds text.
public enum Script: String, Sendable, Codable, CaseIterable {
    case latin, cyrillic, arabic
}
