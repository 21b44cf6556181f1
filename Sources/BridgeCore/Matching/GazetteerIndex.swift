/// The precomputed side of the gazetteer: every distinct alias token once, with lookup tables so
/// that matching a reply token costs a few dictionary reads plus edit distances against the few
/// tokens of similar length, not a pass over every alias.
struct GazetteerIndex: Sendable {
    struct Token: Sendable {
        var key: KeyToken
        /// Fillers, place-type words and connectors say where, not which.
        var isDistinctive: Bool
        /// Weight of the token inside its alias: its length, halved for non-distinctive tokens.
        var weight: Double
    }

    struct Alias: Sendable {
        var landmark: Int
        var tokens: [Int]
        var totalWeight: Double
        var hasDistinctive: Bool
    }

    /// How well a reply token matches an alias token.
    enum Quality {
        static let exact = 1.0
        static let bare = 0.95
        static let stem = 0.9
        static let oneEdit = 0.85
        static let connector = 0.8
        static let twoEdits = 0.75
    }

    private(set) var tokens: [Token] = []
    private(set) var aliases: [Alias] = []
    /// Alias ids that use each token.
    private(set) var aliasesByToken: [[Int]] = []
    private var idByText: [String: Int] = [:]
    private var idsByBareText: [String: [Int]] = [:]
    private var idsByStemPrefix: [String: [Int]] = [:]
    private var idsByLength: [Int: [Int]] = [:]
    private var connectorIDs: [Int] = []

    init(landmarks: [Landmark]) {
        for (landmarkIndex, landmark) in landmarks.enumerated() {
            var seen = Set<String>()
            let names = landmark.names.sorted { $0.key < $1.key }.map(\.value)
            for raw in names + landmark.aliases {
                let key = TextNormalizer.matchKey(raw)
                guard !key.isEmpty, seen.insert(key).inserted else { continue }
                addAlias(key.split(separator: " ").map(String.init), landmark: landmarkIndex)
            }
        }
    }

    private mutating func addAlias(_ words: [String], landmark: Int) {
        let ids = words.map { tokenID($0) }
        let aliasID = aliases.count
        aliases.append(Alias(
            landmark: landmark,
            tokens: ids,
            totalWeight: ids.reduce(0) { $0 + tokens[$1].weight },
            hasDistinctive: ids.contains { tokens[$0].isDistinctive }
        ))
        for id in Set(ids) { aliasesByToken[id].append(aliasID) }
    }

    private mutating func tokenID(_ text: String) -> Int {
        if let id = idByText[text] { return id }
        let id = tokens.count
        let key = KeyToken(text)
        let scalars = key.scalars
        let distinctive = !PlaceWords.fillerKeys.contains(text) && !PlaceWords.genericKeys.contains(text)
            && !PlaceWords.connectorKeys.contains(text)
        tokens.append(Token(key: key, isDistinctive: distinctive,
                            weight: Double(scalars.count) * (distinctive ? 1 : 0.5)))
        aliasesByToken.append([])
        idByText[text] = id
        if let bare = ArabicFolding.withoutArticle(text) { idsByBareText[bare, default: []].append(id) }
        if scalars.count >= 5 { idsByStemPrefix[String(String.UnicodeScalarView(scalars[..<5])), default: []].append(id) }
        if scalars.count >= 4, !key.isDigits { idsByLength[scalars.count, default: []].append(id) }
        if PlaceWords.connectorKeys.contains(text) { connectorIDs.append(id) }
        return id
    }

    /// Alias tokens a reply token matches, with the best quality for each. In free text only exact
    /// and clitic matches are allowed for tokens under 5 characters, since a stray word is likelier
    /// than a typo there.
    func matches(for token: String, freeText: Bool) -> [Int: Double] {
        var result: [Int: Double] = [:]
        func note(_ id: Int, _ quality: Double) {
            if quality > result[id] ?? 0 { result[id] = quality }
        }
        if let id = idByText[token] { note(id, Quality.exact) }
        for id in idsByBareText[token] ?? [] { note(id, Quality.bare) }
        for variant in ArabicFolding.bareVariants(token) {
            if let id = idByText[variant] { note(id, Quality.bare) }
            for id in idsByBareText[variant] ?? [] { note(id, Quality.bare) }
        }
        if PlaceWords.connectorKeys.contains(token) {
            for id in connectorIDs { note(id, Quality.connector) }
        }
        let key = KeyToken(token)
        let scalars = key.scalars
        guard scalars.count >= (freeText ? 5 : 4), !key.isDigits else { return result }
        if scalars.count >= 5 {
            for id in idsByStemPrefix[String(String.UnicodeScalarView(scalars[..<5]))] ?? []
            where TokenSimilarity.sameStem(scalars, tokens[id].key.scalars) {
                note(id, Quality.stem)
            }
        }
        for length in (scalars.count - 2)...(scalars.count + 2) {
            for id in idsByLength[length] ?? [] {
                if freeText, tokens[id].key.count < 5 { continue }
                switch TokenSimilarity.fuzzyDistance(key, tokens[id].key) {
                case 1: note(id, Quality.oneEdit)
                case 2: note(id, Quality.twoEdits)
                default: break
                }
            }
        }
        return result
    }
}
