import Foundation

/// A question about a report the resident already completed, asked by SMS after the conversation ended: either the
/// platform's geocoder knew several places for the resident's words (filing at the wrong one would send a crew to the
/// wrong street; no answer within the dialog's session timeout files at the fallback point), or an open report of the
/// same category is already near the point (no answer files nothing).
public struct FollowUpQuestion: Sendable, Codable, Equatable {
    /// The shell's handle on the waiting report (its submission id); handed back in ``Effect/placeChosen(ticket:place:)``.
    public var ticket: String
    public var places: [PlaceOption]
    public var language: LanguageTag
    public var askedAt: Date
    public var invalidAnswers: Int
    /// Set instead of `places` for the duplicate hint: the platform's open report of the same category nearby.
    public var duplicateOf: String?

    public init(ticket: String, places: [PlaceOption], language: LanguageTag, askedAt: Date, invalidAnswers: Int = 0,
                duplicateOf: String? = nil) {
        self.ticket = ticket
        self.places = places
        self.language = language
        self.askedAt = askedAt
        self.invalidAnswers = invalidAnswers
        self.duplicateOf = duplicateOf
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
