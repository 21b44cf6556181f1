import Foundation

/// A kind of problem residents can report, named the way they say it and the way the platform files it.
public struct Category: Sendable, Equatable {
    /// Stable id (`roads`, `lighting`, ...).
    public var id: String
    /// The category name in FixMyStreet.
    public var fixmystreet: String
    /// Menu label per language.
    public var labels: [LanguageTag: String]
    /// Words residents use for it, per language.
    public var synonyms: [LanguageTag: [String]]
    /// Where it was written, for diagnostics.
    public var file: String
    public var line: Int
    public var synonymLines: [LanguageTag: Int]

    public init(
        id: String, fixmystreet: String, labels: [LanguageTag: String], synonyms: [LanguageTag: [String]],
        file: String = "", line: Int = 1, synonymLines: [LanguageTag: Int] = [:]
    ) {
        self.id = id
        self.fixmystreet = fixmystreet
        self.labels = labels
        self.synonyms = synonyms
        self.file = file
        self.line = line
        self.synonymLines = synonymLines
    }

    public func label(in language: LanguageTag) -> String { labels[language] ?? labels.values.sorted().first ?? id }

    /// Every phrase that names this category in any language: residents mix languages.
    public var allPhrases: [String] {
        labels.keys.sorted().compactMap { labels[$0] } + synonyms.keys.sorted().flatMap { synonyms[$0] ?? [] }
    }
}

/// A point on the map, WGS84.
public struct Coordinate: Sendable, Equatable, Codable {
    public var latitude: Double
    public var longitude: Double
    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// Great-circle distance in kilometres; enough to tell "in the city" from "on another continent".
    public func distanceKilometres(to other: Coordinate) -> Double {
        let radius = 6371.0
        let dLat = (other.latitude - latitude) * .pi / 180
        let dLon = (other.longitude - longitude) * .pi / 180
        let a = sin(dLat / 2) * sin(dLat / 2)
            + cos(latitude * .pi / 180) * cos(other.latitude * .pi / 180) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * radius * asin(min(1, a.squareRoot()))
    }
}
