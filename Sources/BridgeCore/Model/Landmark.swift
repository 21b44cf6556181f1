/// A public place residents name instead of an address ("at the bus station"), with the point sent to the platform.
public struct Landmark: Sendable, Equatable, Hashable, Codable {
    /// Stable id used in reports and tests (`skanderbeg-square`).
    public var id: String
    public var latitude: Double
    public var longitude: Double
    /// Display name per language, for summaries and "did you mean" lists.
    public var names: [LanguageTag: String]
    /// Every other way residents write the place, in any script.
    public var aliases: [String]

    public init(id: String, latitude: Double, longitude: Double, names: [LanguageTag: String], aliases: [String]) {
        self.id = id
        self.latitude = latitude
        self.longitude = longitude
        self.names = names
        self.aliases = aliases
    }

    /// The name to show in `language`, falling back to any name, then the id.
    public func name(in language: LanguageTag) -> String {
        names[language] ?? names.values.sorted().first ?? id
    }
}
