/// Recognises command words (§3.1: STOP, HELP, STATUS …) in any language and script.
///
/// A keyword counts only when it is the whole message, so a description such as
/// "znak STOP je oboren" never opts anyone out. Ids listed as argument keywords may be followed by
/// one argument token ("STATUS 1001", "حالة ١٠٠١").
public struct KeywordMatcher: Sendable {
    /// Normalised keyword → ids, in precedence order.
    private let idsByKey: [String: [String]]
    /// Keywords made only of symbols ("?"), compared on the trimmed raw text.
    private let idsBySymbol: [String: [String]]
    private let argumentIDs: Set<String>
    private let precedence: [String: Int]

    /// Normalised words configured under more than one id (e.g. `fillo` for START and RESTART),
    /// for a validator to flag; `match` resolves them by precedence.
    public private(set) var collisions: [(word: String, ids: [String])]

    /// Standard order when one word serves several commands (§3.1: STOP > HELP > LANGUAGE >
    /// RESTART > STATUS); ids not listed follow in alphabetical order.
    public static let standardPrecedence = ["stop", "help", "language", "restart", "start", "status"]

    /// - Parameter words: keyword id → raw words (any language, any script).
    public init(words: [String: [String]]) {
        self.init(words: words, argumentKeywords: [])
    }

    /// - Parameters:
    ///   - words: keyword id → raw words (any language, any script).
    ///   - argumentKeywords: ids that may be followed by one argument token (`status`).
    ///   - precedence: ids in the order they win when a word is shared.
    public init(words: [String: [String]], argumentKeywords: Set<String>, precedence: [String] = KeywordMatcher.standardPrecedence) {
        var rank: [String: Int] = [:]
        for (position, id) in precedence.enumerated() where rank[id] == nil { rank[id] = position }
        let order: (String, String) -> Bool = { a, b in
            let ra = rank[a] ?? Int.max, rb = rank[b] ?? Int.max
            return ra != rb ? ra < rb : a < b
        }
        var byKey: [String: [String]] = [:]
        var bySymbol: [String: [String]] = [:]
        for (id, list) in words {
            for word in list {
                let key = TextNormalizer.matchKey(word)
                if !key.isEmpty {
                    if !(byKey[key]?.contains(id) ?? false) { byKey[key, default: []].append(id) }
                } else {
                    let symbol = Self.symbolKey(word)
                    if !symbol.isEmpty, !(bySymbol[symbol]?.contains(id) ?? false) { bySymbol[symbol, default: []].append(id) }
                }
            }
        }
        for key in byKey.keys { byKey[key]?.sort(by: order) }
        for key in bySymbol.keys { bySymbol[key]?.sort(by: order) }
        self.idsByKey = byKey
        self.idsBySymbol = bySymbol
        self.argumentIDs = argumentKeywords
        self.precedence = rank
        self.collisions = (byKey.merging(bySymbol) { $0 + $1 })
            .filter { $0.value.count > 1 }
            .sorted { $0.key < $1.key }
            .map { (word: $0.key, ids: $0.value) }
    }

    /// The keyword the whole message is, with its argument (normalised: ASCII digits, folded text),
    /// or nil. When a word serves several ids, the one first in precedence is returned.
    public func match(_ raw: String) -> (id: String, argument: String?)? {
        matches(raw).first
    }

    /// Every reading of the message, in precedence order, for callers that must treat a shared
    /// word specially (an opted-out number sending `FILLO` re-subscribes whether it meant START or RESTART).
    public func matches(_ raw: String) -> [(id: String, argument: String?)] {
        for key in TextNormalizer.keyVariants(raw) {
            let found = matches(raw, key: key)
            if !found.isEmpty { return found }
        }
        return []
    }

    private func matches(_ raw: String, key: String) -> [(id: String, argument: String?)] {
        guard !key.isEmpty else {
            return (idsBySymbol[Self.symbolKey(raw)] ?? []).map { (id: $0, argument: nil) }
        }
        if let ids = idsByKey[key] {
            return ids.map { (id: $0, argument: nil) }
        }
        guard !argumentIDs.isEmpty else { return [] }
        var found: [(id: String, argument: String?)] = []
        let tokens = key.split(separator: " ").map(String.init)
        // Keyword tokens then exactly one argument token: "status 1001".
        if tokens.count >= 2 {
            let head = tokens.dropLast().joined(separator: " ")
            for id in idsByKey[head] ?? [] where argumentIDs.contains(id) {
                found.append((id: id, argument: tokens[tokens.count - 1]))
            }
        }
        // Keyword glued to a number: "status1001", "حالة١٠٠١".
        if found.isEmpty, tokens.count == 1 {
            let token = tokens[0]
            let digits = token.reversed().prefix { TokenSimilarity.isDigit($0.unicodeScalars.first!) }
            if !digits.isEmpty, digits.count < token.count {
                let head = String(token.dropLast(digits.count))
                for id in idsByKey[head] ?? [] where argumentIDs.contains(id) {
                    found.append((id: id, argument: String(digits.reversed())))
                }
            }
        }
        return found.sorted { (precedence[$0.id] ?? .max, $0.id) < (precedence[$1.id] ?? .max, $1.id) }
    }

    /// A symbol-only keyword such as `?`: NFKC, format controls gone, whitespace trimmed, and the
    /// Arabic and inverted question marks read as `?`.
    private static func symbolKey(_ raw: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in raw.unicodeScalars {
            switch scalar {
            case "\u{061F}", "\u{00BF}", "\u{FF1F}": scalars.append("?")
            default:
                let category = scalar.properties.generalCategory
                if category == .format || scalar.properties.isWhitespace { continue }
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }
}
