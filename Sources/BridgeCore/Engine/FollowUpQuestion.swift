import Foundation

/// A question about a report the resident already completed, asked by SMS after the conversation ended: the platform's
/// geocoder knew several places for the resident's words, and filing at the wrong one would send a crew to the wrong
/// street. The shell files at the fallback point if no answer comes within the dialog's session timeout.
public struct FollowUpQuestion: Sendable, Codable, Equatable {
    /// The shell's handle on the waiting report (its submission id); handed back in ``Effect/placeChosen(ticket:place:)``.
    public var ticket: String
    public var places: [PlaceOption]
    public var language: LanguageTag
    public var askedAt: Date
    public var invalidAnswers: Int

    public init(ticket: String, places: [PlaceOption], language: LanguageTag, askedAt: Date, invalidAnswers: Int = 0) {
        self.ticket = ticket
        self.places = places
        self.language = language
        self.askedAt = askedAt
        self.invalidAnswers = invalidAnswers
    }
}

/// One place the platform's geocoder offered.
public struct PlaceOption: Sendable, Codable, Equatable {
    public var name: String
    public var coordinate: Coordinate

    public init(name: String, coordinate: Coordinate) {
        self.name = name
        self.coordinate = coordinate
    }
}
