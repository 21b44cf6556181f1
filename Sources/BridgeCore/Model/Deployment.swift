/// One city the bridge serves: who is routed to it, what it speaks, what residents can report and where.
public struct Deployment: Sendable {
    public var id: String
    public var name: String
    public var file: String
    /// Senders whose number starts with one of these calling codes (`+383`) are routed here.
    public var countryCodes: [String]
    /// Numbering plan (`XK`, `MA`) for numbers that arrive without a country code.
    public var region: String
    public var defaultLanguage: LanguageTag
    /// Offered languages, the default first.
    public var languages: [LanguageTag]
    public var dialog: Dialog
    public var categories: [Category]
    public var landmarks: [Landmark]
    /// Whether outbound texts may use GSM-7 spellings (`ë→e`) when that saves segments.
    public var gsmFallbackSpelling: Bool
    /// The point used when a place cannot be found.
    public var center: Coordinate
    /// This city's FixMyStreet category names, overriding `Category.fixmystreet`.
    public var fixmystreetCategories: [String: String]
    /// The gateways residents of this city write through.
    public var gateways: [GatewayDefinition] = []
    /// Where reports go; the local platform unless the deployment file has a `platform:` section.
    public var platform = PlatformDefinition(type: .local)
    /// This city's own `sender_limit`; nil uses the server's.
    public var senderLimit: SenderRateLimit?
    /// Matchers built once per load: every message uses them.
    public let matching: DeploymentMatching

    public init(
        id: String, name: String, file: String, countryCodes: [String], region: String, defaultLanguage: LanguageTag,
        languages: [LanguageTag], dialog: Dialog, categories: [Category], landmarks: [Landmark], gsmFallbackSpelling: Bool,
        center: Coordinate, fixmystreetCategories: [String: String] = [:]
    ) {
        self.id = id
        self.name = name
        self.file = file
        self.countryCodes = countryCodes
        self.region = region
        self.defaultLanguage = defaultLanguage
        self.languages = [defaultLanguage] + languages.filter { $0 != defaultLanguage }
        self.dialog = dialog
        self.categories = categories
        self.landmarks = landmarks
        self.gsmFallbackSpelling = gsmFallbackSpelling
        self.center = center
        self.fixmystreetCategories = fixmystreetCategories
        self.matching = DeploymentMatching(dialog: dialog, categories: categories, landmarks: landmarks, languages: self.languages)
    }

    public func category(_ id: String) -> Category? { categories.first { $0.id == id } }
    public func landmark(_ id: String) -> Landmark? { landmarks.first { $0.id == id } }

    /// The name FixMyStreet files this category under in this city.
    public func fixmystreetName(of categoryID: String) -> String {
        fixmystreetCategories[categoryID] ?? category(categoryID)?.fixmystreet ?? categoryID
    }

    /// The language residents with this calling code most likely write (`+381` → Serbian in Kosovo).
    public func language(forCallingCode code: String?) -> LanguageTag? {
        switch code {
        case "+381", "+382", "+387": languages.first { $0.primary == "sr" }
        case "+383", "+355", "+389": languages.first { $0.primary == "sq" }
        case "+33", "+32", "+41", "+352": languages.first { $0.primary == "fr" }
        case "+212", "+213", "+216": languages.first { $0.primary == "ar" }
        default: nil
        }
    }
}
